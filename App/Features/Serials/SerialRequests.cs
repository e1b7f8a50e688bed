using System.Text.Json;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serials;

/// <summary>
/// Reads request bodies as sent, so a missing field, a number where text belongs or a blank value is named in words
/// (the spec: "certId is missing or invalid: describes the specific validation issue"). Unknown properties are ignored.
/// </summary>
public static class SerialRequests
{
    public const int MaxReferenceLength = 100;
    public const int MaxBatchQuantity = 10_000;
    public const int ScrapReasonMin = 3;
    public const int ScrapReasonMax = 500;

    public static Result<(string CertId, Guid UserId)> Attach(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        if (!IsObject(body, issues, "a JSON object with certId and userId"))
        {
            return Fail(issues);
        }
        var certId = Reference(body, "certId", issues, required: true);
        var userText = Reference(body, "userId", issues, required: true);
        var userId = Guid.Empty;
        if (userText is not null && !Guid.TryParse(userText, out userId))
        {
            issues.Add(new FieldIssue("userId", $"userId must be a user id (UUID), got '{Clip(userText)}'", "invalid_string"));
        }
        return issues.Count > 0 ? Fail(issues) : (certId!, userId);
    }

    public static Result<Guid?> Advance(JsonElement? body)
    {
        if (body is not { } json || json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (Guid?)null;
        }
        var issues = new List<FieldIssue>();
        if (!IsObject(json, issues, "empty or a JSON object with an optional expectedStepId"))
        {
            return Fail(issues);
        }
        var text = Reference(json, "expectedStepId", issues, required: false);
        if (text is not null && !Guid.TryParse(text, out _))
        {
            issues.Add(new FieldIssue("expectedStepId", "expectedStepId must be a step id (UUID)", "invalid_string"));
        }
        return issues.Count > 0 ? Fail(issues) : text is null ? (Guid?)null : Guid.Parse(text);
    }

    public static Result<string> Scrap(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        if (!IsObject(body, issues, "a JSON object with a reason"))
        {
            return Fail(issues);
        }
        var reason = String(body, "reason", issues, required: true);
        return issues.Count > 0 ? Fail(issues) : ScrapReason(reason);
    }

    /// <summary>The reason rule shared by the API and the station's dialog.</summary>
    public static Result<string> ScrapReason(string? reason)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length < ScrapReasonMin)
        {
            return Error.Validation("reason", $"A scrap reason of at least {ScrapReasonMin} characters is required");
        }
        if (trimmed.Length > ScrapReasonMax)
        {
            return Error.Validation("reason", $"The scrap reason must be at most {ScrapReasonMax} characters");
        }
        if (trimmed.Any(IsForbiddenControl))
        {
            return Error.Validation("reason", "The scrap reason must not contain control characters");
        }
        return trimmed;
    }

    /// <summary>Control characters other than line breaks and tabs, which free text may hold.</summary>
    public static bool IsForbiddenControl(char c) => char.IsControl(c) && c is not ('\n' or '\r' or '\t');

    public static Result<(string WorkOrder, int Quantity, string? CertId)> Batch(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        if (!IsObject(body, issues, "a JSON object with workOrderId, quantity and an optional certId"))
        {
            return Fail(issues);
        }
        var workOrder = Reference(body, "workOrderId", issues, required: true);
        int? quantity = null;
        if (!body.TryGetProperty("quantity", out var q) || q.ValueKind == JsonValueKind.Null)
        {
            issues.Add(new FieldIssue("quantity", "quantity is required", "invalid_type"));
        }
        else if (q.ValueKind != JsonValueKind.Number || !q.TryGetInt32(out var n))
        {
            issues.Add(new FieldIssue("quantity", $"quantity must be a whole number from 1 to {MaxBatchQuantity:N0}", "invalid_type"));
        }
        else if (n is < 1 or > MaxBatchQuantity)
        {
            issues.Add(new FieldIssue("quantity", $"quantity must be from 1 to {MaxBatchQuantity:N0}, got {n}", n < 1 ? "too_small" : "too_big"));
        }
        else
        {
            quantity = n;
        }
        var certId = Reference(body, "certId", issues, required: false);
        return issues.Count > 0 ? Fail(issues) : (workOrder!, quantity!.Value, certId);
    }

    private static bool IsObject(JsonElement body, List<FieldIssue> issues, string expected)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            return true;
        }
        issues.Add(new FieldIssue(Array.Empty<object>(), $"The request body must be {expected}", "invalid_type"));
        return false;
    }

    /// <summary>An id or number: text, trimmed, not blank, at most <see cref="MaxReferenceLength"/> characters, no control characters.</summary>
    private static string? Reference(JsonElement body, string name, List<FieldIssue> issues, bool required)
    {
        var text = String(body, name, issues, required);
        if (text is null)
        {
            return null;
        }
        var trimmed = text.Trim();
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

    private static string? String(JsonElement body, string name, List<FieldIssue> issues, bool required)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) issues.Add(new FieldIssue(name, $"{name} is required", "invalid_type"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            issues.Add(new FieldIssue(name, $"{name} must be a string, got {Kind(value)}", "invalid_type"));
            return null;
        }
        return value.GetString();
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static Error Fail(List<FieldIssue> issues) => Error.Validation(string.Join("; ", issues.Select(i => i.Message)), issues);

    /// <summary>Echoes what the caller sent, but never pages of it.</summary>
    public static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
