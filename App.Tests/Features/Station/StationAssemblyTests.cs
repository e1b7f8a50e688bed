using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Features.Station;
using Operator.Infrastructure.Api;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Station;

/// <summary>
/// Assembly and split by scanning at the station (<see cref="StationAssemblyService"/>) on each provider: every scan
/// rule with its words, Done recording exactly what the API's merge records (plus the station's name), the split, and a
/// component used by another assembly between its scan and Done.
/// </summary>
public abstract class StationAssemblyTests<TFactory>(TFactory app) : IClassFixture<TFactory> where TFactory : OperatorFactory
{
    private const string Merge = "/api/v1/serialization/propagation/merge";

    private Task<T> AsOperator<T>(Func<StationAssemblyService, Task<T>> work) =>
        app.AsUserAsync(DemoUsers.Operator, sp => work(sp.GetRequiredService<StationAssemblyService>()));

    private async Task<IReadOnlyList<string>> UnitsAsync(int count) =>
        await SerialsKit.NewSerialsAsync(app, await app.ClientForAsync(DemoUsers.Operator), count);

    private async Task<Serial> RowAsync(string number, string org = "MA01")
    {
        var orgId = await app.OrganizationIdAsync(org);
        await using var db = app.RawDb();
        return await db.Set<Serial>().IgnoreQueryFilters().SingleAsync(s => s.SerialNumber == number && s.OrganizationId == orgId);
    }

    private async Task<List<SerialLink>> LinksIntoAsync(Guid target)
    {
        await using var db = app.RawDb();
        return await db.Set<SerialLink>().IgnoreQueryFilters().Where(l => l.TargetSerialId == target).OrderBy(l => l.SourceSerialId).ToListAsync();
    }

    [Fact]
    public async Task Each_scan_is_checked_at_once_and_refused_in_words()
    {
        var u = await UnitsAsync(4);
        var session = new AssemblySession(AssemblyKind.Merge);

        var early = await AsOperator(s => s.ScanItemAsync(session, u[1]));
        Assert.Equal(ScanKind.Rejected, early.Kind);
        Assert.Equal("Scan the unit being assembled first (or create it from its work order).", early.Message);

        var parent = await AsOperator(s => s.ScanParentAsync(session, $" {u[0].ToLowerInvariant()} "));
        Assert.Equal(ScanKind.Unit, parent.Kind);
        Assert.Equal(u[0], session.Parent!.SerialNumber);

        var nothing = await AsOperator(s => s.ScanItemAsync(session, "   "));
        Assert.Equal("Nothing was scanned. Scan a serial number.", nothing.Message);
        var unknown = await AsOperator(s => s.ScanItemAsync(session, "SN-NOPE-1"));
        Assert.Equal("Unknown serial \"SN-NOPE-1\": no unit of your organization has this number.", unknown.Message);
        var other = await SerialsKit.NewSerialAsync(app, await app.ClientForAsync(DemoUsers.OtherAdmin), org: "AC01");
        // Numbers repeat across organizations: its UUID names only the other organization's unit.
        var otherId = (await RowAsync(other, "AC01")).Id.ToString();
        var foreign = await AsOperator(s => s.ScanItemAsync(session, otherId));
        Assert.Equal($"Unknown serial \"{otherId}\": no unit of your organization has this number.", foreign.Message);
        var itself = await AsOperator(s => s.ScanItemAsync(session, u[0]));
        Assert.Equal($"{u[0]} is the unit being assembled: it cannot go into itself.", itself.Message);

        var added = await AsOperator(s => s.ScanItemAsync(session, u[1]));
        Assert.Equal(ScanKind.Recorded, added.Kind);
        Assert.Equal($"{u[1]} added", added.Title);
        var again = await AsOperator(s => s.ScanItemAsync(session, u[1]));
        Assert.Equal(ScanKind.AlreadyRecorded, again.Kind);
        Assert.Equal($"{u[1]} is already in the list. Nothing was added.", again.Message);
        Assert.Single(session.Items);

        await using (var db = app.RawDb())
        {
            var org = await app.OrganizationIdAsync("MA01");
            await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.SerialNumber == u[2] && s.OrganizationId == org).ExecuteUpdateAsync(x => x.SetProperty(s => s.Status, SerialStatus.Scrapped));
            await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.SerialNumber == u[3] && s.OrganizationId == org).ExecuteUpdateAsync(x => x.SetProperty(s => s.Status, SerialStatus.Cancelled));
        }
        Assert.Equal($"{u[2]} is scrapped: it cannot go into an assembly.", (await AsOperator(s => s.ScanItemAsync(session, u[2]))).Message);
        Assert.Equal($"{u[3]} is cancelled: it cannot go into an assembly.", (await AsOperator(s => s.ScanItemAsync(session, u[3]))).Message);
        Assert.Single(session.Items);
    }

    [Fact]
    public async Task Used_held_and_looping_components_are_refused()
    {
        var u = await UnitsAsync(3);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var ids = new List<Guid>();
        foreach (var n in u) ids.Add((await RowAsync(n)).Id);
        // u[1] went into u[2] through the API.
        var merged = await client.PostAsJsonAsync(Merge, new { sourceSerialIds = new[] { ids[1] }, targetSerialId = ids[2], operationCode = "OP-1", routingSequence = 1 });
        Assert.Equal(HttpStatusCode.Created, merged.StatusCode);

        var session = new AssemblySession(AssemblyKind.Merge);
        await AsOperator(s => s.ScanParentAsync(session, u[0]));
        Assert.Equal($"{u[1]} is already used: it went into another unit and cannot go into an assembly.", (await AsOperator(s => s.ScanItemAsync(session, u[1]))).Message);

        Assert.Equal($"{u[1]} is already used: it went into another unit and cannot be assembled.",
            (await AsOperator(s => s.ScanParentAsync(new AssemblySession(AssemblyKind.Merge), u[1]))).Message);

        // A unit whose work order is held.
        var heldUnit = (await UnitsAsync(1))[0];
        var heldRow = await RowAsync(heldUnit);
        var hold = await Holds.HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), items: [Holds.HoldsKit.Wo(heldRow.WorkOrderId!.Value)]);
        var number = hold["hold"]!["hold_number"]!.GetValue<string>();
        var refused = await AsOperator(s => s.ScanItemAsync(session, heldUnit));
        Assert.Equal(ScanKind.Rejected, refused.Kind);
        Assert.StartsWith($"{heldUnit} cannot go into an assembly: blocked by quality hold {number}", refused.Message);
        var heldParent = await AsOperator(s => s.ScanParentAsync(new AssemblySession(AssemblyKind.Merge), heldUnit));
        Assert.StartsWith($"{heldUnit} cannot be assembled: blocked by quality hold {number}", heldParent.Message);
        Assert.Empty(session.Items);
    }

    [Fact]
    public async Task A_split_target_that_is_an_ancestor_of_the_source_is_refused()
    {
        var u = await UnitsAsync(2);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var a = (await RowAsync(u[0])).Id;
        var b = (await RowAsync(u[1])).Id;
        var split = await client.PostAsJsonAsync("/api/v1/serialization/propagation/split",
            new { sourceSerialId = a, targetSerialIds = new[] { b }, operationCode = "OP-1", routingSequence = 1 });
        Assert.Equal(HttpStatusCode.Created, split.StatusCode);

        var session = new AssemblySession(AssemblyKind.Split);
        await AsOperator(s => s.ScanParentAsync(session, u[1]));
        var refused = await AsOperator(s => s.ScanItemAsync(session, u[0]));
        Assert.Equal($"{u[0]} is already an ancestor of {u[1]}: it cannot come out of it.", refused.Message);
    }

    [Fact]
    public async Task Done_records_what_the_api_merge_records_with_the_station_name()
    {
        var station = await UnitsAsync(4);
        var api = await UnitsAsync(4);
        var session = new AssemblySession(AssemblyKind.Merge);
        await AsOperator(s => s.ScanParentAsync(session, station[0]));
        foreach (var c in station.Skip(1)) Assert.Equal(ScanKind.Recorded, (await AsOperator(s => s.ScanItemAsync(session, c))).Kind);
        var done = await AsOperator(s => s.DoneAsync(session, new AssemblyStation("Line 3", StationActions.All)));
        Assert.True(done.IsSuccess, done.Error?.Message);
        Assert.Equal(LinkTypes.Merge, done.Value.PropagationType);
        Assert.Equal($"3 components assembled into {station[0]}.", done.Value.Message);
        Assert.Null(session.Parent);

        var parent = await RowAsync(station[0]);
        var apiParent = await RowAsync(api[0]);
        var apiSources = new List<Guid>();
        foreach (var n in api.Skip(1)) apiSources.Add((await RowAsync(n)).Id);
        var links = await LinksIntoAsync(parent.Id);
        var response = await (await app.ClientForAsync(DemoUsers.Operator)).PostAsJsonAsync(Merge, new
        {
            sourceSerialIds = apiSources, targetSerialId = apiParent.Id, operationCode = links[0].OperationCode, routingSequence = links[0].RoutingSequence,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var apiLinks = await LinksIntoAsync(apiParent.Id);

        Assert.Equal(3, links.Count);
        Assert.All(links, l => Assert.Equal("Line 3", l.StationName));
        Assert.All(apiLinks, l => Assert.Null(l.StationName));
        Assert.Equal(Shape(apiLinks), Shape(links));
        foreach (var n in station.Skip(1)) Assert.True((await RowAsync(n)).Consumed);

        Assert.Equal(await AuditShapeAsync(apiLinks[0].GroupId, api), await AuditShapeAsync(links[0].GroupId, station));
    }

    private static List<string> Shape(IEnumerable<SerialLink> links) =>
        links.Select(l => $"{l.Type}|{l.OperationCode}|{l.RoutingSequence}|{l.WorkCenterId}|{l.Quantity}|{l.CreatedBy}|{l.PartId}").Order().ToList();

    /// <summary>The audit entries of one propagation (on the group and on each unit): actions and the names of what they recorded.</summary>
    private async Task<List<string>> AuditShapeAsync(Guid groupId, IReadOnlyList<string> numbers)
    {
        await using var db = app.RawDb();
        var ids = new List<string>();
        foreach (var n in numbers) ids.Add((await RowAsync(n)).Id.ToString());
        var group = groupId.ToString();
        var entries = await db.AuditEntries.IgnoreQueryFilters()
            .Where(a => a.EntityId == group || (ids.Contains(a.EntityId) && a.Action == SerialAudit.Genealogy)).ToListAsync();
        return entries.Select(e => $"{e.Action}|{e.EntityType}|{e.UserEmail}|{string.Join(",", JsonNode.Parse(e.After!)!.AsObject().Select(p => p.Key))}")
            .Order().ToList();
    }

    [Fact]
    public async Task A_transformation_and_a_parent_created_from_a_work_order()
    {
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var u = await UnitsAsync(2);
        var session = new AssemblySession(AssemblyKind.Transformation);
        var created = await AsOperator(s => s.CreateParentAsync(session, order.Number));
        Assert.Equal(ScanKind.Recorded, created.Kind);
        var parent = session.Parent!;
        Assert.Equal(order.Id, parent.WorkOrderId);
        foreach (var c in u) await AsOperator(s => s.ScanItemAsync(session, c));
        var done = await AsOperator(s => s.DoneAsync(session, new AssemblyStation("Station", StationActions.All)));
        Assert.True(done.IsSuccess, done.Error?.Message);
        Assert.Equal(LinkTypes.Transformation, done.Value.PropagationType);
        var links = await LinksIntoAsync(parent.Id);
        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.Equal(LinkTypes.Transformation, l.Type));

        var none = await AsOperator(s => s.CreateParentAsync(new AssemblySession(AssemblyKind.Merge), "WO-NOPE"));
        Assert.Equal("Work order not found: WO-NOPE", none.Message);
    }

    [Fact]
    public async Task A_split_records_the_scanned_and_the_generated_targets_at_the_station()
    {
        var u = await UnitsAsync(2);
        var session = new AssemblySession(AssemblyKind.Split);
        await AsOperator(s => s.ScanParentAsync(session, u[0]));
        Assert.Equal(ScanKind.Recorded, (await AsOperator(s => s.ScanItemAsync(session, u[1]))).Kind);
        session.Generate = 2;
        var done = await AsOperator(s => s.DoneAsync(session, new AssemblyStation("Split bench", StationActions.All)));
        Assert.True(done.IsSuccess, done.Error?.Message);
        Assert.Equal(3, done.Value.SerialNumbers.Count);

        var source = await RowAsync(u[0]);
        await using var db = app.RawDb();
        var links = await db.Set<SerialLink>().IgnoreQueryFilters().Where(l => l.SourceSerialId == source.Id).ToListAsync();
        Assert.Equal(3, links.Count);
        Assert.All(links, l => Assert.Equal((LinkTypes.Split, "Split bench"), (l.Type, l.StationName)));
        Assert.Single(links.Select(l => l.GroupId).Distinct());
        Assert.False(source.Consumed);
    }

    [Fact]
    public async Task A_component_used_by_another_assembly_between_its_scan_and_Done_makes_Done_refuse_and_write_nothing()
    {
        var u = await UnitsAsync(4);
        var first = new AssemblySession(AssemblyKind.Merge);
        var second = new AssemblySession(AssemblyKind.Merge);
        await AsOperator(s => s.ScanParentAsync(first, u[0]));
        await AsOperator(s => s.ScanItemAsync(first, u[2]));
        await AsOperator(s => s.ScanItemAsync(first, u[3]));
        // The other station scanned the same component (accepted: it was free then) and finishes first.
        await AsOperator(s => s.ScanParentAsync(second, u[1]));
        Assert.Equal(ScanKind.Recorded, (await AsOperator(s => s.ScanItemAsync(second, u[3]))).Kind);
        Assert.True((await AsOperator(s => s.DoneAsync(second, new AssemblyStation("Station B", StationActions.All)))).IsSuccess);

        long before;
        await using (var db = app.RawDb()) before = await db.AuditEntries.IgnoreQueryFilters().CountAsync();
        var late = await AsOperator(s => s.DoneAsync(first, new AssemblyStation("Station A", StationActions.All)));
        Assert.False(late.IsSuccess);
        Assert.Equal(ErrorKind.Conflict, late.Error!.Kind);
        Assert.Equal($"Serial {u[3]} is used (consumed into another unit) and cannot take part in a propagation", late.Error.Message);
        Assert.Empty(await LinksIntoAsync((await RowAsync(u[0])).Id));
        Assert.False((await RowAsync(u[2])).Consumed);
        await using (var db = app.RawDb()) Assert.Equal(before, await db.AuditEntries.IgnoreQueryFilters().CountAsync());
        // The session is kept, so the operator can remove the used unit and finish.
        Assert.Equal(2, first.Items.Count);
    }

    [Fact]
    public async Task A_viewer_cannot_record_an_assembly()
    {
        var u = await UnitsAsync(2);
        var session = new AssemblySession(AssemblyKind.Merge);
        var done = await app.AsUserAsync(DemoUsers.Viewer, async sp =>
        {
            var s = sp.GetRequiredService<StationAssemblyService>();
            await s.ScanParentAsync(session, u[0]);
            await s.ScanItemAsync(session, u[1]);
            return await s.DoneAsync(session, new AssemblyStation("Station", StationActions.All));
        });
        Assert.Equal(ErrorKind.Forbidden, done.Error!.Kind);
        Assert.Empty(await LinksIntoAsync((await RowAsync(u[0])).Id));
    }

    [Fact]
    public async Task A_station_whose_profile_does_not_allow_assembly_cannot_record_one_whatever_the_page_offers()
    {
        var u = await UnitsAsync(2);
        var session = new AssemblySession(AssemblyKind.Merge);
        var done = await AsOperator(async s =>
        {
            await s.ScanParentAsync(session, u[0]);
            await s.ScanItemAsync(session, u[1]);
            return await s.DoneAsync(session, new AssemblyStation("Cutting bench", StationActions.Advance | StationActions.Split));
        });
        Assert.Equal(ErrorKind.Forbidden, done.Error!.Kind);
        Assert.Equal("Cutting bench may not assemble units: its station profile does not allow it.", done.Error.Message);
        Assert.Empty(await LinksIntoAsync((await RowAsync(u[0])).Id));
    }
}

public sealed class SqliteStationAssemblyTests(OperatorFactory app) : StationAssemblyTests<OperatorFactory>(app);

public sealed class PostgresStationAssemblyTests(PostgresOperatorFactory app) : StationAssemblyTests<PostgresOperatorFactory>(app);

/// <summary>The assembly component with bunit over the real services: scans from the browser handler, the list, Remove, Done.</summary>
public sealed class StationAssemblyComponentTests(OperatorFactory app) : SerialsPageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Scans_build_the_list_a_component_can_be_removed_and_Done_records_with_the_station_name()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var u = await SerialsKit.NewSerialsAsync(app, client, 4);
        await SignInAsync(app, DemoUsers.Operator);
        var page = Render<StationAssembly>(p => p.Add(x => x.Station, new AssemblyStation("Line 7", StationActions.All)));
        Assert.Equal("assembly-scan", JSInterop.VerifyInvoke("operator.station.attach").Arguments[0]);
        Assert.False(page.Find("[data-testid='assembly-scan']").HasAttribute("value"));

        Task Scan(string code) => page.InvokeAsync(() => page.Instance.ScanFromBrowser(code));
        await Scan(u[0]);
        Assert.Equal(u[0], Text(page, "assembly-parent-serial"));
        Assert.Equal("Scan each component", Text(page, "assembly-prompt"));
        foreach (var c in u.Skip(1)) await Scan(c);
        await Scan(u[1]);
        Assert.Equal("duplicate", page.Find("[data-testid='assembly-banner']").GetAttribute("data-kind"));
        Assert.Equal("3 components", Text(page, "assembly-count"));
        await Scan("SN-NOPE-9");
        Assert.Equal("rejected", page.Find("[data-testid='assembly-banner']").GetAttribute("data-kind"));
        Assert.Equal(["recorded", "recorded", "recorded", "recorded", "already-recorded", "refused"],
            JSInterop.Invocations.Where(i => i.Identifier == "operator.station.tone").Select(i => (string)i.Arguments[0]!).ToArray());

        page.FindAll("[data-testid='assembly-remove']")[2].Click();
        Assert.Equal("2 components", Text(page, "assembly-count"));
        page.Find("[data-testid='assembly-done']").Click();
        page.WaitForAssertion(() => Assert.Contains($"2 components assembled into {u[0]}.", Text(page, "assembly-recorded")));

        var org = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        var parent = await db.Set<Serial>().IgnoreQueryFilters().SingleAsync(s => s.SerialNumber == u[0] && s.OrganizationId == org);
        var links = await db.Set<SerialLink>().IgnoreQueryFilters().Where(l => l.TargetSerialId == parent.Id).ToListAsync();
        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.Equal("Line 7", l.StationName));
        Assert.False((await db.Set<Serial>().IgnoreQueryFilters().SingleAsync(s => s.SerialNumber == u[3] && s.OrganizationId == org)).Consumed);
    }

    [Fact]
    public async Task A_station_that_may_not_split_says_so()
    {
        await SignInAsync(app, DemoUsers.Operator);
        var page = Render<StationAssembly>(p => p.Add(x => x.Split, true).Add(x => x.Station, new AssemblyStation("Line 7", StationActions.Assemble)));
        Assert.Equal("This station does not record splits.", Text(page, "assembly-not-allowed"));
        Assert.Empty(page.FindAll("[data-testid='assembly-scan']"));
    }
}
