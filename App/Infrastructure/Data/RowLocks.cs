using Microsoft.EntityFrameworkCore;

namespace Operator.Infrastructure.Data;

public enum RowLock
{
    /// <summary>The rows must not change until commit: other shares go on, writers and <see cref="Update"/> wait.</summary>
    Share,
    /// <summary>This transaction changes what depends on the rows: waits for every <see cref="Share"/> holder, and they for it.</summary>
    Update,
}

/// <summary>
/// Row locks for guards that read one table and write another (a hold on a work order and the move of its serials),
/// so the read is still true at commit. PostgreSQL: <c>FOR SHARE</c> / <c>FOR NO KEY UPDATE</c> (which leaves foreign
/// key checks of inserted children alone), taken in id order so two lockers never wait on each other crosswise.
/// SQLite: nothing to do, a write transaction holds the database's one write lock from its start (BEGIN IMMEDIATE).
/// </summary>
public static class RowLocks
{
    public static async Task LockAsync<TEntity>(this OperatorDb db, IReadOnlyCollection<Guid> ids, RowLock mode, CancellationToken ct) where TEntity : class
    {
        if (ids.Count == 0 || db.Database.IsSqlite()) return;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("A row lock lasts until commit: take it inside the write's transaction.");
        var table = db.Model.FindEntityType(typeof(TEntity))?.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped.");
        var clause = mode == RowLock.Share ? "FOR SHARE" : "FOR NO KEY UPDATE";
        await db.Database.ExecuteSqlRawAsync($$"""SELECT 1 FROM "{{table}}" WHERE "Id" = ANY({0}) ORDER BY "Id" {{clause}}""", [ids.Distinct().ToArray()], ct);
    }
}
