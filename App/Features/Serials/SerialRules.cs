using System.Text.Json;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serials;

/// <summary>
/// The value rules of the serials' requests, in the words callers code against (the spec: "certId is missing or
/// invalid: describes the specific validation issue"). The services check them on the typed request, so pages and the
/// API get the same messages; the requests' binders (<see cref="IJsonRequest{TSelf}.FromJson"/>) call the same rule
/// for the fields that bound, so one body with a wrong type on one field and a bad value on another names both, in
/// field order.
/// </summary>
public static class SerialRules
{
    public const int MaxReferenceLength = 100;
    public const int MaxBatchQuantity = 10_000;
    public const int ScrapReasonMin = 3;
    public const int ScrapReasonMax = 500;

    /// <summary>An id or number: text, trimmed, not blank, at most <see cref="MaxReferenceLength"/> characters, no control characters.</summary>
    public static string? Reference(string name, string? value, bool required, List<FieldIssue> issues)
    {
        if (value is null)
        {
            if (required) issues.Add(new FieldIssue(name, $"{name} is required", "invalid_type"));
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            issues.Add(new FieldIssue(name, $"{name} must not be empty", "too_small"));
            return null;
        }
        if (trimmed.Length > MaxReferenceLength)
        {
            issues.Add(new FieldIssue(name, $"{name} must be at most {MaxReferenceLength} characters", "too_big"));
            return null;
        }
        if (trimmed.Any(char.IsControl))
        {
            issues.Add(new FieldIssue(name, $"{name} must not contain control characters", "invalid_string"));
            return null;
        }
        return trimmed;
    }

    public static Guid? Required(string name, Guid? value, List<FieldIssue> issues)
    {
        if (value is null) issues.Add(new FieldIssue(name, $"{name} is required", "invalid_type"));
        return value;
    }

    public static int? Quantity(int? quantity, List<FieldIssue> issues)
    {
        if (quantity is not { } n)
        {
            issues.Add(new FieldIssue("quantity", "quantity is required", "invalid_type"));
            return null;
        }
        if (n is < 1 or > MaxBatchQuantity)
        {
            issues.Add(new FieldIssue("quantity", $"quantity must be from 1 to {MaxBatchQuantity:N0}, got {n}", n < 1 ? "too_small" : "too_big"));
            return null;
        }
        return n;
    }

    /// <summary>A code that requires words (OTHER) without them: the refusal, in the same words for the dialog and the API.</summary>
    public static FieldIssue? ScrapCodeNeedsText(string code, string label, bool requiresText, string? text) =>
        requiresText && string.IsNullOrWhiteSpace(text)
            ? new FieldIssue("reason", $"Scrap reason {code} ({label}) needs a written reason of at least {ScrapReasonMin} characters")
            : null;

    /// <summary>The scrap reason: trimmed, 3-500 characters, line breaks and tabs but no other control characters.</summary>
    public static string? ScrapReason(string? reason, List<FieldIssue> issues)
    {
        var trimmed = reason?.Trim() ?? "";
        var problem = trimmed.Length < ScrapReasonMin ? $"A scrap reason of at least {ScrapReasonMin} characters is required"
            : trimmed.Length > ScrapReasonMax ? $"The scrap reason must be at most {ScrapReasonMax} characters"
            : trimmed.Any(IsForbiddenControl) ? "The scrap reason must not contain control characters"
            : null;
        if (problem is null) return trimmed;
        issues.Add(new FieldIssue("reason", problem));
        return null;
    }

    /// <summary>
    /// The shape of a scrap request: without a code the reason is required as ever; with one the reason may be left out
    /// (whether the code exists, is active and needs text is the service's to say, from the organization's list), but
    /// when given it follows the same rule. Answers the code in upper case (null when not given or not a code).
    /// </summary>
    public static string? ScrapRequest(string? reason, string? reasonCode, List<FieldIssue> issues)
    {
        if (reasonCode is null)
        {
            ScrapReason(reason, issues);
            return null;
        }
        var code = ScrapReasonRules.Normalize(reasonCode);
        if (code is null) issues.Add(new FieldIssue("reasonCode", $"reasonCode {ScrapReasonRules.ShapeMessage}, got '{Clip(reasonCode)}'", "invalid_string"));
        if (!string.IsNullOrWhiteSpace(reason)) ScrapReason(reason, issues);
        return code;
    }

    /// <summary>Control characters other than line breaks and tabs, which free text may hold.</summary>
    public static bool IsForbiddenControl(char c) => char.IsControl(c) && c is not ('\n' or '\r' or '\t');

    /// <summary>Echoes what the caller sent, but never pages of it.</summary>
    public static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>Null when there is nothing wrong, else the validation error listing every issue.</summary>
    public static Error? Failure(List<FieldIssue> issues) =>
        issues.Count == 0 ? null : Error.Validation(string.Join("; ", issues.Select(i => i.Message)), issues);
}

/// <summary>
/// The JSON types of a serials request's fields, read through <see cref="JsonFields"/> and reported in this group's
/// words ("certId must be a string, got a number"). A missing or null field binds as null: whether it is required is
/// the value rule's to say.
/// </summary>
internal sealed class SerialFields
{
    private readonly JsonFields _fields;
    private readonly List<FieldIssue> _issues;

    private SerialFields(JsonFields fields, List<FieldIssue> issues)
    {
        _fields = fields;
        _issues = issues;
    }

    /// <summary>Null (with the issue added) when the body is not a JSON object.</summary>
    public static SerialFields? Of(JsonElement body, string expected, List<FieldIssue> issues)
    {
        var fields = new JsonFields(body, new Checks());
        if (fields.IsObject) return new SerialFields(fields, issues);
        issues.Add(new FieldIssue(Array.Empty<object>(), $"The request body must be {expected}", "invalid_type"));
        return null;
    }

    /// <summary>The field as text; <paramref name="bound"/> is false when it holds another JSON type (reported).</summary>
    public string? String(string name, out bool bound)
    {
        var before = _fields.Checks.Issues.Count;
        var value = _fields.RawString(name);
        bound = _fields.Checks.Issues.Count == before;
        if (!bound)
        {
            var received = _fields.Checks.Issues[^1].Extra?["received"] as string;
            _issues.Add(new FieldIssue(name, $"{name} must be a string, got {Article(received)}", "invalid_type"));
        }
        return value;
    }

    /// <summary>A UUID given as text; a text that is not one is reported with <paramref name="what"/>.</summary>
    public Guid? Uuid(string name, string what, bool echo)
    {
        var text = String(name, out var bound);
        if (!bound || text is null) return null;
        if (Guid.TryParse(text.Trim(), out var id)) return id;
        _issues.Add(new FieldIssue(name, echo ? $"{name} must be {what}, got '{SerialRules.Clip(text)}'" : $"{name} must be {what}", "invalid_string"));
        return null;
    }

    /// <summary>A whole number; another type, a fraction or one beyond 32 bits is reported with <paramref name="expected"/>.</summary>
    public int? WholeNumber(string name, string expected, out bool bound)
    {
        bound = true;
        if (!_fields.Has(name)) return null;
        var before = _fields.Checks.Issues.Count;
        // The widest range, so JsonFields reports types only; the bounds are the value rule's.
        var value = _fields.Int(name, required: false, int.MinValue, int.MaxValue);
        if (_fields.Checks.Issues.Count == before && value is not (int.MinValue or int.MaxValue)) return value;
        bound = false;
        _issues.Add(new FieldIssue(name, expected, "invalid_type"));
        return null;
    }

    private static string Article(string? received) => received switch
    {
        "array" or "object" => $"an {received}",
        null => "another type",
        _ => $"a {received}",
    };
}
