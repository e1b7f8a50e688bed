using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// Uniqueness in each scope, registration, conflict resolution and the guard the other flows use, on SQLite and
/// PostgreSQL: concurrent registrations of one number must give one winner and conflicts on both (the counter-row lock
/// under PostgreSQL's READ COMMITTED, the write lock on SQLite).
/// </summary>
public abstract class UniquenessProviderTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private static object Check(string number, Guid part, string[] scope, string? siteId = null) => new { serialNumber = number, partId = part, scope, siteId };

    private async Task<JsonNode> CheckAsync(string number, Guid part, string[] scope, string? siteId = null) =>
        await PostOkAsync(await app.ClientForAsync(DemoUsers.Viewer), "/uniqueness/check", Check(number, part, scope, siteId), HttpStatusCode.OK);

    private async Task<JsonNode> RegisterAsync(string number, Guid part, string[] scope, Guid? serialId = null, string? siteId = null) =>
        await PostOkAsync(await app.ClientForAsync(DemoUsers.Operator), "/uniqueness/register",
            new { serialNumber = number, partId = part, scope, serialId, siteId });

    private static string Summary(JsonNode check) =>
        $"{check["hasConflict"]}|{string.Join(",", check["conflictingSerialIds"]!.AsArray().Select(x => x!.GetValue<string>()))}|" +
        $"{string.Join(",", check["conflictingScopes"]!.AsArray().Select(x => x!.GetValue<string>()))}|{check["conflictType"]}";

    [Fact]
    public async Task Each_scope_compares_what_the_spec_says()
    {
        var (p1, p2) = (await PartIdAsync(app, 0), await PartIdAsync(app, 1));
        var number = Number("UQ");
        var unit = await UnitAsync(app, number, p1, siteId: "site-001");

        Assert.Equal($"true|{unit}|PART_TYPE|DUPLICATE_SERIAL", Summary(await CheckAsync(number, p1, ["PART_TYPE"])));
        Assert.Equal("false|||", Summary(await CheckAsync(number, p2, ["PART_TYPE"])));
        Assert.Equal($"true|{unit}|ENTERPRISE|DUPLICATE_SERIAL", Summary(await CheckAsync(number, p2, ["ENTERPRISE", "PART_TYPE"])));
        Assert.Equal($"true|{unit}|SITE|DUPLICATE_SERIAL", Summary(await CheckAsync(number, p2, ["SITE"], "site-001")));
        Assert.Equal("false|||", Summary(await CheckAsync(number, p2, ["SITE"], "site-002")));
        // Without a site to compare, the SITE scope finds nothing.
        Assert.Equal("false|||", Summary(await CheckAsync(number, p1, ["SITE"])));
        Assert.Equal($"true|{unit}|SITE,ENTERPRISE,PART_TYPE|DUPLICATE_SERIAL", Summary(await CheckAsync(number, p1, ["SITE", "ENTERPRISE", "PART_TYPE"], "site-001")));
        // Numbers are compared exactly; a cancelled unit holds no number; another organization's units are not seen.
        Assert.Equal("false|||", Summary(await CheckAsync(number.ToLowerInvariant(), p1, ["PART_TYPE"])));
        var retiredNumber = Number("UQ");
        await UnitAsync(app, retiredNumber, p1, status: SerialStatus.Cancelled);
        Assert.Equal("false|||", Summary(await CheckAsync(retiredNumber, p1, ["PART_TYPE", "ENTERPRISE"])));
        var foreign = Number("UQ");
        await UnitAsync(app, foreign, await PartIdAsync(app, 0, "AC01"), org: "AC01");
        Assert.Equal("false|||", Summary(await CheckAsync(foreign, p1, ["ENTERPRISE"])));
    }

    [Fact]
    public async Task A_registration_asking_for_a_scope_counts_in_that_scope_for_everyone()
    {
        var (p1, p2) = (await PartIdAsync(app, 0), await PartIdAsync(app, 1));
        var number = Number("UQ");
        var unit = await UnitAsync(app, number, p1);
        var registered = await RegisterAsync(number, p1, ["ENTERPRISE"]);
        Assert.Equal(unit, registered["serialId"]!.GetValue<Guid>());
        Assert.False(registered["hasConflict"]!.GetValue<bool>());

        // A unit of another part asking only for PART_TYPE still collides: the registration wants the number unique everywhere.
        Assert.Equal($"true|{unit}|ENTERPRISE|DUPLICATE_SERIAL", Summary(await CheckAsync(number, p2, ["PART_TYPE"])));

        // A number registered without any unit holds it like a unit would.
        var reserved = Number("UQ");
        var reservation = await RegisterAsync(reserved, p1, ["PART_TYPE"]);
        Assert.Null(reservation["serialId"]);
        Assert.Equal($"true|{reservation["id"]}|PART_TYPE|DUPLICATE_REGISTRATION", Summary(await CheckAsync(reserved, p1, ["PART_TYPE"])));
    }

    [Fact]
    public async Task A_duplicate_is_registered_as_a_pending_conflict_and_retiring_one_cancels_it()
    {
        var part = await PartIdAsync(app, 2);
        var number = Number("UQ");
        var a = await UnitAsync(app, number, part);
        var b = await UnitAsync(app, number, part);

        var registered = await RegisterAsync(number, part, ["PART_TYPE"], serialId: a);
        Assert.True(registered["hasConflict"]!.GetValue<bool>());
        Assert.Equal([b], registered["conflictingSerialIds"]!.AsArray().Select(x => x!.GetValue<Guid>()));
        var conflictId = registered["conflictId"]!.GetValue<Guid>();

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var pending = (await manager.GetFromJsonAsync<JsonNode>($"{Base}/uniqueness/conflicts/pending?partId={part}"))!["data"]!.AsArray();
        var mine = pending.Single(p => p!["serialNumber"]!.GetValue<string>() == number)!;
        Assert.Equal(conflictId, mine["id"]!.GetValue<Guid>());
        Assert.True(mine["hasConflict"]!.GetValue<bool>());
        Assert.Equal(new[] { a, b }.Order(), mine["conflictingSerialIds"]!.AsArray().Select(x => x!.GetValue<Guid>()).Order());

        var report = (await manager.GetFromJsonAsync<JsonNode>($"{Base}/uniqueness/report/{number}/{part}"))!["data"]!;
        Assert.False(report["isPartTypeUnique"]!.GetValue<bool>());
        Assert.False(report["isEnterpriseUnique"]!.GetValue<bool>());
        Assert.True(report["isSiteUnique"]!.GetValue<bool>());
        Assert.Equal(1, report["totalConflicts"]!.GetValue<int>());
        Assert.Equal(2, report["conflictingSerials"]!.AsArray().Count);

        // Operators may register but not resolve.
        var operatorTry = await (await app.ClientForAsync(DemoUsers.Operator)).PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = part, conflictResolution = "RETIRE", retiredSerialId = b, resolutionReason = "Duplicate detected" });
        Assert.Equal(HttpStatusCode.Forbidden, operatorTry.StatusCode);

        var notAClaimant = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = part, conflictResolution = "RETIRE", retiredSerialId = Guid.NewGuid(), resolutionReason = "Duplicate detected" });
        Assert.Equal(HttpStatusCode.BadRequest, notAClaimant.StatusCode);
        Assert.Equal("retiredSerialId", (await Golden.BodyAsync(notAClaimant))["details"]![0]!["field"]!.GetValue<string>());

        var resolved = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = part, conflictResolution = "RETIRE", retiredSerialId = b, resolutionReason = "Duplicate detected", resolvedBy = "quality-manager" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        await Golden.AssertBodyAsync(resolved, $$"""
            {"success":true,"data":{"serialNumber":"{{number}}","hasConflict":false,"conflictResolution":"RETIRE","resolvedAt":"<time>","conflictId":"<uuid>",
             "retiredSerialId":"<uuid>","pendingConflictId":null},"error":null,"timestamp":"<time>"}
            """);

        var retired = await SerialAsync(app, b);
        Assert.Equal(SerialStatus.Cancelled, retired.Status);
        Assert.Equal("Retired duplicate serial number: Duplicate detected", retired.CancelReason);
        Assert.Equal(SerialStatus.InProgress, (await SerialAsync(app, a)).Status);

        var after = (await manager.GetFromJsonAsync<JsonNode>($"{Base}/uniqueness/report/{number}/{part}"))!["data"]!;
        Assert.True(after["isPartTypeUnique"]!.GetValue<bool>());
        Assert.True(after["isEnterpriseUnique"]!.GetValue<bool>());
        Assert.Equal(1, after["totalConflicts"]!.GetValue<int>());
        Assert.Equal(0, after["pendingConflicts"]!.GetValue<int>());
        Assert.Empty(after["conflictingSerials"]!.AsArray());

        var again = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = part, conflictResolution = "RETIRE", retiredSerialId = b, resolutionReason = "Twice" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("UniquenessConflict", (await Golden.BodyAsync(again))["resourceType"]!.GetValue<string>());

        await using var db = app.RawDb();
        var actions = await db.AuditEntries.IgnoreQueryFilters().Where(x => x.EntityId == b.ToString() || x.EntityId == conflictId.ToString())
            .OrderBy(x => x.Sequence).Select(x => x.Action).ToListAsync();
        Assert.Equal(["serial_retired", "uniqueness_conflict_resolved"], actions);
    }

    [Fact]
    public async Task Retiring_one_of_three_leaves_a_new_conflict_for_the_other_two()
    {
        var part = await PartIdAsync(app, 2);
        var number = Number("UQ");
        var units = await UnitsAsync(app, 3, _ => number, part);
        var registered = await RegisterAsync(number, part, ["PART_TYPE"], serialId: units[0]);
        Assert.Equal(2, registered["conflictingSerialIds"]!.AsArray().Count);

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var resolved = await PostOkAsync(manager, "/uniqueness/conflict/resolve",
            Sign.Body(new { serialNumber = number, partId = part, conflictResolution = "RETIRE", retiredSerialId = units[1], resolutionReason = "Mislabelled" }), HttpStatusCode.OK);
        Assert.True(resolved["hasConflict"]!.GetValue<bool>());
        var next = resolved["pendingConflictId"]!.GetValue<Guid>();
        var pending = (await manager.GetFromJsonAsync<JsonNode>($"{Base}/uniqueness/conflicts/pending?partId={part}&limit=500"))!["data"]!.AsArray()
            .Single(p => p!["serialNumber"]!.GetValue<string>() == number)!;
        Assert.Equal(next, pending["id"]!.GetValue<Guid>());
        Assert.Equal(new[] { units[0], units[2] }.Order(), pending["conflictingSerialIds"]!.AsArray().Select(x => x!.GetValue<Guid>()).Order());
    }

    [Fact]
    public async Task Keep_both_ends_the_conflict_without_cancelling_and_the_pair_stops_colliding()
    {
        var (p1, p2) = (await PartIdAsync(app, 0), await PartIdAsync(app, 1));
        var number = Number("UQ");
        var a = await UnitAsync(app, number, p1, siteId: "site-009");
        var b = await UnitAsync(app, number, p2, siteId: "site-009");
        var registered = await RegisterAsync(number, p1, ["SITE"], serialId: a);
        Assert.True(registered["hasConflict"]!.GetValue<bool>());
        Assert.Equal(["SITE"], registered["conflictingScopes"]!.AsArray().Select(x => x!.GetValue<string>()));

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var withRetired = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = p1, conflictResolution = "KEEP_BOTH", retiredSerialId = b, resolutionReason = "Different product lines" });
        Assert.Equal(HttpStatusCode.BadRequest, withRetired.StatusCode);
        var kept = await PostOkAsync(manager, "/uniqueness/conflict/resolve",
            Sign.Body(new { serialNumber = number, partId = p1, conflictResolution = "KEEP_BOTH", resolutionReason = "Different product lines" }), HttpStatusCode.OK);
        Assert.False(kept["hasConflict"]!.GetValue<bool>());
        Assert.Equal(SerialStatus.InProgress, (await SerialAsync(app, b)).Status);

        var again = await RegisterAsync(number, p1, ["SITE"], serialId: a);
        Assert.False(again["hasConflict"]!.GetValue<bool>());
        Assert.Equal(registered["id"]!.GetValue<Guid>(), again["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_number_give_one_winner_and_conflicts()
    {
        var part = await PartIdAsync(app, 1);
        for (var round = 0; round < 3; round++)
        {
            var number = Number("RACE");
            var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.ClientForAsync(DemoUsers.Operator)));
            var responses = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync(Base + "/uniqueness/register",
                new { serialNumber = number, partId = part, scope = new[] { "PART_TYPE" } })));
            var bodies = new List<JsonNode>();
            foreach (var r in responses)
            {
                var text = await r.Content.ReadAsStringAsync();
                Assert.True(r.StatusCode == HttpStatusCode.Created, text);
                bodies.Add(JsonNode.Parse(text)!["data"]!);
            }
            Assert.Single(bodies, b => !b["hasConflict"]!.GetValue<bool>());
            Assert.Equal(5, bodies.Count(b => b["hasConflict"]!.GetValue<bool>()));

            await using var db = app.RawDb();
            var conflicts = await db.Set<UniquenessConflict>().IgnoreQueryFilters().Where(c => c.SerialNumber == number).ToListAsync();
            var conflict = Assert.Single(conflicts);
            Assert.Equal(ConflictStatus.Pending, conflict.Status);
            Assert.Equal(bodies.Select(b => b["id"]!.GetValue<Guid>()).Order(), UniquenessRules.ParseIds(conflict.ConflictingSerialIds).Order());
        }
        await using var check = app.RawDb();
        Assert.True((await AuditTrail.VerifyAsync(check, await app.OrganizationIdAsync("MA01"))).Intact);
    }

    [Fact]
    public async Task The_guard_refuses_a_number_that_collides_and_lets_one_of_two_concurrent_entries_in()
    {
        var (p1, p2) = (await PartIdAsync(app, 0), await PartIdAsync(app, 1));
        var number = Number("GD");
        await UnitAsync(app, number, p1, siteId: "site-003");

        Assert.Equal("Serial number " + number + " is already in use for this part", (await GuardAsync(number, p1, null)).Error?.Message);
        Assert.True((await GuardAsync(number, p2, null)).IsSuccess);
        Assert.Equal($"Serial number {number} is already in use at site site-003", (await GuardAsync(number, p2, "site-003")).Error?.Message);

        var enterprise = Number("GD");
        await RegisterAsync(enterprise, p1, ["ENTERPRISE"]);
        var refused = await GuardAsync(enterprise, p2, null);
        Assert.Equal(ErrorKind.Conflict, refused.Error?.Kind);
        Assert.Equal($"Serial number {enterprise} is registered as unique across the organization", refused.Error?.Message);

        // Two flows bringing the same new number in at once: the first is held between its guard and its insert; the
        // second's guard must wait for the first's commit (the lock) and then see its unit. Without the lock the second
        // passes its guard while the first is held, and both units are written.
        var fresh = Number("GD");
        var guarded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = EnterAsync(fresh, p2, async () => { guarded.SetResult(); await gate.Task; });
        await guarded.Task;
        // On a thread of its own: SQLite waits for its write lock synchronously, inside BEGIN.
        var second = Task.Run(() => EnterAsync(fresh, p2));
        // Give the second every chance to get past its guard while the first holds the lock; a correct lock keeps it waiting.
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(2)));
        gate.SetResult();
        var outcomes = await Task.WhenAll(first, second);
        Assert.True(outcomes[0].IsSuccess, outcomes[0].Error?.Message);
        Assert.Equal(ErrorKind.Conflict, outcomes[1].Error?.Kind);
        await using var db = app.RawDb();
        Assert.Equal(1, await db.Set<Serial>().IgnoreQueryFilters().CountAsync(s => s.SerialNumber == fresh));
    }

    [Fact]
    public async Task Without_scope_check_looks_in_every_scope_and_register_takes_site_and_part_type()
    {
        var (p1, p2) = (await PartIdAsync(app, 0), await PartIdAsync(app, 1));
        var number = Number("UQ");
        var unit = await UnitAsync(app, number, p1, siteId: "site-004");
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        Assert.Equal($"true|{unit}|SITE,ENTERPRISE,PART_TYPE|DUPLICATE_SERIAL",
            Summary(await PostOkAsync(viewer, "/uniqueness/check", new { serialNumber = number, partId = p1, siteId = "site-004" }, HttpStatusCode.OK)));
        // Another part elsewhere still collides across the organization: ENTERPRISE is one of the scopes checked.
        Assert.Equal($"true|{unit}|ENTERPRISE|DUPLICATE_SERIAL",
            Summary(await PostOkAsync(viewer, "/uniqueness/check", new { serialNumber = number, partId = p2 }, HttpStatusCode.OK)));

        var fresh = Number("UQ");
        var registered = await PostOkAsync(await app.ClientForAsync(DemoUsers.Operator), "/uniqueness/register",
            new { serialNumber = fresh, partId = p1, siteId = "site-004" });
        Assert.Equal("true|false|true|false",
            $"{registered["siteLevel"]}|{registered["enterpriseLevel"]}|{registered["partTypeLevel"]}|{registered["hasConflict"]}");
        // The registration holds the number for its part and its site, not for the whole organization.
        Assert.Equal($"true|{registered["id"]}|PART_TYPE|DUPLICATE_REGISTRATION", Summary(await CheckAsync(fresh, p1, ["PART_TYPE"])));
        Assert.Equal("false|||", Summary(await CheckAsync(fresh, p2, ["PART_TYPE"])));
        Assert.Equal($"true|{registered["id"]}|SITE|DUPLICATE_REGISTRATION", Summary(await CheckAsync(fresh, p2, ["PART_TYPE"], "site-004")));
    }

    [Fact]
    public async Task A_null_scope_takes_the_default_and_an_empty_scope_is_refused()
    {
        var part = await PartIdAsync(app, 0);
        var number = Number("UQ");
        var unit = await UnitAsync(app, number, part, siteId: "site-005");
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);

        Assert.Equal($"true|{unit}|SITE,ENTERPRISE,PART_TYPE|DUPLICATE_SERIAL",
            Summary(await PostOkAsync(viewer, "/uniqueness/check", new { serialNumber = number, partId = part, siteId = "site-005", scope = (string[]?)null }, HttpStatusCode.OK)));
        var fresh = Number("UQ");
        var registered = await PostOkAsync(operatorClient, "/uniqueness/register", new { serialNumber = fresh, partId = part, siteId = "site-005", scope = (string[]?)null });
        Assert.Equal("true|false|true", $"{registered["siteLevel"]}|{registered["enterpriseLevel"]}|{registered["partTypeLevel"]}");

        foreach (var (client, path) in new[] { (viewer, "/uniqueness/check"), (operatorClient, "/uniqueness/register") })
        {
            var empty = await client.PostAsJsonAsync(Base + path, new { serialNumber = Number("UQ"), partId = part, scope = Array.Empty<string>() });
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            var body = await Golden.BodyAsync(empty);
            Assert.Equal(("VALIDATION_ERROR", "scope"), (body["error"]!.GetValue<string>(), body["details"]![0]!["field"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Mark_invalid_cancels_every_claimant_and_nobody_keeps_the_number()
    {
        var part = await PartIdAsync(app, 2);
        var number = Number("UQ");
        var units = await UnitsAsync(app, 3, _ => number, part);
        var registered = await RegisterAsync(number, part, ["PART_TYPE"], serialId: units[0]);
        var conflictId = registered["conflictId"]!.GetValue<Guid>();

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var withRetired = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = part, conflictResolution = "MARK_INVALID", retiredSerialId = units[1], resolutionReason = "Label printer fault" });
        Assert.Equal(HttpStatusCode.BadRequest, withRetired.StatusCode);
        Assert.Equal("retiredSerialId", (await Golden.BodyAsync(withRetired))["details"]![0]!["field"]!.GetValue<string>());

        var resolved = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = number, partId = part, conflictResolution = "MARK_INVALID", resolutionReason = "Label printer fault" });
        await Golden.AssertBodyAsync(resolved, $$"""
            {"success":true,"data":{"serialNumber":"{{number}}","hasConflict":false,"conflictResolution":"MARK_INVALID","resolvedAt":"<time>","conflictId":"<uuid>",
             "retiredSerialId":null,"pendingConflictId":null},"error":null,"timestamp":"<time>"}
            """);
        foreach (var id in units)
        {
            var serial = await SerialAsync(app, id);
            Assert.Equal((SerialStatus.Cancelled, "Invalid duplicate serial number"), (serial.Status, serial.CancelReason));
        }
        Assert.Equal("false|||", Summary(await CheckAsync(number, part, ["SITE", "ENTERPRISE", "PART_TYPE"])));
        var report = (await manager.GetFromJsonAsync<JsonNode>($"{Base}/uniqueness/report/{number}/{part}"))!["data"]!;
        Assert.Equal(0, report["pendingConflicts"]!.GetValue<int>());

        // A number registered without a unit is withdrawn too.
        var reserved = Number("UQ");
        var reservation = await RegisterAsync(reserved, part, ["PART_TYPE"]);
        var unit = await UnitAsync(app, reserved, part);
        await RegisterAsync(reserved, part, ["PART_TYPE"], serialId: unit);
        await PostOkAsync(manager, "/uniqueness/conflict/resolve",
            Sign.Body(new { serialNumber = reserved, partId = part, conflictResolution = "MARK_INVALID", resolutionReason = "Both wrong" }), HttpStatusCode.OK);
        Assert.Equal(SerialStatus.Cancelled, (await SerialAsync(app, unit)).Status);
        Assert.Equal("false|||", Summary(await CheckAsync(reserved, part, ["PART_TYPE"])));

        await using var db = app.RawDb();
        var ids = units.Select(u => u.ToString()).Append(conflictId.ToString()).Append(reservation["id"]!.GetValue<string>()).ToList();
        var actions = await db.AuditEntries.IgnoreQueryFilters().Where(x => ids.Contains(x.EntityId))
            .OrderBy(x => x.Sequence).Select(x => x.Action).ToListAsync();
        Assert.Equal(["serial_marked_invalid", "serial_marked_invalid", "serial_marked_invalid", "uniqueness_conflict_resolved", "uniqueness_registration_withdrawn"],
            actions.Where(a => a != "uniqueness_registered").ToList());
    }

    [Fact]
    public async Task Retire_and_mark_invalid_show_on_the_unit_audit_that_the_serial_page_reads()
    {
        var part = await PartIdAsync(app, 2);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        async Task<List<(string Action, string Summary)>> UnitAuditAsync(Guid unit) =>
            (await viewer.GetFromJsonAsync<JsonNode>($"/api/serials/{unit}"))!["audit"]!.AsArray()
                .Select(a => (a!["action"]!.GetValue<string>(), a["summary"]!.GetValue<string>())).ToList();

        var retiredNumber = Number("UQ");
        var (kept, retired) = (await UnitAsync(app, retiredNumber, part), await UnitAsync(app, retiredNumber, part));
        await RegisterAsync(retiredNumber, part, ["PART_TYPE"], serialId: kept);
        await PostOkAsync(manager, "/uniqueness/conflict/resolve",
            Sign.Body(new { serialNumber = retiredNumber, partId = part, conflictResolution = "RETIRE", retiredSerialId = retired, resolutionReason = "Duplicate detected" }), HttpStatusCode.OK);
        Assert.Equal([("serial_retired", "Cancelled: Retired duplicate serial number: Duplicate detected")], await UnitAuditAsync(retired));
        Assert.Empty(await UnitAuditAsync(kept));

        var invalidNumber = Number("UQ");
        var invalid = await UnitsAsync(app, 2, _ => invalidNumber, part);
        await RegisterAsync(invalidNumber, part, ["PART_TYPE"], serialId: invalid[0]);
        await PostOkAsync(manager, "/uniqueness/conflict/resolve",
            Sign.Body(new { serialNumber = invalidNumber, partId = part, conflictResolution = "MARK_INVALID", resolutionReason = "Label printer fault" }), HttpStatusCode.OK);
        foreach (var unit in invalid)
        {
            Assert.Equal([("serial_marked_invalid", "Cancelled: Invalid duplicate serial number")], await UnitAuditAsync(unit));
        }

        // Entries written before the entity type was fixed named it "Serial"; the chain forbids rewriting them, so the read takes both.
        var legacy = await UnitAsync(app, Number("UQ"), part);
        await app.AsUserAsync(DemoUsers.Manager, async sp =>
        {
            await using var db = sp.GetRequiredService<IDbContextFactory<OperatorDb>>().CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync();
            await sp.GetRequiredService<AuditTrail>().AppendAsync(db, SerialAudit.Retired, "Serial", legacy.ToString(),
                new { Status = SerialStatus.InProgress, CancelReason = (string?)null }, new { Status = SerialStatus.Cancelled, CancelReason = "Retired duplicate serial number: Old" });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            return 0;
        });
        Assert.Equal([("serial_retired", "Cancelled: Retired duplicate serial number: Old")], await UnitAuditAsync(legacy));
    }

    /// <summary>The guard alone, in a transaction of its own, as a flow would call it.</summary>
    private Task<Result<Unit>> GuardAsync(string number, Guid part, string? site) =>
        app.AsUserAsync(DemoUsers.Operator, async sp =>
        {
            await using var db = sp.GetRequiredService<IDbContextFactory<OperatorDb>>().CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync();
            return await sp.GetRequiredService<SerialUniquenessGuard>().EnsureUniqueAsync(db, number, part, site);
        });

    /// <summary>What vendor accept or generation does: the guard, then the new unit, in one transaction.</summary>
    private Task<Result<Unit>> EnterAsync(string number, Guid part, Func<Task>? afterGuard = null) =>
        app.AsUserAsync(DemoUsers.Operator, async sp =>
        {
            await using var db = sp.GetRequiredService<IDbContextFactory<OperatorDb>>().CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync();
            var unique = await sp.GetRequiredService<SerialUniquenessGuard>().EnsureUniqueAsync(db, number, part, null);
            if (!unique.IsSuccess) return unique;
            if (afterGuard is not null) await afterGuard();
            db.Add(new Serial { Id = Guid.NewGuid(), SerialNumber = number, PartId = part, Origin = SerialOrigins.Generated, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            return unique;
        });
}

public sealed class SqliteUniquenessProviderTests(OperatorFactory app) : UniquenessProviderTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresUniquenessProviderTests(PostgresOperatorFactory app) : UniquenessProviderTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
