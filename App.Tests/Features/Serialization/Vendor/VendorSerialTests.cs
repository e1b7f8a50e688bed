using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>Spec section 1: the examples as exact envelopes, every transition and its refusals.</summary>
public sealed class VendorSerialTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Receive_accept_get_and_list_answer_the_spec_examples()
    {
        var part = await NewPartAsync(app);
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var received = await operatorClient.PostAsync($"{Base}/vendor/receive", Golden.Raw($$"""
            {
              "vendorSerialNumber": "VS-2024-001",
              "vendorName": "Acme Corp",
              "partId": "{{part.Id}}",
              "receivedDate": "2024-11-01T10:00:00Z"
            }
            """));
        Assert.Equal(HttpStatusCode.Created, received.StatusCode);
        var receivedBody = await Golden.BodyAsync(received);
        Assert.Equal("2024-11-01T10:00:00.000Z", receivedBody["data"]!["receivedAt"]!.GetValue<string>());
        Assert.Equal(
            """{"success":true,"data":{"id":"<uuid>","vendorSerialNumber":"VS-2024-001","vendorName":"Acme Corp","partId":"<uuid>","status":"PENDING","receivedAt":"<time>"},"error":null,"timestamp":"<time>"}""",
            Golden.Mask(receivedBody.ToJsonString(Golden.Plain)));
        var id = receivedBody["data"]!["id"]!.GetValue<string>();

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var accepted = await manager.PostAsync($"{Base}/vendor/{id}/accept", Sign.Raw("""{"acceptedBy": "operator-001", "internalSerialId": "INT-2024-001"}"""));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await Golden.AssertBodyAsync(accepted, """
            {"success":true,"data":{"id":"<uuid>","status":"ACCEPTED","internalSerialId":"INT-2024-001","acceptedAt":"<time>","serialId":"<uuid>"},"error":null,"timestamp":"<time>"}
            """);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var got = await viewer.GetAsync($"{Base}/vendor/{id}");
        await Golden.AssertBodyAsync(got, """
            {"success":true,"data":{"id":"<uuid>","vendorSerialNumber":"VS-2024-001","vendorName":"Acme Corp","status":"ACCEPTED","createdAt":"<time>","updatedAt":"<time>",
             "partId":"<uuid>","receivedAt":"<time>","internalSerialId":"INT-2024-001","serialId":"<uuid>","acceptedAt":"<time>","rejectionReason":null,"rejectedAt":null},
             "error":null,"timestamp":"<time>"}
            """);

        // The accepted vendor serial is an ordinary serial of the plant, of origin vendor, created by the signed-in manager.
        var serial = Assert.Single(await SerialsOfPartAsync(app, part.Id));
        Assert.Equal("INT-2024-001", serial.SerialNumber);
        Assert.Equal(SerialOrigins.Vendor, serial.Origin);
        Assert.Equal(SerialStatus.InProgress, serial.Status);
        await using (var db = app.RawDb())
        {
            var managerId = await db.Users.Where(u => u.Email == DemoUsers.Manager).Select(u => u.Id).SingleAsync();
            Assert.Equal(managerId, serial.CreatedBy);
            var row = await db.Set<VendorSerial>().IgnoreQueryFilters().SingleAsync(v => v.Id == Guid.Parse(id));
            Assert.Equal(managerId, row.AcceptedBy);
            Assert.Equal(serial.Id, row.InternalSerialId);
        }
        Assert.Equal(1, await AuditCountAsync(app, "vendor_serial_received", id));
        Assert.Equal(1, await AuditCountAsync(app, "vendor_serial_accepted", id));

        await ReceiveAsync(operatorClient, part.Id, "VS-2024-002");
        var list = await viewer.GetAsync($"{Base}/vendor/part/{part.Id}?status=PENDING");
        await Golden.AssertBodyAsync(list, """
            {"success":true,"data":{"data":[{"id":"<uuid>","vendorSerialNumber":"VS-2024-002","vendorName":"Acme Corp","status":"PENDING","createdAt":"<time>","updatedAt":"<time>",
             "partId":"<uuid>","receivedAt":"<time>","internalSerialId":null,"serialId":null,"acceptedAt":null,"rejectionReason":null,"rejectedAt":null}],
             "total":1,"limit":50,"offset":0},"error":null,"timestamp":"<time>"}
            """);
        var all = await OkAsync(await viewer.GetAsync($"{Base}/vendor/part/{part.Id}?limit=1&offset=1"));
        Assert.Equal(2, all["total"]!.GetValue<int>());
        Assert.Equal(1, all["limit"]!.GetValue<int>());
        Assert.Single(all["data"]!.AsArray());
    }

    [Fact]
    public async Task Reject_answers_the_spec_example_and_a_rejected_serial_cannot_be_accepted()
    {
        var part = await NewPartAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = await ReceiveAsync(manager, part.Id, "VS-R-1");
        var rejected = await manager.PostAsync($"{Base}/vendor/{id}/reject", Sign.Raw("""{"rejectionReason": "Format does not match spec", "rejectedBy": "quality-manager-001"}""", "rejected", "Format does not match spec"));
        await Golden.AssertBodyAsync(rejected, """
            {"success":true,"data":{"id":"<uuid>","status":"REJECTED","rejectionReason":"Format does not match spec","rejectedAt":"<time>"},"error":null,"timestamp":"<time>"}
            """);

        var accept = await FailsAsync(await manager.PostSignedAsync($"{Base}/vendor/{id}/accept", new { }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal("Vendor serial is REJECTED: only a PENDING vendor serial can be accepted", accept["message"]!.GetValue<string>());
        await FailsAsync(await manager.PostSignedAsync($"{Base}/vendor/{id}/reject", new { rejectionReason = "again" }, "rejected", "again"), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Empty(await SerialsOfPartAsync(app, part.Id));
    }

    [Fact]
    public async Task An_accepted_serial_cannot_be_accepted_or_rejected_again_and_accept_without_body_uses_the_vendor_number()
    {
        var part = await NewPartAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = await ReceiveAsync(manager, part.Id, "VS-A-1");
        var accepted = await OkAsync(await manager.PostSignedAsync($"{Base}/vendor/{id}/accept", null));
        Assert.Equal("VS-A-1", accepted["internalSerialId"]!.GetValue<string>());
        var again = await FailsAsync(await manager.PostSignedAsync($"{Base}/vendor/{id}/accept", null), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal("Vendor serial is ACCEPTED: only a PENDING vendor serial can be accepted", again["message"]!.GetValue<string>());
        var reject = await FailsAsync(await manager.PostSignedAsync($"{Base}/vendor/{id}/reject", new { rejectionReason = "too late" }, "rejected", "too late"), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal("Vendor serial is ACCEPTED: only a PENDING vendor serial can be rejected", reject["message"]!.GetValue<string>());
        Assert.Single(await SerialsOfPartAsync(app, part.Id));
    }

    [Fact]
    public async Task A_vendor_number_already_received_from_the_vendor_for_the_part_is_a_conflict_but_another_part_may_use_it()
    {
        var part = await NewPartAsync(app);
        var other = await NewPartAsync(app);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        await ReceiveAsync(client, part.Id, "VS-DUP");
        var before = await SnapshotAsync(app);
        var dup = await FailsAsync(await client.PostAsJsonAsync($"{Base}/vendor/receive", new { vendorSerialNumber = "VS-DUP", vendorName = "Acme Corp", partId = part.Id }),
            HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal($"Vendor serial number VS-DUP from Acme Corp is already registered for part {part.Number}", dup["message"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync(app));
        await ReceiveAsync(client, other.Id, "VS-DUP");
    }

    [Fact]
    public async Task Accepting_a_number_another_unit_of_the_part_carries_is_refused_and_leaves_the_vendor_serial_pending()
    {
        var part = await NewPartAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var first = await ReceiveAsync(manager, part.Id, "VS-U-1");
        var second = await ReceiveAsync(manager, part.Id, "VS-U-2");
        await OkAsync(await manager.PostSignedAsync($"{Base}/vendor/{first}/accept", new { internalSerialId = "INT-SAME" }));
        var before = await SnapshotAsync(app);
        var refused = await FailsAsync(await manager.PostSignedAsync($"{Base}/vendor/{second}/accept", new { internalSerialId = "INT-SAME" }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Contains("INT-SAME", refused["message"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync(app));
        var still = await OkAsync(await manager.GetAsync($"{Base}/vendor/{second}"));
        Assert.Equal("PENDING", still["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_decisions_on_one_vendor_serial_give_one_winner()
    {
        var part = await NewPartAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = await ReceiveAsync(manager, part.Id, "VS-RACE");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? manager.PostSignedAsync($"{Base}/vendor/{id}/accept", new { internalSerialId = $"INT-RACE-{i}" })
            : manager.PostSignedAsync($"{Base}/vendor/{id}/reject", new { rejectionReason = "race" }, "rejected", "race")));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.True((await SerialsOfPartAsync(app, part.Id)).Count <= 1);
    }

    [Fact]
    public async Task Roles_unknown_ids_and_bad_input_answer_in_the_envelope_and_write_nothing()
    {
        var part = await NewPartAsync(app);
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var id = await ReceiveAsync(operatorClient, part.Id, "VS-ROLE");
        var before = await SnapshotAsync(app);

        var forbidden = await viewer.PostAsJsonAsync($"{Base}/vendor/receive", new { vendorSerialNumber = "X", vendorName = "Y", partId = part.Id });
        await Golden.AssertBodyAsync(forbidden, """
            {"success":false,"data":null,"error":"FORBIDDEN","message":"Insufficient permissions for this operation","timestamp":"<time>"}
            """);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await FailsAsync(await operatorClient.PostAsync($"{Base}/vendor/{id}/accept", null), HttpStatusCode.Forbidden, "FORBIDDEN");

        var anonymous = app.CreateClient();
        var unauthorized = await anonymous.GetAsync($"{Base}/vendor/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        await Golden.AssertBodyAsync(unauthorized, """
            {"success":false,"data":null,"error":"UNAUTHORIZED","message":"Authentication token missing or invalid","timestamp":"<time>"}
            """);

        var missing = Guid.NewGuid();
        var notFound = await viewer.GetAsync($"{Base}/vendor/{missing}");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        var notFoundBody = await Golden.BodyAsync(notFound);
        Assert.Equal(
            """{"success":false,"data":null,"error":"NOT_FOUND","message":"Resource not found","resourceType":"VendorSerial","resourceId":"<uuid>","timestamp":"<time>"}""",
            Golden.Mask(notFoundBody.ToJsonString(Golden.Plain)));
        Assert.Equal(missing.ToString(), notFoundBody["resourceId"]!.GetValue<string>());
        var malformed = await FailsAsync(await viewer.GetAsync($"{Base}/vendor/vendor-serial-456"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("vendor-serial-456", malformed["resourceId"]!.GetValue<string>());
        var unknownPart = await FailsAsync(await operatorClient.PostAsJsonAsync($"{Base}/vendor/receive",
            new { vendorSerialNumber = "X", vendorName = "Y", partId = Guid.NewGuid() }), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("Part", unknownPart["resourceType"]!.GetValue<string>());

        var invalid = await operatorClient.PostAsync($"{Base}/vendor/receive", Golden.Raw("""{"vendorSerialNumber": 42, "partId": "part-123", "receivedDate": "yesterday"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await Golden.AssertBodyAsync(invalid, """
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[
              {"field":"vendorSerialNumber","message":"Expected string, received number"},
              {"field":"vendorName","message":"Required"},
              {"field":"partId","message":"Invalid uuid"},
              {"field":"receivedDate","message":"Invalid datetime: use ISO 8601, e.g. <time>"}],"timestamp":"<time>"}
            """);
        var broken = await FailsAsync(await operatorClient.PostAsync($"{Base}/vendor/receive", Golden.Raw("""{"vendorSerialNumber": "A", "vendorName": }""")),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("Invalid input data", broken["message"]!.GetValue<string>());
        Assert.Equal(["vendorName"], Fields(broken));
        var empty = await FailsAsync(await operatorClient.PostAsync($"{Base}/vendor/receive", Golden.Raw("")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["body"], Fields(empty));
        var notJson = await operatorClient.PostAsync($"{Base}/vendor/receive", Golden.Raw("vendorSerialNumber=1", "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        var badStatus = await FailsAsync(await viewer.GetAsync($"{Base}/vendor/part/{part.Id}?status=pending&limit=501"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["limit", "status"], Fields(badStatus).Order().ToList());
        var rejectWithout = await FailsAsync(await (await app.ClientForAsync(DemoUsers.Manager)).PostAsJsonAsync($"{Base}/vendor/{id}/reject", new { rejectedBy = "qm" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["rejectionReason"], Fields(rejectWithout));

        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task Another_organizations_vendor_serial_is_not_found_and_responses_carry_the_rate_limit_headers()
    {
        var part = await NewPartAsync(app, "AC01");
        var otherAdmin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var id = await ReceiveAsync(otherAdmin, part.Id, "VS-AC01");
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var response = await manager.GetAsync($"{Base}/vendor/{id}");
        await FailsAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        await FailsAsync(await manager.PostSignedAsync($"{Base}/vendor/{id}/accept", null), HttpStatusCode.NotFound, "NOT_FOUND");
        await FailsAsync(await manager.GetAsync($"{Base}/vendor/part/{part.Id}"), HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal("1000", response.Headers.GetValues("X-RateLimit-Limit").Single());
        var remaining = int.Parse(response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.InRange(remaining, 0, 999);
        var reset = long.Parse(response.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.True(reset > app.Clock.GetUtcNow().ToUnixTimeSeconds() - 1);
        var ok = await otherAdmin.GetAsync($"{Base}/vendor/{id}");
        Assert.True(ok.Headers.Contains("X-RateLimit-Remaining"));
    }
}
