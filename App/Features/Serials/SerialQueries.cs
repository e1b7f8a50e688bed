using Operator.Features.MasterData;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// The locks a serial's write takes inside its transaction, so what it read is still true when it commits (DESIGN rule 6).
/// PostgreSQL locks rows; SQLite's write transaction already holds the database's write lock from its start, so its
/// reads are current and no other writer runs until commit.
/// </summary>
public static class SerialQueries
{
    /// <summary>
    /// The unit itself (locked for update): a move and an attachment of the same unit run one after the other, so an
    /// attachment records the step the unit is at when it commits and a move never starts from a step another one left.
    /// </summary>
    public static Task LockUnitAsync(OperatorDb db, Guid serialId, CancellationToken ct) =>
        db.LockAsync<Serial>([serialId], RowLock.Update, ct);

    /// <summary>
    /// The work order and batch a hold would name (<c>FOR SHARE</c>), before the move reads their blocking holds: a hold
    /// create takes them for update (<see cref="Holds.HoldCommands"/>), so it either committed before this read and
    /// blocks the move, or waits until the move has committed.
    /// </summary>
    public static async Task LockHoldTargetsAsync(OperatorDb db, Guid? workOrderId, Guid? batchId, CancellationToken ct)
    {
        if (workOrderId is { } wo) await db.LockAsync<WorkOrder>([wo], RowLock.Share, ct);
        if (batchId is { } batch) await db.LockAsync<Batch>([batch], RowLock.Share, ct);
    }
}
