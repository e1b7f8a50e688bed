using System.Globalization;
using Operator.Infrastructure.Api;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Holds;

/// <summary>A create request that passed every rule of the spec: trimmed text, known enum values, parsed ids.</summary>
public sealed record ValidHold(string Reason, string HoldType, string Priority, IReadOnlyList<ValidHoldItem> Items);

/// <summary>
/// One valid item. A serial item (the extension) is named by <paramref name="Serial"/>, its serial number or id as given,
/// and resolved to <paramref name="ReferenceId"/> when the hold is created; every other type carries its id.
/// </summary>
public sealed record ValidHoldItem(int Index, string ReferenceType, Guid ReferenceId, double? QuantityHeld, string? Uom, string? Notes, string? Serial = null)
{
    /// <summary>What makes two items of one request the same before resolution: the type and the id, or the serial text as given.</summary>
    internal string Key => ReferenceType == ReferenceTypes.Serial ? $"{ReferenceType}:{Serial}" : $"{ReferenceType}:{ReferenceId}";
}

/// <summary>
/// The contract's value rules for the typed requests, in zod's vocabulary: bounds carry <c>minimum</c>/<c>maximum</c>,
/// enum values are case-sensitive (<c>invalid_enum_value</c>), a missing field is <c>invalid_type</c> "Required". Every
/// problem is reported at once, with its path, in the order of the contract's fields. The API's binders
/// (<see cref="CreateHoldRequest.FromJson"/>) check JSON types and, when a type is wrong, hand their type issues to these
/// same rules, which put each in the place of that field's value rules: one body's issues then come in the contract's
/// order, and pages calling the services get exactly the API's words.
/// </summary>
public static class HoldValidation
{
    public const int MaxItems = 100;
    public const int ReasonMin = 10;
    public const int ReasonMax = 500;
    public const int UomMax = 20;
    public const int NotesMax = 500;
    public const int ReleaseNotesMax = 1000;
    public const int SerialMax = 100;
    public const string InvalidData = "Invalid request data";

    public static Result<ValidHold> Create(CreateHoldRequest request) => Create(request, []);

    internal static Result<ValidHold> Create(CreateHoldRequest request, IReadOnlyList<FieldIssue> typeIssues)
    {
        var checks = new Checks();
        var types = new TypeIssues(checks, typeIssues);
        var reason = types.Take("reason") ? null : checks.Text(P("reason"), request.Reason, ReasonMin, ReasonMax);
        var holdType = types.Take("hold_type") ? null : checks.OneOf(P("hold_type"), request.HoldType, HoldTypes.All);
        var priority = types.Take("priority") ? null
            : request.Priority is null ? HoldPriorities.Medium : checks.OneOf(P("priority"), request.Priority, HoldPriorities.All);

        var items = new List<ValidHoldItem>();
        if (types.Take("items"))
        {
        }
        else if (request.Items is null)
        {
            checks.Add(TypeIssue(P("items"), "array", "undefined"));
        }
        else if (request.Items.Count < 1)
        {
            checks.Add(new FieldIssue(P("items"), "Array must contain at least 1 element(s)", "too_small", Bound("minimum", 1, "array")));
        }
        else if (request.Items.Count > MaxItems)
        {
            // The request is refused whatever its items say; checking 10,000 of them would only make the answer huge.
            checks.Add(new FieldIssue(P("items"), $"Array must contain at most {MaxItems} element(s)", "too_big", Bound("maximum", MaxItems, "array")));
        }
        else
        {
            for (var index = 0; index < request.Items.Count; index++)
            {
                if (Item(checks, types, request.Items[index], index) is { } item) items.Add(item);
            }
            var seen = new Dictionary<string, int>();
            foreach (var item in items)
            {
                if (!seen.TryAdd(item.Key, item.Index)) checks.Add(Duplicate(item.Index, seen[item.Key]));
            }
        }
        types.Rest();

        if (checks.Failed) return checks.ToError(InvalidData);
        return new ValidHold(reason!, holdType!, priority!, items);
    }

    /// <summary>The issue of an item that names what an earlier item of the same request already names.</summary>
    public static FieldIssue Duplicate(int index, int first) =>
        new(P("items", index), $"Duplicate item: items[{first}] already holds this reference_type and reference_id",
            "custom", new Dictionary<string, object?> { ["params"] = new Dictionary<string, object?> { ["code"] = "DUPLICATE_ITEM", ["duplicate_of"] = first } });

    public static Result<(string Disposition, string? ReleaseNotes)> Release(ReleaseHoldRequest request) => Release(request, []);

    internal static Result<(string Disposition, string? ReleaseNotes)> Release(ReleaseHoldRequest request, IReadOnlyList<FieldIssue> typeIssues)
    {
        var checks = new Checks();
        var types = new TypeIssues(checks, typeIssues);
        var disposition = types.Take("disposition") ? null : checks.OneOf(P("disposition"), request.Disposition, Dispositions.All);
        var notes = types.Take("release_notes") ? null : checks.OptionalText(P("release_notes"), request.ReleaseNotes, ReleaseNotesMax);
        types.Rest();
        if (checks.Failed) return checks.ToError(InvalidData);
        return (disposition!, string.IsNullOrEmpty(notes) ? null : notes);
    }

    /// <summary>
    /// The extension's per-item dispositions: each key an item id (a UUID), each value a disposition. Whether the ids are
    /// items of the hold is the release's check (it has the items).
    /// </summary>
    public static Result<IReadOnlyDictionary<Guid, string>> ItemDispositions(ReleaseHoldRequest request)
    {
        var result = new Dictionary<Guid, string>();
        if (request.ItemDispositions is null) return result;
        var checks = new Checks();
        foreach (var (key, value) in request.ItemDispositions)
        {
            var path = P("item_dispositions", key);
            if (!Guid.TryParse(key, out var itemId))
            {
                checks.Add(new FieldIssue(path, "Invalid uuid: item_dispositions are keyed by the hold item's id", "invalid_string"));
                continue;
            }
            if (checks.OneOf(path, value, Dispositions.All) is { } disposition && !result.TryAdd(itemId, disposition))
            {
                checks.Add(path, "This item is given a disposition twice");
            }
        }
        if (checks.Failed) return checks.ToError(InvalidData);
        return result;
    }

    private static ValidHoldItem? Item(Checks checks, TypeIssues types, CreateHoldItemRequest? item, int index)
    {
        if (types.Take("items", index)) return null;
        if (item is null)
        {
            checks.Add(TypeIssue(P("items", index), "object", "null"));
            return null;
        }
        var before = checks.Issues.Count;
        // "serial" is the extension: accepted, but the enum's words name only the documented types.
        var type = types.Take("items", index, "reference_type") ? null
            : item.ReferenceType == ReferenceTypes.Serial ? ReferenceTypes.Serial
            : checks.OneOf(P("items", index, "reference_type"), item.ReferenceType, ReferenceTypes.All);
        string? serial = null;
        Guid? id = null;
        if (types.Take("items", index, "reference_id"))
        {
        }
        else if (type == ReferenceTypes.Serial)
        {
            // A serial number (as printed, or a signed public code) or the serial's id, as everywhere a serial is named.
            serial = checks.Text(P("items", index, "reference_id"), item.ReferenceId, 1, SerialMax);
            id = Guid.Empty;
        }
        else
        {
            id = checks.Uuid(P("items", index, "reference_id"), item.ReferenceId, v4Only: true);
        }
        var quantity = types.Take("items", index, "quantity_held") ? null : Quantity(checks, P("items", index, "quantity_held"), item.QuantityHeld);
        var uom = types.Take("items", index, "uom") ? null : checks.OptionalText(P("items", index, "uom"), item.Uom, UomMax);
        var notes = types.Take("items", index, "notes") ? null : checks.OptionalText(P("items", index, "notes"), item.Notes, NotesMax);

        if (checks.Issues.Count > before) return null;
        return new ValidHoldItem(index, type!, id!.Value, quantity, string.IsNullOrEmpty(uom) ? null : uom, string.IsNullOrEmpty(notes) ? null : notes, serial);
    }

    private static double? Quantity(Checks checks, object[] path, double? value)
    {
        if (value is { } number && !double.IsFinite(number))
        {
            checks.Add(new FieldIssue(path, "Number must be finite", "not_finite"));
            return null;
        }
        return checks.Positive(path, value);
    }

    /// <summary>zod's invalid_type issue: "Required" when the value is missing, else "Expected x, received y".</summary>
    public static FieldIssue TypeIssue(object[] path, string expected, string received) =>
        new(path, received == "undefined" ? "Required" : $"Expected {expected}, received {received}", "invalid_type",
            new Dictionary<string, object?> { ["expected"] = expected, ["received"] = received });

    /// <summary>How an enum is named in a type issue: <c>'a' | 'b'</c>.</summary>
    public static string Expected(IReadOnlyList<string> allowed) => string.Join(" | ", allowed.Select(a => $"'{a}'"));

    private static Dictionary<string, object?> Bound(string key, int value, string type) =>
        new() { [key] = value, ["type"] = type, ["inclusive"] = true, ["exact"] = false };

    internal static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A binder's type issues by path, each given out once in the place of its field's value rules.</summary>
    internal sealed class TypeIssues(Checks checks, IReadOnlyList<FieldIssue> issues)
    {
        private readonly List<FieldIssue> pending = [.. issues];

        public bool Take(params object[] path)
        {
            var field = new FieldIssue(path, "").Field;
            var at = pending.FindIndex(i => i.Field == field);
            if (at < 0) return false;
            checks.Add(pending[at]);
            pending.RemoveAt(at);
            return true;
        }

        /// <summary>Type issues no rule stood for (there should be none) still reach the caller.</summary>
        public void Rest()
        {
            foreach (var issue in pending) checks.Add(issue);
            pending.Clear();
        }
    }
}
