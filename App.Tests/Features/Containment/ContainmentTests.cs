using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Containment;
using Operator.Features.Holds;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Holds;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Containment;

/// <summary>
/// Containment (<c>/api/containment</c>) on SQLite and PostgreSQL: the preview's counts and what is already held, one
/// hold over the rest in one transaction with its origin audited, more targets than a hold request may name, roles,
/// isolation, and releasing with a disposition per item.
/// </summary>
public abstract class ContainmentTests<TFactory>(TFactory app) where TFactory : ContainmentFactory
{
    private const string Path = "/api/containment";

    private static object Origin(string number, string? description = "Supplier notified: tensile test failed") =>
        new { type = "certificate", number, description };

    private async Task<JsonNode> OkAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private sealed record Targets(IReadOnlyList<string> Serials, IReadOnlyList<Guid> SerialIds, (Guid Id, string Number) Order, (Guid Id, string Number) Batch,
        (Guid Id, string Number) Plate);

    /// <summary>Three units, a work order, a batch and a plate; the first unit and the work order already held by one hold.</summary>
    private async Task<(Targets Targets, string HeldBy)> ArrangeAsync()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var serials = await SerialsKit.NewSerialsAsync(app, op, 3);
        var ids = new List<Guid>();
        foreach (var s in serials) ids.Add(await SerialsKit.SerialIdAsync(app, s));
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var batch = await HoldsKit.NewBatchAsync(app);
        var plate = await HoldsKit.NewPlateAsync(app);
        var held = await HoldsKit.CreateAsync(app, inspector, items: [new { reference_type = "serial", reference_id = serials[0] }, HoldsKit.Wo(order.Id)]);
        return (new Targets(serials, ids, order, batch, plate), held["hold"]!["hold_number"]!.GetValue<string>());
    }

    private static object Body(Targets t, object origin, string? holdType = null, string? reason = null) => new
    {
        origin,
        serialIds = t.SerialIds,
        workOrderIds = new[] { t.Order.Id },
        batchIds = new[] { t.Batch.Id },
        licensePlateIds = new[] { t.Plate.Id },
        holdType,
        reason,
    };

    private async Task<int> HoldCountAsync()
    {
        await using var db = app.RawDb();
        return await db.Set<QualityHold>().IgnoreQueryFilters().CountAsync();
    }

    [Fact]
    public async Task The_preview_counts_each_kind_and_names_the_active_holds_already_holding_a_target_and_writes_nothing()
    {
        var (t, heldBy) = await ArrangeAsync();
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var holds = await HoldCountAsync();

        var preview = await OkAsync(await manager.PostAsJsonAsync($"{Path}/preview", Body(t, Origin("CERT-P"))), HttpStatusCode.OK);

        Assert.Equal("""{"targets":3,"toHold":2,"alreadyHeld":1}""", preview["units"]!.ToJsonString());
        Assert.Equal("""{"targets":1,"toHold":0,"alreadyHeld":1}""", preview["workOrders"]!.ToJsonString());
        Assert.Equal("""{"targets":1,"toHold":1,"alreadyHeld":0}""", preview["batches"]!.ToJsonString());
        Assert.Equal("""{"targets":1,"toHold":1,"alreadyHeld":0}""", preview["licensePlates"]!.ToJsonString());
        var already = preview["alreadyHeld"]!.AsArray();
        Assert.Equal([("serial", t.Serials[0]), ("wo", t.Order.Number)],
            already.Select(a => (a!["referenceType"]!.GetValue<string>(), a["referenceDisplay"]!.GetValue<string>())));
        Assert.All(already, a => Assert.Equal(heldBy, a!["holds"]![0]!["holdNumber"]!.GetValue<string>()));
        Assert.Equal(holds, await HoldCountAsync());
    }

    [Fact]
    public async Task Contain_puts_what_is_not_held_on_one_hold_audits_its_origin_and_stops_the_units()
    {
        var (t, _) = await ArrangeAsync();
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var cert = $"CERT-{Guid.NewGuid():N}"[..13];

        var contained = await OkAsync(await manager.PostAsJsonAsync(Path, Body(t, Origin(cert), reason: "Bad heat treatment lot")), HttpStatusCode.Created);

        Assert.Equal(("quarantine", "high", 4, 2, 0, 1, 1), (contained["holdType"]!.GetValue<string>(), contained["priority"]!.GetValue<string>(),
            contained["itemsCount"]!.GetValue<int>(), contained["units"]!.GetValue<int>(), contained["workOrders"]!.GetValue<int>(),
            contained["batches"]!.GetValue<int>(), contained["licensePlates"]!.GetValue<int>()));
        Assert.Equal($"Containment of certificate {cert}: Bad heat treatment lot", contained["reason"]!.GetValue<string>());
        Assert.Equal(2, contained["alreadyHeld"]!.AsArray().Count);
        var holdId = contained["holdId"]!.GetValue<string>();

        var detail = await OkAsync(await manager.GetAsync($"{HoldsKit.Path}/{holdId}"), HttpStatusCode.OK);
        Assert.Equal([t.Serials[1], t.Serials[2], t.Batch.Number, t.Plate.Number], detail["items"]!.AsArray().Select(i => i!["reference_display"]!.GetValue<string>()));
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, t.Plate.Id));
        var history = detail["history"]!.AsArray();
        Assert.Equal(["hold_created", "containment"], history.Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal($"Containment of certificate {cert} (Supplier notified: tensile test failed): 2 unit(s) held", history[1]!["summary"]!.GetValue<string>());

        await using (var db = app.RawDb())
        {
            var entries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == holdId).Select(a => a.Action).ToListAsync();
            Assert.Equal(1, entries.Count(a => a == "containment"));
            Assert.Equal(1, entries.Count(a => a == "hold_created"));
        }
        var origin = await app.AsUserAsync(DemoUsers.Manager, s => s.GetRequiredService<ContainmentService>().OriginOfAsync(Guid.Parse(holdId)));
        Assert.Equal(($"Certificate {cert}", 2), (origin!.Label, origin.Units));

        var advance = await SerialsKit.AdvanceAsync(op, t.Serials[2]);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Contains(contained["holdNumber"]!.GetValue<string>(), await advance.Content.ReadAsStringAsync());

        var again = await manager.PostAsJsonAsync(Path, Body(t, Origin(cert)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await Golden.AssertBodyAsync(again, $$"""{"error":"{{ContainmentService.NothingToHold}}"}""");
    }

    [Fact]
    public async Task A_containment_holds_more_targets_than_a_hold_request_may_name_up_to_its_own_limit()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        await SerialsKit.BatchAsync(op, order.Id.ToString(), 150);
        List<Guid> ids;
        await using (var db = app.RawDb())
        {
            ids = await db.Set<Operator.Features.Serials.Serial>().IgnoreQueryFilters().Where(s => s.WorkOrderId == order.Id).Select(s => s.Id).ToListAsync();
        }

        var contained = await OkAsync(await manager.PostAsJsonAsync(Path, new { origin = Origin("CERT-MANY"), serialIds = ids, holdType = "recall" }), HttpStatusCode.Created);
        Assert.Equal((150, 150, "recall"), (contained["itemsCount"]!.GetValue<int>(), contained["units"]!.GetValue<int>(), contained["holdType"]!.GetValue<string>()));

        var tooMany = Enumerable.Range(0, ContainmentService.MaxTargets + 1).Select(_ => Guid.NewGuid()).ToList();
        var refused = await manager.PostAsJsonAsync(Path, new { origin = Origin("CERT-MANY"), serialIds = tooMany });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"at most {ContainmentService.MaxTargets} targets", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_requests_unknown_or_foreign_targets_and_roles_below_qa_manager_are_refused_in_the_plain_shape()
    {
        var (t, _) = await ArrangeAsync();
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var foreign = await SerialsKit.SerialIdAsync(app, await SerialsKit.NewSerialAsync(app, other, org: "AC01"), "AC01");
        var holds = await HoldCountAsync();

        foreach (var email in new[] { DemoUsers.Inspector, DemoUsers.Operator, DemoUsers.Viewer })
        {
            var client = await app.ClientForAsync(email);
            var forbidden = await client.PostAsJsonAsync(Path, Body(t, Origin("CERT-R")));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            await Golden.AssertBodyAsync(forbidden, $$"""{"error":"{{ContainmentService.Forbidden}}"}""");
        }
        var unknown = await manager.PostAsJsonAsync(Path, new { origin = Origin("CERT-R"), serialIds = new[] { foreign } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Golden.AssertBodyAsync(unknown, """{"error":"Serial not found: <uuid>"}""");
        Assert.Contains(foreign.ToString(), await unknown.Content.ReadAsStringAsync());
        var previewForeign = await manager.PostAsJsonAsync($"{Path}/preview", new { serialIds = new[] { foreign } });
        Assert.Equal(HttpStatusCode.NotFound, previewForeign.StatusCode);

        var noOrigin = await manager.PostAsJsonAsync(Path, new { serialIds = t.SerialIds });
        Assert.Equal(HttpStatusCode.BadRequest, noOrigin.StatusCode);
        Assert.Contains("origin", await noOrigin.Content.ReadAsStringAsync());
        var badType = await manager.PostAsJsonAsync(Path, new { origin = Origin("CERT-R"), serialIds = t.SerialIds, holdType = "investigation" });
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        var nothing = await manager.PostAsJsonAsync(Path, new { origin = Origin("CERT-R") });
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        var malformed = await manager.PostAsJsonAsync(Path, new { origin = Origin("CERT-R"), serialIds = new[] { "not-a-uuid" } });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(holds, await HoldCountAsync());
    }

    [Fact]
    public async Task Releasing_a_containment_releases_what_it_holds_with_one_disposition_or_one_per_item()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var serial = await SerialsKit.NewSerialAsync(app, op);
        var first = await HoldsKit.NewPlateAsync(app);
        var second = await HoldsKit.NewPlateAsync(app);
        var contained = await OkAsync(await manager.PostAsJsonAsync(Path, new
        {
            origin = Origin("CERT-REL"), serialIds = new[] { await SerialsKit.SerialIdAsync(app, serial) }, licensePlateIds = new[] { first.Id, second.Id },
        }), HttpStatusCode.Created);
        var holdId = contained["holdId"]!.GetValue<string>();
        var items = (await OkAsync(await manager.GetAsync($"{HoldsKit.Path}/{holdId}"), HttpStatusCode.OK))["items"]!.AsArray();
        var secondItem = items.Single(i => i!["reference_id"]!.GetValue<Guid>() == second.Id)!["id"]!.GetValue<string>();

        var stranger = Guid.NewGuid().ToString();
        var unknown = await manager.PatchAsJsonAsync($"{HoldsKit.Path}/{holdId}/release",
            Sign.Body(new Dictionary<string, object> { ["disposition"] = "release", ["item_dispositions"] = new Dictionary<string, string> { [stranger] = "scrap" } }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal($"""["item_dispositions","{stranger}"]""", (await unknown.Content.ReadFromJsonAsync<JsonNode>())!["details"]![0]!["path"]!.ToJsonString());
        var badValue = await manager.PatchAsJsonAsync($"{HoldsKit.Path}/{holdId}/release",
            Sign.Body(new Dictionary<string, object> { ["disposition"] = "release", ["item_dispositions"] = new Dictionary<string, string> { [secondItem] = "burn" } }));
        Assert.Equal(HttpStatusCode.BadRequest, badValue.StatusCode);
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, second.Id));

        var released = await OkAsync(await manager.PatchAsJsonAsync($"{HoldsKit.Path}/{holdId}/release",
            Sign.Body(new Dictionary<string, object> { ["disposition"] = "release", ["item_dispositions"] = new Dictionary<string, string> { [secondItem] = "scrap" } })), HttpStatusCode.OK);

        Assert.Equal("release", released["hold"]!["disposition"]!.GetValue<string>());
        Assert.Equal($$"""{"{{secondItem}}":"scrap"}""", released["item_dispositions"]!.ToJsonString());
        Assert.Equal("passed", await HoldsKit.QaStatusAsync(app, first.Id));
        Assert.Equal("scrap", await HoldsKit.QaStatusAsync(app, second.Id));
        var detail = await OkAsync(await manager.GetAsync($"{HoldsKit.Path}/{holdId}"), HttpStatusCode.OK);
        Assert.Equal($$"""{"{{secondItem}}":"scrap"}""", detail["item_dispositions"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(op, serial)).StatusCode);

        // One disposition for all: the answer keeps the contract's shape exactly (no extension field).
        var plain = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager));
        var plainReleased = await OkAsync(await HoldsKit.ReleaseAsync(manager, plain, "rework"), HttpStatusCode.OK);
        Assert.Null(plainReleased["item_dispositions"]);
        Assert.False(plainReleased.AsObject().ContainsKey("item_dispositions"));
    }

    [Fact]
    public async Task A_failure_after_the_rows_were_sent_and_before_commit_leaves_nothing_of_the_containment()
    {
        var (t, _) = await ArrangeAsync();
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        await using var before = app.RawDb();
        var holds = await before.Set<QualityHold>().IgnoreQueryFilters().CountAsync();
        var items = await before.Set<QualityHoldItem>().IgnoreQueryFilters().CountAsync();
        var audit = await before.AuditEntries.IgnoreQueryFilters().CountAsync();
        var counters = await before.Set<Counter>().IgnoreQueryFilters().OrderBy(c => c.OrganizationId).ThenBy(c => c.Name).Select(c => c.Value).ToListAsync();

        app.Probe.FailNext();
        var failed = await manager.PostAsJsonAsync(Path, Body(t, Origin("CERT-FAIL")));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.True(app.Probe.Failed, "the containment reached its last moment before commit");
        await using var after = app.RawDb();
        Assert.Equal(holds, await after.Set<QualityHold>().IgnoreQueryFilters().CountAsync());
        Assert.Equal(items, await after.Set<QualityHoldItem>().IgnoreQueryFilters().CountAsync());
        Assert.Equal(audit, await after.AuditEntries.IgnoreQueryFilters().CountAsync());
        Assert.Equal(counters, await after.Set<Counter>().IgnoreQueryFilters().OrderBy(c => c.OrganizationId).ThenBy(c => c.Name).Select(c => c.Value).ToListAsync());
        Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, t.Plate.Id));
        var op = await app.ClientForAsync(DemoUsers.Operator);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(op, t.Serials[2])).StatusCode);
    }
}

/// <summary>The app with a containment probe that a test can make fail once, after the rows were sent and before commit.</summary>
public class ContainmentFactory : OperatorFactory
{
    public ContainmentFactory() : this(DatabaseProvider.Sqlite)
    {
    }

    protected ContainmentFactory(DatabaseProvider provider) : base(provider)
    {
    }

    public FailingContainmentProbe Probe { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IContainmentProbe>(Probe));
    }
}

public sealed class PostgresContainmentFactory() : ContainmentFactory(DatabaseProvider.Postgres);

public sealed class FailingContainmentProbe : IContainmentProbe
{
    private int _armed;

    public bool Failed { get; private set; }

    public void FailNext() => Interlocked.Exchange(ref _armed, 1);

    public ValueTask SavedAsync(Guid holdId, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0) return ValueTask.CompletedTask;
        Failed = true;
        throw new InvalidOperationException("Forced failure between the containment's writes and its commit (test probe)");
    }
}

public sealed class SqliteContainmentTests(ContainmentFactory app) : ContainmentTests<ContainmentFactory>(app), IClassFixture<ContainmentFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresContainmentTests(PostgresContainmentFactory app) : ContainmentTests<PostgresContainmentFactory>(app), IClassFixture<PostgresContainmentFactory>;
