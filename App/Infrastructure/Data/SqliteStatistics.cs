using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Data;

/// <summary>
/// Keeps SQLite's planner statistics (sqlite_stat1) current. Without them, or with sampled ones, SQLite cannot tell a
/// selective index from an unselective one, and with the tenant filter beside a key it picks the organization index:
/// at a million serials that made the station's unit lookup 5-10x slower, a lineage walk read every link of the
/// organization at each level (minutes), and the lineage report's facts read 1.5 million serials for 1,000 ids (2 s).
/// PostgreSQL's autovacuum keeps its statistics on its own; SQLite has no such daemon, so the app runs <c>ANALYZE</c>
/// when it starts on a database that has no statistics yet, and then every <see cref="Interval"/>, as the data grows.
/// </summary>
/// <remarks>
/// The analysis is exact, not sampled: <c>PRAGMA analysis_limit</c> was tried and estimated about 1,000 rows per
/// organization where there were 200,000, which brought the organization index back. Exact statistics of a database
/// of 2 million serials take 18 s on the 2-core machine, one table per statement, so writers wait at most for one
/// table (7 s for the largest) every six hours, never for the whole database.
/// </remarks>
public sealed class SqliteStatistics(DatabaseSettings settings, ILogger<SqliteStatistics> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    /// <summary>Analyzes every table into sqlite_stat1, one table per statement (also used by the bench generator).</summary>
    public static async Task AnalyzeAsync(OperatorDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var tables = await db.Database.SqlQueryRaw<string>(
            """SELECT name AS "Value" FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND sql NOT LIKE 'CREATE VIRTUAL%'""").ToListAsync(ct);
        foreach (var table in tables)
        {
            await AnalyzeTableAsync(db, table, ct);
        }
    }

    private static Task AnalyzeTableAsync(OperatorDb db, string table, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($"ANALYZE \"{table.Replace("\"", "\"\"")}\";", ct);

    /// <summary>Whether the database has statistics already (they are kept in the file, across restarts).</summary>
    private static async Task<bool> HasStatisticsAsync(OperatorDb db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM sqlite_master WHERE name = 'sqlite_stat1'""").SingleAsync(ct) > 0
        && await db.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM sqlite_stat1""").SingleAsync(ct) > 0;

    /// <summary>Tables with an index that has no statistics (only called once sqlite_stat1 exists).</summary>
    public static Task<List<string>> TablesWithIndexesNotAnalyzedAsync(OperatorDb db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<string>(
            """
            SELECT DISTINCT m.tbl_name AS "Value" FROM sqlite_master m
            WHERE m.type = 'index' AND m.tbl_name NOT LIKE 'sqlite%' AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.idx = m.name)
              AND EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = m.tbl_name)
            """).ToListAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Provider != DatabaseProvider.Sqlite) return;
        using var timer = new PeriodicTimer(Interval);
        var first = true;
        do
        {
            try
            {
                await using var db = OperatorDbFactory.Create(settings.Options, settings.Provider, FixedUser.Nobody);
                // At start only when the file has none yet; statistics from the last run serve until the next interval,
                // except for tables with an index the last run did not see (a migration added it): SQLite would take an
                // index without statistics for a very selective one (a new index on the organization and the last change
                // made the hold list read all of the organization's holds: 5 -> 200 ms).
                if (first && await HasStatisticsAsync(db, stoppingToken))
                {
                    foreach (var table in await TablesWithIndexesNotAnalyzedAsync(db, stoppingToken))
                    {
                        await AnalyzeTableAsync(db, table, stoppingToken);
                        log.LogInformation("SQLite statistics of {Table} added for its new index", table);
                    }
                    continue;
                }
                var watch = System.Diagnostics.Stopwatch.StartNew();
                await AnalyzeAsync(db, stoppingToken);
                log.LogInformation("SQLite statistics refreshed in {Milliseconds} ms", watch.ElapsedMilliseconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Statistics only steer plans; a failed refresh (a busy database) is retried at the next interval.
                log.LogWarning(e, "Refreshing SQLite statistics failed");
            }
            finally
            {
                first = false;
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
