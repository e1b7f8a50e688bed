using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Operator.Infrastructure.Data;

/// <summary>One fixed window of one rate-limited caller: how many requests it made in the window ending at <see cref="ResetAt"/>.</summary>
public sealed class RateLimitCounter
{
    public required string Key { get; set; }

    /// <summary>End of the counted window, Unix seconds.</summary>
    public long ResetAt { get; set; }

    public int Count { get; set; }
}

internal sealed class RateLimitCounterConfiguration : IEntityTypeConfiguration<RateLimitCounter>
{
    public void Configure(EntityTypeBuilder<RateLimitCounter> b)
    {
        b.ToTable("RateLimitCounters");
        b.HasKey(c => c.Key);
        b.Property(c => c.Key).HasMaxLength(200);
        // The sweep deletes ended windows by it; ResetAt changes once per window, so most updates stay index-free.
        b.HasIndex(c => c.ResetAt);
    }
}

/// <summary>What a rate limit answered: whether the request may proceed, what is left of the window and when it ends.</summary>
public readonly record struct RateDecision(bool Allowed, int Remaining, DateTimeOffset Reset);

/// <summary>
/// Fixed-window request counters shared by every app instance through the database (PostgreSQL), so N instances
/// together allow exactly the limit, not N times it; on SQLite, whose file one process owns, in that process. Each counted request is one atomic upsert (insert the key's row, or add one to
/// it, or start it over when its window has ended) that returns the new count; the database serializes concurrent
/// upserts of one key on its row, so at the boundary exactly the limit gets through.
/// </summary>
/// <remarks>
/// Once an instance has seen a key's window spent, it refuses that key's further requests in the same window without
/// asking the database: they would be refused anyway (counts only grow within a window), so this costs no exactness
/// and keeps a flood of refused requests away from the database. Windows are aligned to the clock (UTC), so every
/// instance agrees on them; an instance whose clock lags behind counts into the newer window another has started.
/// Ended windows are deleted by whichever instance sweeps first, at most once a minute per instance.
/// </remarks>
public sealed class RateLimitCounters(DatabaseSettings settings, TimeProvider time, ILogger<RateLimitCounters> log)
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private const string UpsertSql = """
        INSERT INTO "RateLimitCounters" AS c ("Key", "ResetAt", "Count") VALUES (@key, @reset, 1)
        ON CONFLICT ("Key") DO UPDATE SET
            "Count" = CASE WHEN c."ResetAt" < excluded."ResetAt" THEN 1 ELSE c."Count" + 1 END,
            "ResetAt" = CASE WHEN c."ResetAt" < excluded."ResetAt" THEN excluded."ResetAt" ELSE c."ResetAt" END
        RETURNING "Count", "ResetAt"
        """;

    private readonly DbProviderFactory _provider = settings.Provider == DatabaseProvider.Postgres
        ? Npgsql.NpgsqlFactory.Instance
        : Microsoft.Data.Sqlite.SqliteFactory.Instance;

    private readonly string _connectionString = CountersConnection(settings);

    /// <summary>
    /// A count is worth less than a business row: PostgreSQL commits it without waiting for the WAL flush (its own pool,
    /// through the session option). Concurrency stays exact (the row
    /// lock still orders the upserts); a crash of the database may forget the last fraction of a second of counts,
    /// which at worst lets that many requests through again.
    /// </summary>
    private static string CountersConnection(DatabaseSettings settings)
    {
        var connection = RelationalOptionsExtension.Extract(settings.Options).ConnectionString
            ?? throw new InvalidOperationException("The database options carry no connection string.");
        if (settings.Provider != DatabaseProvider.Postgres)
        {
            return connection;
        }
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        return builder.ConnectionString;
    }


    /// <summary>Keys whose current window this instance has seen spent, with that window's end.</summary>
    private readonly ConcurrentDictionary<string, long> _spent = new();

    /// <summary>SQLite only: the windows, counted in this process.</summary>
    private readonly ConcurrentDictionary<string, LocalWindow>? _local = settings.Provider == DatabaseProvider.Postgres ? null : new();

    private long _nextSweep;

    /// <summary>Counts one request of <paramref name="key"/> against <paramref name="limit"/> per <paramref name="window"/>.</summary>
    public async ValueTask<RateDecision> AcquireAsync(string key, int limit, TimeSpan window, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var reset = new DateTimeOffset(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero) + window;
        var resetAt = reset.ToUnixTimeSeconds();
        if (_spent.TryGetValue(key, out var spentUntil) && spentUntil >= resetAt)
        {
            return new RateDecision(false, 0, DateTimeOffset.FromUnixTimeSeconds(spentUntil));
        }

        var (count, countedReset) = await CountAsync(key, resetAt, ct);
        if (count > limit)
        {
            _spent[key] = countedReset;
        }
        await SweepIfDueAsync(now, ct);
        return new RateDecision(count <= limit, Math.Max(0, limit - count), DateTimeOffset.FromUnixTimeSeconds(countedReset));
    }

    private async Task<(int Count, long ResetAt)> CountAsync(string key, long resetAt, CancellationToken ct)
    {
        if (_local is null)
        {
            return await UpsertAsync(key, resetAt, ct);
        }
        // A SQLite file belongs to one app process (README, "Running several instances"), so that process's memory is
        // the shared place: a write per verification would serialize every request behind SQLite's one writer.
        while (true)
        {
            var window = _local.GetOrAdd(key, static _ => new LocalWindow());
            lock (window)
            {
                // Swept between the lookup and the lock: count in the window that replaces it.
                if (window.Swept) continue;
                if (window.ResetAt < resetAt)
                {
                    window.ResetAt = resetAt;
                    window.Count = 0;
                }
                return (++window.Count, window.ResetAt);
            }
        }
    }

    private sealed class LocalWindow
    {
        public long ResetAt;
        public int Count;
        public bool Swept;
    }

    private async Task<(int Count, long ResetAt)> UpsertAsync(string key, long resetAt, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = UpsertSql;
        AddParameter(command, "@key", key);
        AddParameter(command, "@reset", resetAt);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(0), reader.GetInt64(1));
    }

    private async Task SweepIfDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweep, (now + SweepEvery).UtcTicks, due) != due)
        {
            return;
        }
        var nowSeconds = now.ToUnixTimeSeconds();
        foreach (var (key, until) in _spent)
        {
            if (until <= nowSeconds) _spent.TryRemove(new KeyValuePair<string, long>(key, until));
        }
        if (_local is not null)
        {
            foreach (var (key, window) in _local)
            {
                lock (window)
                {
                    if (window.ResetAt > nowSeconds) continue;
                    window.Swept = true;
                }
                _local.TryRemove(new KeyValuePair<string, LocalWindow>(key, window));
            }
            return;
        }
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = """DELETE FROM "RateLimitCounters" WHERE "ResetAt" <= @now""";
            AddParameter(command, "@now", nowSeconds);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (DbException e)
        {
            // Ended windows only take room; the next sweep (here or on another instance) removes them.
            log.LogWarning(e, "Deleting ended rate limit windows failed");
        }
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = _provider.CreateConnection()!;
        connection.ConnectionString = _connectionString;
        await connection.OpenAsync(ct);
        return connection;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
