using System.Globalization;
using System.Text.Json;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Infrastructure.Api;

/// <summary>
/// Reads the fields of one JSON object, reporting each problem with its path in zod's words ("Required", "Expected
/// string, received number", enum values listed). Unknown properties are ignored; <c>null</c> for an optional field
/// means "not given".
/// </summary>
public sealed class JsonFields
{
    private readonly JsonElement _body;
    private readonly object[] _prefix;

    public JsonFields(JsonElement body, Checks checks, params object[] prefix)
    {
        _body = body;
        _prefix = prefix;
        Checks = checks;
        IsObject = body.ValueKind == JsonValueKind.Object;
        if (!IsObject)
        {
            checks.Add(TypeIssue(prefix.Length == 0 ? P("body") : prefix, "object", body));
        }
    }

    public Checks Checks { get; }
    public bool IsObject { get; }

    private object[] PathOf(string name) => [.. _prefix, name];

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return IsObject && _body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>Whether the property is in the body at all, <c>null</c> included (PATCH: null clears).</summary>
    public bool Present(string name) => IsObject && _body.TryGetProperty(name, out _);

    public bool Has(string name) => TryGet(name, out _);

    public string? Text(string name, bool required, int max, int min = 1)
    {
        if (!TryGet(name, out var value))
        {
            if (required && IsObject) Checks.Add(Missing(PathOf(name), "string"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), "string", value));
            return null;
        }
        return Checks.Text(PathOf(name), value.GetString(), min, max);
    }

    /// <summary>A string exactly as sent (not trimmed), null when absent; another JSON type is reported.</summary>
    public string? RawString(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), "string", value));
            return null;
        }
        return value.GetString();
    }

    /// <summary>
    /// The spec's acceptedBy/createdBy/...: accepted when it is a string, but the audit trail records the signed-in
    /// caller, never a name a body claims.
    /// </summary>
    public void Actor(string name) => Text(name, required: false, max: 200, min: 0);

    public Guid? Uuid(string name, bool required)
    {
        var text = Text(name, required, 100);
        if (text is null) return null;
        if (!Guid.TryParseExact(text, "D", out var id))
        {
            Checks.Add(new FieldIssue(PathOf(name), "Invalid uuid", "invalid_string"));
            return null;
        }
        return id;
    }

    public string? Enum(string name, IReadOnlyList<string> allowed, bool required)
    {
        if (!TryGet(name, out var value))
        {
            if (required && IsObject) Checks.Add(Missing(PathOf(name), string.Join(" | ", allowed.Select(a => $"'{a}'"))));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), string.Join(" | ", allowed.Select(a => $"'{a}'")), value));
            return null;
        }
        return Checks.OneOf(PathOf(name), value.GetString(), allowed);
    }

    public int? Int(string name, bool required, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            if (required && IsObject) Checks.Add(Missing(PathOf(name), "number"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            Checks.Add(TypeIssue(PathOf(name), "number", value));
            return null;
        }
        if (!value.TryGetInt64(out var whole))
        {
            Checks.Add(new FieldIssue(PathOf(name), "Expected integer, received float", "invalid_type"));
            return null;
        }
        return Checks.Range(PathOf(name), (int)Math.Clamp(whole, int.MinValue, int.MaxValue), min, max);
    }

    /// <summary>
    /// A field's JSON type alone, for binders whose value rules run on the typed request: the string as sent (not
    /// trimmed), or null when absent. JSON <c>null</c> counts as absent when <paramref name="nullable"/>, else it is a type
    /// issue; <paramref name="expected"/> is the type the message names (an enum's values, <c>'a' | 'b'</c>).
    /// </summary>
    public string? String(string name, bool nullable, string expected = "string")
    {
        if (!Present(name)) return null;
        var value = _body.GetProperty(name);
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind != JsonValueKind.Null || !nullable) Checks.Add(TypeIssue(PathOf(name), expected, value));
        return null;
    }

    /// <summary>
    /// A number field's JSON type alone: null when absent or JSON <c>null</c>. A number too large for a double reads as
    /// infinity, which value rules refuse as not finite.
    /// </summary>
    public double? Number(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number)
        {
            Checks.Add(TypeIssue(PathOf(name), "number", value));
            return null;
        }
        return value.TryGetDouble(out var number) ? number : double.PositiveInfinity;
    }

    /// <summary>An array field's JSON type alone: its elements, or null when absent (or JSON <c>null</c> when <paramref name="nullable"/>).</summary>
    public IReadOnlyList<JsonElement>? Array(string name, bool nullable)
    {
        if (!Present(name)) return null;
        var value = _body.GetProperty(name);
        if (value.ValueKind == JsonValueKind.Array) return [.. value.EnumerateArray()];
        if (value.ValueKind != JsonValueKind.Null || !nullable) Checks.Add(TypeIssue(PathOf(name), "array", value));
        return null;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Checks.Add(TypeIssue(PathOf(name), "boolean", value));
            return null;
        }
        return value.GetBoolean();
    }

    public DateTime? Time(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), "string", value));
            return null;
        }
        if (!DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            Checks.Add(new FieldIssue(PathOf(name), "Invalid datetime: use ISO 8601, e.g. 2024-11-01T10:00:00Z", "invalid_string"));
            return null;
        }
        return at.UtcDateTime;
    }

    /// <summary>
    /// A flat JSON object of strings, numbers and booleans (trigger conditions, event context), as text: numbers keep
    /// their JSON spelling (<c>5</c>), booleans are <c>true</c>/<c>false</c>. Nulls are dropped.
    /// </summary>
    public Dictionary<string, string>? Scalars(string name, int maxEntries = 50, int maxKey = 50, int maxValue = 200)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Checks.Add(TypeIssue(PathOf(name), "object", value));
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = Checks.Issues.Count;
        foreach (var property in value.EnumerateObject())
        {
            var path = (object[])[.. PathOf(name), property.Name];
            if (property.Name.Length is 0 || property.Name.Length > maxKey)
            {
                Checks.Add(new FieldIssue(path, $"Keys must be 1 to {maxKey} characters"));
                continue;
            }
            string? text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => "\0",
            };
            if (text == "\0")
            {
                Checks.Add(TypeIssue(path, "string | number | boolean", property.Value));
                continue;
            }
            if (text is null) continue;
            if (text.Length > maxValue)
            {
                Checks.Add(new FieldIssue(path, $"String must contain at most {maxValue} character(s)", "too_big"));
                continue;
            }
            result[property.Name] = text;
        }
        if (result.Count > maxEntries)
        {
            Checks.Add(new FieldIssue(PathOf(name), $"At most {maxEntries} entries", "too_big"));
        }
        return Checks.Issues.Count > before ? null : result;
    }

    private static FieldIssue Missing(object[] path, string expected) =>
        new(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = expected, ["received"] = "undefined" });

    private static FieldIssue TypeIssue(object[] path, string expected, JsonElement value) =>
        new(path, $"Expected {expected}, received {Received(value)}", "invalid_type",
            new Dictionary<string, object?> { ["expected"] = expected, ["received"] = Received(value) });

    /// <summary>zod's name for a JSON value's type, as in "Expected string, received number".</summary>
    public static string Received(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "undefined",
    };
}
