using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>One app instance among several on one database: the test starts as many as it needs on a shared database.</summary>
public sealed class InstanceFactory(DatabaseProvider provider, string connection, IReadOnlyDictionary<string, string>? settings = null)
    : OperatorFactory(provider, connection)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>
/// Two app instances on one PostgreSQL database behave as one: the rate limits are one budget, migrations run once when
/// they start together, and an instance refuses a database migrated by a newer version.
/// </summary>
public sealed class InstancesTests : IAsyncLifetime
{
    // Both instances read the same time, so they are in the same fixed window whatever the wall clock does.
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 5, TimeSpan.Zero);

    private readonly List<InstanceFactory> _instances = [];

    private (InstanceFactory A, InstanceFactory B) TwoInstances(Dictionary<string, string>? settings = null)
    {
        var connection = TestDatabases.NewPostgresDatabase();
        var a = Start(new InstanceFactory(DatabaseProvider.Postgres, connection, settings));
        var b = Start(new InstanceFactory(DatabaseProvider.Postgres, connection, settings));
        return (a, b);
    }

    private InstanceFactory Start(InstanceFactory factory)
    {
        _instances.Add(factory);
        factory.Clock.Set(Now);
        return factory;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sixty_one_verifications_from_one_address_alternating_between_two_instances_get_exactly_one_429()
    {
        var (a, b) = TwoInstances();
        // The in-memory test server gives no remote address: every request is the same (unknown) client.
        HttpClient[] clients = [a.CreateClient(), b.CreateClient()];
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 61; i++)
        {
            statuses.Add((await clients[i % 2].GetAsync("/api/public/serial/verify/NOT-A-CODE")).StatusCode);
        }
        Assert.Equal(60, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        var refused = await clients[1].GetAsync("/api/public/serial/verify/NOT-A-CODE");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("""{"ok":false,"error":"Rate limit exceeded. Maximum 60 requests per hour per IP."}""", await refused.Content.ReadAsStringAsync());
        // The window is the clock's hour: it ends at 11:00, 3595 s after the instances' 10:00:05.
        Assert.Equal("3595", refused.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task The_per_user_limit_is_one_budget_across_instances_and_its_headers_count_down_across_them()
    {
        var (a, b) = TwoInstances(new() { ["Serialization:RateLimitPerMinute"] = "5" });
        // One user, signed in on each instance.
        HttpClient[] clients = [await a.ClientForAsync(DemoUsers.Admin), await b.ClientForAsync(DemoUsers.Admin)];
        var remaining = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var ok = await clients[i % 2].GetAsync("/api/v1/serialization/formats");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(ok.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
        Assert.Equal(["4", "3", "2", "1", "0"], remaining);

        var refused = await clients[1].GetAsync("/api/v1/serialization/formats");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("5", refused.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", refused.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(Now.AddSeconds(55).ToUnixTimeSeconds().ToString(), refused.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.Equal("55", refused.Headers.GetValues("Retry-After").Single());
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("RATE_LIMIT_EXCEEDED", body.GetProperty("error").GetString());
        // The other instance refuses too.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await clients[0].GetAsync("/api/v1/serialization/formats")).StatusCode);
    }

    [Fact]
    public async Task Parallel_requests_at_the_boundary_let_exactly_the_limit_through()
    {
        const int limit = 5;
        var (a, b) = TwoInstances(new() { ["Serialization:RateLimitPerMinute"] = limit.ToString() });
        HttpClient[] clients = [await a.ClientForAsync(DemoUsers.Admin), await b.ClientForAsync(DemoUsers.Admin)];
        for (var i = 0; i < limit - 1; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await clients[i % 2].GetAsync("/api/v1/serialization/formats")).StatusCode);
        }

        // The test holds the user's counter row, so every request below reaches its upsert and waits there; released
        // together, they are counted one after the other by the database.
        await using var holder = new NpgsqlConnection(a.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("""SELECT "Count" FROM "RateLimitCounters" WHERE "Key" LIKE 'serialization:%' FOR UPDATE""", holder, tx))
        {
            Assert.Equal(limit - 1, (int)(await lockRow.ExecuteScalarAsync())!);
        }
        const int parallel = 6;
        var requests = Enumerable.Range(0, parallel).Select(i => clients[i % 2].GetAsync("/api/v1/serialization/formats")).ToList();
        await WaitUntilAsync(a.ConnectionString, """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "RateLimitCounters"%'
            """, parallel, "every parallel request waiting on the counter row");
        await tx.CommitAsync();

        var statuses = (await Task.WhenAll(requests)).Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(parallel - 1, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Live_answers_without_the_database_and_ready_says_whether_every_migration_is_applied()
    {
        var (a, _) = TwoInstances();
        var client = a.CreateClient();
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("""{"status":"Healthy","checks":{}}""", await live.Content.ReadAsStringAsync());
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"Healthy","checks":{"database":{"status":"Healthy","description":"reachable, migrations applied"}}}""", await ready.Content.ReadAsStringAsync());
        Assert.Equal(await ready.Content.ReadAsStringAsync(), await (await client.GetAsync("/health")).Content.ReadAsStringAsync());

        // Take the last migration out of the history: the code now expects one the database lacks.
        await using var db = new NpgsqlConnection(a.ConnectionString);
        await db.OpenAsync();
        await using var last = new NpgsqlCommand("""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = (SELECT max("MigrationId") FROM "__EFMigrationsHistory") RETURNING "MigrationId" """, db);
        var removed = (string)(await last.ExecuteScalarAsync())!;
        var notReady = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains($"migrations pending: {removed}", await notReady.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task An_instance_refuses_to_start_on_a_database_migrated_by_a_newer_version_and_names_the_migration()
    {
        var (a, _) = TwoInstances();
        a.CreateClient();
        await using (var db = new NpgsqlConnection(a.ConnectionString))
        {
            await db.OpenAsync();
            await using var future = new NpgsqlCommand("""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('29990101000000_FromTheFuture', '99.0.0')""", db);
            await future.ExecuteNonQueryAsync();
        }

        var newer = Start(new InstanceFactory(DatabaseProvider.Postgres, a.ConnectionString));
        var failure = Record.Exception(() => newer.CreateClient());
        Assert.NotNull(failure);
        var messages = string.Join(" | ", Chain(failure));
        Assert.Contains("29990101000000_FromTheFuture", messages);
        Assert.Contains("migrated by a newer version of Operator", messages);
    }

    [Fact]
    public async Task Two_instances_starting_together_on_a_fresh_database_migrate_and_seed_it_once()
    {
        var connection = TestDatabases.NewPostgresDatabase();
        // The test holds the migration lock, so both instances reach it and wait; then it lets them go.
        await using var holder = new NpgsqlConnection(connection);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseSetup.MigrationLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }
        var a = Start(new InstanceFactory(DatabaseProvider.Postgres, connection));
        var b = Start(new InstanceFactory(DatabaseProvider.Postgres, connection));
        var starts = new[] { Task.Run(() => a.CreateClient()), Task.Run(() => b.CreateClient()) };
        await WaitUntilAsync(connection, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", 2, "both instances waiting for the migration lock");
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseSetup.MigrationLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }
        var clients = await Task.WhenAll(starts);

        foreach (var client in clients)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }
        await using var db = a.RawDb();
        var known = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetMigrations(db.Database).ToList();
        await using var history = new NpgsqlCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1""", holder);
        var applied = new List<string>();
        await using (var reader = await history.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) applied.Add(reader.GetString(0));
        }
        Assert.Equal(known, applied);
        await using var orgs = new NpgsqlCommand("""SELECT count(*) FROM "Organizations" """, holder);
        Assert.Equal(2L, (long)(await orgs.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task An_instance_waits_for_the_migration_lock_as_long_as_another_instance_migrates()
    {
        var connection = TestDatabases.NewPostgresDatabase();
        // A 2 s command timeout stands for the default 30 s that a first instance's migration and demo seed can outlast
        // on a busy machine: the second instance must keep waiting, not die with a timeout.
        var impatient = new NpgsqlConnectionStringBuilder(connection) { CommandTimeout = 2 }.ConnectionString;
        await using var holder = new NpgsqlConnection(connection);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseSetup.MigrationLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }
        var a = Start(new InstanceFactory(DatabaseProvider.Postgres, impatient));
        var start = Task.Run(() => a.CreateClient());

        // Until PostgreSQL reports the instance still waiting for the lock past its command timeout, or the start gave up.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!start.IsCompleted)
        {
            await using var look = new NpgsqlConnection(connection);
            await look.OpenAsync();
            await using var waiting = new NpgsqlCommand("""
                SELECT count(*) FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND now() - query_start > interval '3 seconds'
                """, look);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0) break;
            Assert.True(DateTime.UtcNow < deadline, "The instance never waited for the migration lock");
            await Task.Delay(20);
        }
        Assert.False(start.IsCompleted, $"The instance stopped waiting for the migration lock: {string.Join(" | ", Chain(start.Exception))}");

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseSetup.MigrationLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }
        var client = await start;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private static IEnumerable<string> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e.Message;
            if (e is AggregateException many)
            {
                foreach (var inner in many.InnerExceptions.SelectMany(Chain)) yield return inner;
            }
        }
    }

    /// <summary>
    /// Waits for a state of the database (a count of waiting sessions), never for a length of time. Each look is a
    /// new session: a transaction would keep seeing the activity snapshot of its first look.
    /// </summary>
    private static async Task WaitUntilAsync(string connectionString, string countSql, long expected, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(countSql, connection);
            var count = (long)(await command.ExecuteScalarAsync())!;
            if (count >= expected) return;
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}: {count} of {expected}.");
            await Task.Delay(20);
        }
    }
}
