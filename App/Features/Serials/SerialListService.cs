using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// The serials list (<c>GET /api/serials</c>, the serials page): searched by number, filtered by part, work order and status;
/// and its export (<c>GET /api/serials/export</c>), the same filter and order without the page.
/// </summary>
public sealed class SerialListService(IDbContextFactory<OperatorDb> factory, TimeProvider time)
{
    /// <summary>The export's columns: the list item's JSON names, in its order.</summary>
    public static readonly IReadOnlyList<string> ExportHeader =
    [
        "id", "serialNumber", "status", "partId", "partNumber", "partName", "workOrderId", "workOrderNumber", "pathId", "pathCode",
        "currentStepIndex", "stepCount", "currentStepName", "createdAt", "completedAt",
    ];

    public async Task<Result<Page<SerialSummaryDto>>> ListAsync(SerialListQuery query, CancellationToken ct = default)
    {
        var filter = Check(query);
        if (filter is not null) return filter;
        await using var db = factory.CreateDbContext();
        return await Rows(db, query).ToPageAsync(new ListQuery(query.Search, query.Limit, query.Offset), ct);
    }

    /// <summary>Every serial the list shows for <paramref name="query"/> (its limit and offset aside), for a CSV download.</summary>
    public Result<CsvExport> Export(SerialListQuery query)
    {
        var unpaged = query with { Limit = null, Offset = null };
        if (Check(unpaged) is { } error) return error;
        var name = $"serials-{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.csv";
        return new CsvExport(name, ExportHeader, ExportRows(unpaged));
    }

    private async IAsyncEnumerable<IReadOnlyList<object?>> ExportRows(SerialListQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        await foreach (var s in Rows(db, query).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return [s.Id, s.SerialNumber, s.Status, s.PartId, s.PartNumber, s.PartName, s.WorkOrderId, s.WorkOrderNumber, s.PathId, s.PathCode,
                s.CurrentStepIndex, s.StepCount, s.CurrentStepName, s.CreatedAt, s.CompletedAt];
        }
    }

    private static Error? Check(SerialListQuery query)
    {
        var paging = new ListQuery(query.Search, query.Limit, query.Offset);
        var issues = paging.Validate()?.Issues.ToList() ?? [];
        if (query.Search is { } text && text.Any(char.IsControl)) issues.Add(new FieldIssue("search", "search must not contain control characters"));
        var status = string.IsNullOrWhiteSpace(query.Status) ? null : query.Status.Trim();
        if (status is not null && !SerialStatus.All.Contains(status))
        {
            issues.Add(new FieldIssue("status", $"status must be one of {string.Join(", ", SerialStatus.All)}"));
        }
        return issues.Count > 0 ? Error.Validation(string.Join("; ", issues.Select(i => i.Message)), issues) : null;
    }

    /// <summary>The filtered rows in the list's order; <see cref="Check"/> passed.</summary>
    private static IQueryable<SerialSummaryDto> Rows(OperatorDb db, SerialListQuery query)
    {
        var rows = db.Set<Serial>().AsNoTracking();
        if (query.PartId is { } pid) rows = rows.Where(s => s.PartId == pid);
        if (query.WorkOrderId is { } wid) rows = rows.Where(s => s.WorkOrderId == wid);
        if (!string.IsNullOrWhiteSpace(query.Status) && query.Status.Trim() is var status) rows = rows.Where(s => s.Status == status);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Case-insensitive and literal on both providers (lower() and instr/strpos, no LIKE wildcards).
            var lower = query.Search.Trim().ToLowerInvariant();
            rows = rows.Where(s => s.SerialNumber.ToLower().Contains(lower));
        }
        var steps = db.Set<ProcessStep>();
        return rows.OrderBy(s => s.SerialNumber).ThenBy(s => s.Id)
            .Select(s => new SerialSummaryDto(s.Id, s.SerialNumber, s.Status, s.PartId, s.Part!.Number, s.Part.Name, s.WorkOrderId,
                s.WorkOrder != null ? s.WorkOrder.Number : null, s.PathId, s.Path != null ? s.Path.Code : null, s.CurrentStepIndex,
                steps.Count(st => st.PathId == s.PathId),
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Name).FirstOrDefault(),
                s.CreatedAt, s.CompletedAt));
    }
}
