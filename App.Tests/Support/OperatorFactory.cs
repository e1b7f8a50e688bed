using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Tenancy;

namespace Operator.Tests.Support;

/// <summary>
/// The real app, through its real middleware, on a database of its own: a fresh SQLite file by default, or a fresh
/// PostgreSQL database when <see cref="Provider"/> is Postgres (server from OPERATOR_TEST_PG, started by test.sh).
/// Demo data is seeded, so the README's users exist.
/// </summary>
public class OperatorFactory : WebApplicationFactory<Program>
{
    private readonly string _connection;

    public OperatorFactory() : this(DatabaseProvider.Sqlite)
    {
    }

    protected OperatorFactory(DatabaseProvider provider) : this(provider, provider == DatabaseProvider.Postgres
        ? TestDatabases.NewPostgresDatabase()
        : $"Data Source={Path.Combine(Path.GetTempPath(), $"operator-test-{Guid.NewGuid():N}.db")}")
    {
    }

    /// <summary>An app on a given database: several of them on one database are several instances of the app.</summary>
    protected OperatorFactory(DatabaseProvider provider, string connection)
    {
        Provider = provider;
        _connection = connection;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>This factory's database, for a second app instance on the same one.</summary>
    public string ConnectionString => _connection;

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Operator", _connection);
        builder.UseSetting("Demo:Seed", "true");
        // Tests decide when outbox events are dispatched (DispatchOutboxAsync), so nothing runs behind their back.
        builder.UseSetting("Outbox:Dispatch", "false");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // Every factory seeds its demo users; the production hash strength only slows the suite down.
            services.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1_000);
        });
    }

    /// <summary>A client signed in with a bearer token as one of the demo users.</summary>
    public async Task<HttpClient> ClientForAsync(string email)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/sessions", new { email, password = DemoData.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A context that sees everything (no organization filter), for arranging and checking rows.</summary>
    public OperatorDb RawDb() => OperatorDbFactory.Create(Services.GetRequiredService<DbContextOptions>(), Provider, FixedUser.Nobody);

    /// <summary>Runs a service as one of the demo users, in a scope of its own, as a page would.</summary>
    public async Task<T> AsUserAsync<T>(string email, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var user = await DemoUsers.PrincipalAsync(scope.ServiceProvider, email);
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(user);
        return await work(scope.ServiceProvider);
    }

    /// <summary>Runs every due outbox event now, as the background dispatcher would, and answers how many ran.</summary>
    public Task<int> DispatchOutboxAsync() => Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync();

    public async Task<Guid> OrganizationIdAsync(string code)
    {
        await using var db = RawDb();
        return await db.Organizations.Where(o => o.Code == code).Select(o => o.Id).SingleAsync();
    }
}

public sealed class PostgresOperatorFactory() : OperatorFactory(DatabaseProvider.Postgres);

/// <summary>A clock the tests move.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset at) => _now = at;
}
