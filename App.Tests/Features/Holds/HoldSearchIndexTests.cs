using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// The search index (HoldSearchIndex) against the real databases: it must know every hold another app instance wrote,
/// whenever it was held, forget holds that are gone, and fold case beyond ASCII. A second index instance stands for a
/// second app instance: the holds are created through the API, which feeds only the app's own index.
/// </summary>
public abstract class HoldSearchIndexTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private static string Marker() => "idx" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>What <paramref name="index"/> finds for a viewer of MA01, as a list request would ask it.</summary>
    private Task<List<HoldSearchEntry>> EntriesAsync(HoldSearchIndex index, string text) =>
        app.AsUserAsync(DemoUsers.Viewer, async services =>
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<OperatorDb>>().CreateDbContextAsync();
            return await index.FindAsync(db, text, CancellationToken.None);
        });

    private async Task<List<string>> FindAsync(HoldSearchIndex index, string text) =>
        (await EntriesAsync(index, text)).Select(e => e.HoldNumber).Order().ToList();

    private async Task<List<string>> StatusesAsync(HoldSearchIndex index, string text) =>
        (await EntriesAsync(index, text)).Select(e => e.Status).Order().ToList();

    private static string Number(System.Text.Json.Nodes.JsonNode created) => created["hold"]!["hold_number"]!.GetValue<string>();

    [Fact]
    public async Task Another_instance_finds_holds_created_after_it_loaded_including_ones_held_earlier()
    {
        var other = new HoldSearchIndex(TimeProvider.System);
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var first = Number(await HoldsKit.CreateAsync(app, inspector, reason: $"Seal leak on line 2 [{marker}]"));
        Assert.Equal([first], await FindAsync(other, marker));

        // Created after the other instance loaded: found by the catch-up of recent holds.
        var second = Number(await HoldsKit.CreateAsync(app, inspector, reason: $"Second seal leak [{marker}]"));
        Assert.Equal(new[] { first, second }.Order(), await FindAsync(other, marker));

        // Held a year before the newest hold the index knows: only the comparison of every id finds it.
        var now = app.Clock.GetUtcNow();
        app.Clock.Set(now.AddYears(-1));
        try
        {
            var early = Number(await HoldsKit.CreateAsync(app, inspector, reason: $"Late entry of an old hold [{marker}]"));
            Assert.Equal(new[] { first, second, early }.Order(), await FindAsync(other, marker));
            Assert.Equal([early], await FindAsync(other, $"old hold [{marker}"));
        }
        finally
        {
            app.Clock.Set(now);
        }
    }

    [Fact]
    public async Task Another_instance_sees_releases_and_disposals()
    {
        var other = new HoldSearchIndex(TimeProvider.System);
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var released = await HoldsKit.CreateAsync(app, inspector, reason: $"To be released [{marker}]");
        var disposed = await HoldsKit.CreateAsync(app, inspector, reason: $"To be disposed [{marker}]");
        Assert.Equal(["active", "active"], await StatusesAsync(other, marker));

        Assert.Equal(System.Net.HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, HoldsKit.Id(released))).StatusCode);
        Assert.Equal(["active", "released"], await StatusesAsync(other, marker));
        Assert.True((await manager.SignedDeleteAsync($"{HoldsKit.Path}/{HoldsKit.Id(disposed)}")).IsSuccessStatusCode);
        Assert.True((await manager.SignedDeleteAsync($"{HoldsKit.Path}/{HoldsKit.Id(released)}")).IsSuccessStatusCode);
        Assert.Equal(["disposed", "disposed"], await StatusesAsync(other, marker));
    }

    [Fact]
    public async Task A_hold_removed_from_the_database_is_forgotten()
    {
        var index = new HoldSearchIndex(TimeProvider.System);
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var kept = Number(await HoldsKit.CreateAsync(app, inspector, reason: $"Kept hold [{marker}]"));
        var removed = await HoldsKit.CreateAsync(app, inspector, reason: $"Removed hold [{marker}]");
        Assert.Equal(new[] { kept, Number(removed) }.Order(), await FindAsync(index, marker));

        // As a restored backup would: the hold and its tally entry gone.
        var id = Guid.Parse(HoldsKit.Id(removed));
        await using (var db = app.RawDb())
        {
            var hold = await db.Set<QualityHold>().IgnoreQueryFilters().SingleAsync(h => h.Id == id);
            await db.Set<QualityHoldItem>().IgnoreQueryFilters().Where(i => i.HoldId == id).ExecuteDeleteAsync();
            await db.Set<QualityHold>().IgnoreQueryFilters().Where(h => h.Id == id).ExecuteDeleteAsync();
            await db.Set<HoldTally>().IgnoreQueryFilters().Where(t => t.OrganizationId == hold.OrganizationId && t.Status == hold.Status
                    && t.PriorityRank == hold.PriorityRank && t.HoldType == hold.HoldType)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Count, t => t.Count - 1));
        }
        Assert.Equal([kept], await FindAsync(index, marker));
    }

    [Fact]
    public async Task Case_is_ignored_beyond_ascii_and_the_text_is_literal()
    {
        var marker = Marker();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var accented = Number(await HoldsKit.CreateAsync(app, inspector, reason: $"DÉFAUT d'ÉTANCHÉITÉ, joint Ø 40 [{marker}]"));
        var index = app.Services.GetRequiredService<HoldSearchIndex>();
        Assert.Equal([accented], await FindAsync(index, "défaut d'étanchéité"));
        Assert.Equal([accented], await FindAsync(index, $"ø 40 [{marker.ToUpperInvariant()}]"));
        Assert.Empty(await FindAsync(index, $"ø_40 [{marker}"));
        // A number and its reason are separate texts: nothing matches across the two.
        Assert.Empty(await FindAsync(index, $"{accented[^4..]} défaut"));
    }
}

public sealed class SqliteHoldSearchIndexTests(OperatorFactory app) : HoldSearchIndexTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresHoldSearchIndexTests(PostgresOperatorFactory app) : HoldSearchIndexTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;

/// <summary>The in-memory page order: a heap of the best entries gives what sorting them all gives.</summary>
public sealed class HoldListOrderTests
{
    [Fact]
    public void Top_of_every_order_equals_the_start_of_the_full_sort()
    {
        var random = new Random(7);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // Few distinct values per key, so that ties (and the id that breaks them) decide many places.
        var entries = Enumerable.Range(0, 500).Select(i => new HoldSearchEntry(Guid.NewGuid(), $"QH-20260101-{random.Next(50):D4}",
            start.AddHours(random.Next(40)), random.Next(1, 5), new[] { "recall", "quarantine", "qa_pending" }[random.Next(3)], random.Next(1, 4),
            new[] { "active", "released", "disposed" }[random.Next(3)])).ToList();
        foreach (var field in new[] { "held_at", "hold_number", "priority", "status", "hold_type", "items_count" })
        {
            foreach (var descending in new[] { false, true })
            {
                var order = HoldListOrder.Comparison(field, descending);
                var all = entries.ToList();
                all.Sort(order);
                foreach (var count in new[] { 1, 20, 100, 499, 500, 600 })
                {
                    Assert.Equal(all.Take(count).Select(e => e.Id), HoldListOrder.Top(entries.ToList(), count, order).Select(e => e.Id));
                }
                // Consecutive entries are in order and no two compare equal (the id breaks every tie).
                Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(order(pair.First, pair.Second) < 0, $"{field} {descending}"));
            }
        }
    }
}

/// <summary>A SQLite database from before the in-memory search loses the FTS5 table and the triggers that fed it.</summary>
public sealed class HoldSearchCleanupTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task The_old_trigram_table_and_its_triggers_are_dropped_and_holds_are_still_created()
    {
        await using (var db = app.RawDb())
        {
            await db.Database.ExecuteSqlRawAsync("""CREATE VIRTUAL TABLE "QualityHoldSearch" USING fts5("number", "reason", tokenize = 'trigram')""");
            await db.Database.ExecuteSqlRawAsync("""CREATE TABLE "QualityHoldSearchOrgs" ("Ordinal" INTEGER PRIMARY KEY, "OrganizationId" TEXT NOT NULL UNIQUE)""");
            await db.Database.ExecuteSqlRawAsync(
                """CREATE TRIGGER "QualityHoldSearch_v1_insert" AFTER INSERT ON "QualityHolds" BEGIN INSERT INTO "QualityHoldSearch" (rowid, "number", "reason") VALUES (new.rowid, new."HoldNumber", new."Reason"); END""");
            // The virtual table with its shadow tables, the organizations' table, the trigger.
            Assert.True(await LegacyCountAsync(db) >= 3);

            await new HoldSearchCleanup().EnsureAsync(db, CancellationToken.None);
            Assert.Equal(0, await LegacyCountAsync(db));
            // Idempotent: the next start finds nothing to do.
            await new HoldSearchCleanup().EnsureAsync(db, CancellationToken.None);
        }
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var marker = "clean" + Guid.NewGuid().ToString("N")[..8];
        await HoldsKit.CreateAsync(app, inspector, reason: $"Created after the cleanup [{marker}]");
        var listed = await inspector.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"{HoldsKit.Path}?search={marker}");
        Assert.Equal(1, listed!["pagination"]!["total"]!.GetValue<int>());

        static Task<int> LegacyCountAsync(OperatorDb db) => db.Database
            .SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM sqlite_master WHERE name LIKE 'QualityHoldSearch%'""")
            .SingleAsync();
    }
}
