using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>
/// The holds feature's SQL where EF's translation is not enough or the providers differ: row locks for the commands,
/// the list's read of holds by id and its SQLite planner hint, and the cleanup of an old SQLite search table. Everything
/// else is EF.
/// </summary>
internal static class HoldQueries
{
    /// <summary>
    /// Locks the rows a new hold names, inside the caller's transaction and before anything about them is read: the
    /// license plates whose QA status it sets, and the work orders and batches whose serials it stops. A release or
    /// disposal of another hold on the same plate (<see cref="LockPlatesAsync"/>) then waits for this hold to commit and
    /// sees it, or this create waits for that one and reads the plate's status after it. Serial moves that read the
    /// blocking holds of a work order or batch under a share lock wait in the same way, and so do moves of a held unit
    /// (extension), which lock their unit for update before they read its holds.
    /// </summary>
    public static async Task LockReferencesAsync(OperatorDb db, IReadOnlyCollection<Guid> serials, IReadOnlyCollection<Guid> plates,
        IReadOnlyCollection<Guid> orders, IReadOnlyCollection<Guid> batches, CancellationToken ct)
    {
        // Tables in one order and ids sorted within each, as every locker here does, so two commands never wait on each other in a circle.
        // Serials first: a move locks its unit, then shares its work order and batch; a hold naming a unit and its work
        // order that took the work order first would wait on the move while the move waits on it.
        await LockAsync<Serials.Serial>(db, serials, ct);
        await LockAsync<LicensePlate>(db, plates, ct);
        await LockAsync<WorkOrder>(db, orders, ct);
        await LockAsync<Batch>(db, batches, ct);
    }

    /// <summary>
    /// Locks the license plates whose QA status a release or disposal is about to decide, before it reads which of them
    /// another active hold still holds; see <see cref="LockReferencesAsync"/>.
    /// </summary>
    public static Task LockPlatesAsync(OperatorDb db, IReadOnlyCollection<Guid> plates, CancellationToken ct) =>
        LockAsync<LicensePlate>(db, plates, ct);

    // FOR NO KEY UPDATE (RowLock.Update) conflicts with another command's lock and with a serial move's FOR SHARE, but
    // not with the key-share locks of inserts that reference the rows. SQLite: BEGIN IMMEDIATE already holds the write lock.
    private static Task LockAsync<T>(OperatorDb db, IReadOnlyCollection<Guid> ids, CancellationToken ct) where T : class =>
        db.LockAsync<T>(ids, RowLock.Update, ct);

    /// <summary>
    /// The holds with these ids, each found through the primary key. On SQLite the ids are joined in from json_each in
    /// that order (CROSS JOIN keeps it): given <c>"Id" IN (...)</c> with the organization filter, SQLite walked all of
    /// the organization's holds checking each against the list (1,700 ids: 70 ms).
    /// </summary>
    public static IQueryable<QualityHold> ById(OperatorDb db, IReadOnlyCollection<Guid> ids)
    {
        if (!db.Database.IsSqlite()) return db.Set<QualityHold>().AsNoTracking().Where(h => ids.Contains(h.Id));
        // EF stores a Guid on SQLite as upper-case text.
        var json = System.Text.Json.JsonSerializer.Serialize(ids.Select(id => id.ToString().ToUpperInvariant()));
        return db.Set<QualityHold>().FromSqlRaw("""SELECT h.* FROM json_each({0}) AS m CROSS JOIN "QualityHolds" AS h ON h."Id" = m.value""", json).AsNoTracking();
    }

    /// <summary>
    /// SQLite, a page by hold time with status or priority filters: whether reading the organization's holds in time
    /// order and skipping those that do not match finds the page sooner than collecting every match through the status
    /// and priority index and sorting them. SQLite's planner does not weigh the early stop of a LIMIT: with exact
    /// statistics it collected 33,000 matches of "active or released, critical or high" to sort them for a page of 50
    /// (66 ms at 100,000 holds), where the walk in time order reads about 150 holds (4 ms). The walk is chosen when it
    /// reads at most 5,000 holds to reach the end of the page; the list then keeps the status and priority columns out
    /// of index selection (<see cref="StatusColumn"/>, <see cref="RankColumn"/>), as the lineage walk does with a unary <c>+</c>.
    /// </summary>
    public static async Task<bool> OrderedScanIsCheaperAsync(OperatorDb db, int matching, int pageEnd, CancellationToken ct)
    {
        if (!db.Database.IsSqlite() || matching == 0) return false;
        var all = await HoldTallies.CountAsync(db, null, null, null, ct);
        return (long)pageEnd * all / matching <= 5_000;
    }

    /// <summary>The status column, kept out of SQLite's index choice (<c>|| ''</c>) when <paramref name="orderedScan"/>.</summary>
    public static Expression<Func<QualityHold, string>> StatusColumn(bool orderedScan) => orderedScan ? h => h.Status + "" : h => h.Status;

    /// <summary>The stored priority rank, kept out of SQLite's index choice (<c>+ 0</c>) when <paramref name="orderedScan"/>.</summary>
    public static Expression<Func<QualityHold, int>> RankColumn(bool orderedScan) => orderedScan ? h => h.PriorityRank + 0 : h => h.PriorityRank;

    /// <summary>
    /// Databases from before the in-memory search had an FTS5 trigram table fed by triggers on every hold insert (SQLite
    /// only); drops them so inserts stop paying for an index nothing reads.
    /// </summary>
    public static async Task DropLegacySearchAsync(OperatorDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return;
        var present = await db.Database.SqlQueryRaw<int>(
                "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name LIKE 'QualityHoldSearch%'")
            .SingleAsync(ct);
        if (present == 0) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var name in new[] { "insert", "update", "delete" })
        {
            await db.Database.ExecuteSqlRawAsync($"""DROP TRIGGER IF EXISTS "QualityHoldSearch_v1_{name}" """, ct);
        }
        await db.Database.ExecuteSqlRawAsync("""DROP TABLE IF EXISTS "QualityHoldSearch" """, ct);
        await db.Database.ExecuteSqlRawAsync("""DROP TABLE IF EXISTS "QualityHoldSearchOrgs" """, ct);
        await tx.CommitAsync(ct);
    }
}
