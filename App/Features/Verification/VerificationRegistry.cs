using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;

namespace Operator.Features.Verification;

/// <summary>A registry row as verification needs it: never a user column, never a note.</summary>
public sealed record RegistryEntry(
    object SerialKey, object OrganizationKey, object? PathKey, string Status, bool Consumed, string Scope, string Origin, string Visibility,
    DateTime CreatedAt, string Sku, string? ProductionType, string Privacy);

/// <summary>
/// The public verification's reads of the registry (the Serials table with its organization and part, and for the
/// standard privacy mode the unit's step history and path), as three hand-written parameterized queries on a plain
/// ADO.NET connection of the configured provider.
/// </summary>
/// <remarks>
/// Why not an <see cref="OperatorDb"/> like everywhere else: this is the one anonymous, high-volume endpoint, with a
/// throughput target against the bare endpoint (issue 7). Creating an EF Core context per request and running its
/// query pipeline cost several times the lookup itself in measurements here (EF context + LINQ ≈ 10×, context +
/// compiled query ≈ 4×, this ≈ 1× of a raw indexed lookup), and the context's tenant filter is switched off for this
/// lookup anyway. The SQL is the same for SQLite and PostgreSQL (quoted identifiers, LIMIT, boolean column as
/// predicate), connections come from each provider's own pool (the same pools EF Core uses), ids are passed back
/// exactly as the provider returned them (TEXT on SQLite, uuid on PostgreSQL), and the API tests run on both.
/// </remarks>
public sealed class VerificationRegistry(DatabaseSettings settings)
{
    private readonly DbProviderFactory _provider = settings.Provider == DatabaseProvider.Postgres ? NpgsqlFactory.Instance : SqliteFactory.Instance;
    private readonly string _connectionString = settings.Options.Extensions.OfType<RelationalOptionsExtension>().First().ConnectionString
        ?? throw new InvalidOperationException("The database has no connection string.");

    // Serials.SerialNumber is indexed (and (OrganizationId, SerialNumber)); the organization's code is unique. Two rows
    // may claim one number until the uniqueness feature resolves it: the first registered answers.
    private const string LookupSql = """
        SELECT s."Id", s."OrganizationId", s."PathId", s."Status", s."Consumed", s."Scope", s."Origin", s."Visibility", s."CreatedAt",
               p."Sku", p."ProductionType", o."VerificationPrivacy"
        FROM "Serials" AS s
        INNER JOIN "Organizations" AS o ON o."Id" = s."OrganizationId"
        INNER JOIN "Parts" AS p ON p."Id" = s."PartId" AND p."OrganizationId" = s."OrganizationId"
        WHERE s."SerialNumber" = @number AND o."Code" = @org AND p."PubliclyVerifiable" AND s."Visibility" = @visibility
        ORDER BY s."CreatedAt"
        LIMIT 1
        """;

    // Step names and times only: the history's user and note columns are never selected.
    private const string CompletedStepsSql = """
        SELECT e."StepName", e."At"
        FROM "SerialStepEvents" AS e
        WHERE e."SerialId" = @serial AND e."OrganizationId" = @org AND e."Event" = @event
        ORDER BY e."At", e."StepIndex"
        """;

    private const string PathStepsSql = """
        SELECT st."Name"
        FROM "ProcessSteps" AS st
        WHERE st."PathId" = @path AND st."OrganizationId" = @org
        ORDER BY st."Sequence"
        """;

    /// <summary>An open connection for one verification (a few statements at most).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = _provider.CreateConnection()!;
        connection.ConnectionString = _connectionString;
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>The public, verifiable serial of organization <paramref name="orgCode"/> carrying <paramref name="serialNumber"/>, or null.</summary>
    public async Task<RegistryEntry?> FindAsync(DbConnection connection, string serialNumber, string orgCode, CancellationToken ct)
    {
        await using var command = Command(connection, LookupSql, ("number", serialNumber), ("org", orgCode), ("visibility", SerialVisibility.Public));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new RegistryEntry(
            SerialKey: reader.GetValue(0),
            OrganizationKey: reader.GetValue(1),
            PathKey: reader.IsDBNull(2) ? null : reader.GetValue(2),
            Status: reader.GetString(3),
            Consumed: reader.GetBoolean(4),
            Scope: reader.GetString(5),
            Origin: reader.GetString(6),
            Visibility: reader.GetString(7),
            CreatedAt: Utc(reader.GetDateTime(8)),
            Sku: reader.GetString(9),
            ProductionType: reader.IsDBNull(10) ? null : reader.GetString(10),
            Privacy: reader.GetString(11));
    }

    /// <summary>The unit's completed steps in the order they were completed.</summary>
    public async Task<List<(string StepName, DateTime At)>> CompletedStepsAsync(DbConnection connection, RegistryEntry entry, CancellationToken ct)
    {
        await using var command = Command(connection, CompletedStepsSql, ("serial", entry.SerialKey), ("org", entry.OrganizationKey), ("event", StepEvents.Completed));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var steps = new List<(string, DateTime)>();
        while (await reader.ReadAsync(ct)) steps.Add((reader.GetString(0), Utc(reader.GetDateTime(1))));
        return steps;
    }

    /// <summary>The step names of the unit's process path, in order.</summary>
    public async Task<List<string>> PathStepsAsync(DbConnection connection, RegistryEntry entry, CancellationToken ct)
    {
        await using var command = Command(connection, PathStepsSql, ("path", entry.PathKey!), ("org", entry.OrganizationKey));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = new List<string>();
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    // Every timestamp is stored as UTC; SQLite hands it back unspecified (as OperatorDb's converter also notes).
    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
