using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// The serial lifecycle: in_progress → completed (index -1) at the last step, scrapped with a reason (step kept),
/// advance one step at a time with the step history, the states that refuse each move, and batch create's rules.
/// </summary>
public sealed class SerialLifecycleTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private static async Task<string> ErrorAsync(HttpResponseMessage response) => (await Golden.BodyAsync(response))["error"]!.GetValue<string>();

    [Fact]
    public async Task Advance_walks_the_path_recording_the_step_history_and_complete_ends_it()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client, pathCode: "PATH-SLG");
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var first = await SerialsKit.AdvanceAsync(client, serial);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var moved = await Golden.BodyAsync(first);
        Assert.Equal(1, moved["currentStepIndex"]!.GetValue<int>());
        Assert.Equal("Stitching", moved["currentStepName"]!.GetValue<string>());
        Assert.Equal(["done", "current", "next"], moved["steps"]!.AsArray().Select(s => s!["state"]!.GetValue<string>()));

        var atLast = await SerialsKit.AdvanceAsync(client, serial);
        Assert.Equal(HttpStatusCode.OK, atLast.StatusCode);
        var refused = await SerialsKit.AdvanceAsync(client, serial);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal($"{serial} is at its last step (Finishing): complete it instead of advancing", await ErrorAsync(refused));

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var completed = await SerialsKit.CompleteAsync(client, serial);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var done = await Golden.BodyAsync(completed);
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(-1, done["currentStepIndex"]!.GetValue<int>());
        Assert.Null(done["currentStepId"]);
        Assert.NotNull(done["completedAt"]);
        Assert.Equal(["done", "done", "done"], done["steps"]!.AsArray().Select(s => s!["state"]!.GetValue<string>()));
        Assert.Equal(["0:Cutting:started", "0:Cutting:completed", "1:Stitching:started", "1:Stitching:completed", "2:Finishing:started", "2:Finishing:completed"],
            done["history"]!.AsArray().Select(h => $"{h!["stepIndex"]}:{h["stepName"]}:{h["event"]}"));
        Assert.All(done["history"]!.AsArray(), h => Assert.Equal("Oskar Operator", h!["userName"]!.GetValue<string>()));
        Assert.Equal(["serial_advanced", "serial_advanced", "serial_completed"], done["audit"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
        Assert.Equal("Advanced from Cutting to Stitching", done["audit"]![0]!["summary"]!.GetValue<string>());

        foreach (var move in new Func<Task<HttpResponseMessage>>[] { () => SerialsKit.AdvanceAsync(client, serial), () => SerialsKit.CompleteAsync(client, serial), () => SerialsKit.ScrapAsync(client, serial) })
        {
            var again = await move();
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.StartsWith($"{serial} is already completed and cannot", await ErrorAsync(again));
        }
    }

    [Fact]
    public async Task Complete_before_the_last_step_is_refused()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var response = await SerialsKit.CompleteAsync(client, serial);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"{serial} is at Cutting (step 1 of 5): advance it to the last step before completing", await ErrorAsync(response));
        Assert.Equal("in_progress", (await SerialsKit.GetAsync(client, serial))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Advance_with_the_step_the_caller_saw_refuses_a_double_tap()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var seen = (await SerialsKit.GetAsync(client, serial))["currentStepId"]!.GetValue<string>();
        var first = await client.PostAsJsonAsync($"{SerialsKit.Path}/{serial}/advance", new { expectedStepId = seen });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await client.PostAsJsonAsync($"{SerialsKit.Path}/{serial}/advance", new { expectedStepId = seen });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal($"{serial} was already moved: it is no longer at Cutting but at Skiving (step 2 of 5). Nothing new was recorded.", await ErrorAsync(second));
        Assert.Equal(1, (await SerialsKit.GetAsync(client, serial))["currentStepIndex"]!.GetValue<int>());

        var garbage = await client.PostAsync($"{SerialsKit.Path}/{serial}/advance", Golden.Raw("""{"expectedStepId":"step_002"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal("expectedStepId must be a step id (UUID)", await ErrorAsync(garbage));
    }

    [Fact]
    public async Task Scrap_needs_a_reason_keeps_the_step_and_records_it()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serial)).StatusCode);
        var before = await SerialsKit.CountsAsync(app);
        foreach (var body in new[] { """{}""", """{"reason":"  "}""", """{"reason":"ab"}""", """{"reason":12}""", $$"""{"reason":"{{new string('x', 501)}}"}""" })
        {
            var refused = await client.PostAsync($"{SerialsKit.Path}/{serial}/scrap", Golden.Raw(body));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal("A scrap reason of at least 3 characters is required",
            await ErrorAsync(await client.PostAsync($"{SerialsKit.Path}/{serial}/scrap", Golden.Raw("""{"reason":" x "}"""))));
        Assert.Equal(before, await SerialsKit.CountsAsync(app));

        var response = await SerialsKit.ScrapAsync(client, serial, "  Cut through the strap  ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body2 = await Golden.BodyAsync(response);
        Assert.Equal("scrapped", body2["status"]!.GetValue<string>());
        Assert.Equal("Cut through the strap", body2["scrapReason"]!.GetValue<string>());
        Assert.Equal(1, body2["currentStepIndex"]!.GetValue<int>());
        Assert.Equal("current", body2["steps"]![1]!["state"]!.GetValue<string>());
        Assert.Equal("pending", body2["steps"]![2]!["state"]!.GetValue<string>());
        var last = body2["history"]!.AsArray().Last()!;
        Assert.Equal("scrapped", last["event"]!.GetValue<string>());
        Assert.Equal("Cut through the strap", last["note"]!.GetValue<string>());
        Assert.Equal("Scrapped at Skiving: Cut through the strap", body2["audit"]!.AsArray().Last()!["summary"]!.GetValue<string>());

        var again = await SerialsKit.ScrapAsync(client, serial);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal($"{serial} is already scrapped", await ErrorAsync(again));
        Assert.Equal($"{serial} is scrapped and cannot advance", await ErrorAsync(await SerialsKit.AdvanceAsync(client, serial)));
    }

    [Fact]
    public async Task Cancelled_serials_neither_move_nor_take_certificates()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var id = await SerialsKit.SerialIdAsync(app, serial);
        await using (var db = app.RawDb())
        {
            await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, "cancelled").SetProperty(s => s.CancelReason, "Duplicate label"));
        }
        Assert.Equal($"{serial} is cancelled and cannot advance", await ErrorAsync(await SerialsKit.AdvanceAsync(client, serial)));
        var attach = await SerialsKit.AttachAsync(client, serial, "CERT-0001", await SerialsKit.UserIdAsync(app, DemoUsers.Operator));
        Assert.Equal(HttpStatusCode.BadRequest, attach.StatusCode);
        Assert.Equal("Serial is cancelled, cannot attach cert", await ErrorAsync(attach));
    }

    [Fact]
    public async Task Moves_are_station_work_and_unknown_serials_are_404()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        foreach (var response in new[] { await SerialsKit.AdvanceAsync(viewer, serial), await SerialsKit.CompleteAsync(viewer, serial), await SerialsKit.ScrapAsync(viewer, serial) })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(SerialService.StationForbidden, await ErrorAsync(response));
        }
        Assert.Equal(0, (await SerialsKit.GetAsync(viewer, serial))["currentStepIndex"]!.GetValue<int>());
        foreach (var response in new[] { await SerialsKit.AdvanceAsync(client, "SN-77777"), await SerialsKit.CompleteAsync(client, "SN-77777"), await SerialsKit.ScrapAsync(client, "SN-77777"),
                     await client.GetAsync($"{SerialsKit.Path}/SN-77777") })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"SerialNumber not found: SN-77777"}""");
        }
    }

    [Fact]
    public async Task An_active_hold_on_the_serials_batch_refuses_advance_and_complete_but_not_scrap()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serials = await SerialsKit.NewSerialsAsync(app, client, count: 3);
        await SerialsKit.AdvanceToLastStepAsync(client, serials[1]);
        var batch = await Holds.HoldsKit.NewBatchAsync(app);
        await using (var db = app.RawDb())
        {
            foreach (var number in serials)
            {
                var id = await SerialsKit.SerialIdAsync(app, number);
                await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.BatchId, batch.Id));
            }
        }
        var hold = await Holds.HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), items: [Holds.HoldsKit.Bt(batch.Id)]);
        var holdNumber = hold["hold"]!["hold_number"]!.GetValue<string>();

        var advance = await SerialsKit.AdvanceAsync(client, serials[0]);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Contains($"blocked by quality hold {holdNumber}", await ErrorAsync(advance));
        Assert.Contains(batch.Number, await ErrorAsync(await SerialsKit.AdvanceAsync(client, serials[0])));
        var complete = await SerialsKit.CompleteAsync(client, serials[1]);
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Contains(holdNumber, await ErrorAsync(complete));
        var detail = await SerialsKit.GetAsync(client, serials[0]);
        Assert.Equal(0, detail["currentStepIndex"]!.GetValue<int>());
        Assert.Equal(holdNumber, detail["blockingHolds"]![0]!["holdNumber"]!.GetValue<string>());
        Assert.Empty(await SerialsKit.AuditAsync(app, serials[0], "serial_advanced"));
        // Taking a held unit out of production is one way a hold ends: scrapping is not refused.
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, serials[2])).StatusCode);

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        Assert.Equal(HttpStatusCode.OK, (await Holds.HoldsKit.ReleaseAsync(manager, Holds.HoldsKit.Id(hold))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serials[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.CompleteAsync(client, serials[1])).StatusCode);
    }

    [Fact]
    public async Task Another_organizations_serial_is_not_found_for_reading_moving_or_listing()
    {
        var otherAdmin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var theirs = await SerialsKit.NewSerialAsync(app, otherAdmin, org: "AC01");
        var theirId = await SerialsKit.SerialIdAsync(app, theirs, "AC01");
        var client = await app.ClientForAsync(DemoUsers.Operator);
        foreach (var key in new[] { theirs, theirId.ToString() })
        {
            foreach (var response in new[] { await client.GetAsync($"{SerialsKit.Path}/{key}"), await SerialsKit.AdvanceAsync(client, key),
                         await SerialsKit.CompleteAsync(client, key), await SerialsKit.ScrapAsync(client, key) })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal($"SerialNumber not found: {key}", await ErrorAsync(response));
            }
        }
        var listed = (await client.GetFromJsonAsync<JsonNode>($"{SerialsKit.Path}?search={Uri.EscapeDataString(theirs)}"))!;
        Assert.DoesNotContain(theirs, listed["items"]!.AsArray().Select(i => i!["serialNumber"]!.GetValue<string>()));
        var mine = (await otherAdmin.GetFromJsonAsync<JsonNode>($"{SerialsKit.Path}?search={Uri.EscapeDataString(theirs)}"))!;
        Assert.Contains(theirs, mine["items"]!.AsArray().Select(i => i!["serialNumber"]!.GetValue<string>()));
        var untouched = await SerialsKit.GetAsync(otherAdmin, theirs);
        Assert.Equal("in_progress", untouched["status"]!.GetValue<string>());
        Assert.Equal(0, untouched["currentStepIndex"]!.GetValue<int>());
    }

    // ---------------------------------------------------------------- batch create

    [Fact]
    public async Task Batch_create_numbers_serials_at_the_first_step_with_audit_entries_on_the_work_order()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app, partNumber: "P-1001");
        var response = await client.PostAsJsonAsync($"{SerialsKit.Path}/batch", new { workOrderId = order.Number.ToLowerInvariant(), quantity = 3, certId = "CERT-0005" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        Assert.Equal(order.Id.ToString(), body["workOrderId"]!.GetValue<string>());
        Assert.Equal("Cutting", body["stepName"]!.GetValue<string>());
        Assert.Equal("CERT-0005", body["certNumber"]!.GetValue<string>());
        var numbers = body["serials"]!.AsArray().Select(s => s!["serialNumber"]!.GetValue<string>()).ToList();
        // The publicly verifiable tote bag gets signed public codes from SerialNumbering.
        Assert.All(numbers, n => Assert.Matches(@"^MA01-HAT-BAG-\d{8}-\d{5}-[A-Z0-9]{4}-[A-Z0-9]$", n));
        Assert.Equal(3, numbers.Distinct().Count());

        var detail = await SerialsKit.GetAsync(client, numbers[1]);
        Assert.Equal("in_progress", detail["status"]!.GetValue<string>());
        Assert.Equal("auto_job", detail["origin"]!.GetValue<string>());
        Assert.Equal("CERT-0005", detail["steps"]![0]!["attachments"]![0]!["certNumber"]!.GetValue<string>());
        Assert.Equal("started", detail["history"]![0]!["event"]!.GetValue<string>());

        await using var db = app.RawDb();
        var entries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == order.Id.ToString()).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(["serials_created", "cert_attached"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("work_order", DemoUsers.Operator), (e.EntityType, e.UserEmail)));
        var created = JsonNode.Parse(entries[0].After!)!;
        Assert.Equal(3, created["count"]!.GetValue<int>());
        Assert.Equal(numbers[0], created["firstSerialNumber"]!.GetValue<string>());
        Assert.Equal(numbers[2], created["lastSerialNumber"]!.GetValue<string>());
        var attached = JsonNode.Parse(entries[1].After!)!;
        Assert.Equal("CERT-0005", attached["certificateNumber"]!.GetValue<string>());
        Assert.Equal(order.Number, attached["workOrderNumber"]!.GetValue<string>());
        Assert.Equal(body["stepId"]!.GetValue<string>(), attached["stepId"]!.GetValue<string>());
        Assert.Equal(body["pathId"]!.GetValue<string>(), attached["pathId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"quantity":2}""", "workOrderId is required")]
    [InlineData("""{"workOrderId":"WO","quantity":0}""", "quantity must be from 1 to 10,000, got 0")]
    [InlineData("""{"workOrderId":"WO","quantity":10001}""", "quantity must be from 1 to 10,000, got 10001")]
    [InlineData("""{"workOrderId":"WO","quantity":2.5}""", "quantity must be a whole number from 1 to 10,000")]
    [InlineData("""{"workOrderId":"WO","quantity":"2"}""", "quantity must be a whole number from 1 to 10,000")]
    [InlineData("""{"workOrderId":"WO","quantity":99999999999}""", "quantity must be a whole number from 1 to 10,000")]
    [InlineData("""{"workOrderId":"WO"}""", "quantity is required")]
    [InlineData("""{"workOrderId":"WO","quantity":2,"certId":17}""", "certId must be a string, got a number")]
    [InlineData("""{"workOrderId":12,"quantity":2}""", "workOrderId must be a string, got a number")]
    [InlineData("""{"workOrderId":"HUGE","quantity":2}""", "workOrderId must be at most 100 characters")]
    [InlineData(""" "WO" """, "The request body must be a JSON object with workOrderId, quantity and an optional certId")]
    public async Task Batch_create_refuses_bad_input_in_words_and_writes_nothing(string body, string message)
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var before = await SerialsKit.CountsAsync(app);
        var response = await client.PostAsync($"{SerialsKit.Path}/batch", Golden.Raw(body.Replace("\"WO\"", $"\"{order.Id}\"").Replace("HUGE", new string('W', 5000))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, await ErrorAsync(response));
        Assert.Equal(before, await SerialsKit.CountsAsync(app));
    }

    [Fact]
    public async Task Batch_create_answers_unknown_references_and_closed_work_orders_without_writing()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var closed = await SerialsKit.NewWorkOrderAsync(app, status: "closed");
        var theirs = await SerialsKit.NewWorkOrderAsync(app, "AC01");
        var before = await SerialsKit.CountsAsync(app);

        async Task Expect(object body, HttpStatusCode status, string message)
        {
            var response = await client.PostAsJsonAsync($"{SerialsKit.Path}/batch", body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(message, await ErrorAsync(response));
        }
        await Expect(new { workOrderId = "WO-NOPE", quantity = 2 }, HttpStatusCode.NotFound, "Work order not found: WO-NOPE");
        await Expect(new { workOrderId = theirs.Id.ToString(), quantity = 2 }, HttpStatusCode.NotFound, $"Work order not found: {theirs.Id}");
        await Expect(new { workOrderId = order.Id.ToString(), quantity = 2, certId = "CERT-4040" }, HttpStatusCode.NotFound, "Certificate not found: CERT-4040");
        var foreignCert = await SerialsKit.CertIdAsync(app, "CERT-0001", "AC01");
        await Expect(new { workOrderId = order.Id.ToString(), quantity = 2, certId = foreignCert.ToString() }, HttpStatusCode.NotFound, $"Certificate not found: {foreignCert}");
        await Expect(new { workOrderId = closed.Number, quantity = 2 }, HttpStatusCode.Conflict, $"Work order {closed.Number} is closed: no new serials can be created for it");
        Assert.Equal(before, await SerialsKit.CountsAsync(app));

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var forbidden = await viewer.PostAsJsonAsync($"{SerialsKit.Path}/batch", new { workOrderId = order.Id.ToString(), quantity = 2 });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(before, await SerialsKit.CountsAsync(app));
    }

    // ---------------------------------------------------------------- bad input everywhere

    [Fact]
    public async Task Garbage_ids_and_query_values_get_clear_answers_never_a_500()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var before = await SerialsKit.CountsAsync(app);
        // (A NUL in the path never reaches the app: the server refuses it; NUL in bodies is covered with the fields.)
        foreach (var id in new[] { "..%2F..%2Fetc%2Fpasswd", "' OR 1=1 --", new string('S', 3000), "%E2%9C%93", "null", "-1" })
        {
            var get = await client.GetAsync($"{SerialsKit.Path}/{id}");
            Assert.True(get.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{id}: {get.StatusCode}");
            Assert.Equal("application/json", get.Content.Headers.ContentType?.MediaType);
            var attach = await client.PostAsJsonAsync($"{SerialsKit.Path}/{id}/attach-cert", new { certId = "CERT-0001", userId = Guid.NewGuid() });
            Assert.True(attach.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{id}: {attach.StatusCode}");
        }
        foreach (var query in new[] { "limit=0", "limit=501", "limit=abc", "offset=-1", "status=done", "partId=x", "workOrderId=123", $"search={new string('q', 201)}" })
        {
            var list = await client.GetAsync($"{SerialsKit.Path}?{query}");
            Assert.True(list.StatusCode == HttpStatusCode.BadRequest, $"{query}: {list.StatusCode}");
            Assert.False(string.IsNullOrWhiteSpace(await ErrorAsync(list)));
        }
        Assert.Equal("status must be one of in_progress, completed, scrapped, cancelled", await ErrorAsync(await client.GetAsync($"{SerialsKit.Path}?status=done")));
        var wrongMedia = await client.PostAsync($"{SerialsKit.Path}/SN-00001/attach-cert", Golden.Raw("certId=CERT-0001", "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongMedia.StatusCode);
        var huge = await client.PostAsync($"{SerialsKit.Path}/SN-00001/attach-cert", Golden.Raw($$"""{"certId":"{{new string('C', 2_000_000)}}","userId":"x"}"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(before, await SerialsKit.CountsAsync(app));
    }
}
