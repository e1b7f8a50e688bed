using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Audit;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>The hash-chained audit trail on each provider: written with the change, detecting edits, gaps and forks.</summary>
public abstract class AuditTrailTests<TFactory>(TFactory app) : IClassFixture<TFactory> where TFactory : OperatorFactory
{
    private async Task<Guid> CreateLocationAsync(HttpClient client, string code)
    {
        var response = await client.PostAsJsonAsync("/api/locations", new { code, name = "Rack " + code });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_change_writes_its_entry_with_who_and_what_in_the_same_transaction()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var id = await CreateLocationAsync(client, "AUD-1");
        await using var db = app.RawDb();
        var entry = await db.AuditEntries.IgnoreQueryFilters().SingleAsync(a => a.EntityId == id.ToString());
        Assert.Equal("location_created", entry.Action);
        Assert.Equal(DemoUsers.Admin, entry.UserEmail);
        Assert.Contains("AUD-1", entry.After);

        var conflict = await client.PostAsJsonAsync("/api/locations", new { code = "AUD-1", name = "Duplicate" });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(1, await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.After!.Contains("Duplicate") || a.EntityId == id.ToString()));
    }

    [Fact]
    public async Task Concurrent_changes_keep_one_unbroken_chain()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CreateLocationAsync(client, $"PAR-{i}")));
        var org = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        var result = await AuditTrail.VerifyAsync(db, org);
        Assert.True(result.Intact, result.Problem);
        var sequences = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == org).Select(a => a.Sequence).OrderBy(s => s).ToListAsync();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task Verify_reports_the_first_edited_or_missing_entry()
    {
        await using var isolated = (OperatorFactory)Activator.CreateInstance(typeof(TFactory))!;
        var client = await isolated.ClientForAsync(DemoUsers.Admin);
        for (var i = 0; i < 3; i++) await CreateLocationAsync(client, $"T-{i}");
        var org = await isolated.OrganizationIdAsync("MA01");

        var verified = await client.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verified.GetProperty("intact").GetBoolean());

        await using (var db = isolated.RawDb())
        {
            await db.Database.ExecuteSqlRawAsync("""UPDATE "AuditEntries" SET "After" = {0} WHERE "Sequence" = 3""", ["""{"code":"FORGED"}"""]);
            var edited = await AuditTrail.VerifyAsync(db, org);
            Assert.False(edited.Intact);
            Assert.Equal(3, edited.BrokenAtSequence);
            Assert.Equal("the entry's content was changed after it was written", edited.Problem);

            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" WHERE "Sequence" = 2""");
            var removed = await AuditTrail.VerifyAsync(db, org);
            Assert.Equal(3, removed.BrokenAtSequence);
            Assert.Equal("entry 2 is missing", removed.Problem);
        }
        var api = await client.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.False(api.GetProperty("intact").GetBoolean());
        Assert.Equal(3, api.GetProperty("brokenAtSequence").GetInt64());
    }

    [Fact]
    public async Task Entries_cannot_be_updated_or_deleted_through_the_application()
    {
        await using var db = app.RawDb();
        var entry = await db.AuditEntries.IgnoreQueryFilters().FirstAsync();
        entry.Action = "rewritten";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.IgnoreQueryFilters().FirstAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}

public sealed class SqliteAuditTrailTests(OperatorFactory app) : AuditTrailTests<OperatorFactory>(app);

public sealed class PostgresAuditTrailTests(PostgresOperatorFactory app) : AuditTrailTests<PostgresOperatorFactory>(app);
