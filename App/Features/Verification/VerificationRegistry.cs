using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;

namespace Operator.Features.Verification;

/// <summary>
/// A registry row as verification needs it: never a user column, never a note. The organization's and the part's
/// names are for the verify page (a customer reads "Maison Atelier", not "MA01"); the API's body does not carry them.
/// </summary>
public sealed record RegistryEntry(
    object SerialKey, object OrganizationKey, object? PathKey, string Status, bool Consumed, string Scope, string Origin, string Visibility,
    DateTime CreatedAt, string Sku, string Privacy, string OrganizationName, string PartName);

/// <summary>
/// The public verification's reads of the registry (the Serials table with its organization and part, and for the
/// standard privacy mode the unit's step history and path), as hand-written parameterized queries on a plain ADO.NET
/// connection of the configured provider, prepared once per connection and kept in a small pool of sessions; on
/// PostgreSQL the lookups of concurrent requests are answered in batches (see <see cref="FindAsync"/>).
/// </summary>
/// <remarks>
/// <para>Why not an <see cref="OperatorDb"/> like everywhere else: this is the one anonymous, high-volume endpoint, with a
/// throughput target against the bare endpoint (issue 7). Creating an EF Core context per request and running its
/// query pipeline cost several times the lookup itself in measurements here (EF context + LINQ ≈ 10×, context +
/// compiled query ≈ 4×, this ≈ 1× of a raw indexed lookup), and the context's tenant filter is switched off for this
/// lookup anyway. The traceability SQL is the same for SQLite and PostgreSQL; the lookup is one code per statement on
/// SQLite (<see cref="LookupSql"/>) and a batch per statement on PostgreSQL (<see cref="BatchLookupSql"/>, the same
/// joins and filters over <c>unnest</c>). Ids are passed back exactly as the provider returned them (TEXT on SQLite,
/// uuid on PostgreSQL), and the API tests run on both.</para>
/// <para>Why sessions: SQLite compiles a statement each time a new command runs it, and for the three-table lookup
/// compiling took 80 µs of a 100 µs lookup (measured on the 2 M serial bench database). A <see cref="RegistrySession"/>
/// is an open connection whose commands are prepared on first use; a request borrows one and gives it back (see
/// <see cref="UseAsync"/>), so a statement is compiled once per connection instead of once per request. On PostgreSQL
/// the same keeps a server-side prepared statement per connection. An idle session holds no transaction (every reader is disposed before it goes
/// back), so it blocks neither SQLite's checkpoints nor PostgreSQL's vacuum. A session whose use failed is closed, not
/// returned, so a broken connection heals with the next request.</para>
/// </remarks>
public sealed class VerificationRegistry(DatabaseSettings settings) : IAsyncDisposable, IDisposable
{
    private readonly DbProviderFactory _provider = settings.Provider == DatabaseProvider.Postgres ? NpgsqlFactory.Instance : SqliteFactory.Instance;
    private readonly string _connectionString = ConnectionString(settings);

    // At most this many sessions exist; a request beyond them waits in the process for one to come back. SQLite runs
    // the query on the request's own thread, so more sessions than about two per core only queue on the cores: at 64
    // connections 4 sessions served 8,000-8,700 verifications/s where unbounded ones served 6,000-6,500 (2 cores). On
    // PostgreSQL sessions serve the batch loops and the standard mode's traceability reads.
    private readonly SemaphoreSlim _slots = new(settings.Provider == DatabaseProvider.Postgres ? 16 : Math.Max(4, Environment.ProcessorCount * 2));
    private readonly ConcurrentQueue<RegistrySession> _idle = new();
    private volatile bool _disposed;

    // Serials.SerialNumber is indexed (and (OrganizationId, SerialNumber)); the organization's code is unique. Two rows
    // may claim one number until the uniqueness feature resolves it: the first registered answers.
    internal const string LookupSql = """
        SELECT s."Id", s."OrganizationId", s."PathId", s."Status", s."Consumed", s."Scope", s."Origin", s."Visibility", s."CreatedAt",
               p."Sku", o."VerificationPrivacy", o."Name", p."Name"
        FROM "Serials" AS s
        INNER JOIN "Organizations" AS o ON o."Id" = s."OrganizationId"
        INNER JOIN "Parts" AS p ON p."Id" = s."PartId" AND p."OrganizationId" = s."OrganizationId"
        WHERE s."SerialNumber" = @number AND o."Code" = @org AND p."PubliclyVerifiable" AND s."Visibility" = @visibility
        ORDER BY s."CreatedAt"
        LIMIT 1
        """;

    // PostgreSQL, many codes in one statement: the lookup above for each (number, organization code) pair, the first
    // registered serial per number.
    internal const string BatchLookupSql = """
        SELECT DISTINCT ON (q."Number") q."Number", s."Id", s."OrganizationId", s."PathId", s."Status", s."Consumed", s."Scope", s."Origin", s."Visibility", s."CreatedAt",
               p."Sku", o."VerificationPrivacy", o."Name", p."Name"
        FROM unnest(@numbers, @orgs) AS q("Number", "Org")
        INNER JOIN "Serials" AS s ON s."SerialNumber" = q."Number"
        INNER JOIN "Organizations" AS o ON o."Id" = s."OrganizationId" AND o."Code" = q."Org"
        INNER JOIN "Parts" AS p ON p."Id" = s."PartId" AND p."OrganizationId" = s."OrganizationId"
        WHERE p."PubliclyVerifiable" AND s."Visibility" = @visibility
        ORDER BY q."Number", s."CreatedAt"
        """;

    // Step names and times only: the history's user and note columns are never selected.
    internal const string CompletedStepsSql = """
        SELECT e."StepName", e."At"
        FROM "SerialStepEvents" AS e
        WHERE e."SerialId" = @serial AND e."OrganizationId" = @org AND e."Event" = @event
        ORDER BY e."At", e."StepIndex"
        """;

    internal const string PathStepsSql = """
        SELECT st."Name"
        FROM "ProcessSteps" AS st
        WHERE st."PathId" = @path AND st."OrganizationId" = @org
        ORDER BY st."Sequence"
        """;

    // PostgreSQL: lookups wait here for the next batch. Two batch loops: one runs a statement while the other gathers
    // the next batch (on the 2-core bench machine four loops did worse than two, and one slightly worse).
    private const int BatchLoops = 2;
    private const int MaxBatch = 64;
    private readonly Channel<RegistryLookup> _lookups = Channel.CreateUnbounded<RegistryLookup>();
    private int _loopsStarted;

    /// <summary>
    /// The public, verifiable serial of organization <paramref name="orgCode"/> carrying <paramref name="serialNumber"/>,
    /// or null. SQLite: one lookup on a session. PostgreSQL: the lookup joins the next batch, and one statement answers
    /// every lookup that arrived while the previous one ran.
    /// </summary>
    /// <remarks>
    /// Why batches on PostgreSQL: there the lookup itself is cheap (0.05 ms in the server) and the round trip is not:
    /// a statement per verification cost the app and the server a write, a wake-up and a read each, and kept
    /// verification at 15-32 % of the bare endpoint's throughput at 64 connections. One statement for all the codes
    /// waiting (a few to a few dozen under load, one when idle, so a lone request does not wait for company) brought it
    /// to 38-50 % with a lower p99 (bench figures in the README).
    /// </remarks>
    public async Task<RegistryEntry?> FindAsync(string serialNumber, string orgCode, CancellationToken ct)
    {
        if (_provider != NpgsqlFactory.Instance)
        {
            return await UseAsync((session, token) => session.FindAsync(serialNumber, orgCode, token), ct);
        }
        if (Volatile.Read(ref _loopsStarted) == 0 && Interlocked.Exchange(ref _loopsStarted, 1) == 0)
        {
            for (var i = 0; i < BatchLoops; i++) _ = Task.Run(BatchLoopAsync);
        }
        // Continuations run on the thread pool, not on the batch loop that completes them.
        var lookup = new RegistryLookup(serialNumber, orgCode, new TaskCompletionSource<RegistryEntry?>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_lookups.Writer.TryWrite(lookup), this);
        return await lookup.Result.Task.WaitAsync(ct);
    }

    // Runs until the registry is disposed. A failed statement fails its batch's lookups (their requests answer 500 in
    // the spec's shape) and the loop goes on with a new session.
    private async Task BatchLoopAsync()
    {
        var batch = new List<RegistryLookup>(MaxBatch);
        while (await _lookups.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _lookups.Reader.TryRead(out var waiting)) batch.Add(waiting);
            if (batch.Count == 0) continue;
            try
            {
                var found = await UseAsync((session, token) => session.FindManyAsync(batch, token), CancellationToken.None);
                foreach (var lookup in batch) lookup.Result.TrySetResult(found.GetValueOrDefault(lookup.Number));
            }
            catch (Exception e)
            {
                foreach (var lookup in batch) lookup.Result.TrySetException(e);
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a session: an idle one when there is, else a newly opened connection, waiting
    /// while all sessions are busy. The session goes back when the work completes; after a failure or
    /// a cancellation it is closed instead, since its connection may be in any state.
    /// </summary>
    public async Task<T> UseAsync<T>(Func<RegistrySession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        RegistrySession? session = null;
        try
        {
            session = _idle.TryDequeue(out var idle) ? idle : await OpenAsync(ct);
            var result = await work(session, ct);
            if (_disposed)
            {
                await session.DisposeAsync();
            }
            else
            {
                _idle.Enqueue(session);
            }
            session = null;
            return result;
        }
        finally
        {
            if (session is not null) await session.DisposeAsync();
            _slots.Release();
        }
    }

    // PostgreSQL: the registry's own pool (its connection string differs from EF Core's by the multiplexing flag), in
    // multiplexing mode: every statement here is a read outside a transaction, the case multiplexing is made for, and it
    // writes concurrent statements to a connection in one go. With batches it kept p99 at 2.8 × bare's where plain
    // connections gave 3.6-4.3 × (64 connections, 2-core bench machine). Automatic preparation still applies.
    private static string ConnectionString(DatabaseSettings settings)
    {
        var connectionString = settings.Options.Extensions.OfType<RelationalOptionsExtension>().First().ConnectionString
            ?? throw new InvalidOperationException("The database has no connection string.");
        return settings.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnectionStringBuilder(connectionString) { Multiplexing = true }.ConnectionString
            : connectionString;
    }

    private async Task<RegistrySession> OpenAsync(CancellationToken ct)
    {
        var connection = _provider.CreateConnection()!;
        connection.ConnectionString = _connectionString;
        try
        {
            await connection.OpenAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new RegistrySession(connection);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _lookups.Writer.TryComplete();
        while (_idle.TryDequeue(out var session)) await session.DisposeAsync();
    }

    // A host disposed synchronously (some test hosts are) must not meet an async-only singleton.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>A lookup waiting for the next batch (PostgreSQL).</summary>
internal sealed record RegistryLookup(string Number, string OrgCode, TaskCompletionSource<RegistryEntry?> Result);

/// <summary>An open registry connection and its commands, each prepared on first use; one request at a time.</summary>
public sealed class RegistrySession(DbConnection connection) : IAsyncDisposable
{
    private DbCommand? _lookup;
    private DbCommand? _completedSteps;
    private DbCommand? _pathSteps;
    private DbCommand? _batchLookup;

    /// <summary>The public, verifiable serial of organization <paramref name="orgCode"/> carrying <paramref name="serialNumber"/>, or null.</summary>
    public async Task<RegistryEntry?> FindAsync(string serialNumber, string orgCode, CancellationToken ct)
    {
        var command = _lookup ??= Prepare(VerificationRegistry.LookupSql, "number", "org", "visibility");
        command.Parameters[0].Value = serialNumber;
        command.Parameters[1].Value = orgCode;
        command.Parameters[2].Value = SerialVisibility.Public;
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Entry(reader, 0) : null;
    }

    private static RegistryEntry Entry(DbDataReader reader, int at) => new(
        SerialKey: reader.GetValue(at),
        OrganizationKey: reader.GetValue(at + 1),
        PathKey: reader.IsDBNull(at + 2) ? null : reader.GetValue(at + 2),
        Status: reader.GetString(at + 3),
        Consumed: reader.GetBoolean(at + 4),
        Scope: reader.GetString(at + 5),
        Origin: reader.GetString(at + 6),
        Visibility: reader.GetString(at + 7),
        CreatedAt: Utc(reader.GetDateTime(at + 8)),
        Sku: reader.GetString(at + 9),
        Privacy: reader.GetString(at + 10),
        OrganizationName: reader.GetString(at + 11),
        PartName: reader.GetString(at + 12));

    /// <summary>Many lookups in one statement (PostgreSQL): the entry found for each number.</summary>
    internal async Task<Dictionary<string, RegistryEntry>> FindManyAsync(IReadOnlyList<RegistryLookup> batch, CancellationToken ct)
    {
        var command = _batchLookup ??= Prepare(VerificationRegistry.BatchLookupSql, "numbers", "orgs", "visibility");
        command.Parameters[0].Value = batch.Select(l => l.Number).ToArray();
        command.Parameters[1].Value = batch.Select(l => l.OrgCode).ToArray();
        command.Parameters[2].Value = SerialVisibility.Public;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = new Dictionary<string, RegistryEntry>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) found[reader.GetString(0)] = Entry(reader, 1);
        return found;
    }

    /// <summary>The unit's completed steps in the order they were completed.</summary>
    public async Task<List<(string StepName, DateTime At)>> CompletedStepsAsync(RegistryEntry entry, CancellationToken ct)
    {
        var command = _completedSteps ??= Prepare(VerificationRegistry.CompletedStepsSql, "serial", "org", "event");
        command.Parameters[0].Value = entry.SerialKey;
        command.Parameters[1].Value = entry.OrganizationKey;
        command.Parameters[2].Value = StepEvents.Completed;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var steps = new List<(string, DateTime)>();
        while (await reader.ReadAsync(ct)) steps.Add((reader.GetString(0), Utc(reader.GetDateTime(1))));
        return steps;
    }

    /// <summary>The step names of the unit's process path, in order.</summary>
    public async Task<List<string>> PathStepsAsync(RegistryEntry entry, CancellationToken ct)
    {
        var command = _pathSteps ??= Prepare(VerificationRegistry.PathStepsSql, "path", "org");
        command.Parameters[0].Value = entry.PathKey!;
        command.Parameters[1].Value = entry.OrganizationKey;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = new List<string>();
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _lookup, _completedSteps, _pathSteps, _batchLookup })
        {
            if (command is not null) await command.DisposeAsync();
        }
        await connection.DisposeAsync();
    }

    // The parameters' values change per use; their types do not (text, or the provider's id type), so one compiled
    // statement serves every later use. SQLite compiles on first execution and keeps the statement while the command
    // lives; Npgsql prepares it on the server by its automatic preparation, which the app switches on
    // (DatabaseSetup.WithAutoPrepare).
    private DbCommand Prepare(string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    // Every timestamp is stored as UTC; SQLite hands it back unspecified (as OperatorDb's converter also notes).
    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
