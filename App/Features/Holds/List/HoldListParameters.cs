using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Holds;

/// <summary>
/// The list query, typed: lists of filter values, the page as numbers. <see cref="From"/>/<see cref="To"/> stay text: a date
/// alone and a date-time mean different windows, and <c>filters_applied</c> repeats them as given.
/// </summary>
public sealed record HoldListQuery(
    IReadOnlyList<string>? Status = null,
    IReadOnlyList<string>? Priority = null,
    IReadOnlyList<string>? HoldType = null,
    string? From = null,
    string? To = null,
    string? Search = null,
    int? Limit = null,
    int? Offset = null,
    string? Sort = null);

/// <summary>
/// The list's query string as sent (<c>[AsParameters]</c>, so the OpenAPI document names every parameter): bound as text so
/// that nothing fails in the framework's binder, then typed here. A value that is no number is reported with the rules
/// of the other parameters, in the contract's shape, by the group's filter before the handler runs.
/// </summary>
public sealed class HoldListQueryString : IBoundRequest
{
    private Result<HoldListQuery>? bound;

    [FromQuery(Name = "status")] public string? Status { get; init; }
    [FromQuery(Name = "priority")] public string? Priority { get; init; }
    [FromQuery(Name = "hold_type")] public string? HoldType { get; init; }
    [FromQuery(Name = "from")] public string? From { get; init; }
    [FromQuery(Name = "to")] public string? To { get; init; }
    [FromQuery(Name = "search")] public string? Search { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "offset")] public string? Offset { get; init; }
    [FromQuery(Name = "sort")] public string? Sort { get; init; }

    public HoldListQuery Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<HoldListQuery> Bound => bound ??= Bind();

    private Result<HoldListQuery> Bind()
    {
        var checks = new Checks();
        var query = new HoldListQuery(Split(Status), Split(Priority), Split(HoldType), From, To, Search,
            Number(checks, "limit", Limit), Number(checks, "offset", Offset), Sort);
        return checks.Failed ? HoldListParameters.Parse(query, checks.Issues).Error! : query;
    }

    /// <summary>A comma list as sent; blank entries keep their place so that an issue's index is the one the caller wrote.</summary>
    private static List<string>? Split(string? text) => string.IsNullOrWhiteSpace(text) ? null : [.. text.Split(',').Select(v => v.Trim())];

    /// <summary>A whole number, else zod's type issue; a number beyond int's range is kept at its end, for the bounds to refuse.</summary>
    private static int? Number(Checks checks, string name, string? text)
    {
        if (text is null || text.Trim().Length == 0) return null;
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return (int)Math.Clamp(value, int.MinValue, int.MaxValue);
        }
        var received = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "float" : "nan";
        checks.Add(received == "float"
            ? new FieldIssue(P(name), "Expected integer, received float", "invalid_type", new Dictionary<string, object?> { ["expected"] = "integer", ["received"] = "float" })
            : HoldValidation.TypeIssue(P(name), "number", "nan"));
        return null;
    }
}

/// <summary>The list query after its rules: parsed comma lists, an inclusive date window, a sort, a page.</summary>
public sealed record HoldListFilter(
    IReadOnlyList<string>? Statuses,
    IReadOnlyList<string>? Priorities,
    IReadOnlyList<string>? HoldTypes,
    DateTime? From,
    DateTime? ToInclusive,
    DateTime? ToExclusive,
    string? FromText,
    string? ToText,
    string? Search,
    int Limit,
    int Offset,
    string SortField,
    bool Descending);

/// <summary>
/// Rules of <c>GET /api/quality/holds</c>: comma lists of known values (case-sensitive), ISO 8601 <c>from</c>/<c>to</c>
/// (a date alone covers its whole UTC day, so <c>to=2025-01-31</c> includes the 31st), <c>limit</c> 1-100 (20),
/// <c>offset</c> 0-1,000,000, <c>search</c> up to 500 characters, <c>sort</c> "field [ASC|DESC]" (default held_at DESC).
/// </summary>
public static partial class HoldListParameters
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxOffset = 1_000_000;
    public const int MaxSearch = 500;
    public const string InvalidParameters = "Invalid request parameters";

    /// <summary>Fields the list sorts by; an unsuffixed field sorts ascending, as in SQL.</summary>
    public static readonly IReadOnlyList<string> SortFields = ["held_at", "hold_number", "priority", "status", "hold_type", "items_count", "updated_at"];

    public static Result<HoldListFilter> Parse(HoldListQuery query) => Parse(query, []);

    /// <param name="typeIssues">What the query string's binder could not type (a limit that is no number), each reported in the place of its parameter's rules.</param>
    internal static Result<HoldListFilter> Parse(HoldListQuery query, IReadOnlyList<FieldIssue> typeIssues)
    {
        var checks = new Checks();
        var typeFailed = new HoldValidation.TypeIssues(checks, typeIssues);
        var statuses = List(checks, "status", query.Status, HoldStatuses.All);
        var priorities = List(checks, "priority", query.Priority, HoldPriorities.All);
        var types = List(checks, "hold_type", query.HoldType, Holds.HoldTypes.All);
        var (from, fromText, _) = Date(checks, "from", query.From, endOfDay: false);
        var (to, toText, toIsDate) = Date(checks, "to", query.To, endOfDay: true);
        if (from is not null && to is not null && to < from)
        {
            checks.Add(P("to"), "to must not be before from");
        }

        string? search = null;
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            search = checks.Text(P("search"), query.Search, 1, MaxSearch);
        }

        var limit = (typeFailed.Take("limit") ? null : checks.Range(P("limit"), query.Limit, 1, MaxLimit)) ?? DefaultLimit;
        var offset = (typeFailed.Take("offset") ? null : checks.Range(P("offset"), query.Offset, 0, MaxOffset)) ?? 0;

        var sortField = "held_at";
        var descending = true;
        if (!string.IsNullOrWhiteSpace(query.Sort))
        {
            var m = SortPattern().Match(query.Sort.Trim());
            if (!m.Success || !SortFields.Contains(m.Groups["field"].Value, StringComparer.Ordinal))
            {
                checks.Add(new FieldIssue(P("sort"),
                    $"Invalid sort. Expected one of {string.Join(", ", SortFields)}, optionally followed by ASC or DESC, received '{Clip(query.Sort)}'",
                    "invalid_enum_value", new Dictionary<string, object?> { ["options"] = SortFields, ["received"] = Clip(query.Sort) }));
            }
            else
            {
                sortField = m.Groups["field"].Value;
                descending = m.Groups["dir"].Success && m.Groups["dir"].Value.Equals("desc", StringComparison.OrdinalIgnoreCase);
            }
        }

        typeFailed.Rest();
        if (checks.Failed) return checks.ToError(InvalidParameters);
        return new HoldListFilter(statuses, priorities, types, from, toIsDate ? null : to, toIsDate ? to : null, fromText, toText, search, limit, offset, sortField, descending);
    }

    /// <summary>Known values only, each once; blank entries are skipped.</summary>
    private static List<string>? List(Checks checks, string name, IReadOnlyList<string>? parts, IReadOnlyList<string> allowed)
    {
        if (parts is null) return null;
        var values = new List<string>();
        for (var i = 0; i < parts.Count; i++)
        {
            var value = parts[i].Trim();
            if (value.Length == 0) continue;
            if (checks.OneOf(P(name, i), Clip(value), allowed) is { } ok && !values.Contains(ok)) values.Add(ok);
        }
        return values.Count == 0 ? null : values;
    }

    /// <summary>A date (its day's start, or for <c>to</c> the next day's start, used exclusively) or a date-time with an offset or Z.</summary>
    private static (DateTime? Value, string? Text, bool IsDate) Date(Checks checks, string name, string? text, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null, false);
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return (endOfDay ? start.AddDays(1) : start, trimmed, true);
        }
        if (IsoDateTime().IsMatch(trimmed) &&
            DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return (at.UtcDateTime, trimmed, false);
        }
        checks.Add(new FieldIssue(P(name), "Invalid datetime: use ISO 8601, such as 2025-01-31 or 2025-01-31T10:30:00Z", "invalid_string",
            new Dictionary<string, object?> { ["validation"] = "datetime" }));
        return (null, null, false);
    }

    /// <summary>Echoed values are clipped, so a megabyte of query text does not come back in the error.</summary>
    private static string Clip(string value) => value.Length <= 100 ? value : value[..100] + "…";

    [GeneratedRegex(@"^(?<field>[a-z_]+)(?:\s+(?<dir>asc|desc))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SortPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
