using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Chooses the provider from <c>Database:Provider</c> and <c>ConnectionStrings:Operator</c> and hands out one
/// context per operation. The options are built once; each context gets the caller of the current scope.
/// </summary>
public sealed class OperatorDbFactory(DbContextOptions options, DatabaseProvider provider, ICurrentUser currentUser) : IDbContextFactory<OperatorDb>
{
    public OperatorDb CreateDbContext() => Create(options, provider, currentUser);

    public static OperatorDb Create(DbContextOptions options, DatabaseProvider provider, ICurrentUser user) => provider switch
    {
        DatabaseProvider.Postgres => new PostgresOperatorDb(options, user),
        _ => new SqliteOperatorDb(options, user),
    };

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string sets it: a statement run twice on a physical
    /// connection is prepared there, so PostgreSQL stops parsing and planning the same queries for every request. The
    /// station's unit view (seven statements) went from 15 to 7 ms at a million serials with it.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 200;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    public static DbContextOptions BuildOptions(DatabaseProvider provider, string connectionString, IEnumerable<IInterceptor>? interceptors = null)
    {
        var builder = new DbContextOptionsBuilder();
        if (interceptors is not null) builder.AddInterceptors(interceptors);
        if (provider == DatabaseProvider.Postgres)
        {
            builder.UseNpgsql(WithAutoPrepare(connectionString), o => o.MigrationsHistoryTable("__EFMigrationsHistory"));
            // Automatic preparation needs its bookkeeping put right after a failed statement (see the guard).
            builder.AddInterceptors(PreparedStatementGuard.Instance);
        }
        else
        {
            builder.UseSqlite(connectionString);
        }
        // Contexts are short-lived and mostly read projections; tracking is asked for where a change is made.
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.TrackAll);
        builder.ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));
        return builder.Options;
    }
}

public sealed record DatabaseSettings(DatabaseProvider Provider, DbContextOptions Options);

public static class DatabaseSetup
{
    /// <summary><c>Database:Provider</c>: Postgres, else SQLite.</summary>
    public static DatabaseProvider ProviderOf(IConfiguration config) =>
        Enum.TryParse<DatabaseProvider>(config["Database:Provider"], ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;

    public static (DatabaseProvider Provider, string ConnectionString) ReadSettings(IConfiguration config, string contentRoot)
    {
        var provider = ProviderOf(config);
        var connection = config.GetConnectionString("Operator");
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Operator is not set.");
            }
            var folder = Path.Combine(contentRoot, "Data");
            Directory.CreateDirectory(folder);
            connection = $"Data Source={Path.Combine(folder, "operator.db")}";
        }
        return (provider, connection);
    }

    public static IServiceCollection AddOperatorData(this IServiceCollection services, IConfiguration config, string contentRoot)
    {
        // Read lazily: the configuration is complete only once the host is built (tests and hosts add to it late).
        services.AddSingleton(sp =>
        {
            var (provider, connection) = ReadSettings(sp.GetRequiredService<IConfiguration>(), contentRoot);
            // Interceptors come from the features' registrations (the outbox's commit signal, for one).
            return new DatabaseSettings(provider, OperatorDbFactory.BuildOptions(provider, connection, sp.GetServices<IInterceptor>()));
        });
        services.AddSingleton(sp => sp.GetRequiredService<DatabaseSettings>().Options);
        services.AddScoped<IDbContextFactory<OperatorDb>>(sp =>
        {
            var settings = sp.GetRequiredService<DatabaseSettings>();
            return new OperatorDbFactory(settings.Options, settings.Provider, sp.GetRequiredService<ICurrentUser>());
        });
        // Identity's stores take a context from the container; everything else asks the factory for one per operation.
        services.AddScoped<OperatorDb>(sp => sp.GetRequiredService<IDbContextFactory<OperatorDb>>().CreateDbContext());
        services.AddSingleton<RateLimitCounters>();
        services.AddHostedService<SqliteStatistics>();
        return services;
    }

    /// <summary>
    /// The key of the PostgreSQL advisory lock held while an instance migrates and seeds ("Operator" in ASCII), so
    /// instances starting together migrate one after the other: the first applies the migrations, the others find none
    /// left to apply.
    /// </summary>
    public const long MigrationLockKey = 0x4F70657261746F72;

    /// <summary>
    /// Creates or upgrades the schema, then the structures the model cannot describe (<see cref="ISchemaExtension"/>),
    /// then seeds the demo data when asked, all under the migration lock. SQLite also gets WAL so readers never wait
    /// for the writer; SQLite needs no lock, since one file belongs to one app process. Refuses
    /// (<see cref="DatabaseNewerThanCodeException"/>) a database that a newer version of the app has migrated.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, bool seedDemoData = false, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<OperatorDb>>().CreateDbContext();
        await using (db)
        {
            await using var migrationLock = await MigrationLock.TakeAsync(db, ct);
            if (db.Database.IsSqlite())
            {
                await db.Database.OpenConnectionAsync(ct);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
            var unknown = await UnknownMigrationsAsync(db, ct);
            if (unknown.Count > 0)
            {
                throw new DatabaseNewerThanCodeException(unknown);
            }
            await db.Database.MigrateAsync(ct);
            foreach (var extension in scope.ServiceProvider.GetServices<ISchemaExtension>())
            {
                await extension.EnsureAsync(db, ct);
            }
            if (seedDemoData)
            {
                await DemoData.SeedAsync(services, ct);
            }
        }
    }

    /// <summary>Migrations recorded in the database's history that this code does not have.</summary>
    public static async Task<List<string>> UnknownMigrationsAsync(OperatorDb db, CancellationToken ct)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var applied = await db.Database.GetAppliedMigrationsAsync(ct);
        return [.. applied.Where(m => !known.Contains(m))];
    }

    /// <summary>The advisory lock on its own connection, so the migrations' own connection and transactions are free.</summary>
    private sealed class MigrationLock(Npgsql.NpgsqlConnection? connection) : IAsyncDisposable
    {
        public static async Task<MigrationLock> TakeAsync(OperatorDb db, CancellationToken ct)
        {
            if (!db.Database.IsNpgsql())
            {
                return new MigrationLock(null);
            }
            var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(ct);
            // No command timeout: the wait lasts as long as another instance migrates and seeds, which can outlast any
            // fixed timeout, and it cannot wait on a dead holder (the lock ends with the holder's session).
            await using var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(ct);
            return new MigrationLock(connection);
        }

        public async ValueTask DisposeAsync()
        {
            if (connection is null) return;
            // Closing the session releases the lock too; unlocking first hands it over without waiting for that.
            await using (connection)
            {
                await using var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", MigrationLockKey);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}

/// <summary>The database has migrations this code does not know: a newer version of the app migrated it.</summary>
public sealed class DatabaseNewerThanCodeException(IReadOnlyList<string> unknown) : Exception(
    $"The database was migrated by a newer version of Operator: it has migration(s) this version does not know ({string.Join(", ", unknown)}). " +
    "Start the version that migrated it, or a newer one; this version refuses to run against it.")
{
    public IReadOnlyList<string> UnknownMigrations => unknown;
}

/// <summary>Lets <c>dotnet ef</c> build each provider's context without starting the app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOperatorDb>
{
    public SqliteOperatorDb CreateDbContext(string[] args) =>
        new(OperatorDbFactory.BuildOptions(DatabaseProvider.Sqlite, "Data Source=design.db"), FixedUser.Nobody);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOperatorDb>
{
    public PostgresOperatorDb CreateDbContext(string[] args) =>
        new(OperatorDbFactory.BuildOptions(DatabaseProvider.Postgres, "Host=localhost;Database=operator_design"), FixedUser.Nobody);
}
