using System.Globalization;
using System.Text.Json;
using Operator.Infrastructure.Api;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Holds;

/// <summary>A create request that passed every rule of the spec: trimmed text, known enum values, parsed ids.</summary>
public sealed record ValidHold(string Reason, string HoldType, string Priority, IReadOnlyList<ValidHoldItem> Items);

public sealed record ValidHoldItem(int Index, string ReferenceType, Guid ReferenceId, double? QuantityHeld, string? Uom, string? Notes);

/// <summary>
/// The contract's request rules, applied to the JSON as sent, in zod's vocabulary: a wrong JSON type is
/// <c>invalid_type</c> with <c>expected</c>/<c>received</c>, bounds carry <c>minimum</c>/<c>maximum</c>, enum values
/// are case-sensitive (<c>invalid_enum_value</c>). Every problem is reported at once, with its path. Pages send their
/// typed requests through the same rules, so a form shows the messages an API caller would get.
/// Unknown properties are ignored (zod strips them); <c>null</c> for an optional property means "not given".
/// </summary>
public static class HoldValidation
{
    public const int MaxItems = 100;
    public const int ReasonMin = 10;
    public const int ReasonMax = 500;
    public const int UomMax = 20;
    public const int NotesMax = 500;
    public const int ReleaseNotesMax = 1000;
    public const string InvalidData = "Invalid request data";

    public static Result<ValidHold> Create(JsonElement body)
    {
        var checks = new Checks();
        if (body.ValueKind != JsonValueKind.Object)
        {
            checks.Add(TypeIssue(P(), "object", Received(body)));
            return checks.ToError(InvalidData);
        }

        var reason = RequiredString(checks, body, "reason", "string") is { } r ? checks.Text(P("reason"), r, ReasonMin, ReasonMax) : null;
        var holdType = EnumValue(checks, body, P("hold_type"), HoldTypes.All, required: true);
        var priority = EnumValue(checks, body, P("priority"), HoldPriorities.All, required: false) ?? (Has(body, "priority") ? null : HoldPriorities.Medium);

        var items = new List<ValidHoldItem>();
        if (!body.TryGetProperty("items", out var list))
        {
            checks.Add(TypeIssue(P("items"), "array", "undefined"));
        }
        else if (list.ValueKind != JsonValueKind.Array)
        {
            checks.Add(TypeIssue(P("items"), "array", Received(list)));
        }
        else
        {
            var count = list.GetArrayLength();
            if (count < 1)
            {
                checks.Add(new FieldIssue(P("items"), "Array must contain at least 1 element(s)", "too_small", Bound("minimum", 1, "array")));
            }
            else if (count > MaxItems)
            {
                // The request is refused whatever its items say; checking 10,000 of them would only make the answer huge.
                checks.Add(new FieldIssue(P("items"), $"Array must contain at most {MaxItems} element(s)", "too_big", Bound("maximum", MaxItems, "array")));
            }
            else
            {
                var index = 0;
                foreach (var element in list.EnumerateArray())
                {
                    if (Item(checks, element, index) is { } item) items.Add(item);
                    index++;
                }
                var seen = new Dictionary<(string, Guid), int>();
                foreach (var item in items)
                {
                    if (!seen.TryAdd((item.ReferenceType, item.ReferenceId), item.Index))
                    {
                        var first = seen[(item.ReferenceType, item.ReferenceId)];
                        checks.Add(new FieldIssue(P("items", item.Index), $"Duplicate item: items[{first}] already holds this reference_type and reference_id",
                            "custom", new Dictionary<string, object?> { ["params"] = new Dictionary<string, object?> { ["code"] = "DUPLICATE_ITEM", ["duplicate_of"] = first } }));
                    }
                }
            }
        }

        if (checks.Failed) return checks.ToError(InvalidData);
        return new ValidHold(reason!, holdType!, priority!, items);
    }

    public static Result<(string Disposition, string? ReleaseNotes)> Release(JsonElement body)
    {
        var checks = new Checks();
        if (body.ValueKind != JsonValueKind.Object)
        {
            checks.Add(TypeIssue(P(), "object", Received(body)));
            return checks.ToError(InvalidData);
        }
        var disposition = EnumValue(checks, body, P("disposition"), Dispositions.All, required: true);
        var notes = OptionalString(checks, body, "release_notes") is { } n ? checks.OptionalText(P("release_notes"), n, ReleaseNotesMax) : null;
        if (checks.Failed) return checks.ToError(InvalidData);
        return (disposition!, string.IsNullOrEmpty(notes) ? null : notes);
    }

    private static ValidHoldItem? Item(Checks checks, JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            checks.Add(TypeIssue(P("items", index), "object", Received(element)));
            return null;
        }
        var before = checks.Issues.Count;
        var type = EnumValue(checks, element, P("items", index, "reference_type"), ReferenceTypes.All, required: true);
        var idText = RequiredString(checks, element, "reference_id", "string", P("items", index, "reference_id"));
        var id = idText is null ? null : checks.Uuid(P("items", index, "reference_id"), idText, v4Only: true);

        double? quantity = null;
        if (element.TryGetProperty("quantity_held", out var q) && q.ValueKind != JsonValueKind.Null)
        {
            if (q.ValueKind != JsonValueKind.Number)
            {
                checks.Add(TypeIssue(P("items", index, "quantity_held"), "number", Received(q)));
            }
            else if (!q.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                checks.Add(new FieldIssue(P("items", index, "quantity_held"), "Number must be finite", "not_finite"));
            }
            else
            {
                quantity = checks.Positive(P("items", index, "quantity_held"), (double?)value);
            }
        }
        var uom = OptionalString(checks, element, "uom", P("items", index, "uom")) is { } u ? checks.OptionalText(P("items", index, "uom"), u, UomMax) : null;
        var notes = OptionalString(checks, element, "notes", P("items", index, "notes")) is { } n ? checks.OptionalText(P("items", index, "notes"), n, NotesMax) : null;

        if (checks.Issues.Count > before) return null;
        return new ValidHoldItem(index, type!, id!.Value, quantity, string.IsNullOrEmpty(uom) ? null : uom, string.IsNullOrEmpty(notes) ? null : notes);
    }

    private static bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    private static string? RequiredString(Checks checks, JsonElement obj, string name, string expected, object[]? path = null)
    {
        path ??= P(name);
        if (!obj.TryGetProperty(name, out var value))
        {
            checks.Add(TypeIssue(path, expected, "undefined"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            checks.Add(TypeIssue(path, expected, Received(value)));
            return null;
        }
        return value.GetString();
    }

    private static string? OptionalString(Checks checks, JsonElement obj, string name, object[]? path = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            checks.Add(TypeIssue(path ?? P(name), "string", Received(value)));
            return null;
        }
        return value.GetString();
    }

    private static string? EnumValue(Checks checks, JsonElement obj, object[] path, IReadOnlyList<string> allowed, bool required)
    {
        var name = (string)path[^1];
        var expected = string.Join(" | ", allowed.Select(a => $"'{a}'"));
        if (!obj.TryGetProperty(name, out var value) || (!required && value.ValueKind == JsonValueKind.Null))
        {
            if (required) checks.Add(TypeIssue(path, expected, "undefined"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            checks.Add(TypeIssue(path, expected, Received(value)));
            return null;
        }
        return checks.OneOf(path, value.GetString(), allowed);
    }

    /// <summary>zod's invalid_type issue: "Required" when the value is missing, else "Expected x, received y".</summary>
    public static FieldIssue TypeIssue(object[] path, string expected, string received) =>
        new(path, received == "undefined" ? "Required" : $"Expected {expected}, received {received}", "invalid_type",
            new Dictionary<string, object?> { ["expected"] = expected, ["received"] = received });

    private static string Received(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "undefined",
    };

    private static Dictionary<string, object?> Bound(string key, int value, string type) =>
        new() { [key] = value, ["type"] = type, ["inclusive"] = true, ["exact"] = false };

    internal static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
