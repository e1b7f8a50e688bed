using System.Globalization;

namespace Operator.Infrastructure.Api;

/// <summary>
/// Collects field problems of one request, in zod's vocabulary (code, bound, message), which the holds contract
/// prints as is and the other conventions print as field + message. Services validate with it before touching data.
/// </summary>
public sealed class Checks
{
    private readonly List<FieldIssue> _issues = [];

    public bool Failed => _issues.Count > 0;
    public IReadOnlyList<FieldIssue> Issues => _issues;

    public Error ToError(string message) => Error.Validation(message, _issues);

    public Checks Add(FieldIssue issue)
    {
        _issues.Add(issue);
        return this;
    }

    public Checks Add(object[] path, string message, string code = "custom") => Add(new FieldIssue(path, message, code));

    /// <summary>Required text, trimmed, within bounds. Returns the trimmed value (null when it failed).</summary>
    public string? Text(object[] path, string? value, int min = 1, int max = 200, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(new FieldIssue(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = "string", ["received"] = "undefined" }));
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length < min)
        {
            Add(new FieldIssue(path, $"String must contain at least {min} character(s)", "too_small",
                new Dictionary<string, object?> { ["minimum"] = min, ["type"] = "string", ["inclusive"] = true, ["exact"] = false }));
            return null;
        }
        if (trimmed.Length > max)
        {
            Add(new FieldIssue(path, $"String must contain at most {max} character(s)", "too_big",
                new Dictionary<string, object?> { ["maximum"] = max, ["type"] = "string", ["inclusive"] = true, ["exact"] = false }));
            return null;
        }
        // PostgreSQL text cannot hold U+0000 (the statement fails); refused here on both providers alike.
        if (trimmed.Contains('\0'))
        {
            Add(path, "String must not contain the NUL character (U+0000)");
            return null;
        }
        return trimmed;
    }

    public string? OptionalText(object[] path, string? value, int max) => value is null ? null : Text(path, value, 0, max, required: false);

    /// <summary>One of the allowed values, compared case-sensitively as the contracts say.</summary>
    public string? OneOf(object[] path, string? value, IReadOnlyList<string> allowed, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(new FieldIssue(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = string.Join(" | ", allowed.Select(a => $"'{a}'")), ["received"] = "undefined" }));
            return null;
        }
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            Add(new FieldIssue(path, $"Invalid enum value. Expected {string.Join(" | ", allowed.Select(a => $"'{a}'"))}, received '{value}'", "invalid_enum_value",
                new Dictionary<string, object?> { ["options"] = allowed, ["received"] = value }));
            return null;
        }
        return value;
    }

    public T? Positive<T>(object[] path, T? value, bool required = false) where T : struct, IComparable<T>
    {
        if (value is null)
        {
            if (required) Add(new FieldIssue(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = "number", ["received"] = "undefined" }));
            return null;
        }
        if (value.Value.CompareTo(default) <= 0)
        {
            Add(new FieldIssue(path, "Number must be greater than 0", "too_small",
                new Dictionary<string, object?> { ["minimum"] = 0, ["type"] = "number", ["inclusive"] = false, ["exact"] = false }));
            return null;
        }
        return value;
    }

    public int? Range(object[] path, int? value, int min, int max, bool required = false)
    {
        if (value is null)
        {
            if (required) Add(new FieldIssue(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = "number", ["received"] = "undefined" }));
            return null;
        }
        if (value < min)
        {
            Add(new FieldIssue(path, $"Number must be greater than or equal to {min}", "too_small",
                new Dictionary<string, object?> { ["minimum"] = min, ["type"] = "number", ["inclusive"] = true, ["exact"] = false }));
            return null;
        }
        if (value > max)
        {
            Add(new FieldIssue(path, $"Number must be less than or equal to {max}", "too_big",
                new Dictionary<string, object?> { ["maximum"] = max, ["type"] = "number", ["inclusive"] = true, ["exact"] = false }));
            return null;
        }
        return value;
    }

    /// <summary>A UUID given as text. <paramref name="v4Only"/> for contracts that demand version 4.</summary>
    public Guid? Uuid(object[] path, string? value, bool required = true, bool v4Only = false)
    {
        if (value is null)
        {
            if (required) Add(new FieldIssue(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = "string", ["received"] = "undefined" }));
            return null;
        }
        if (!Guid.TryParseExact(value, "D", out var id) || (v4Only && !IsV4(value)))
        {
            Add(new FieldIssue(path, "Invalid uuid", "invalid_string", new Dictionary<string, object?> { ["validation"] = "uuid" }));
            return null;
        }
        return id;
    }

    public Guid? Id(object[] path, Guid? value, bool required = true)
    {
        if (value is null || value == Guid.Empty)
        {
            if (required) Add(new FieldIssue(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = "string", ["received"] = "undefined" }));
            return null;
        }
        return value;
    }

    /// <summary>Version nibble 4 and RFC 4122 variant, as zod's uuid check for v4 references.</summary>
    public static bool IsV4(string value) =>
        value.Length == 36 && value[14] == '4' && "89abAB".Contains(value[19]);

    public static object[] P(params object[] path) => path;

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
