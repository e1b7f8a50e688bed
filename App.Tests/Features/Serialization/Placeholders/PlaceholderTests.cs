using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>Spec section 3: the examples as exact envelopes, PENDING → SERIALIZED / FAILED and every refusal, statistics.</summary>
public sealed class PlaceholderTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Create_assign_fail_pending_and_statistics_answer_the_spec_examples()
    {
        var start = new DateTimeOffset(2024, 11, 1, 10, 0, 0, TimeSpan.Zero);
        app.Clock.Set(start);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var part = await NewPartAsync(app);
        var (orderId, orderNumber, pathId) = await NewWorkOrderAsync(app, part.Id);

        var created = await client.PostAsync($"{Base}/late-assignment/placeholder", Golden.Raw($$"""
            {
              "partId": "{{part.Id}}",
              "workOrderId": "{{orderId}}",
              "operationCode": "OP-020",
              "quantity": 5,
              "createdBy": "operator-001"
            }
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdBody = await Golden.BodyAsync(created);
        Assert.Equal(
            """{"success":true,"data":{"id":"<uuid>","partId":"<uuid>","status":"PENDING","quantity":5,"createdAt":"<time>","workOrderId":"<uuid>","operationCode":"OP-020"},"error":null,"timestamp":"<time>"}""",
            Golden.Mask(createdBody.ToJsonString(Golden.Plain)));
        var first = createdBody["data"]!["id"]!.GetValue<string>();
        // Pending placeholders are listed oldest first.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await CreatePlaceholderAsync(client, part.Id);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await CreatePlaceholderAsync(client, part.Id);

        var pending = await client.GetAsync($"{Base}/late-assignment/pending?partId={part.Id}");
        Assert.Equal("3", pending.Headers.GetValues("X-Total-Count").Single());
        var pendingBody = await Golden.BodyAsync(pending);
        Assert.Equal(
            $$"""{"id":"<uuid>","partId":"<uuid>","status":"PENDING","createdAt":"<time>","quantity":5,"workOrderId":"<uuid>","workOrderNumber":"{{orderNumber}}","operationCode":"OP-020","partNumber":"{{part.Number}}"}""",
            Golden.Mask(pendingBody["data"]![0]!.ToJsonString(Golden.Plain)));
        Assert.Equal([first, second.ToString(), third.ToString()], pendingBody["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));

        app.Clock.Set(start.AddHours(5));
        client = await app.ClientForAsync(DemoUsers.Operator);
        var assigned = await client.PostAsync($"{Base}/late-assignment/placeholder/{first}/assign", Golden.Raw("""{"serialNumber": "LATE-2024-0001", "assignedBy": "operator-001"}"""));
        await Golden.AssertBodyAsync(assigned, """
            {"success":true,"data":{"id":"<uuid>","status":"SERIALIZED","serialNumber":"LATE-2024-0001","assignedAt":"<time>","serialId":"<uuid>"},"error":null,"timestamp":"<time>"}
            """);
        app.Clock.Set(start.AddHours(7));
        client = await app.ClientForAsync(DemoUsers.Operator);
        await OkAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{second}/assign", new { serialNumber = "LATE-2024-0002" }));
        var failed = await client.PostAsync($"{Base}/late-assignment/placeholder/{third}/fail", Golden.Raw("""{"reason": "Part damaged during operation", "failedBy": "operator-001"}"""));
        await Golden.AssertBodyAsync(failed, """
            {"success":true,"data":{"id":"<uuid>","status":"FAILED","failureReason":"Part damaged during operation","failedAt":"<time>"},"error":null,"timestamp":"<time>"}
            """);

        // Two serialized (after 5 and 7 hours), one failed: 66.7 % in 6.0 hours on average.
        var stats = await (await app.ClientForAsync(DemoUsers.Viewer)).GetAsync($"{Base}/late-assignment/statistics/{part.Id}");
        await Golden.AssertBodyAsync(stats, """
            {"success":true,"data":{"totalPending":0,"totalSerialized":2,"totalFailed":1,"successRate":66.7,"averageTimeToSerialization":6},"error":null,"timestamp":"<time>"}
            """);

        // The serialized unit is an ordinary serial on the work order's path, at the placeholder's operation (OP-020 = step 1), batch scope for 5 units.
        var serials = await SerialsOfPartAsync(app, part.Id);
        var late = serials.Single(s => s.SerialNumber == "LATE-2024-0001");
        Assert.Equal((SerialOrigins.LateAssignment, orderId, pathId, 1, SerialScopes.Batch), (late.Origin, late.WorkOrderId, late.PathId, late.CurrentStepIndex, late.Scope));
        var plain = serials.Single(s => s.SerialNumber == "LATE-2024-0002");
        Assert.Equal((null, null, 0, SerialScopes.Piece), (plain.WorkOrderId, plain.PathId, plain.CurrentStepIndex, plain.Scope));
        Assert.Equal(1, await AuditCountAsync(app, "placeholder_serialized", first));
        Assert.Equal(1, await AuditCountAsync(app, "placeholder_failed", third.ToString()));
        Assert.Equal(1, await AuditCountAsync(app, "serial_created", late.Id.ToString()));
    }

    [Fact]
    public async Task A_serialized_or_failed_placeholder_is_final()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var part = await NewPartAsync(app);
        var done = await CreatePlaceholderAsync(client, part.Id);
        var failed = await CreatePlaceholderAsync(client, part.Id);
        await OkAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{done}/assign", new { serialNumber = "FINAL-1" }));
        await OkAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{failed}/fail", new { reason = "Lost" }));
        var before = await SnapshotAsync(app);

        var assignFailed = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{failed}/assign", new { serialNumber = "FINAL-2" }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal("Placeholder is FAILED: only a PENDING placeholder can be assigned a serial number", assignFailed["message"]!.GetValue<string>());
        var assignAgain = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{done}/assign", new { serialNumber = "FINAL-3" }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal("Placeholder is SERIALIZED: only a PENDING placeholder can be assigned a serial number", assignAgain["message"]!.GetValue<string>());
        await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{done}/fail", new { reason = "x" }), HttpStatusCode.Conflict, "CONFLICT");
        await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{failed}/fail", new { reason = "x" }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task A_number_in_use_is_refused_and_the_placeholder_stays_pending()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var part = await NewPartAsync(app);
        var first = await CreatePlaceholderAsync(client, part.Id);
        var second = await CreatePlaceholderAsync(client, part.Id);
        await OkAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{first}/assign", new { serialNumber = "SAME-1" }));
        var before = await SnapshotAsync(app);
        var refused = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{second}/assign", new { serialNumber = "SAME-1" }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal("Serial number SAME-1 is already in use for this part", refused["message"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync(app));
        await using var db = app.RawDb();
        Assert.Equal(PlaceholderStatus.Pending, await db.Set<Placeholder>().IgnoreQueryFilters().Where(p => p.Id == second).Select(p => p.Status).SingleAsync());
    }

    [Fact]
    public async Task Bad_input_unknown_ids_and_roles_are_refused_and_nothing_is_written()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var part = await NewPartAsync(app);
        var otherPart = await NewPartAsync(app);
        var (orderId, _, _) = await NewWorkOrderAsync(app, otherPart.Id);
        var placeholder = await CreatePlaceholderAsync(client, part.Id);
        var before = await SnapshotAsync(app);

        var bad = await FailsAsync(await client.PostAsync($"{Base}/late-assignment/placeholder", Golden.Raw($$"""
            {"partId": "{{part.Id}}", "quantity": 0, "operationCode": 12}
            """)), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["operationCode", "quantity"], Fields(bad).Order().ToList());
        var fraction = await FailsAsync(await client.PostAsync($"{Base}/late-assignment/placeholder", Golden.Raw($$"""{"partId": "{{part.Id}}", "quantity": 1.5}""")),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["quantity"], Fields(fraction));
        var wrongOrder = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder", new { partId = part.Id, workOrderId = orderId }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["workOrderId"], Fields(wrongOrder));
        var unknownOrder = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder", new { partId = part.Id, workOrderId = Guid.NewGuid() }),
            HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("WorkOrder", unknownOrder["resourceType"]!.GetValue<string>());
        var spaces = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{placeholder}/assign", new { serialNumber = "LATE 1" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["serialNumber"], Fields(spaces));
        var noReason = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{placeholder}/fail", new { reason = "  " }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["reason"], Fields(noReason));
        var unknown = await FailsAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/placeholder-001/assign", new { serialNumber = "X" }),
            HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(("Placeholder", "placeholder-001"), (unknown["resourceType"]!.GetValue<string>(), unknown["resourceId"]!.GetValue<string>()));
        await FailsAsync(await client.GetAsync($"{Base}/late-assignment/statistics/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND");
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        await FailsAsync(await viewer.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{placeholder}/assign", new { serialNumber = "X" }), HttpStatusCode.Forbidden, "FORBIDDEN");
        await FailsAsync(await viewer.PostAsJsonAsync($"{Base}/late-assignment/placeholder", new { partId = part.Id }), HttpStatusCode.Forbidden, "FORBIDDEN");
        // Another organization's placeholder does not exist for this caller.
        var foreign = await app.ClientForAsync(DemoUsers.OtherAdmin);
        await FailsAsync(await foreign.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{placeholder}/fail", new { reason = "x" }), HttpStatusCode.NotFound, "NOT_FOUND");
        var foreignPending = await OkAsync(await foreign.GetAsync($"{Base}/late-assignment/pending?limit=500"));
        Assert.DoesNotContain(foreignPending.AsArray(), p => p!["id"]!.GetValue<string>() == placeholder.ToString());
        Assert.Equal(before, await SnapshotAsync(app));
    }
}
