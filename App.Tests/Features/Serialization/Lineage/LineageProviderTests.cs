using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serialization;
using Operator.Infrastructure.Audit;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// Split, merge and transformation chains with known lineages (exact ancestor and descendant sets with depths), the
/// cycle rule and consumption, on SQLite and on PostgreSQL: the recursive queries are raw SQL that must mean the same
/// on both.
/// </summary>
public abstract class LineageProviderTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task A_split_merge_transformation_chain_has_the_known_lineage_in_both_directions()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 7);
        var (r, a, b, c, m, t, t1) = (u[0], u[1], u[2], u[3], u[4], u[5], u[6]);
        var t2 = await UnitAsync(app);

        await SplitAsync(op, r, [a, b]);
        await MergeAsync(op, [a, b, c], m);
        await TransformAsync(op, [m], t);
        await SplitAsync(op, t, [t1, t2], op: "OP-CUT", seq: 30);

        var ofM = await LineageAsync(op, m);
        Assert.Equal(Expect((a, 1), (b, 1), (c, 1), (r, 2)), DepthMap(ofM, "ancestors"));
        Assert.Equal(Expect((t, 1), (t1, 2), (t2, 2)), DepthMap(ofM, "descendants"));
        var rNode = ofM["ancestors"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == r)!;
        Assert.Contains(rNode["parentId"]!.GetValue<Guid>(), new[] { a, b });
        Assert.Equal("SPLIT", rNode["linkType"]!.GetValue<string>());
        Assert.Equal("OP-SPLIT", rNode["operationCode"]!.GetValue<string>());
        var tNode = ofM["descendants"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == t)!;
        Assert.Equal(m, tNode["parentId"]!.GetValue<Guid>());
        Assert.Equal("TRANSFORMATION", tNode["linkType"]!.GetValue<string>());
        Assert.Equal(20, tNode["routingSequence"]!.GetValue<int>());
        Assert.Equal(await NumberOfAsync(app, t), tNode["serialNumber"]!.GetValue<string>());

        var ofR = await LineageAsync(op, r);
        Assert.Empty(ofR["ancestors"]!.AsArray());
        Assert.Equal(Expect((a, 1), (b, 1), (m, 2), (t, 3), (t1, 4), (t2, 4)), DepthMap(ofR, "descendants"));

        var ofT1 = await LineageAsync(op, t1);
        Assert.Equal(Expect((t, 1), (m, 2), (a, 3), (b, 3), (c, 3), (r, 4)), DepthMap(ofT1, "ancestors"));
        Assert.Empty(ofT1["descendants"]!.AsArray());
        // Ordered by depth, so a tree can be built top-down.
        Assert.Equal([1, 2, 3, 3, 3, 4], ofT1["ancestors"]!.AsArray().Select(n => n!["depth"]!.GetValue<int>()));

        // Merge and transformation consume their sources; a split does not.
        Assert.Equal("active", ofR["serial"]!["status"]!.GetValue<string>());
        Assert.Equal("used", ofM["serial"]!["status"]!.GetValue<string>());
        Assert.Equal(new[] { a, b, c, m }.Order(), ofT1["ancestors"]!.AsArray().Where(n => n!["status"]!.GetValue<string>() == "used").Select(n => n!["id"]!.GetValue<Guid>()).Order());
        Assert.Equal("active", ofM["descendants"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == t)!["status"]!.GetValue<string>());
        foreach (var id in new[] { a, b, c, m }) Assert.True((await SerialAsync(app, id)).Consumed);
        foreach (var id in new[] { r, t, t1, t2 }) Assert.False((await SerialAsync(app, id)).Consumed);

        // The unit's own history: the three merge links into it and the transformation out of it, oldest first.
        var history = ofM["propagationHistory"]!.AsArray();
        Assert.Equal(["MERGE", "MERGE", "MERGE", "TRANSFORMATION"], history.Select(h => h!["propagationType"]!.GetValue<string>()));
        Assert.Equal(["OP-MERGE", "OP-MERGE", "OP-MERGE", "OP-XFORM"], history.Select(h => h!["operationCode"]!.GetValue<string>()));
        Assert.All(history, h => Assert.NotNull(h!["performedAt"]));
    }

    [Fact]
    public async Task A_diamond_lists_each_unit_once_at_its_shortest_depth()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 6);
        var (r, a, b, x, m, y) = (u[0], u[1], u[2], u[3], u[4], u[5]);
        // r splits into a and b, a splits into x, then x and b merge into m: r reaches m by paths of length 2 (via b) and 3 (via a, x).
        await SplitAsync(op, r, [a, b]);
        await SplitAsync(op, a, [x]);
        await MergeAsync(op, [x, b], m);
        await SplitAsync(op, m, [y]);

        var ofM = await LineageAsync(op, m);
        Assert.Equal(Expect((x, 1), (b, 1), (a, 2), (r, 2)), DepthMap(ofM, "ancestors"));
        var ofR = await LineageAsync(op, r);
        Assert.Equal(Expect((a, 1), (b, 1), (x, 2), (m, 2), (y, 3)), DepthMap(ofR, "descendants"));
        Assert.Equal(b, ofR["descendants"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == m)!["parentId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_genealogy_sixty_levels_deep_is_followed_to_the_end()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var chain = await UnitsAsync(app, 61);
        for (var i = 0; i < 60; i++) await SplitAsync(op, chain[i], [chain[i + 1]], seq: i);

        var ofLast = await LineageAsync(op, chain[60]);
        Assert.Equal(Expect(Enumerable.Range(0, 60).Select(i => (chain[i], 60 - i)).ToArray()), DepthMap(ofLast, "ancestors"));
        var ofFirst = await LineageAsync(op, chain[0]);
        Assert.Equal(Expect(Enumerable.Range(1, 60).Select(i => (chain[i], i)).ToArray()), DepthMap(ofFirst, "descendants"));
        // parentId walks back up to the unit, one level at a time.
        var deepest = ofFirst["descendants"]!.AsArray().Last()!;
        Assert.Equal(chain[59], deepest["parentId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_link_that_would_make_a_serial_its_own_ancestor_is_refused_and_nothing_is_written()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 4);
        await SplitAsync(op, u[0], [u[1]]);
        await SplitAsync(op, u[1], [u[2]]);
        var links = await LinkCountAsync(app);
        var audits = await AuditCountAsync(app);

        var split = await op.PostAsJsonAsync(Base + "/propagation/split",
            new { sourceSerialId = u[2], operationCode = "OP-LOOP", routingSequence = 1, targetSerialIds = new[] { u[3], u[0] } });
        Assert.Equal(HttpStatusCode.Conflict, split.StatusCode);
        var number = await NumberOfAsync(app, u[0]);
        await Golden.AssertBodyAsync(split, $$"""
            {"success":false,"data":null,"error":"CONFLICT","message":"Serial {{number}} is already an ancestor of the source: the link would make a serial its own ancestor","timestamp":"<time>"}
            """);

        var merge = await op.PostAsJsonAsync(Base + "/propagation/merge",
            new { sourceSerialIds = new[] { u[3], u[2] }, operationCode = "OP-LOOP", routingSequence = 1, targetSerialId = u[1] });
        Assert.Equal(HttpStatusCode.Conflict, merge.StatusCode);
        var transform = await op.PostAsJsonAsync(Base + "/propagation/transformation",
            new { sourceSerialId = u[1], operationCode = "OP-LOOP", routingSequence = 1, targetSerialId = u[0] });
        Assert.Equal(HttpStatusCode.Conflict, transform.StatusCode);

        Assert.Equal(links, await LinkCountAsync(app));
        Assert.Equal(audits, await AuditCountAsync(app));
        Assert.False((await SerialAsync(app, u[3])).Consumed);
        Assert.False((await SerialAsync(app, u[2])).Consumed);
    }

    [Fact]
    public async Task Concurrent_links_in_opposite_directions_cannot_close_a_cycle()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        for (var round = 0; round < 5; round++)
        {
            var u = await UnitsAsync(app, 2);
            var responses = await Task.WhenAll(
                op.PostAsJsonAsync(Base + "/propagation/split", new { sourceSerialId = u[0], operationCode = "OP-A", routingSequence = 1, targetSerialIds = new[] { u[1] } }),
                op.PostAsJsonAsync(Base + "/propagation/split", new { sourceSerialId = u[1], operationCode = "OP-B", routingSequence = 1, targetSerialIds = new[] { u[0] } }));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        }
        await using var db = app.RawDb();
        Assert.True((await AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("MA01"))).Intact);
    }

    [Fact]
    public async Task A_used_unit_cannot_be_merged_again()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 4);
        await MergeAsync(op, [u[0], u[1]], u[2]);
        var again = await op.PostAsJsonAsync(Base + "/propagation/merge", new { sourceSerialIds = new[] { u[1] }, operationCode = "OP-X", routingSequence = 1, targetSerialId = u[3] });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var body = await Golden.BodyAsync(again);
        Assert.Equal($"Serial {await NumberOfAsync(app, u[1])} is used (consumed into another unit) and cannot take part in a propagation", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task History_and_statistics_of_a_part_count_its_propagations()
    {
        var part = await NewPartAsync(app);
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 8, partId: part);
        await op.PostAsJsonAsync(Base + "/propagation/pass-through", new { sourceSerialId = u[0], operationCode = "OP-001", routingSequence = 1 });
        await SplitAsync(op, u[0], [u[1], u[2]], op: "OP-002");             // depth 1
        await MergeAsync(op, [u[1], u[2]], u[3], op: "OP-002");             // depth 2
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await SplitAsync(op, u[3], [u[4]], op: "OP-003");                   // depth 3
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await TransformAsync(op, [u[4]], u[5], op: "OP-003");               // depth 4

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var stats = (await viewer.GetFromJsonAsync<JsonNode>($"{Base}/propagation/statistics/{part}"))!["data"]!;
        Assert.Equal("""{"totalPropagations":7,"byType":{"PASS_THROUGH":1,"SPLIT":3,"MERGE":2,"TRANSFORMATION":1},"byOperation":{"OP-001":1,"OP-002":4,"OP-003":2},"averageDepth":2.2}""",
            stats.ToJsonString());

        var all = (await viewer.GetFromJsonAsync<JsonNode>($"{Base}/propagation/history/{part}"))!["data"]!.AsArray();
        Assert.Equal(7, all.Count);
        var merges = (await viewer.GetFromJsonAsync<JsonNode>($"{Base}/propagation/history/{part}?propagationType=MERGE"))!["data"]!.AsArray();
        Assert.Equal(2, merges.Count);
        Assert.All(merges, m => Assert.Equal(u[3], m!["targetSerialId"]!.GetValue<Guid>()));
        var op3 = (await viewer.GetFromJsonAsync<JsonNode>($"{Base}/propagation/history/{part}?operationCode=OP-003&limit=1&offset=1"))!["data"]!.AsArray();
        Assert.Single(op3);
        // Newest first: the second OP-003 record is the older split.
        Assert.Equal("SPLIT", op3[0]!["propagationType"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_explorer_search_finds_exact_prefix_and_no_match_on_this_provider()
    {
        // The prefix query ordered by the projected record once failed to translate ("could not be translated") and ended the circuit.
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var u = await UnitsAsync(app, 3, number: i => $"FIND-{tag}-{i + 1:00}");
        var (exact, prefix, none) = await app.AsUserAsync(DemoUsers.Viewer, async sp =>
        {
            var lineage = sp.GetRequiredService<LineageService>();
            return (await lineage.FindAsync($"FIND-{tag}-02"), await lineage.FindAsync($"find-{tag}-0"), await lineage.FindAsync($"FIND-{tag}-9"));
        });
        Assert.Equal([u[1]], exact.Select(m => m.Id));
        Assert.Equal([$"FIND-{tag}-01", $"FIND-{tag}-02", $"FIND-{tag}-03"], prefix.Select(m => m.SerialNumber));
        Assert.Empty(none);
    }

    [Fact]
    public async Task Every_propagation_appears_in_the_history_and_audit_of_each_unit_it_touched()
    {
        var u = await UnitsAsync(app, 5);
        var n = new List<string>();
        foreach (var id in u) n.Add(await NumberOfAsync(app, id));
        var op = await app.ClientForAsync(DemoUsers.Operator);
        await PostOkAsync(op, "/propagation/pass-through", new { sourceSerialId = u[0], operationCode = "OP-PT", routingSequence = 1 });
        await SplitAsync(op, u[0], [u[1], u[2]]);
        await MergeAsync(op, [u[1], u[2]], u[3]);
        await TransformAsync(op, [u[3]], u[4]);

        var pair = string.Join(", ", new[] { n[1], n[2] }.Order(StringComparer.Ordinal));
        var expected = new[]
        {
            new[] { "pass_through: Passed through OP-PT", $"split: Split into {pair} at OP-SPLIT" },
            new[] { $"split: Split from {n[0]} at OP-SPLIT", $"merge: Merged into {n[3]} at OP-MERGE" },
            new[] { $"split: Split from {n[0]} at OP-SPLIT", $"merge: Merged into {n[3]} at OP-MERGE" },
            new[] { $"merge: Merged from {pair} at OP-MERGE", $"transformation: Transformed into {n[4]} at OP-XFORM" },
            new[] { $"transformation: Transformed from {n[3]} at OP-XFORM" },
        };
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        for (var i = 0; i < u.Count; i++)
        {
            var unit = (await viewer.GetFromJsonAsync<JsonNode>($"/api/serials/{u[i]}"))!;
            var history = unit["history"]!.AsArray().Select(e => $"{e!["event"]}: {e["note"]}").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected[i].Order(StringComparer.Ordinal), history);
            var audit = unit["audit"]!.AsArray().Where(a => a!["action"]!.GetValue<string>() == "serial_genealogy")
                .Select(a => a!["summary"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected[i].Select(e => e[(e.IndexOf(": ", StringComparison.Ordinal) + 2)..]).Order(StringComparer.Ordinal), audit);
        }
    }
}

public sealed class SqliteLineageProviderTests(OperatorFactory app) : LineageProviderTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresLineageProviderTests(PostgresOperatorFactory app) : LineageProviderTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
