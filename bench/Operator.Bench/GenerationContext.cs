using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Bench;

/// <summary>An organization the generator created, with what later generators need to address it.</summary>
public sealed record BenchOrganization(int Index, Guid Id, string Code, string EmailDomain);

/// <summary>
/// What every generator gets: the database, the options, reproducible randomness, the organizations made so far,
/// results other generators shared, the counters to write at the end, and a fast bulk insert.
/// </summary>
public sealed class GenerationContext(DatabaseProvider provider, DbContextOptions dbOptions, BenchArgs args, int seed, DateTime now, int batchSize, bool useEf)
{
    private readonly Dictionary<Type, object> _shared = [];
    private readonly Dictionary<(Guid Org, string Name), long> _counters = [];

    public DatabaseProvider Provider { get; } = provider;
    public BenchArgs Args { get; } = args;
    public int Seed { get; } = seed;

    /// <summary>The fixed "now" every timestamp is relative to (<c>--now</c>), so the data does not depend on the clock.</summary>
    public DateTime Now { get; } = now;

    public int BatchSize { get; } = batchSize;
    public List<BenchOrganization> Organizations { get; } = [];

    /// <summary>Rows inserted per table, in insertion order, for the summary.</summary>
    public List<(string Table, long Rows, TimeSpan Elapsed)> Counts { get; } = [];

    public IReadOnlyDictionary<(Guid Org, string Name), long> CounterValues => _counters;

    /// <summary>A context that sees no tenant: the generator sets <c>OrganizationId</c> on every row itself.</summary>
    public OperatorDb CreateDb() => OperatorDbFactory.Create(dbOptions, Provider, FixedUser.Nobody);

    public Random RandomFor(string stream) => Streams.RandomFor(Seed, stream);

    public DeterministicIds IdsFor(string stream) => new(Seed, stream);

    /// <summary>Hands a generator's result (ids of what it made) to the generators that run after it.</summary>
    public void Share<T>(T value) where T : class => _shared[typeof(T)] = value;

    public T Shared<T>() where T : class =>
        _shared.TryGetValue(typeof(T), out var value)
            ? (T)value
            : throw new InvalidOperationException($"No generator has shared a {typeof(T).Name}; check the generators' Order.");

    public bool TryShared<T>(out T? value) where T : class
    {
        var found = _shared.TryGetValue(typeof(T), out var v);
        value = v as T;
        return found;
    }

    /// <summary>
    /// Records a per-organization counter (see <see cref="Counter"/>) as the last number handed out, so the app's
    /// next <c>NextAsync</c> continues after the generated rows. Written by <c>CountersGenerator</c> at the end.
    /// </summary>
    public void SetCounter(Guid organizationId, string name, long value) => _counters[(organizationId, name)] = value;

    /// <summary>
    /// Inserts rows in batches of <see cref="BatchSize"/>: a fresh context and one transaction per batch. Rows are
    /// enumerated lazily, so a generator can stream millions of them without holding them all. Each batch goes
    /// through <see cref="BulkInsert"/> (prepared INSERT on SQLite, binary COPY on PostgreSQL, about ten times
    /// faster) when it supports the entity type, else through SaveChanges with change detection off
    /// (<c>--insert ef</c> forces that for everything).
    /// </summary>
    public async Task<long> InsertAsync<T>(string table, IEnumerable<T> rows, CancellationToken ct = default) where T : class
    {
        var watch = Stopwatch.StartNew();
        long total = 0;
        foreach (var chunk in rows.Chunk(BatchSize))
        {
            await using var db = CreateDb();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await db.Database.OpenConnectionAsync(ct);
            if (Provider == DatabaseProvider.Sqlite)
            {
                // Generation is repeatable; durability of each batch is not worth an fsync.
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=OFF;", ct);
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
            if (!useEf && BulkInsert.Supports(entity))
            {
                await BulkInsert.WriteAsync(db, chunk, ct);
            }
            else
            {
                db.Set<T>().AddRange(chunk);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
            total += chunk.Length;
        }
        Counts.Add((table, total, watch.Elapsed));
        return total;
    }

    public static void Log(string message) => Console.WriteLine($"  {message}");
}
