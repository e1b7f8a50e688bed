using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Operator.Features.Holds;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// The unit view (<c>GET /api/serials/{id}</c>, the station's scan, the answer of a move): the serial with its part, work
/// order, batch and path; the path's steps; the attachments with certificate and user names; the step history with
/// user names; the serial's audit entries; and the active holds on its work order or batch. One command of six
/// statements, so one round trip to the database whatever the unit's history.
/// </summary>
/// <remarks>
/// <para>Why not six LINQ queries (as before): each paid EF Core's query pipeline and, on PostgreSQL, a round trip of its
/// own, and the holds came from a second context and connection; for a read of a few dozen indexed rows that overhead
/// was most of the request (figures in the README's benchmarks). The statements say what the LINQ queries said: every
/// table of an organization is read with the caller's organization, exactly as the context's filter would
/// (<see cref="OperatorDb"/>), and a caller without an organization finds nothing.</para>
/// <para>Each statement after the first finds the unit again from its number (the <c>unit</c> common table expression,
/// one index probe), so nothing waits for the first statement's answer. The unit is chosen as
/// <see cref="SerialService"/>'s matching rule chooses it; the blocking holds follow
/// <see cref="Operator.Features.Holds.BlockingHolds"/>'s rule (an active hold with an item naming the unit, its work order or its batch).</para>
/// <para>Where it runs: on PostgreSQL on the context's connection, where Npgsql's automatic preparation keeps the
/// statements prepared per connection (<see cref="OperatorDbFactory.WithAutoPrepare"/>). SQLite compiles the six
/// statements every time a new command runs them, which cost more than running them, so there the read borrows a
/// session: an open connection of its own with one command per form, compiled on first use and kept (as
/// <see cref="Verification.VerificationRegistry"/> does for public verification). At most a few sessions exist; a
/// read that finds none idle and the limit reached runs on the context's connection, compiled for once, rather
/// than wait. An idle session holds no transaction (the reader is disposed before it goes back), so it blocks no
/// checkpoint; a session whose read failed is closed, not returned. A read while the context has a transaction open
/// runs on the context's connection, so it sees that transaction's changes; a move reads its answer after committing.</para>
/// <para>Ids: SQLite stores them as upper-case text (as EF Core writes them), so they are bound as such; PostgreSQL
/// binds uuid. The audit trail names a serial by its id in lower-case text, the one provider-specific expression.</para>
/// </remarks>
public sealed class SerialUnitRead(DatabaseSettings settings) : IAsyncDisposable, IDisposable
{
    /// <summary>How the text names the unit; the three forms of <see cref="SerialService"/>'s matching, plus the id alone.</summary>
    public enum Form
    {
        /// <summary>Its id, when the caller already holds the unit (after a move).</summary>
        Id,
        /// <summary>A UUID: the id, or a serial number spelled as that UUID (as given or in upper case).</summary>
        IdOrNumber,
        /// <summary>A number already in upper case.</summary>
        Number,
        /// <summary>A number as given or in upper case.</summary>
        NumberOrUpper,
    }

    private static readonly Form[] Forms = Enum.GetValues<Form>();

    // One text per provider and form, built once.
    private static readonly Dictionary<(DatabaseProvider, Form), string> Commands =
        new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres }
            .SelectMany(p => Forms.Select(f => (p, f)))
            .ToDictionary(k => k, k => Build(k.Item1, k.Item2));

    // SQLite sessions: about two per core, as for verification; more would only queue on the cores.
    private readonly int _maxSessions = Math.Max(4, Environment.ProcessorCount * 2);
    private readonly ConcurrentQueue<Session> _idle = new();
    private int _sessions;
    private volatile bool _disposed;

    /// <summary>
    /// The unit <paramref name="term"/> names in the organization of <paramref name="db"/>'s caller, or null.
    /// <paramref name="upper"/> is the term in upper case and <paramref name="uuid"/> the term as a UUID
    /// (<see cref="Guid.Empty"/> when it is not one).
    /// </summary>
    public async Task<SerialDetailDto?> ReadAsync(OperatorDb db, Form form, string term, string upper, Guid uuid, CancellationToken ct)
    {
        if (db.TenantId is not { } org) return null;
        // Inside a transaction of the context the read must see its uncommitted changes, so it runs on its connection.
        if (settings.Provider == DatabaseProvider.Sqlite && db.Database.CurrentTransaction is null && !_disposed && Rent() is { } session)
        {
            var returned = false;
            try
            {
                var command = session.Commands[(int)form] ??= session.Create(Commands[(DatabaseProvider.Sqlite, form)]);
                var unit = await ExecuteAsync(command, DatabaseProvider.Sqlite, org, term, upper, uuid, ct);
                if (!_disposed)
                {
                    _idle.Enqueue(session);
                    returned = true;
                }
                return unit;
            }
            finally
            {
                if (!returned)
                {
                    Interlocked.Decrement(ref _sessions);
                    await session.DisposeAsync();
                }
            }
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = Commands[(settings.Provider, form)];
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var name in Session.Parameters) Add(command, name);
            return await ExecuteAsync(command, settings.Provider, org, term, upper, uuid, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<SerialDetailDto?> ExecuteAsync(DbCommand command, DatabaseProvider provider, Guid org, string term, string upper, Guid uuid,
        CancellationToken ct)
    {
        // In the order of Session.Parameters.
        command.Parameters[0].Value = Key(provider, org);
        command.Parameters[1].Value = Key(provider, uuid);
        command.Parameters[2].Value = term;
        command.Parameters[3].Value = upper;
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await MaterializeAsync(reader, ct);
    }

    // An idle session, or a new one while there are fewer than the limit; null when the limit is reached.
    private Session? Rent()
    {
        if (_idle.TryDequeue(out var idle)) return idle;
        if (Interlocked.Increment(ref _sessions) > _maxSessions)
        {
            Interlocked.Decrement(ref _sessions);
            return null;
        }
        var connection = new SqliteConnection(ConnectionString());
        try
        {
            connection.Open();
        }
        catch
        {
            Interlocked.Decrement(ref _sessions);
            connection.Dispose();
            throw;
        }
        return new Session(connection);
    }

    private string ConnectionString() =>
        settings.Options.Extensions.OfType<RelationalOptionsExtension>().First().ConnectionString
        ?? throw new InvalidOperationException("The database has no connection string.");

    private static void Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        command.Parameters.Add(parameter);
    }

    private static object Key(DatabaseProvider provider, Guid id) =>
        provider == DatabaseProvider.Postgres ? id : id.ToString().ToUpperInvariant();

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var session)) await session.DisposeAsync();
    }

    // A host disposed synchronously (some test hosts are) must not meet an async-only singleton.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>An open SQLite connection and its commands, one per form, each compiled on first use; one read at a time.</summary>
    private sealed class Session(SqliteConnection connection) : IAsyncDisposable
    {
        public static readonly string[] Parameters = ["org", "uuid", "term", "upper"];

        public readonly DbCommand?[] Commands = new DbCommand?[Forms.Length];

        public DbCommand Create(string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in Parameters) Add(command, name);
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in Commands)
            {
                if (command is not null) await command.DisposeAsync();
            }
            await connection.DisposeAsync();
        }
    }

    // ------------------------------------------------------------------ SQL

    private static string Build(DatabaseProvider provider, Form form)
    {
        // The same predicates and order as SerialService's matching, so each provider keeps the plan it had.
        var match = form switch
        {
            Form.Id => """s."Id" = @uuid""",
            Form.IdOrNumber => """(s."Id" = @uuid OR s."SerialNumber" = @term OR s."SerialNumber" = @upper)""",
            Form.Number => """s."SerialNumber" = @term""",
            _ => """(s."SerialNumber" = @term OR s."SerialNumber" = @upper)""",
        };
        var from = $"""
            FROM "Serials" AS s
            INNER JOIN "Parts" AS p ON p."Id" = s."PartId" AND p."OrganizationId" = @org
            """;
        var choose = $"""
            WHERE s."OrganizationId" = @org AND {match}
            ORDER BY CASE WHEN s."Id" = @uuid THEN 0 ELSE 1 END, CASE WHEN s."Status" = 'cancelled' THEN 1 ELSE 0 END,
                     CASE WHEN s."SerialNumber" = @term THEN 0 ELSE 1 END, s."CreatedAt"
            LIMIT 1
            """;
        var unit = $"""
            WITH "unit" AS (
            SELECT s."Id", s."PathId", s."WorkOrderId", s."BatchId"
            {from}
            {choose})
            """;
        var entity = provider == DatabaseProvider.Postgres ? """(SELECT CAST("Id" AS text) FROM "unit")""" : """(SELECT lower("Id") FROM "unit")""";
        string Holds(string type, string column) => $"""
            SELECT h."Id", h."HoldNumber", h."Priority", h."HoldType", h."Reason", i."ReferenceType", i."ReferenceDisplay", h."PriorityRank" AS "Rank", h."HeldAt" AS "HeldAt"
            FROM "QualityHoldItems" AS i
            INNER JOIN "QualityHolds" AS h ON h."Id" = i."HoldId" AND h."OrganizationId" = @org AND h."Status" = '{HoldStatuses.Active}'
            WHERE i."OrganizationId" = @org AND i."ReferenceType" = '{type}' AND i."ReferenceId" = (SELECT "{column}" FROM "unit")
            """;
        return $"""
            SELECT s."Id", s."SerialNumber", s."Status", s."CurrentStepIndex", s."Origin", s."ScrapReason", s."CancelReason", s."CreatedAt", s."CompletedAt", s."ScrappedAt", s."UpdatedAt",
                   p."Id", p."Number", p."Name", p."Sku", w."Id", w."Number", w."Status", b."Id", b."Number", pa."Id", pa."Code", pa."Name",
                   s."ScrapReasonCode", src."Label"
            {from}
            LEFT JOIN "ScrapReasonCodes" AS src ON src."OrganizationId" = @org AND src."Code" = s."ScrapReasonCode"
            LEFT JOIN "WorkOrders" AS w ON w."Id" = s."WorkOrderId" AND w."OrganizationId" = @org
            LEFT JOIN "Batches" AS b ON b."Id" = s."BatchId" AND b."OrganizationId" = @org
            LEFT JOIN "ProcessPaths" AS pa ON pa."Id" = s."PathId" AND pa."OrganizationId" = @org
            {choose};

            {unit}
            SELECT st."Id", st."Sequence", st."Code", st."Name"
            FROM "ProcessSteps" AS st
            WHERE st."PathId" = (SELECT "PathId" FROM "unit") AND st."OrganizationId" = @org
            ORDER BY st."Sequence";

            {unit}
            SELECT a."Id", a."StepId", c."Id", c."Number", c."Type", c."Issuer", a."AttachedAt", a."AttachedBy", usr."DisplayName"
            FROM "CertAttachments" AS a
            INNER JOIN "Certificates" AS c ON c."Id" = a."CertificateId" AND c."OrganizationId" = @org
            LEFT JOIN "AspNetUsers" AS usr ON usr."Id" = a."AttachedBy"
            WHERE a."SerialId" = (SELECT "Id" FROM "unit") AND a."OrganizationId" = @org
            ORDER BY a."AttachedAt", c."Number";

            {unit}
            SELECT e."StepId", e."StepIndex", e."StepName", e."Event", e."UserId", usr."DisplayName", e."At", e."Note"
            FROM "SerialStepEvents" AS e
            LEFT JOIN "AspNetUsers" AS usr ON usr."Id" = e."UserId"
            WHERE e."SerialId" = (SELECT "Id" FROM "unit") AND e."OrganizationId" = @org
            -- The events of one move share one time: at a step, started comes before completed or scrapped.
            ORDER BY e."At", e."StepIndex", CASE e."Event" WHEN 'started' THEN 0 WHEN 'completed' THEN 1 ELSE 2 END;

            {unit}
            SELECT a."Sequence", a."At", a."UserEmail", a."Action", a."After"
            FROM "AuditEntries" AS a
            WHERE a."OrganizationId" = @org AND a."EntityType" IN ('{SerialAudit.SerialEntity}', '{SerialAudit.LegacySerialEntity}') AND a."EntityId" = {entity}
            ORDER BY a."Sequence";

            {unit}
            {Holds(ReferenceTypes.WorkOrder, "WorkOrderId")}
            UNION ALL
            {Holds(ReferenceTypes.Batch, "BatchId")}
            UNION ALL
            {Holds(ReferenceTypes.Serial, "Id")}
            ORDER BY "Rank" DESC, "HeldAt";
            """;
    }

    // ------------------------------------------------------------------ rows

    private static async Task<SerialDetailDto?> MaterializeAsync(DbDataReader r, CancellationToken ct)
    {
        if (!await r.ReadAsync(ct)) return null;
        var id = r.GetGuid(0);
        var serialNumber = r.GetString(1);
        var status = r.GetString(2);
        var currentStepIndex = r.GetInt32(3);
        var origin = r.GetString(4);
        var scrapReason = NullableString(r, 5);
        var cancelReason = NullableString(r, 6);
        var createdAt = Utc(r.GetDateTime(7));
        var completedAt = NullableTime(r, 8);
        var scrappedAt = NullableTime(r, 9);
        var updatedAt = Utc(r.GetDateTime(10));
        var part = new SerialPartDto(r.GetGuid(11), r.GetString(12), r.GetString(13), r.GetString(14));
        var workOrder = r.IsDBNull(15) ? null : new SerialWorkOrderDto(r.GetGuid(15), r.GetString(16), r.GetString(17));
        var batch = r.IsDBNull(18) ? null : new SerialBatchDto(r.GetGuid(18), r.GetString(19));
        var path = r.IsDBNull(20) ? null : new SerialPathDto(r.GetGuid(20), r.GetString(21), r.GetString(22));
        var scrapReasonCode = NullableString(r, 23);
        var scrapReasonLabel = NullableString(r, 24);

        await r.NextResultAsync(ct);
        var steps = new List<(Guid Id, int Sequence, string Code, string Name)>();
        while (await r.ReadAsync(ct)) steps.Add((r.GetGuid(0), r.GetInt32(1), r.GetString(2), r.GetString(3)));

        await r.NextResultAsync(ct);
        var attachments = new List<(Guid StepId, StepAttachmentDto Dto)>();
        while (await r.ReadAsync(ct))
        {
            attachments.Add((r.GetGuid(1), new StepAttachmentDto(r.GetGuid(0), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetString(5),
                Utc(r.GetDateTime(6)), r.GetGuid(7), NullableString(r, 8) ?? "")));
        }

        await r.NextResultAsync(ct);
        var history = new List<StepEventDto>();
        while (await r.ReadAsync(ct))
        {
            history.Add(new StepEventDto(NullableGuid(r, 0), r.GetInt32(1), r.GetString(2), r.GetString(3), NullableGuid(r, 4), NullableString(r, 5),
                Utc(r.GetDateTime(6)), NullableString(r, 7)));
        }

        await r.NextResultAsync(ct);
        var audit = new List<SerialAuditDto>();
        while (await r.ReadAsync(ct))
        {
            var action = r.GetString(3);
            audit.Add(new SerialAuditDto(r.GetInt64(0), Utc(r.GetDateTime(1)), NullableString(r, 2), action, SerialAudit.Summarize(action, NullableString(r, 4))));
        }

        await r.NextResultAsync(ct);
        var holds = new List<SerialHoldDto>();
        while (await r.ReadAsync(ct))
        {
            var hold = new BlockingHold(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6));
            holds.Add(new SerialHoldDto(hold.HoldId, hold.HoldNumber, hold.Priority, hold.HoldType, hold.Reason, hold.ReferenceType, hold.ReferenceDisplay, hold.Message));
        }

        var completed = status == SerialStatus.Completed || currentStepIndex == Serial.CompletedStepIndex;
        var moving = status == SerialStatus.InProgress;
        string State(int sequence) =>
            completed || sequence < currentStepIndex ? "done"
            : sequence == currentStepIndex ? "current"
            : moving && sequence == currentStepIndex + 1 ? "next"
            : "pending";
        var stepDtos = steps.Select(st => new SerialStepDto(st.Id, st.Sequence, st.Code, st.Name, State(st.Sequence),
            attachments.Where(a => a.StepId == st.Id).Select(a => a.Dto).ToList())).ToList();
        var at = completed ? -1 : steps.FindIndex(st => st.Sequence == currentStepIndex);
        Guid? currentId = at < 0 ? null : steps[at].Id;
        var currentName = at < 0 ? null : steps[at].Name;

        return new SerialDetailDto(id, serialNumber, status, currentStepIndex, currentId, currentName, part, workOrder, batch, path,
            stepDtos, holds, history, audit, origin, scrapReason, cancelReason, createdAt, completedAt, scrappedAt, updatedAt,
            scrapReasonCode, scrapReasonLabel);
    }

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static Guid? NullableGuid(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetGuid(i);

    private static DateTime? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : Utc(r.GetDateTime(i));

    // Every timestamp is stored as UTC; SQLite hands it back unspecified (as OperatorDb's converter also notes).
    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
