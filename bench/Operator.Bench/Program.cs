using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Operator.Bench;
using Operator.Bench.Generators;
using Operator.Infrastructure.Tenancy;
using Operator.Infrastructure.Data;

// Operator.Bench: fills a database with deterministic scale data for the load scenarios in bench/scenarios.
//   dotnet run -c Release --project bench/Operator.Bench -- generate --provider sqlite --connection "Data Source=bench/out/bench.db" --orgs 20 --seed 42

var generators = typeof(IGenerator).Assembly.GetTypes()
    .Where(t => typeof(IGenerator).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IGenerator)Activator.CreateInstance(t)!)
    .OrderBy(g => g.Order).ThenBy(g => g.Name, StringComparer.Ordinal)
    .ToList();

BenchOption[] runnerOptions =
[
    new("provider", "sqlite", "sqlite or postgres"),
    new("connection", null, "connection string (required), e.g. \"Data Source=bench/out/bench.db\" or \"Host=localhost;Database=operator_bench;Username=postgres\""),
    new("seed", "42", "random seed: the same seed and options give the same rows and ids"),
    new("now", "2026-01-01T00:00:00Z", "the instant timestamps are generated relative to"),
    new("batch-size", "5000", "rows per insert batch (one context and transaction each)"),
    new("insert", "fast", "fast (prepared INSERT on SQLite, binary COPY on PostgreSQL, model-driven) or ef (SaveChanges)"),
    new("reset", null, "flag: delete the database first (SQLite file or PostgreSQL database), then migrate"),
    new("skip", null, "comma-separated generator names to leave out (see help)"),
];

try
{
    var command = args.FirstOrDefault();
    if (command is null or "help" or "--help" or "-h")
    {
        PrintHelp();
        return command is null ? 1 : 0;
    }
    if (command != "generate")
    {
        throw new BenchUsageException($"Unknown command '{command}'.");
    }
    return await GenerateAsync(new BenchArgs(args.Skip(1)));
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("Run with 'help' for the options.");
    return 2;
}

async Task<int> GenerateAsync(BenchArgs a)
{
    var known = runnerOptions.Concat(generators.SelectMany(g => g.Options)).Select(o => o.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    var unknown = a.Names.Where(n => !known.Contains(n)).ToList();
    if (unknown.Count > 0) throw new BenchUsageException($"Unknown option(s): {string.Join(", ", unknown.Select(n => "--" + n))}.");

    var provider = a.String("provider", "sqlite")!.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        var other => throw new BenchUsageException($"--provider must be sqlite or postgres, got '{other}'."),
    };
    var connection = a.String("connection") ?? throw new BenchUsageException("--connection is required.");
    var seed = a.Int("seed", 42);
    var batchSize = Math.Max(1, a.Int("batch-size", 5000));
    if (!DateTime.TryParse(a.String("now", "2026-01-01T00:00:00Z"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var now))
    {
        throw new BenchUsageException("--now must be an ISO 8601 date or instant.");
    }
    now = DateTime.SpecifyKind(now, DateTimeKind.Utc);
    var skip = (a.String("skip") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    if (provider == DatabaseProvider.Sqlite)
    {
        var file = new SqliteConnectionStringBuilder(connection).DataSource;
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder) Directory.CreateDirectory(folder);
    }

    var total = Stopwatch.StartNew();
    var dbOptions = OperatorDbFactory.BuildOptions(provider, connection);
    var insert = a.String("insert", "fast")!.ToLowerInvariant();
    if (insert is not ("fast" or "ef")) throw new BenchUsageException($"--insert must be fast or ef, got '{insert}'.");
    var context = new GenerationContext(provider, dbOptions, a, seed, now, batchSize, useEf: insert == "ef");
    Console.WriteLine($"Operator.Bench generate: provider={provider} seed={seed} now={now:O} batch-size={batchSize} insert={insert}");

    await using (var db = context.CreateDb())
    {
        if (a.Flag("reset"))
        {
            Console.WriteLine("Deleting the database (--reset)...");
            await db.Database.EnsureDeletedAsync();
        }
        Console.WriteLine("Migrating...");
        if (provider == DatabaseProvider.Sqlite)
        {
            // The app asks for WAL at start as well; the mode is stored in the file.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        await db.Database.MigrateAsync();
        if (await db.Set<Organization>().AnyAsync(o => o.Code == OrganizationsGenerator.CodeFor(1)))
        {
            throw new BenchUsageException($"The database already holds bench data (organization {OrganizationsGenerator.CodeFor(1)}); use a fresh database or --reset.");
        }
    }

    foreach (var generator in generators)
    {
        if (skip.Contains(generator.Name) || skip.Contains(generator.GetType().Name))
        {
            Console.WriteLine($"[{generator.Name}] skipped");
            continue;
        }
        var watch = Stopwatch.StartNew();
        var before = context.Counts.Count;
        await generator.GenerateAsync(context);
        var rows = context.Counts.Skip(before).Sum(c => c.Rows);
        Console.WriteLine($"[{generator.Name}] {rows:N0} rows in {watch.Elapsed.TotalSeconds:F1} s");
    }

    await using (var db = context.CreateDb())
    {
        // Several generators write serials in bulk, past the app's insert paths: the per-day tallies the dashboard reads
        // are counted once from them here.
        var watch = Stopwatch.StartNew();
        await db.Database.ExecuteSqlRawAsync(Operator.Features.Serials.SerialDayTallies.RebuildSql(db));
        Console.WriteLine($"[serial day tallies] {watch.Elapsed.TotalSeconds:F1} s");
    }

    await using (var db = context.CreateDb())
    {
        var watch = Stopwatch.StartNew();
        if (provider == DatabaseProvider.Postgres)
        {
            // What autovacuum would do shortly after a bulk load; without it the first minutes plan on empty stats.
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE;");
            Console.WriteLine($"[vacuum analyze] {watch.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
            // The planner statistics the app also refreshes at start (SqliteStatistics), ready before the first request.
            await Operator.Infrastructure.Data.SqliteStatistics.AnalyzeAsync(db, default);
            Console.WriteLine($"[analyze] {watch.Elapsed.TotalSeconds:F1} s");
        }
    }

    Console.WriteLine();
    Console.WriteLine($"{"table",-28} {"rows",12} {"seconds",8} {"rows/s",10}");
    foreach (var (table, rows, elapsed) in context.Counts)
    {
        var rate = elapsed.TotalSeconds > 0 ? rows / elapsed.TotalSeconds : 0;
        Console.WriteLine($"{table,-28} {rows,12:N0} {elapsed.TotalSeconds,8:F1} {rate,10:N0}");
    }
    var sum = context.Counts.Sum(c => c.Rows);
    Console.WriteLine($"{"total",-28} {sum,12:N0} {total.Elapsed.TotalSeconds,8:F1} {sum / Math.Max(0.001, total.Elapsed.TotalSeconds),10:N0}");
    if (context.Organizations.Count > 0)
    {
        var first = context.Organizations[0];
        Console.WriteLine($"Sign in as admin@{first.EmailDomain} (organization {first.Code}) with password {OrganizationsGenerator.Password}.");
    }
    return 0;
}

void PrintHelp()
{
    Console.WriteLine("Usage: Operator.Bench generate --provider sqlite|postgres --connection \"<cs>\" [options]");
    Console.WriteLine();
    Console.WriteLine("Options:");
    foreach (var o in runnerOptions) PrintOption(o);
    foreach (var g in generators)
    {
        Console.WriteLine();
        Console.WriteLine($"Generator '{g.Name}' (order {g.Order}, {g.GetType().Name}):");
        foreach (var o in g.Options) PrintOption(o);
        if (g.Options.Count == 0) Console.WriteLine("  (no options)");
    }

    static void PrintOption(BenchOption o) =>
        Console.WriteLine($"  --{o.Name,-22} {o.Description}{(o.Default is null ? "" : $" [default {o.Default}]")}");
}
