using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>What the station and the serials ask of holds: which active holds stop a work order's or batch's serials.</summary>
public sealed class BlockingHolds(IDbContextFactory<OperatorDb> factory)
{
    /// <summary>
    /// Active holds that name the work order or the batch: while there is one, serials of that work order or batch
    /// may not advance a step or complete. Most urgent first. For the serials feature (station and API).
    /// </summary>
    public async Task<IReadOnlyList<BlockingHold>> GetBlockingHoldsAsync(Guid? workOrderId, Guid? batchId, CancellationToken ct = default)
    {
        if (workOrderId is null && batchId is null) return [];
        await using var db = factory.CreateDbContext();
        return await GetBlockingHoldsAsync(db, workOrderId, batchId, ct);
    }

    /// <summary>
    /// The same, read through <paramref name="db"/>: a serial move calls it inside its own transaction, after locking what
    /// it moves, so a hold committed before the move's read blocks it (a hold create locks the work orders and batches it
    /// names, see <see cref="HoldQueries.LockReferencesAsync"/>).
    /// </summary>
    public static async Task<IReadOnlyList<BlockingHold>> GetBlockingHoldsAsync(OperatorDb db, Guid? workOrderId, Guid? batchId, CancellationToken ct = default)
    {
        if (workOrderId is null && batchId is null) return [];
        var wo = workOrderId ?? Guid.Empty;
        var batch = batchId ?? Guid.Empty;
        return await db.Set<QualityHoldItem>().AsNoTracking()
            .Where(i => (workOrderId != null && i.ReferenceType == ReferenceTypes.WorkOrder && i.ReferenceId == wo) ||
                        (batchId != null && i.ReferenceType == ReferenceTypes.Batch && i.ReferenceId == batch))
            .Join(db.Set<QualityHold>().Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id, (i, h) => new { i, h })
            .OrderByDescending(x => x.h.PriorityRank).ThenBy(x => x.h.HeldAt)
            .Select(x => new BlockingHold(x.h.Id, x.h.HoldNumber, x.h.Priority, x.h.HoldType, x.h.Reason, x.i.ReferenceType, x.i.ReferenceDisplay))
            .ToListAsync(ct);
    }
}
