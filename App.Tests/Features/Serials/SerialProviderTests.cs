using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using Xunit.Abstractions;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// What depends on the database provider, on SQLite and on PostgreSQL: 20 identical attachments at once, batch create
/// of 10,000 serials in one transaction, the conditional updates of advance under concurrency, holds blocking, the
/// list and detail queries, and the demo data.
/// </summary>
public abstract class SerialProviderTests<TFactory>(TFactory app, ITestOutputHelper output) where TFactory : OperatorFactory
{
    [Fact]
    public async Task Twenty_identical_attachments_at_once_give_one_record_and_one_audit_entry()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var userId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var clients = new List<HttpClient>();
        for (var i = 0; i < 20; i++) clients.Add(await app.ClientForAsync(DemoUsers.Operator));

        var responses = await Task.WhenAll(clients.Select(c => SerialsKit.AttachAsync(c, serial, "CERT-0001", userId)));
        var bodies = new List<string>();
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            bodies.Add(JsonNode.Parse(text)!.ToJsonString());
        }
        Assert.Single(bodies.Distinct());
        var record = Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
        Assert.Equal(JsonNode.Parse(bodies[0])!["id"]!.GetValue<string>(), record.Id.ToString());
        Assert.Single(await SerialsKit.AuditAsync(app, serial, "cert_attached"));
        await using var db = app.RawDb();
        Assert.True((await AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("MA01"))).Intact);
    }

    [Fact]
    public async Task Batch_create_of_ten_thousand_serials_with_a_certificate_is_one_transaction()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var before = await SerialsKit.CountsAsync(app);
        var watch = Stopwatch.StartNew();
        var body = await SerialsKit.BatchAsync(client, order.Id.ToString(), 10_000, "CERT-0002");
        watch.Stop();
        output.WriteLine($"{app.Provider}: POST /api/serials/batch with 10,000 serials and a certificate took {watch.ElapsedMilliseconds} ms (in-process, test machine).");

        var serials = body["serials"]!.AsArray();
        Assert.Equal(10_000, body["count"]!.GetValue<int>());
        Assert.Equal(10_000, serials.Count);
        var numbers = serials.Select(s => s!["serialNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(10_000, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.Matches(@"^SN-\d{5,}$", n));
        var sequence = numbers.Select(n => int.Parse(n[3..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(sequence[0], 10_000), sequence);
        Assert.Equal(numbers[0], body["firstSerialNumber"]!.GetValue<string>());
        Assert.Equal(numbers[^1], body["lastSerialNumber"]!.GetValue<string>());

        var after = await SerialsKit.CountsAsync(app);
        Assert.Equal(before.Serials + 10_000, after.Serials);
        Assert.Equal(before.Attachments + 10_000, after.Attachments);
        Assert.Equal(before.Events + 10_000, after.Events);
        Assert.Equal(before.Audit + 2, after.Audit);

        await using var db = app.RawDb();
        var stepId = Guid.Parse(body["stepId"]!.GetValue<string>());
        Assert.Equal(0, await db.Set<ProcessStep>().IgnoreQueryFilters().Where(s => s.Id == stepId).Select(s => s.Sequence).SingleAsync());
        var rows = db.Set<Serial>().IgnoreQueryFilters().Where(s => s.WorkOrderId == order.Id);
        Assert.Equal(10_000, await rows.CountAsync(s => s.Status == "in_progress" && s.CurrentStepIndex == 0 && s.Origin == "auto_job"));
        var certId = await SerialsKit.CertIdAsync(app, "CERT-0002");
        Assert.Equal(10_000, await db.Set<CertAttachment>().IgnoreQueryFilters().CountAsync(a => a.CertificateId == certId && a.StepId == stepId && rows.Any(s => s.Id == a.SerialId)));
        var entries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == order.Id.ToString()).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(["serials_created", "cert_attached"], entries.Select(e => e.Action));
        var summary = JsonNode.Parse(entries[1].After!)!;
        Assert.Equal(10_000, summary["count"]!.GetValue<int>());
        Assert.Equal("CERT-0002", summary["certificateNumber"]!.GetValue<string>());
        Assert.Equal(numbers[^1], summary["lastSerialNumber"]!.GetValue<string>());
        Assert.True((await AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("MA01"))).Intact);

        // The station finds any of them at once.
        var found = await SerialsKit.GetAsync(client, numbers[7_777]);
        Assert.Equal("CERT-0002", found["steps"]![0]!["attachments"]![0]!["certNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_that_fails_half_way_leaves_nothing_behind()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var orgId = await app.OrganizationIdAsync("MA01");
        long Counter(OperatorDb db) => db.Counters.Where(c => c.OrganizationId == orgId && c.Name == "serial").Select(c => c.Value).SingleOrDefault();
        long counterBefore;
        await using (var db = app.RawDb())
        {
            counterBefore = Counter(db);
        }
        var before = await SerialsKit.CountsAsync(app);
        // The database refuses the 51st serial of this work order, in the middle of the batch's one SaveChanges.
        await using (var db = app.RawDb())
        {
            await FailAfterAsync(db, order.Id, 50);
        }
        try
        {
            var response = await client.PostAsJsonAsync($"{SerialsKit.Path}/batch", new { workOrderId = order.Id, quantity = 200, certId = "CERT-0003" });
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"Internal Server Error","requestId":"<uuid>"}""");
        }
        finally
        {
            await using var db = app.RawDb();
            await DropFailAsync(db);
        }
        Assert.Equal(before, await SerialsKit.CountsAsync(app));
        await using (var db = app.RawDb())
        {
            Assert.Equal(counterBefore, Counter(db));
            Assert.Equal(0, await db.Set<Serial>().IgnoreQueryFilters().CountAsync(s => s.WorkOrderId == order.Id));
        }
        // And the same request succeeds once the database accepts it, with the numbers the failed one gave back.
        var created = await SerialsKit.BatchAsync(client, order.Id.ToString(), 200, "CERT-0003");
        Assert.Equal($"SN-{counterBefore + 1:D5}", created["firstSerialNumber"]!.GetValue<string>());
    }

    private async Task FailAfterAsync(OperatorDb db, Guid workOrderId, int allowed)
    {
        if (app.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync($$"""
                CREATE OR REPLACE FUNCTION test_fail_serials() RETURNS trigger AS $$
                BEGIN
                  IF NEW."WorkOrderId" = '{{workOrderId}}' AND (SELECT count(*) FROM "Serials" WHERE "WorkOrderId" = NEW."WorkOrderId") >= {{allowed}} THEN
                    RAISE EXCEPTION 'simulated write failure';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql;
                CREATE TRIGGER test_fail_serials BEFORE INSERT ON "Serials" FOR EACH ROW EXECUTE FUNCTION test_fail_serials();
                """);
        }
        else
        {
            var id = workOrderId.ToString().ToUpperInvariant();
            await db.Database.ExecuteSqlRawAsync($"""
                CREATE TRIGGER test_fail_serials BEFORE INSERT ON "Serials"
                WHEN upper(NEW."WorkOrderId") = '{id}' AND (SELECT count(*) FROM "Serials" WHERE upper("WorkOrderId") = '{id}') >= {allowed}
                BEGIN SELECT RAISE(FAIL, 'simulated write failure'); END
                """);
        }
    }

    private async Task DropFailAsync(OperatorDb db)
    {
        await db.Database.ExecuteSqlRawAsync(app.Provider == DatabaseProvider.Postgres
            ? """DROP TRIGGER test_fail_serials ON "Serials"; DROP FUNCTION test_fail_serials();"""
            : "DROP TRIGGER test_fail_serials");
    }

    [Fact]
    public async Task An_active_hold_on_the_work_order_refuses_advance_and_complete_until_released()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app, pathCode: "PATH-SLG");
        var serials = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 2))["serials"]!.AsArray().Select(s => s!["serialNumber"]!.GetValue<string>()).ToList();
        await SerialsKit.AdvanceToLastStepAsync(client, serials[1]);

        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var hold = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Wo(order.Id)]);
        var holdNumber = hold["hold"]!["hold_number"]!.GetValue<string>();

        var advance = await SerialsKit.AdvanceAsync(client, serials[0]);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Equal($"{serials[0]} cannot advance: blocked by quality hold {holdNumber} (investigation on {order.Number}). It may move again once released.",
            (await Golden.BodyAsync(advance))["error"]!.GetValue<string>());
        var complete = await SerialsKit.CompleteAsync(client, serials[1]);
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Contains(holdNumber, (await Golden.BodyAsync(complete))["error"]!.GetValue<string>());

        var detail = await SerialsKit.GetAsync(client, serials[0]);
        Assert.Equal(0, detail["currentStepIndex"]!.GetValue<int>());
        Assert.Equal(holdNumber, detail["blockingHolds"]![0]!["holdNumber"]!.GetValue<string>());
        Assert.Single(detail["history"]!.AsArray());
        // Attaching is not refused by a hold: recording a certificate does not move material.
        var userId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AttachAsync(client, serials[0], "CERT-0004", userId)).StatusCode);

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, HoldsKit.Id(hold))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serials[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.CompleteAsync(client, serials[1])).StatusCode);
        Assert.Empty((await SerialsKit.GetAsync(client, serials[0]))["blockingHolds"]!.AsArray());
    }

    [Fact]
    public async Task Concurrent_advances_never_skip_or_repeat_a_step()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SerialsKit.AdvanceAsync(client, serial)));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var successes = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(successes, 1, 4);

        var detail = await SerialsKit.GetAsync(client, serial);
        Assert.Equal(successes, detail["currentStepIndex"]!.GetValue<int>());
        var history = detail["history"]!.AsArray().Select(h => $"{h!["stepIndex"]}:{h["event"]}").ToList();
        var expected = new List<string> { "0:started" };
        for (var i = 0; i < successes; i++) expected.AddRange([$"{i}:completed", $"{i + 1}:started"]);
        Assert.Equal(expected, history);
        Assert.Equal(successes, (await SerialsKit.AuditAsync(app, serial, "serial_advanced")).Count);
    }

    [Fact]
    public async Task List_filters_search_and_detail_translate()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var numbers = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 5))["serials"]!.AsArray().Select(s => s!["serialNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, numbers[4])).StatusCode);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        var all = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Path}?workOrderId={order.Id}&limit=3"))!;
        Assert.Equal(5, all["total"]!.GetValue<int>());
        Assert.Equal(3, all["limit"]!.GetValue<int>());
        Assert.Equal(numbers[..3], all["items"]!.AsArray().Select(i => i!["serialNumber"]!.GetValue<string>()));
        var first = all["items"]![0]!;
        Assert.Equal(order.Number, first["workOrderNumber"]!.GetValue<string>());
        Assert.Equal(5, first["stepCount"]!.GetValue<int>());
        Assert.Equal("Cutting", first["currentStepName"]!.GetValue<string>());

        var scrapped = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Path}?workOrderId={order.Id}&status=scrapped"))!;
        Assert.Equal([numbers[4]], scrapped["items"]!.AsArray().Select(i => i!["serialNumber"]!.GetValue<string>()));
        var searched = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Path}?search={numbers[2].ToLowerInvariant()}&workOrderId={order.Id}"))!;
        Assert.Equal([numbers[2]], searched["items"]!.AsArray().Select(i => i!["serialNumber"]!.GetValue<string>()));
        var literal = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Path}?search=%25&workOrderId={order.Id}"))!;
        Assert.Equal(0, literal["total"]!.GetValue<int>());
        var partId = await PartOfAsync(await SerialsKit.SerialIdAsync(app, numbers[0]));
        var byPart = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Path}?partId={partId}&workOrderId={order.Id}&offset=4"))!;
        Assert.Equal(5, byPart["total"]!.GetValue<int>());
        Assert.Single(byPart["items"]!.AsArray());

        var detail = await SerialsKit.GetAsync(viewer, numbers[0]);
        Assert.Equal(["current", "next", "pending", "pending", "pending"], detail["steps"]!.AsArray().Select(s => s!["state"]!.GetValue<string>()));
        Assert.Equal("Oskar Operator", detail["history"]![0]!["userName"]!.GetValue<string>());
    }

    private async Task<Guid> PartOfAsync(Guid serialId)
    {
        await using var db = app.RawDb();
        return await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == serialId).Select(s => s.PartId).SingleAsync();
    }

    [Fact]
    public async Task Demo_data_has_certificates_and_serials_in_every_state_with_a_consistent_history()
    {
        await using var db = app.RawDb();
        foreach (var code in new[] { "MA01", "AC01" })
        {
            var org = await app.OrganizationIdAsync(code);
            var certificates = await db.Set<Certificate>().IgnoreQueryFilters().Where(c => c.OrganizationId == org && c.Number.StartsWith("CERT-")).OrderBy(c => c.Number).ToListAsync();
            Assert.Equal(Enumerable.Range(1, 10).Select(i => $"CERT-{i:D4}"), certificates.Select(c => c.Number));
            Assert.Contains(certificates, c => c.Type == "material");
            Assert.Contains(certificates, c => c.Type == "process");

            // Serials the demo seeded: created by the demo, before any test ran.
            var demo = await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.OrganizationId == org && s.CreatedAt < app.Clock.GetUtcNow().UtcDateTime.AddHours(-1)).ToListAsync();
            Assert.Equal(50, demo.Count);
            var completed = Assert.Single(demo, s => s.Status == "completed");
            Assert.Equal(-1, completed.CurrentStepIndex);
            Assert.NotNull(completed.CompletedAt);
            var scrapped = Assert.Single(demo, s => s.Status == "scrapped");
            Assert.False(string.IsNullOrEmpty(scrapped.ScrapReason));
            Assert.True(scrapped.CurrentStepIndex >= 0);
            Assert.Equal(3, demo.Select(s => s.WorkOrderId).Distinct().Count());
            Assert.True(demo.Select(s => s.CurrentStepIndex).Distinct().Count() >= 4, "serials are spread over the steps");

            var ids = demo.Select(s => s.Id).ToList();
            var attachments = await db.Set<CertAttachment>().IgnoreQueryFilters().Where(a => ids.Contains(a.SerialId)).ToListAsync();
            Assert.True(attachments.Count >= 10, $"{code}: {attachments.Count} attachments");
            var events = await db.Set<SerialStepEvent>().IgnoreQueryFilters().Where(e => ids.Contains(e.SerialId)).ToListAsync();
            Assert.All(demo, s => Assert.Contains(events, e => e.SerialId == s.Id && e.Event == "started" && e.StepIndex == 0));
            Assert.Contains(events, e => e.SerialId == completed.Id && e.Event == "completed" && e.At == completed.CompletedAt);
            // The demo's scrap names a code of the organization's list as well as the words.
            Assert.NotNull(scrapped.ScrapReasonCode);
            Assert.Contains(events, e => e.SerialId == scrapped.Id && e.Event == "scrapped" && e.Note!.EndsWith($"({scrapped.ScrapReasonCode}): {scrapped.ScrapReason}", StringComparison.Ordinal));
            Assert.All(events, e => Assert.True(e.At <= app.Clock.GetUtcNow().UtcDateTime));

            // Entries about the demo's serials and work orders (tests add their own on fresh ones).
            var entities = ids.Concat(demo.Select(s => s.WorkOrderId!.Value)).Select(i => i.ToString()).ToHashSet();
            var audit = (await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == org).ToListAsync()).Where(a => entities.Contains(a.EntityId)).ToList();
            Assert.Equal(attachments.Count, audit.Count(a => a.Action == "cert_attached"));
            Assert.Equal(3, audit.Count(a => a.Action == "serials_created"));
            Assert.Single(audit, a => a.Action == "serial_completed");
            Assert.Single(audit, a => a.Action == "serial_scrapped");
            Assert.Equal(events.Count(e => e.Event == "completed") - 1, audit.Count(a => a.Action == "serial_advanced"));
            Assert.All(audit, a => Assert.EndsWith($"@{code.ToLowerInvariant()}.demo", a.UserEmail));
            Assert.True((await AuditTrail.VerifyAsync(db, org)).Intact);
        }
        // MA01's tote bags carry signed public codes.
        var ma01 = await app.OrganizationIdAsync("MA01");
        Assert.True(await db.Set<Serial>().IgnoreQueryFilters().AnyAsync(s => s.OrganizationId == ma01 && s.SerialNumber.StartsWith("MA01-HAT-BAG-")));
    }
}

public sealed class SqliteSerialProviderTests(OperatorFactory app, ITestOutputHelper output)
    : SerialProviderTests<OperatorFactory>(app, output), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresSerialProviderTests(PostgresOperatorFactory app, ITestOutputHelper output)
    : SerialProviderTests<PostgresOperatorFactory>(app, output), IClassFixture<PostgresOperatorFactory>;
