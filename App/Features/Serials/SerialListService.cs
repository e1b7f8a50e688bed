using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>The serials list (<c>GET /api/serials</c>, the serials page): searched by number, filtered by part, work order and status.</summary>
public sealed class SerialListService(IDbContextFactory<OperatorDb> factory)
{
    public async Task<Result<Page<SerialSummaryDto>>> ListAsync(SerialListQuery query, CancellationToken ct = default)
    {
        var paging = new ListQuery(query.Search, query.Limit, query.Offset);
        var issues = paging.Validate()?.Issues.ToList() ?? [];
        var (partId, workOrderId) = (query.PartId, query.WorkOrderId);
        if (query.Search is { } text && text.Any(char.IsControl)) issues.Add(new FieldIssue("search", "search must not contain control characters"));
        var status = string.IsNullOrWhiteSpace(query.Status) ? null : query.Status.Trim();
        if (status is not null && !SerialStatus.All.Contains(status))
        {
            issues.Add(new FieldIssue("status", $"status must be one of {string.Join(", ", SerialStatus.All)}"));
        }
        if (issues.Count > 0)
        {
            return Error.Validation(string.Join("; ", issues.Select(i => i.Message)), issues);
        }

        await using var db = factory.CreateDbContext();
        var rows = db.Set<Serial>().AsNoTracking();
        if (partId is { } pid) rows = rows.Where(s => s.PartId == pid);
        if (workOrderId is { } wid) rows = rows.Where(s => s.WorkOrderId == wid);
        if (status is not null) rows = rows.Where(s => s.Status == status);
        if (paging.Term is { } term)
        {
            // Case-insensitive and literal on both providers (lower() and instr/strpos, no LIKE wildcards).
            var lower = term.ToLowerInvariant();
            rows = rows.Where(s => s.SerialNumber.ToLower().Contains(lower));
        }
        var steps = db.Set<ProcessStep>();
        return await rows.OrderBy(s => s.SerialNumber).ThenBy(s => s.Id)
            .Select(s => new SerialSummaryDto(s.Id, s.SerialNumber, s.Status, s.PartId, s.Part!.Number, s.Part.Name, s.WorkOrderId,
                s.WorkOrder != null ? s.WorkOrder.Number : null, s.PathId, s.Path != null ? s.Path.Code : null, s.CurrentStepIndex,
                steps.Count(st => st.PathId == s.PathId),
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Name).FirstOrDefault(),
                s.CreatedAt, s.CompletedAt))
            .ToPageAsync(paging, ct);
    }
}
