using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Features.Verification.Cache;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>The cache's own rules, without a database.</summary>
public sealed class VerificationCacheRuleTests
{
    private static VerificationCache Cache(DatabaseProvider provider = DatabaseProvider.Sqlite, int entries = 100) => new(
        Options.Create(new PublicVerificationOptions { CacheEntries = entries }),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider.ToString() }).Build());

    private static CachedVerification Read(string id, bool traced = false) =>
        new(id, traced, new PublicVerification(VerificationOutcome.Verified, null));

    [Fact]
    public void A_read_that_a_change_overlapped_is_not_kept()
    {
        var cache = Cache();
        var generation = cache.Generation;
        cache.ChangedCode("OTHER"); // any change while the read ran, even of another code
        cache.Add("CODE", Read("1"), generation);
        Assert.False(cache.TryGet("CODE", out _));

        cache.Add("CODE", Read("1"), cache.Generation);
        Assert.True(cache.TryGet("CODE", out var kept));
        Assert.Equal("1", kept!.SerialId);
    }

    [Fact]
    public void Each_announcement_drops_what_it_names()
    {
        var cache = Cache();
        cache.Add("A", Read("1"), cache.Generation);
        cache.Add("B", Read("2", traced: true), cache.Generation);
        cache.Add("C", Read("3"), cache.Generation);

        cache.Apply("s:A");
        Assert.False(cache.TryGet("A", out _));
        Assert.True(cache.TryGet("B", out _));

        cache.Apply("id:2");
        Assert.False(cache.TryGet("B", out _));
        Assert.True(cache.TryGet("C", out _));

        cache.Apply("*");
        Assert.False(cache.TryGet("C", out _));
    }

    [Fact]
    public void On_postgres_it_answers_only_while_listening_and_starts_empty_each_time()
    {
        var cache = Cache(DatabaseProvider.Postgres);
        cache.Add("A", Read("1"), cache.Generation);
        Assert.False(cache.TryGet("A", out _)); // not listening yet: nothing kept

        cache.Listening();
        cache.Add("A", Read("1"), cache.Generation);
        Assert.True(cache.TryGet("A", out _));

        cache.Deaf();
        Assert.False(cache.TryGet("A", out _));
        cache.Listening();
        Assert.False(cache.TryGet("A", out _)); // what was kept before the gap is gone: changes in the gap went unheard
    }

    [Fact]
    public void A_full_cache_starts_over_and_zero_entries_turns_it_off()
    {
        var cache = Cache(entries: 2);
        cache.Add("A", Read("1"), cache.Generation);
        cache.Add("B", Read("2"), cache.Generation);
        cache.Add("C", Read("3"), cache.Generation);
        Assert.False(cache.TryGet("A", out _));
        Assert.True(cache.TryGet("C", out _));

        var off = Cache(entries: 0);
        off.Add("A", Read("1"), off.Generation);
        Assert.False(off.TryGet("A", out _));
    }
}

/// <summary>
/// Through the real app: a code verified once is answered from memory, and every way a change reaches what verification
/// reads (an API call, a part or organization setting, a transaction committing, a bulk update) is seen by the next
/// verification.
/// </summary>
public abstract class VerificationCacheContract(VerificationFactory app)
{
    protected VerificationCache Cache => app.Services.GetRequiredService<VerificationCache>();

    /// <summary>Waits until the cache has heard of the change made after <paramref name="generation"/> (PostgreSQL announces it after the commit).</summary>
    protected abstract Task HeardAsync(long generation);

    protected async Task<JsonNode> VerifyAsync(string code, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await app.AnonymousFrom("198.51.100.70").GetAsync($"{VerificationKit.VerifyPath}/{code}");
        Assert.Equal(expected, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A new code of MA01's bag, verified once so that it is in the cache.</summary>
    protected async Task<(Guid Id, string Code)> CachedCodeAsync(string privacy = "minimal")
    {
        await ListeningAsync();
        await VerificationKit.SetPrivacyAsync(app, "MA01", privacy);
        var serial = await VerificationKit.NewSerialAsync(app);
        Assert.Equal("active", (string?)(await VerifyAsync(serial.Number))["status"]);
        Assert.True(Cache.TryGet(serial.Number, out _), "the first verification keeps what it read");
        return serial;
    }

    protected virtual Task ListeningAsync() => Task.CompletedTask;

    [Fact]
    public async Task Scrapping_through_the_api_is_seen_by_the_next_verification()
    {
        var (_, code) = await CachedCodeAsync();
        var generation = Cache.Generation;
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(await app.ClientForAsync(DemoUsers.Operator), code)).StatusCode);
        await HeardAsync(generation);

        var body = await VerifyAsync(code);
        Assert.Equal("scrapped", (string?)body["status"]);
        Assert.Equal("serial_not_active", (string?)body["warning"]);
    }

    [Fact]
    public async Task A_part_no_longer_verifiable_answers_not_found()
    {
        var (_, code) = await CachedCodeAsync();
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await PartIdAsync("BAG");
        var generation = Cache.Generation;
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/parts/{part}/verification", new { publiclyVerifiable = false })).StatusCode);
            await HeardAsync(generation);
            await VerifyAsync(code, HttpStatusCode.NotFound);
        }
        finally
        {
            await admin.PutAsJsonAsync($"/api/parts/{part}/verification", new { publiclyVerifiable = true, productionType = "HAT" });
        }
    }

    [Fact]
    public async Task A_completed_step_and_a_privacy_change_show_in_the_traceability()
    {
        var (_, code) = await CachedCodeAsync("standard");
        Assert.Equal("[]", (await VerifyAsync(code))["data"]!["traceability"]!["nodes"]!.ToJsonString());

        var generation = Cache.Generation;
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(await app.ClientForAsync(DemoUsers.Operator), code)).StatusCode);
        await HeardAsync(generation);
        Assert.Equal("Cutting", (string?)(await VerifyAsync(code))["data"]!["traceability"]!["nodes"]![0]!["node_name"]);

        generation = Cache.Generation;
        await VerificationKit.SetPrivacyAsync(app, "MA01", "minimal");
        await HeardAsync(generation);
        Assert.Null((await VerifyAsync(code))["data"]!["traceability"]);
    }

    /// <summary>
    /// A verification while a change is not committed yet answers the committed state and may keep it; the commit must
    /// drop it again.
    /// </summary>
    [Fact]
    public async Task A_change_is_seen_once_its_transaction_commits()
    {
        var (id, code) = await CachedCodeAsync();
        await using var db = app.RawDb();
        await using var tx = await db.Database.BeginTransactionAsync();
        var serial = await db.Set<Serial>().IgnoreQueryFilters().SingleAsync(s => s.Id == id);
        serial.Status = SerialStatus.Scrapped;
        await db.SaveChangesAsync();

        Assert.Equal("active", (string?)(await VerifyAsync(code))["status"]);
        Assert.True(Cache.TryGet(code, out _), "the committed state read during the transaction is kept");

        var generation = Cache.Generation;
        await tx.CommitAsync();
        await HeardAsync(generation);
        Assert.Equal("scrapped", (string?)(await VerifyAsync(code))["status"]);
    }

    [Fact]
    public async Task A_bulk_update_without_the_change_tracker_is_seen()
    {
        var (id, code) = await CachedCodeAsync();
        var generation = Cache.Generation;
        await using (var db = app.RawDb())
        {
            await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Visibility, "private"));
        }
        await HeardAsync(generation);
        await VerifyAsync(code, HttpStatusCode.NotFound);
    }

    private async Task<Guid> PartIdAsync(string sku)
    {
        var org = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        return await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == org && p.Sku == sku).Select(p => p.Id).SingleAsync();
    }
}

public sealed class VerificationCacheSqliteTests(VerificationFactory app) : VerificationCacheContract(app), IClassFixture<VerificationFactory>
{
    // The process's own writes drop the cache before they return.
    protected override Task HeardAsync(long generation) => Task.CompletedTask;
}

public sealed class VerificationCachePostgresTests(PostgresVerificationFactory app) : VerificationCacheContract(app), IClassFixture<PostgresVerificationFactory>
{
    // A notification arrives after the commit, on the listener's connection: wait for it (bounded), never assume it.
    protected override async Task HeardAsync(long generation)
    {
        for (var i = 0; i < 500 && Cache.Generation == generation; i++) await Task.Delay(20);
    }

    protected override async Task ListeningAsync()
    {
        for (var i = 0; i < 500 && !Cache.Online; i++) await Task.Delay(20);
        Assert.True(Cache.Online, "the listener listens");
    }

    /// <summary>Another instance, a script or a console: a change made outside this app is announced by the database.</summary>
    [Fact]
    public async Task A_change_made_outside_the_app_is_seen()
    {
        var (id, code) = await CachedCodeAsync();
        var generation = Cache.Generation;
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("""UPDATE "Serials" SET "Status" = 'cancelled' WHERE "Id" = @id""", connection);
            update.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        await HeardAsync(generation);
        Assert.Equal("cancelled", (string?)(await VerifyAsync(code))["status"]);
    }

    /// <summary>Changes made while the listener had lost its connection went unheard: nothing kept before may be answered after.</summary>
    [Fact]
    public async Task Changes_while_the_listener_was_cut_off_are_not_answered_from_memory()
    {
        var (id, code) = await CachedCodeAsync();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using (var cut = new NpgsqlCommand($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN {RegistryChangeListener.Channel}'", connection))
        {
            Assert.Equal(true, await cut.ExecuteScalarAsync());
        }
        for (var i = 0; i < 500 && Cache.Online; i++) await Task.Delay(20);
        // Whether or not the listener is back already, the answer must be the database's.
        await using (var update = new NpgsqlCommand("""UPDATE "Serials" SET "Status" = 'cancelled' WHERE "Id" = @id""", connection))
        {
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync();
        }
        Assert.Equal("cancelled", (string?)(await VerifyAsync(code))["status"]);
        await ListeningAsync();
        Assert.Equal("cancelled", (string?)(await VerifyAsync(code))["status"]);
    }
}
