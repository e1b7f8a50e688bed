using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>
/// <c>GET /api/quality/holds</c> and the holds page: filters, search, sort, page and aging. A search is answered from the
/// search index (<see cref="HoldSearchIndex"/>), counts without a date range or search from the tallies
/// (<see cref="HoldTallies"/>), and the SQLite planner hint and read by id come from <see cref="HoldQueries"/>.
/// </summary>
public sealed class HoldList(IDbContextFactory<OperatorDb> factory, TimeProvider time, HoldSearchIndex searchIndex)
{
    public async Task<Result<ListHoldsResponse>> ListAsync(HoldListQuery query, CancellationToken ct = default)
    {
        var parsed = HoldListParameters.Parse(query);
        if (!parsed.IsSuccess) return parsed.Error!;
        var f = parsed.Value;

        await using var db = factory.CreateDbContext();
        // A search is answered from the search index and the fields it keeps (HoldSearchIndex); the database then gives
        // the statuses it needs and the page's rows. Sorting by the last change, which the index does not keep, composes
        // the index's matches into the database query instead.
        var (total, page) = f.Search is { } search && f.SortField != "updated_at"
            ? await SearchPageAsync(db, search, f, ct)
            : await QueryPageAsync(db, f, ct);

        var now = time.GetUtcNow().UtcDateTime;
        var holds = page.Select(h =>
        {
            var (hours, aging) = HoldAging.Compute(h.Priority, h.HeldAt, h.ReleasedAt ?? h.DisposedAt, now);
            return new HoldSummaryDto(h.Id, h.HoldNumber, h.Status, h.Priority, h.HoldType, Shorten(h.Reason), h.ItemsCount,
                new HoldUserDto(h.HeldById, h.HeldByName, h.HeldByEmail ?? ""), h.HeldAt, hours, aging);
        }).ToList();

        var pages = (int)Math.Ceiling(total / (double)f.Limit);
        return new ListHoldsResponse(holds,
            new PaginationDto(total, f.Limit, f.Offset, pages, f.Offset + f.Limit < total, f.Offset > 0),
            new FiltersAppliedDto(f.Statuses, f.Priorities, f.HoldTypes, new DateRangeDto(f.FromText, f.ToText), f.Search));
    }

    private static IQueryable<QualityHold> Filter(IQueryable<QualityHold> rows, HoldListFilter f, List<int>? ranks, bool orderedScan)
    {
        // The stored rank says the same as the priority and is in the list's indexes.
        if (f.Statuses is { } statuses) rows = rows.WhereIn(HoldQueries.StatusColumn(orderedScan), statuses);
        if (ranks is not null) rows = rows.WhereIn(HoldQueries.RankColumn(orderedScan), ranks);
        if (f.HoldTypes is { } types) rows = rows.WhereIn(h => h.HoldType, types);
        if (f.From is { } from) rows = rows.Where(h => h.HeldAt >= from);
        if (f.ToInclusive is { } to) rows = rows.Where(h => h.HeldAt <= to);
        if (f.ToExclusive is { } before) rows = rows.Where(h => h.HeldAt < before);
        return rows;
    }

    /// <summary>The export's columns: the list item's JSON names, the user's fields under <c>held_by.</c>.</summary>
    public static readonly IReadOnlyList<string> ExportHeader =
        ["id", "hold_number", "status", "priority", "hold_type", "reason", "items_count", "held_by.id", "held_by.name", "held_by.email", "held_at", "aging_hours", "aging_status"];

    /// <summary>
    /// <c>GET /api/quality/holds/export</c>: every hold the list shows for <paramref name="query"/> (its limit and offset
    /// aside), in the list's order, as the list's rows, for a CSV download.
    /// </summary>
    public Result<CsvExport> Export(HoldListQuery query)
    {
        var parsed = HoldListParameters.Parse(query with { Limit = null, Offset = null });
        if (!parsed.IsSuccess) return parsed.Error!;
        var now = time.GetUtcNow().UtcDateTime;
        return new CsvExport($"holds-{now:yyyyMMdd-HHmmss}.csv", ExportHeader, ExportRows(parsed.Value, now));
    }

    private async IAsyncEnumerable<IReadOnlyList<object?>> ExportRows(HoldListFilter f, DateTime now, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var rows = db.Set<QualityHold>().AsNoTracking();
        if (f.Search is { } search) rows = HoldQueries.ById(db, (await searchIndex.FindAsync(db, search, ct)).Select(e => e.Id).ToList());
        rows = Filter(rows, f, f.Priorities?.Select(HoldPriorities.Rank).ToList(), orderedScan: false);
        await foreach (var h in ToRows(HoldListOrder.Apply(rows, f.SortField, f.Descending)).AsAsyncEnumerable().WithCancellation(ct))
        {
            var (hours, aging) = HoldAging.Compute(h.Priority, h.HeldAt, h.ReleasedAt ?? h.DisposedAt, now);
            yield return [h.Id, h.HoldNumber, h.Status, h.Priority, h.HoldType, Shorten(h.Reason), h.ItemsCount, h.HeldById, h.HeldByName, h.HeldByEmail ?? "",
                h.HeldAt, hours, aging];
        }
    }

    /// <summary>The list's reason: at most 100 characters, the last three "..." when the text was cut.</summary>
    public static string Shorten(string reason) => reason.Length <= 100 ? reason : reason[..97].TrimEnd() + "...";

    /// <summary>What a list row shows of a hold.</summary>
    private sealed record ListRow(
        Guid Id, string HoldNumber, string Status, string Priority, string HoldType, string Reason, int ItemsCount, Guid HeldById,
        string HeldByName, string? HeldByEmail, DateTime HeldAt, DateTime? ReleasedAt, DateTime? DisposedAt);

    private static IQueryable<ListRow> ToRows(IQueryable<QualityHold> holds) => holds.Select(h => new ListRow(
        h.Id, h.HoldNumber, h.Status, h.Priority, h.HoldType, h.Reason, h.ItemsCount, h.HeldById,
        h.HeldBy!.DisplayName, h.HeldBy.Email, h.HeldAt, h.ReleasedAt, h.DisposedAt));

    /// <summary>
    /// A search: the index's matches filtered, counted and sorted in memory on the fields it keeps, then the page's rows
    /// read by id.
    /// </summary>
    private async Task<(int Total, List<ListRow> Page)> SearchPageAsync(OperatorDb db, string search, HoldListFilter f, CancellationToken ct)
    {
        IEnumerable<HoldSearchEntry> matching = await searchIndex.FindAsync(db, search, ct);
        if (f.Statuses is { } statuses) matching = matching.Where(e => statuses.Contains(e.Status));
        var ranks = f.Priorities?.Select(HoldPriorities.Rank).ToHashSet();
        if (ranks is not null) matching = matching.Where(e => ranks.Contains(e.PriorityRank));
        if (f.HoldTypes is { } types) matching = matching.Where(e => types.Contains(e.HoldType));
        if (f.From is { } from) matching = matching.Where(e => e.HeldAt >= from);
        if (f.ToInclusive is { } to) matching = matching.Where(e => e.HeldAt <= to);
        if (f.ToExclusive is { } before) matching = matching.Where(e => e.HeldAt < before);
        var candidates = matching.ToList();
        if (f.Offset >= candidates.Count) return (candidates.Count, []);

        var sorted = HoldListOrder.Top(candidates, f.Offset + f.Limit, HoldListOrder.Comparison(f.SortField, f.Descending));
        var ids = sorted.Skip(f.Offset).Select(e => e.Id).ToList();
        var rows = await ToRows(HoldQueries.ById(db, ids)).ToDictionaryAsync(r => r.Id, ct);
        // The page in the index's order; a row's other fields are as the database has them now.
        return (candidates.Count, ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList());
    }

    /// <summary>Every other list: filters, count and page from the database.</summary>
    private async Task<(int Total, List<ListRow> Page)> QueryPageAsync(OperatorDb db, HoldListFilter f, CancellationToken ct)
    {
        var rows = db.Set<QualityHold>().AsNoTracking();
        if (f.Search is { } search) rows = HoldQueries.ById(db, (await searchIndex.FindAsync(db, search, ct)).Select(e => e.Id).ToList());
        var ranks = f.Priorities?.Select(HoldPriorities.Rank).ToList();
        var dated = f.From is not null || f.ToInclusive is not null || f.ToExclusive is not null;
        // Without a search the tallies (HoldTallies) know how many holds match the status, priority and type filters: the
        // total when no date range applies, and what decides the SQLite read order below.
        int? tallied = f.Search is null ? await HoldTallies.CountAsync(db, f.Statuses, ranks, f.HoldTypes, ct) : null;
        var orderedScan = tallied is { } matching && f.SortField == "held_at" && (f.Statuses is not null || ranks is not null)
            && await HoldQueries.OrderedScanIsCheaperAsync(db, matching, f.Offset + f.Limit, ct);
        rows = Filter(rows, f, ranks, orderedScan);

        var total = tallied is { } count && !dated ? count : await rows.CountAsync(ct);
        var page = total == 0 || f.Offset >= total ? [] : await ToRows(HoldListOrder.Apply(rows, f.SortField, f.Descending).Skip(f.Offset).Take(f.Limit)).ToListAsync(ct);
        return (total, page);
    }
}
