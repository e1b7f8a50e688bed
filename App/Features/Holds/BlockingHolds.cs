using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>What the station and the serials ask of holds: which active holds stop a unit, its work order's or its batch's serials.</summary>
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
    public static Task<IReadOnlyList<BlockingHold>> GetBlockingHoldsAsync(OperatorDb db, Guid? workOrderId, Guid? batchId, CancellationToken ct = default) =>
        GetBlockingHoldsAsync(db, null, workOrderId, batchId, ct);

    /// <summary>
    /// Active holds that stop one unit: those naming the unit itself (the serial extension) and those naming its work
    /// order or batch. Read inside the caller's transaction after it locked the unit (a hold create locks the serials it
    /// names for update) and share-locked its work order and batch.
    /// </summary>
    public static async Task<IReadOnlyList<BlockingHold>> GetBlockingHoldsAsync(OperatorDb db, Guid? serialId, Guid? workOrderId, Guid? batchId, CancellationToken ct = default)
    {
        if (serialId is null && workOrderId is null && batchId is null) return [];
        var unit = serialId ?? Guid.Empty;
        var wo = workOrderId ?? Guid.Empty;
        var batch = batchId ?? Guid.Empty;
        return await db.Set<QualityHoldItem>().AsNoTracking()
            .Where(i => (serialId != null && i.ReferenceType == ReferenceTypes.Serial && i.ReferenceId == unit) ||
                        (workOrderId != null && i.ReferenceType == ReferenceTypes.WorkOrder && i.ReferenceId == wo) ||
                        (batchId != null && i.ReferenceType == ReferenceTypes.Batch && i.ReferenceId == batch))
            .Join(db.Set<QualityHold>().Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id, (i, h) => new { i, h })
            .OrderByDescending(x => x.h.PriorityRank).ThenBy(x => x.h.HeldAt)
            .Select(x => new BlockingHold(x.h.Id, x.h.HoldNumber, x.h.Priority, x.h.HoldType, x.h.Reason, x.i.ReferenceType, x.i.ReferenceDisplay))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The refusal of a unit's move or genealogy change while holds stop it, naming each hold and what it holds: one
    /// sentence for the station, the serials API and the serialization API alike.
    /// </summary>
    public static Error Refusal(string serialNumber, string verb, IReadOnlyList<BlockingHold> blocking)
    {
        var list = string.Join(", ", blocking.Select(h => $"{h.HoldNumber} ({HoldTypes.Label(h.HoldType).ToLowerInvariant()} on {h.ReferenceDisplay})"));
        var noun = blocking.Count == 1 ? "quality hold" : "quality holds";
        return Error.Conflict($"{serialNumber} cannot {verb}: blocked by {noun} {list}. It may move again once released.");
    }
}
