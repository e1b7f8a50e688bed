using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Infrastructure.Audit;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>Release and disposal: state transitions, license plate statuses, audit trail, and what other features read.</summary>
public sealed class HoldLifecycleTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private async Task<JsonNode> DetailAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{id}"))!;

    [Theory]
    [InlineData("release", "passed")]
    [InlineData("rework", "pending")]
    [InlineData("scrap", "scrap")]
    [InlineData("return", "rejected")]
    public async Task Release_sets_each_plate_from_the_disposition(string disposition, string status)
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var plate = await HoldsKit.NewPlateAsync(app, qaStatus: "passed");
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var created = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Lp(plate.Id, 5, "kg"), HoldsKit.Wo(order.Id)]);
        Assert.Equal("""[{"lp_id":"ID","lp_number":"NUM","previous_status":"passed","new_status":"hold"}]""".Replace("ID", plate.Id.ToString()).Replace("NUM", plate.Number),
            created["lp_updates"]!.ToJsonString());
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, plate.Id));

        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var response = await HoldsKit.ReleaseAsync(manager, HoldsKit.Id(created), disposition, "  Checked by the lab.  ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var released = await Golden.BodyAsync(response);
        var hold = released["hold"]!;
        Assert.Equal("released", hold["status"]!.GetValue<string>());
        Assert.Equal(disposition, hold["disposition"]!.GetValue<string>());
        Assert.Equal("Checked by the lab.", hold["release_notes"]!.GetValue<string>());
        Assert.Equal("Max Manager", hold["released_by"]!["name"]!.GetValue<string>());
        Assert.Equal("manager@ma01.demo", hold["released_by"]!["email"]!.GetValue<string>());
        Assert.Equal(hold["released_by"]!["id"]!.GetValue<string>(), hold["updated_by"]!.GetValue<string>());
        Assert.NotEqual(hold["created_by"]!.GetValue<string>(), hold["updated_by"]!.GetValue<string>());
        Assert.Equal(2, released["items"]!.AsArray().Count);
        Assert.Equal($$"""[{"lp_id":"{{plate.Id}}","lp_number":"{{plate.Number}}","previous_status":"hold","new_status":"{{status}}"}]""",
            released["lp_updates"]!.ToJsonString());
        Assert.Equal(status, await HoldsKit.QaStatusAsync(app, plate.Id));

        var detail = await DetailAsync(manager, HoldsKit.Id(created));
        var changes = detail["lp_status_changes"]!.AsArray();
        Assert.Equal(2, changes.Count);
        Assert.Equal(["passed>hold:hold_created:Ines Inspector", $"hold>{status}:hold_released:Max Manager"],
            changes.Select(c => $"{c!["previous_status"]}>{c["new_status"]}:{c["action"]}:{c["changed_by"]!["name"]}"));
        Assert.Equal(["hold_created", "hold_released"], detail["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("manager@ma01.demo", detail["history"]![1]!["by"]!["email"]!.GetValue<string>());
        Assert.Contains(disposition, detail["history"]![1]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_second_release_and_a_release_after_disposal_are_conflicts()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var plate = await HoldsKit.NewPlateAsync(app);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]));
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, id, "scrap")).StatusCode);

        var twice = await HoldsKit.ReleaseAsync(manager, id, "release");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        await Golden.AssertBodyAsync(twice, """{"error":"Quality hold is already released"}""");
        Assert.Equal("scrap", await HoldsKit.QaStatusAsync(app, plate.Id));

        // A released hold may still be archived; its plates keep the disposition's status.
        Assert.Equal(HttpStatusCode.NoContent, (await manager.SignedDeleteAsync($"{HoldsKit.Path}/{id}")).StatusCode);
        Assert.Equal("scrap", await HoldsKit.QaStatusAsync(app, plate.Id));
        var afterDisposal = await HoldsKit.ReleaseAsync(manager, id, "release");
        Assert.Equal(HttpStatusCode.Conflict, afterDisposal.StatusCode);
        await Golden.AssertBodyAsync(afterDisposal, """{"error":"Quality hold is disposed and can no longer be released"}""");
        var disposeTwice = await manager.SignedDeleteAsync($"{HoldsKit.Path}/{id}");
        Assert.Equal(HttpStatusCode.Conflict, disposeTwice.StatusCode);
        await Golden.AssertBodyAsync(disposeTwice, """{"error":"Quality hold is already disposed"}""");

        var detail = await DetailAsync(manager, id);
        Assert.Equal("disposed", detail["hold"]!["status"]!.GetValue<string>());
        Assert.Equal("scrap", detail["hold"]!["disposition"]!.GetValue<string>());
        Assert.Equal(["hold_created", "hold_released", "hold_disposed"], detail["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Concurrent_releases_of_one_hold_give_one_success_and_conflicts()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => HoldsKit.ReleaseAsync(manager, id)));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await using var db = app.RawDb();
        Assert.Equal(1, await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.EntityId == id && a.Action == "hold_released"));
    }

    [Fact]
    public async Task Disposing_an_active_hold_gives_plates_back_their_status()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var passed = await HoldsKit.NewPlateAsync(app, qaStatus: "passed");
        var pending = await HoldsKit.NewPlateAsync(app);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(passed.Id), HoldsKit.Lp(pending.Id)]));
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, passed.Id));
        Assert.Equal(HttpStatusCode.NoContent, (await manager.SignedDeleteAsync($"{HoldsKit.Path}/{id}")).StatusCode);
        Assert.Equal("passed", await HoldsKit.QaStatusAsync(app, passed.Id));
        Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, pending.Id));
        var detail = await DetailAsync(manager, id);
        Assert.Equal(["hold_disposed", "hold_disposed"], detail["lp_status_changes"]!.AsArray().Skip(2).Select(c => c!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_plate_held_by_two_holds_stays_on_hold_until_the_last_one_ends()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var plate = await HoldsKit.NewPlateAsync(app, qaStatus: "passed");
        var first = await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]);
        var second = await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]);
        Assert.Equal("hold", second["lp_updates"]![0]!["previous_status"]!.GetValue<string>());

        var released = await Golden.BodyAsync(await HoldsKit.ReleaseAsync(manager, HoldsKit.Id(first)));
        Assert.Equal("hold", released["lp_updates"]![0]!["new_status"]!.GetValue<string>());
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, plate.Id));

        // The second hold found the plate already on hold; withdrawing it leaves the plate awaiting QA.
        Assert.Equal(HttpStatusCode.NoContent, (await manager.SignedDeleteAsync($"{HoldsKit.Path}/{HoldsKit.Id(second)}")).StatusCode);
        Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, plate.Id));
    }

    [Fact]
    public async Task Every_change_is_in_the_audit_trail_and_the_chain_stays_intact()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var plate = await HoldsKit.NewPlateAsync(app);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]));
        await HoldsKit.ReleaseAsync(manager, id, "rework", "Back to the line");
        await manager.SignedDeleteAsync($"{HoldsKit.Path}/{id}");

        await using var db = app.RawDb();
        var holdEntries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityType == "quality_hold" && a.EntityId == id).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(["hold_created", "hold_released", "hold_disposed"], holdEntries.Select(a => a.Action));
        Assert.All(holdEntries, a => Assert.Equal("manager@ma01.demo", a.UserEmail));
        Assert.Contains("\"disposition\":\"rework\"", holdEntries[1].After);
        Assert.Contains("\"status\":\"active\"", holdEntries[1].Before);
        var plateEntries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityType == "license_plate" && a.EntityId == plate.Id.ToString()).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(["qa_status_changed", "qa_status_changed"], plateEntries.Select(a => a.Action));
        Assert.Contains("\"qa_status\":\"hold\"", plateEntries[0].After);
        Assert.Contains("\"qa_status\":\"pending\"", plateEntries[1].After);

        var org = await app.OrganizationIdAsync("MA01");
        Assert.True((await AuditTrail.VerifyAsync(db, org)).Intact);
        Assert.True((await AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("AC01"))).Intact);
    }

    [Theory]
    [InlineData("{}", "invalid_type", "[\"disposition\"]")]
    [InlineData("{\"disposition\": \"Release\"}", "invalid_enum_value", "[\"disposition\"]")]
    [InlineData("{\"disposition\": \"approve\"}", "invalid_enum_value", "[\"disposition\"]")]
    [InlineData("{\"disposition\": 1}", "invalid_type", "[\"disposition\"]")]
    [InlineData("{\"disposition\": \"release\", \"release_notes\": 5}", "invalid_type", "[\"release_notes\"]")]
    [InlineData("[]", "invalid_type", "[]")]
    [InlineData("{\"disposition\": ", "invalid_type", null)]
    public async Task Release_body_rules(string body, string code, string? path)
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var response = await manager.PatchAsync($"{HoldsKit.Path}/{id}/release", Golden.Raw(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await Golden.BodyAsync(response);
        Assert.Equal("Invalid request data", json["error"]!.GetValue<string>());
        Assert.Contains(json["details"]!.AsArray(), d => d!["code"]!.GetValue<string>() == code && (path is null || d["path"]!.ToJsonString() == path));
        Assert.Equal("active", (await DetailAsync(manager, id))["hold"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Release_notes_are_optional_and_at_most_1000_characters()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var tooLong = await HoldsKit.ReleaseAsync(manager, id, "release", new string('n', 1001));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("too_big", (await Golden.BodyAsync(tooLong))["details"]![0]!["code"]!.GetValue<string>());
        var ok = await manager.PatchAsync($"{HoldsKit.Path}/{id}/release", Sign.Raw("""{"disposition": "release"}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Null((await Golden.BodyAsync(ok))["hold"]!["release_notes"]);
    }

    [Fact]
    public async Task Active_holds_on_a_work_order_or_batch_block_it_until_released()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var batch = await HoldsKit.NewBatchAsync(app);
        var low = await HoldsKit.CreateAsync(app, inspector, "low", items: [HoldsKit.Wo(order.Id)]);
        var critical = await HoldsKit.CreateAsync(app, inspector, "critical", "quarantine", items: [HoldsKit.Bt(batch.Id), HoldsKit.Wo(order.Id)]);

        var blocking = await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<BlockingHolds>().GetBlockingHoldsAsync(order.Id, batch.Id));
        Assert.Equal([HoldsKit.Id(critical), HoldsKit.Id(critical), HoldsKit.Id(low)], blocking.Select(b => b.HoldId.ToString()));
        Assert.StartsWith($"On hold: {critical["hold"]!["hold_number"]} (quarantine) holds", blocking[0].Message);
        Assert.Empty(await app.AsUserAsync(DemoUsers.OtherAdmin, sp => sp.GetRequiredService<BlockingHolds>().GetBlockingHoldsAsync(order.Id, batch.Id)));

        await HoldsKit.ReleaseAsync(inspector, HoldsKit.Id(critical));
        var after = await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<BlockingHolds>().GetBlockingHoldsAsync(order.Id, batch.Id));
        Assert.Equal([HoldsKit.Id(low)], after.Select(b => b.HoldId.ToString()));
        Assert.Empty(await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<BlockingHolds>().GetBlockingHoldsAsync(null, batch.Id)));
        Assert.Empty(await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<BlockingHolds>().GetBlockingHoldsAsync(null, null)));
    }

    [Fact]
    public async Task Typed_or_scanned_numbers_resolve_within_the_organization()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var batch = await HoldsKit.NewBatchAsync(app);
        async Task<Operator.Infrastructure.Api.Result<ResolvedReference>> Resolve(string user, string text) =>
            await app.AsUserAsync(user, sp => sp.GetRequiredService<HoldLookup>().ResolveReferenceAsync(text));

        var lp = await Resolve(DemoUsers.Inspector, $"  {plate.Number.ToLowerInvariant()} ");
        Assert.True(lp.IsSuccess);
        Assert.Equal(("lp", plate.Id, plate.Number), (lp.Value.ReferenceType, lp.Value.ReferenceId, lp.Value.Display));
        Assert.Contains("Warehouse A", lp.Value.Description);
        Assert.Equal(("wo", order.Id), ((await Resolve(DemoUsers.Inspector, order.Number)).Value.ReferenceType, (await Resolve(DemoUsers.Inspector, order.Number)).Value.ReferenceId));
        Assert.Equal(("batch", batch.Id), ((await Resolve(DemoUsers.Inspector, batch.Number)).Value.ReferenceType, (await Resolve(DemoUsers.Inspector, batch.Number)).Value.ReferenceId));
        Assert.Equal(plate.Id, (await Resolve(DemoUsers.Inspector, plate.Id.ToString())).Value.ReferenceId);

        var unknown = await Resolve(DemoUsers.Inspector, "LP-99999");
        Assert.Equal(Operator.Infrastructure.Api.ErrorKind.NotFound, unknown.Error!.Kind);
        Assert.False((await Resolve(DemoUsers.OtherAdmin, plate.Number)).IsSuccess);
        Assert.Equal(Operator.Infrastructure.Api.ErrorKind.Validation, (await Resolve(DemoUsers.Inspector, "  ")).Error!.Kind);
    }

    [Theory]
    [InlineData("critical", 11.99, 11, "normal")]
    [InlineData("critical", 12, 12, "warning")]
    [InlineData("critical", 23.99, 23, "warning")]
    [InlineData("critical", 24, 24, "critical")]
    [InlineData("high", 23.5, 23, "normal")]
    [InlineData("high", 24, 24, "warning")]
    [InlineData("high", 48, 48, "critical")]
    [InlineData("medium", 47, 47, "normal")]
    [InlineData("medium", 48, 48, "warning")]
    [InlineData("medium", 96, 96, "critical")]
    [InlineData("low", 71, 71, "normal")]
    [InlineData("low", 72, 72, "warning")]
    [InlineData("low", 143.9, 143, "warning")]
    [InlineData("low", 144, 144, "critical")]
    public void Aging_follows_the_priority_thresholds(string priority, double hours, int expectedHours, string expected)
    {
        var heldAt = new DateTime(2025, 2, 9, 10, 30, 0, DateTimeKind.Utc);
        Assert.Equal((expectedHours, expected), HoldAging.Compute(priority, heldAt, null, heldAt.AddHours(hours)));
    }

    [Fact]
    public void A_closed_hold_stops_ageing_when_it_was_closed()
    {
        var heldAt = new DateTime(2025, 2, 9, 10, 30, 0, DateTimeKind.Utc);
        Assert.Equal((5, "normal"), HoldAging.Compute("critical", heldAt, heldAt.AddHours(5), heldAt.AddDays(30)));
        Assert.Equal((0, "normal"), HoldAging.Compute("low", heldAt, null, heldAt.AddHours(-3)));
    }

    [Fact]
    public async Task The_list_detail_and_dashboard_age_holds_by_the_clock()
    {
        var start = new DateTimeOffset(2033, 6, 1, 0, 0, 0, TimeSpan.Zero);
        app.Clock.Set(start);
        var marker = "aging" + Guid.NewGuid().ToString("N")[..8];
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var ids = new Dictionary<string, string>();
        foreach (var priority in new[] { "low", "medium", "high", "critical" })
        {
            ids[priority] = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector, priority, reason: $"Aging check for {priority} [{marker}]"));
        }
        var closed = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector, "critical", reason: $"Closed after one hour [{marker}]"));
        app.Clock.Set(start.AddHours(1));
        await HoldsKit.ReleaseAsync(await app.ClientForAsync(DemoUsers.Inspector), closed);

        // 50 hours later: low normal, medium warning, high critical (2x24), critical critical.
        app.Clock.Set(start.AddHours(50));
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var list = (await viewer.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}?search={marker}&limit=100"))!["holds"]!.AsArray();
        var aging = list.ToDictionary(h => h!["id"]!.GetValue<string>(), h => (h!["aging_hours"]!.GetValue<int>(), h["aging_status"]!.GetValue<string>()));
        Assert.Equal((50, "normal"), aging[ids["low"]]);
        Assert.Equal((50, "warning"), aging[ids["medium"]]);
        Assert.Equal((50, "critical"), aging[ids["high"]]);
        Assert.Equal((50, "critical"), aging[ids["critical"]]);
        Assert.Equal((1, "normal"), aging[closed]);
        var detail = await DetailAsync(viewer, ids["medium"]);
        Assert.Equal(50, detail["aging_hours"]!.GetValue<int>());
        Assert.Equal("warning", detail["aging_status"]!.GetValue<string>());

        var summary = await app.AsUserAsync(DemoUsers.Viewer, sp => sp.GetRequiredService<HoldDashboard>().GetActiveSummaryAsync());
        Assert.True(summary.Total >= 4);
        Assert.Equal(summary.Total, summary.ByPriority.Values.Sum());
        Assert.Equal(summary.Total, summary.ByAging.Values.Sum());
        Assert.True(summary.ByPriorityAndAging["high"]["critical"] >= 1);
        Assert.True(summary.ByPriorityAndAging["medium"]["warning"] >= 1);
        Assert.True(summary.ByPriorityAndAging["low"]["normal"] >= 1);

        // Settle the clock and the holds again for the other tests of this class.
        app.Clock.Set(DateTimeOffset.UtcNow);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        foreach (var id in ids.Values) await HoldsKit.ReleaseAsync(manager, id);
    }
}
