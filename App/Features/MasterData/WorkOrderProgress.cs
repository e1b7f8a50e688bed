using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.MasterData;

/// <summary>Units of a work order in progress at one step of its path.</summary>
public sealed record StepProgressDto(Guid StepId, int Sequence, string Code, string Name, int InProgress);

/// <summary>
/// Where a work order's units are. Planned is the order's quantity; inProgress is split by step in steps (every step
/// of the order's path, in order); completed, scrapped and cancelled are counted apart, so a scrapped unit is never
/// counted as done or as waiting at its step. notStarted is what is planned and not yet made into a unit (never below 0).
/// </summary>
public sealed record WorkOrderProgressDto(int Planned, int Serials, int NotStarted, int InProgress, IReadOnlyList<StepProgressDto> Steps,
    int Completed, int Scrapped, int Cancelled);

/// <summary>GET /api/work-orders/{id}: the work order's fields as in the list, then its progress.</summary>
public sealed record WorkOrderDetailDto(Guid Id, string Number, Guid PartId, string PartNumber, string PartName, Guid PathId, string PathCode,
    int Quantity, string Status, DateTime? DueAt, DateTime CreatedAt, WorkOrderProgressDto Progress);

/// <summary>One work order with its progress, for the API and the work order page alike.</summary>
public sealed class WorkOrderProgressService(IDbContextFactory<OperatorDb> factory, MasterDataService orders)
{
    public async Task<Result<WorkOrderDetailDto>> GetAsync(Guid id, CancellationToken ct = default)
    {
        var found = await orders.GetWorkOrderAsync(id, ct);
        if (!found.IsSuccess) return found.Error!;
        var w = found.Value;
        await using var db = factory.CreateDbContext();
        // One grouped count on the database: a work order may have thousands of units.
        var groups = await db.Set<Serial>().AsNoTracking()
            .Where(s => s.WorkOrderId == id)
            .GroupBy(s => new { s.Status, s.PathId, s.CurrentStepIndex })
            .Select(g => new { g.Key.Status, g.Key.PathId, g.Key.CurrentStepIndex, Count = g.Count() })
            .ToListAsync(ct);
        var steps = await db.Set<ProcessStep>().AsNoTracking().Where(s => s.PathId == w.PathId).OrderBy(s => s.Sequence)
            .Select(s => new { s.Id, s.Sequence, s.Code, s.Name }).ToListAsync(ct);
        int Count(string status) => groups.Where(g => g.Status == status).Sum(g => g.Count);
        var stepRows = steps.Select(s => new StepProgressDto(s.Id, s.Sequence, s.Code, s.Name,
            groups.Where(g => g.Status == SerialStatus.InProgress && g.PathId == w.PathId && g.CurrentStepIndex == s.Sequence).Sum(g => g.Count))).ToList();
        var (inProgress, completed, scrapped, cancelled) = (Count(SerialStatus.InProgress), Count(SerialStatus.Completed), Count(SerialStatus.Scrapped), Count(SerialStatus.Cancelled));
        var made = inProgress + completed + scrapped;
        var progress = new WorkOrderProgressDto(w.Quantity, made, Math.Max(0, w.Quantity - made), inProgress, stepRows, completed, scrapped, cancelled);
        return new WorkOrderDetailDto(w.Id, w.Number, w.PartId, w.PartNumber, w.PartName, w.PathId, w.PathCode, w.Quantity, w.Status, w.DueAt, w.CreatedAt, progress);
    }
}
