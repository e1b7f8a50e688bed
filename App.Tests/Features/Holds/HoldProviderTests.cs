using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// What depends on the database provider, run on SQLite and on PostgreSQL: hold numbers under concurrent creation,
/// concurrent release, and the translation of the list, search, dashboard and blocking-hold queries.
/// </summary>
public abstract class HoldProviderTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task A_nul_character_in_reason_or_search_is_a_400_and_nothing_is_written()
    {
        var marker = "nul" + Guid.NewGuid().ToString("N")[..8];
        var plate = await HoldsKit.NewPlateAsync(app);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);

        var created = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate.Id)], reason: $"Seal failure \u0000 on line 2 [{marker}]"));
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        var issue = (await created.Content.ReadFromJsonAsync<JsonNode>())!["details"]![0]!;
        Assert.Equal(("custom", "reason", "String must not contain the NUL character (U+0000)"),
            (issue["code"]!.GetValue<string>(), issue["path"]![0]!.GetValue<string>(), issue["message"]!.GetValue<string>()));
        Assert.Equal(Operator.Features.MasterData.QaStatuses.Pending, await HoldsKit.QaStatusAsync(app, plate.Id));
        var listed = await inspector.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?search={marker}");
        Assert.Equal(0, listed!["pagination"]!["total"]!.GetValue<int>());

        var searched = await inspector.GetAsync($"{HoldsKit.Path}?search=seal%00failure");
        Assert.Equal(HttpStatusCode.BadRequest, searched.StatusCode);
        Assert.Equal("search", (await searched.Content.ReadFromJsonAsync<JsonNode>())!["details"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_single_filter_value_is_compared_with_equals_and_several_as_a_list_both_as_parameters()
    {
        await using var db = app.RawDb();
        var holds = db.Set<QualityHold>().IgnoreQueryFilters();
        var one = holds.WhereIn(h => h.HoldType, ["recall"]);
        var two = holds.WhereIn(h => h.HoldType, ["recall", "quarantine"]);
        var oneSql = one.ToQueryString();
        var twoSql = two.ToQueryString();
        Assert.Matches("\"HoldType\" = @\\w+", oneSql);
        Assert.DoesNotMatch("\"HoldType\" = @\\w+", twoSql);
        Assert.DoesNotContain("'recall'", oneSql[oneSql.IndexOf("SELECT", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("'recall'", twoSql[twoSql.IndexOf("SELECT", StringComparison.Ordinal)..]);
        Assert.Equal(await holds.CountAsync(h => h.HoldType == "recall"), await one.CountAsync());
        Assert.Equal(await holds.CountAsync(h => h.HoldType == "recall" || h.HoldType == "quarantine"), await two.CountAsync());
    }

    [Fact]
    public async Task Fifty_concurrent_creates_get_fifty_distinct_numbers()
    {
        var plates = new List<Guid>();
        for (var i = 0; i < 50; i++) plates.Add((await HoldsKit.NewPlateAsync(app)).Id);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var marker = "conc" + Guid.NewGuid().ToString("N")[..8];

        var responses = await Task.WhenAll(plates.Select(id =>
            inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(id)], reason: $"Concurrent creation check [{marker}]"))));
        var bodies = new List<JsonNode>();
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
            bodies.Add(JsonNode.Parse(text)!);
        }
        var numbers = bodies.Select(b => b["hold"]!["hold_number"]!.GetValue<string>()).ToList();
        Assert.Equal(50, numbers.Distinct().Count());
        var day = app.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(numbers, n => Assert.Matches($"^QH-{day}-\\d{{4}}$", n));
        // Drawn from one counter with no gaps: a contiguous run.
        var sequences = numbers.Select(n => int.Parse(n[^4..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(sequences[0], 50), sequences);

        foreach (var id in plates) Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, id));
        await using var db = app.RawDb();
        Assert.True((await AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("MA01"))).Intact);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var listed = await viewer.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?search={marker}&limit=100");
        Assert.Equal(50, listed!["pagination"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_releases_of_one_hold_give_one_success()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var plate = await HoldsKit.NewPlateAsync(app);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]));
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => HoldsKit.ReleaseAsync(manager, id, i % 2 == 0 ? "scrap" : "release")));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var winner = await Golden.BodyAsync(responses.Single(r => r.StatusCode == HttpStatusCode.OK));
        var expected = winner["hold"]!["disposition"]!.GetValue<string>() == "scrap" ? "scrap" : "passed";
        Assert.Equal(expected, await HoldsKit.QaStatusAsync(app, plate.Id));
        await using var db = app.RawDb();
        Assert.Equal(1, await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.EntityId == id && a.Action == "hold_released"));
    }

    [Fact]
    public async Task List_filters_search_sort_and_detail_translate()
    {
        var marker = "Prov" + Guid.NewGuid().ToString("N")[..8];
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var first = await HoldsKit.CreateAsync(app, inspector, "critical", "recall", $"Ferrous CONTAMINATION found [{marker}] 50% of samples");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var second = await HoldsKit.CreateAsync(app, inspector, "low", "quarantine", $"Label check [{marker}]",
            [HoldsKit.Lp((await HoldsKit.NewPlateAsync(app)).Id), HoldsKit.Wo((await HoldsKit.NewWorkOrderAsync(app)).Id), HoldsKit.Bt((await HoldsKit.NewBatchAsync(app)).Id)]);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        async Task<IReadOnlyList<string>> Numbers(string query) =>
            (await viewer.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?{query}"))!["holds"]!.AsArray().Select(h => h!["hold_number"]!.GetValue<string>()).ToList();
        string N(JsonNode n) => n["hold"]!["hold_number"]!.GetValue<string>();

        Assert.Equal([N(first)], await Numbers("search=" + Uri.EscapeDataString($"contamination found [{marker.ToLowerInvariant()}] 50%")));
        Assert.Equal([N(second)], await Numbers("search=" + N(second).ToLowerInvariant()));
        Assert.Empty(await Numbers("search=" + Uri.EscapeDataString($"{marker}' OR 1=1 --")));
        Assert.Equal([N(first), N(second)], await Numbers($"search={marker}&sort=priority%20DESC&status=active,released&priority=low,critical&hold_type=recall,quarantine"));
        Assert.Equal([N(second), N(first)], await Numbers($"search={marker}&sort=items_count%20DESC"));
        string Day(int offset) => app.Clock.GetUtcNow().UtcDateTime.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([N(second), N(first)], await Numbers($"search={marker}&from={Day(-1)}&to={Day(0)}"));
        Assert.Empty(await Numbers($"search={marker}&from={Day(1)}"));

        var detail = await viewer.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{HoldsKit.Id(second)}");
        Assert.Equal(3, detail!["items"]!.AsArray().Count);
        Assert.Equal("hold_created", detail["history"]![0]!["action"]!.GetValue<string>());
        Assert.Equal("Ines Inspector", detail["history"]![0]!["by"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dashboard_counts_and_blocking_holds_translate()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        await HoldsKit.CreateAsync(app, inspector, "high", items: [HoldsKit.Wo(order.Id)]);
        var summary = await app.AsUserAsync(DemoUsers.Viewer, sp => sp.GetRequiredService<HoldDashboard>().GetActiveSummaryAsync());
        Assert.True(summary.ByPriority["high"] >= 1);
        Assert.Equal(summary.Total, summary.ByAging.Values.Sum());
        var blocking = await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<BlockingHolds>().GetBlockingHoldsAsync(order.Id, null));
        Assert.Single(blocking);
        Assert.Equal(order.Number, blocking[0].ReferenceDisplay);
    }

    [Fact]
    public async Task Demo_holds_are_seeded_consistently()
    {
        await using var db = app.RawDb();
        var org = await app.OrganizationIdAsync("MA01");
        var demo = await db.Set<QualityHold>().IgnoreQueryFilters().Include(h => h.Items)
            .Where(h => h.OrganizationId == org && h.Reason.Contains("Hide lot shows mould")).SingleAsync();
        Assert.Equal("critical", demo.Priority);
        Assert.Matches(new Regex(@"^QH-\d{8}-\d{4}$"), demo.HoldNumber);
        var plate = demo.Items.Single().ReferenceId;
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, plate));
        var statuses = await db.Set<QualityHold>().IgnoreQueryFilters().Where(h => h.OrganizationId == org && h.Reason.Contains("buckle hardware")).Select(h => h.Status).SingleAsync();
        Assert.Equal("disposed", statuses);
        Assert.True(await db.AuditEntries.IgnoreQueryFilters().AnyAsync(a => a.EntityId == demo.Id.ToString() && a.Action == "hold_created" && a.UserEmail == "manager@ma01.demo"));
        Assert.True(await db.Set<QualityHold>().IgnoreQueryFilters().AnyAsync(h => h.OrganizationId == org && h.Status == "released"));
        Assert.True(await db.Set<QualityHold>().IgnoreQueryFilters().AnyAsync(h => h.OrganizationId != org));
    }

    [Fact]
    public async Task List_totals_from_the_tallies_match_the_holds_through_create_release_and_dispose()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var a = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector, "critical", "recall"));
        var b = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector, "low", "quarantine"));
        HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, "low", "quarantine"));
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, a, "scrap")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.SignedDeleteAsync($"{HoldsKit.Path}/{b}")).StatusCode);
        // A refused transition changes no tally.
        Assert.Equal(HttpStatusCode.Conflict, (await HoldsKit.ReleaseAsync(manager, a)).StatusCode);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        await using var db = app.RawDb();
        var org = await app.OrganizationIdAsync("MA01");
        var holds = db.Set<QualityHold>().IgnoreQueryFilters().Where(h => h.OrganizationId == org);
        async Task Same(string query, IQueryable<QualityHold> expected)
        {
            var listed = await viewer.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?{query}");
            Assert.Equal(await expected.CountAsync(), listed!["pagination"]!["total"]!.GetValue<int>());
        }
        await Same("", holds);
        await Same("status=active", holds.Where(h => h.Status == "active"));
        await Same("status=released,disposed", holds.Where(h => h.Status == "released" || h.Status == "disposed"));
        await Same("priority=low&hold_type=quarantine", holds.Where(h => h.Priority == "low" && h.HoldType == "quarantine"));
        await Same("status=disposed&priority=low", holds.Where(h => h.Status == "disposed" && h.Priority == "low"));
        await Same("hold_type=recall&status=released", holds.Where(h => h.HoldType == "recall" && h.Status == "released"));
        Assert.True(await holds.CountAsync(h => h.Status == "released" && h.HoldType == "recall") >= 1);
    }
}

public sealed class SqliteHoldProviderTests(OperatorFactory app) : HoldProviderTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresHoldProviderTests(PostgresOperatorFactory app) : HoldProviderTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
