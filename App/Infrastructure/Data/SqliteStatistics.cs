using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Data;

/// <summary>
/// Keeps SQLite's planner statistics (sqlite_stat1) current. Without them SQLite cannot tell a selective index from an
/// unselective one, and with the tenant filter beside a key it often picks the organization index: at a million serials
/// that made the station's unit lookup 5-10x slower and a lineage walk read every link of the organization at each
/// level (seconds to minutes). PostgreSQL's autovacuum does the same on its own; SQLite has no such daemon, so the app
/// runs <c>ANALYZE</c> (sampling at most <see cref="AnalysisLimit"/> rows per index) when it starts on a database that
/// has no statistics yet, and then every <see cref="Interval"/>, as the data grows.
/// </summary>
public sealed class SqliteStatistics(DatabaseSettings settings, ILogger<SqliteStatistics> log) : BackgroundService
{
    public const int AnalysisLimit = 1000;
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    /// <summary>
    /// Samples every index of the database into sqlite_stat1 (also used by the bench generator), one table per
    /// statement: ANALYZE holds the write lock while it reads, and on a large database whose pages are not yet cached
    /// one ANALYZE of everything kept writers waiting for over a minute; table by table they wait a second at most.
    /// </summary>
    public static async Task AnalyzeAsync(OperatorDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync($"PRAGMA analysis_limit={AnalysisLimit};", ct);
        var tables = await db.Database.SqlQueryRaw<string>(
            """SELECT name AS "Value" FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND sql NOT LIKE 'CREATE VIRTUAL%'""").ToListAsync(ct);
        foreach (var table in tables)
        {
            await db.Database.ExecuteSqlRawAsync($"ANALYZE \"{table.Replace("\"", "\"\"")}\";", ct);
        }
    }

    /// <summary>Whether the database has statistics already (they are kept in the file, across restarts).</summary>
    private static async Task<bool> HasStatisticsAsync(OperatorDb db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM sqlite_master WHERE name = 'sqlite_stat1'""").SingleAsync(ct) > 0
        && await db.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM sqlite_stat1""").SingleAsync(ct) > 0;

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
                // At start only when the file has none yet; statistics from the last run serve until the next interval.
                if (first && await HasStatisticsAsync(db, stoppingToken)) continue;
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
