using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>Spec section 6: the examples as exact envelopes; conditions, batch mode and the app's own events firing triggers.</summary>
public sealed class TriggerTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Create_update_get_list_enable_disable_delete_and_statistics_answer_the_spec_examples()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var format = await CreateFormatAsync(admin, "TRG-{SEQ:4}");
        var created = await admin.PostAsync($"{Base}/triggers", Golden.Raw($$"""
            {
              "partId": "{{part.Id}}",
              "triggerType": "MATERIAL_RECEIPT",
              "assignmentType": "SYSTEM_GENERATED",
              "formatConfigId": "{{format}}",
              "operationCode": "OP-001",
              "isConditional": true,
              "conditions": { "siteId": "site-001" },
              "batchMode": true,
              "batchSize": 10,
              "createdBy": "admin-001"
            }
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdBody = await Golden.BodyAsync(created);
        Assert.Equal(
            """{"success":true,"data":{"id":"<uuid>","partId":"<uuid>","triggerType":"MATERIAL_RECEIPT","assignmentType":"SYSTEM_GENERATED","isActive":true,"createdAt":"<time>","formatConfigId":"<uuid>","operationCode":"OP-001","isConditional":true,"conditions":{"siteId":"site-001"},"batchMode":true,"batchSize":10,"firedCount":0,"lastFiredAt":null,"updatedAt":"<time>"},"error":null,"timestamp":"<time>"}""",
            Golden.Mask(createdBody.ToJsonString(Golden.Plain)));
        var id = createdBody["data"]!["id"]!.GetValue<string>();

        var updated = await admin.PatchAsync($"{Base}/triggers/{id}", Golden.Raw("""{"isActive": false, "batchSize": 20, "updatedBy": "admin-001"}"""));
        var updatedBody = await Golden.BodyAsync(updated);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.False(updatedBody["data"]!["isActive"]!.GetValue<bool>());
        Assert.Equal(20, updatedBody["data"]!["batchSize"]!.GetValue<int>());
        Assert.Equal(id, updatedBody["data"]!["id"]!.GetValue<string>());
        Assert.NotNull(updatedBody["data"]!["updatedAt"]);

        var enabled = await admin.PostAsync($"{Base}/triggers/{id}/enable", Golden.Raw("""{"enabledBy": "admin-001"}"""));
        await Golden.AssertBodyAsync(enabled, """{"success":true,"data":{"id":"<uuid>","isActive":true,"enabledAt":"<time>"},"error":null,"timestamp":"<time>"}""");
        // Triggers are listed (and fire) in creation order.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "WORK_ORDER_CREATE", assignmentType = "LATE_ASSIGNMENT", isActive = false });

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var got = await OkAsync(await viewer.GetAsync($"{Base}/triggers/{id}"));
        Assert.True(got["isActive"]!.GetValue<bool>());
        var list = await viewer.GetAsync($"{Base}/triggers/part/{part.Id}");
        Assert.Equal("2", list.Headers.GetValues("X-Total-Count").Single());
        var listed = await OkAsync(list);
        Assert.Equal(["MATERIAL_RECEIPT", "WORK_ORDER_CREATE"], listed.AsArray().Select(t => t!["triggerType"]!.GetValue<string>()));
        Assert.Equal([true, false], listed.AsArray().Select(t => t!["isActive"]!.GetValue<bool>()));

        var stats = await viewer.GetAsync($"{Base}/triggers/statistics/{part.Id}");
        await Golden.AssertBodyAsync(stats, """
            {"success":true,"data":{"totalTriggers":2,"activeTriggers":1,
              "byTriggerType":{"MATERIAL_RECEIPT":1,"WORK_ORDER_CREATE":1,"OPERATION_COMPLETE":0,"MANUAL":0},
              "byAssignmentType":{"SYSTEM_GENERATED":1,"VENDOR":0,"LATE_ASSIGNMENT":1},
              "withConditions":1,"batchEnabled":1,"totalFired":0,"lastFiredAt":null},"error":null,"timestamp":"<time>"}
            """);

        var disabled = await admin.PostAsync($"{Base}/triggers/{id}/disable", null);
        await Golden.AssertBodyAsync(disabled, """{"success":true,"data":{"id":"<uuid>","isActive":false,"disabledAt":"<time>"},"error":null,"timestamp":"<time>"}""");
        // Disabling a disabled trigger changes nothing and writes no audit entry.
        await OkAsync(await admin.PostAsync($"{Base}/triggers/{id}/disable", null));
        Assert.Equal(1, await AuditCountAsync(app, "trigger_disabled", id));

        var deleted = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Base}/triggers/{id}") { Content = Golden.Raw("""{"deletedBy": "admin-001"}""") });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("", await deleted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{Base}/triggers/{second}")).StatusCode);
        await FailsAsync(await viewer.GetAsync($"{Base}/triggers/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await FailsAsync(await admin.DeleteAsync($"{Base}/triggers/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        foreach (var action in new[] { "trigger_created", "trigger_updated", "trigger_enabled", "trigger_deleted" })
        {
            Assert.Equal(1, await AuditCountAsync(app, action, id));
        }
    }

    [Fact]
    public async Task Only_an_admin_configures_triggers_and_bad_input_names_the_field()
    {
        var part = await NewPartAsync(app);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var id = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MANUAL", assignmentType = "VENDOR" });
        var before = await SnapshotAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        await FailsAsync(await manager.PostAsJsonAsync($"{Base}/triggers", new { partId = part.Id, triggerType = "MANUAL", assignmentType = "VENDOR" }), HttpStatusCode.Forbidden, "FORBIDDEN");
        await FailsAsync(await manager.PostAsync($"{Base}/triggers/{id}/disable", null), HttpStatusCode.Forbidden, "FORBIDDEN");
        await FailsAsync(await manager.DeleteAsync($"{Base}/triggers/{id}"), HttpStatusCode.Forbidden, "FORBIDDEN");

        var wrong = await FailsAsync(await admin.PostAsync($"{Base}/triggers", Golden.Raw($$$"""
            {"partId": "{{{part.Id}}}", "triggerType": "ON_SCAN", "assignmentType": "system_generated", "isConditional": true, "batchSize": 0, "conditions": {"site": ["a"]}}
            """)), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["assignmentType", "batchSize", "conditions.site", "triggerType"], Fields(wrong).Order().ToList());
        var noConditions = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/triggers", new { partId = part.Id, triggerType = "MANUAL", assignmentType = "VENDOR", isConditional = true }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["conditions"], Fields(noConditions));
        var partChange = await FailsAsync(await admin.PatchAsJsonAsync($"{Base}/triggers/{id}", new { partId = Guid.NewGuid() }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["partId"], Fields(partChange));
        var malformed = await FailsAsync(await admin.PatchAsync($"{Base}/triggers/{id}", Golden.Raw("""{"batchSize": 5,, }""")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["batchSize"], Fields(malformed));
        var unknownFormat = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/triggers",
            new { partId = part.Id, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED", formatConfigId = Guid.NewGuid() }), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("SerialFormat", unknownFormat["resourceType"]!.GetValue<string>());
        var unknownPart = await FailsAsync(await admin.GetAsync($"{Base}/triggers/statistics/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("Part", unknownPart["resourceType"]!.GetValue<string>());
        var badId = await FailsAsync(await admin.GetAsync($"{Base}/triggers/trigger-001"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("SerialTrigger", badId["resourceType"]!.GetValue<string>());
        Assert.Equal("trigger-001", badId["resourceId"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task Conditions_must_all_equal_the_context_and_batch_mode_makes_batch_size_units()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var format = await CreateFormatAsync(admin, "CND-{SEQ:4}");
        var conditional = await CreateTriggerAsync(admin, new
        {
            partId = part.Id, triggerType = "MATERIAL_RECEIPT", assignmentType = "SYSTEM_GENERATED", formatConfigId = format,
            conditions = new { siteId = "site-001", lot = 7 }, batchMode = true, batchSize = 3,
        });

        async Task<System.Text.Json.Nodes.JsonNode?> Fire(object context)
        {
            var response = await admin.PostAsJsonAsync($"{Base}/system-generated/trigger", new { partId = part.Id, triggerType = "MATERIAL_RECEIPT", context });
            return response.StatusCode == HttpStatusCode.NotFound ? null : await OkAsync(response);
        }

        Assert.Null(await Fire(new { siteId = "site-002", lot = 7 }));
        Assert.Null(await Fire(new { siteId = "site-001" }));
        Assert.Null(await Fire(new { siteId = "SITE-001", lot = "7" }));
        var matched = await Fire(new { siteId = "site-001", lot = "7", purchaseOrderId = "po-1" });
        Assert.Equal(["CND-0001", "CND-0002", "CND-0003"], matched!["serialNumbers"]!.AsArray().Select(n => n!.GetValue<string>()));

        // An unconditional trigger fires for every event of its type: both fire, in creation order.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var always = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MATERIAL_RECEIPT", assignmentType = "LATE_ASSIGNMENT", operationCode = "OP-020" });
        var both = await Fire(new { siteId = "site-001", lot = 7 });
        Assert.Equal([conditional.ToString(), always.ToString()], both!["firedTriggerIds"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(3, both["serialNumbers"]!.AsArray().Count);
        var placeholderId = Assert.Single(both["placeholderIds"]!.AsArray())!.GetValue<string>();
        var onlyPlaceholders = await Fire(new { siteId = "elsewhere" });
        Assert.Equal("PLACEHOLDERS_CREATED", onlyPlaceholders!["status"]!.GetValue<string>());
        Assert.Null(onlyPlaceholders["serialNumber"]);

        await using var db = app.RawDb();
        var placeholder = await db.Set<Placeholder>().IgnoreQueryFilters().SingleAsync(p => p.Id == Guid.Parse(placeholderId));
        Assert.Equal(("PENDING", "OP-020", 1), (placeholder.Status, placeholder.OperationCode, placeholder.Quantity));
        var stats = await OkAsync(await admin.GetAsync($"{Base}/triggers/statistics/{part.Id}"));
        Assert.Equal(4, stats["totalFired"]!.GetValue<long>());

        // A disabled trigger does not fire.
        await OkAsync(await admin.PostAsync($"{Base}/triggers/{always}/disable", null));
        await OkAsync(await admin.PostAsync($"{Base}/triggers/{conditional}/disable", null));
        Assert.Null(await Fire(new { siteId = "site-001", lot = 7 }));
    }

    [Fact]
    public async Task Creating_a_work_order_fires_its_trigger_and_generates_the_serials_of_the_work_order()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (_, _, pathId) = await NewWorkOrderAsync(app, part.Id);
        var format = await CreateFormatAsync(admin, "WO-{SEQ:4}");
        var trigger = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "WORK_ORDER_CREATE", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true });

        var order = await admin.PostAsJsonAsync("/api/work-orders", new { partId = part.Id, pathId, quantity = 4 });
        Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        var orderId = Guid.Parse((await Golden.BodyAsync(order))["id"]!.GetValue<string>());
        // The event was committed with the work order; the outbox dispatcher fires it.
        await app.DispatchOutboxAsync();

        var serials = await SerialsOfPartAsync(app, part.Id);
        Assert.Equal(["WO-0001", "WO-0002", "WO-0003", "WO-0004"], serials.Select(s => s.SerialNumber));
        Assert.All(serials, s =>
        {
            Assert.Equal(orderId, s.WorkOrderId);
            Assert.Equal(pathId, s.PathId);
            Assert.Equal(0, s.CurrentStepIndex);
            Assert.Equal(trigger, s.TriggerId);
            Assert.Equal(SerialOrigins.Generated, s.Origin);
        });
        var listed = await OkAsync(await admin.GetAsync($"{Base}/system-generated/part/{part.Id}?workOrderId={orderId}"));
        Assert.Equal(4, listed.AsArray().Count);

        // A trigger that cannot fire (its format has no numbers left) never fails the work order.
        await admin.PatchAsJsonAsync($"{Base}/formats/{format}", new { pattern = "WO-{SEQ:1}" });
        var second = await admin.PostAsJsonAsync("/api/work-orders", new { partId = part.Id, pathId, quantity = 20 });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        await app.DispatchOutboxAsync();
        Assert.Equal(4, (await SerialsOfPartAsync(app, part.Id)).Count);
    }

    [Fact]
    public async Task Completing_an_operation_fires_the_operations_trigger_and_creates_placeholders()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (orderId, _, pathId) = await NewWorkOrderAsync(app, part.Id);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "OPERATION_COMPLETE", assignmentType = "LATE_ASSIGNMENT", operationCode = "OP-020", batchMode = true, batchSize = 2 });
        var serial = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate",
            new { partId = part.Id, context = new { workOrderId = orderId.ToString() } }), HttpStatusCode.Created);
        var serialId = Guid.Parse(serial["id"]!.GetValue<string>());

        var other = await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<SerializationEvents>().OperationCompletedAsync(serialId, "OP-010"));
        Assert.True(other.IsSuccess);
        Assert.Null(other.Value);
        var fired = await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<SerializationEvents>().OperationCompletedAsync(serialId, "OP-020"));
        Assert.Equal(2, fired.Value!.PlaceholderIds.Count);

        var pending = await OkAsync(await admin.GetAsync($"{Base}/late-assignment/pending?workOrderId={orderId}&operationCode=OP-020"));
        Assert.Equal(2, pending.AsArray().Count);
        Assert.All(pending.AsArray(), p => Assert.Equal(part.Id.ToString(), p!["partId"]!.GetValue<string>()));
        var byOrder = await app.AsUserAsync(DemoUsers.Operator, sp => sp.GetRequiredService<SerializationEvents>().OperationCompletedForWorkOrderAsync(orderId, "OP-020"));
        Assert.Equal(2, byOrder.Value!.PlaceholderIds.Count);
        Assert.NotEqual(pathId, Guid.Empty);
    }

    [Fact]
    public async Task Moving_a_serial_at_the_station_fires_the_operation_complete_trigger_of_the_step_it_leaves()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (orderId, _, _) = await NewWorkOrderAsync(app, part.Id);
        var cutDone = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "OPERATION_COMPLETE", assignmentType = "LATE_ASSIGNMENT", operationCode = "OP-010" });
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "OPERATION_COMPLETE", assignmentType = "LATE_ASSIGNMENT", operationCode = "OP-030" });
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 1 });
        Assert.Equal(HttpStatusCode.Created, batch.StatusCode);
        var serial = (await batch.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]![0]!["serialNumber"]!.GetValue<string>();

        async Task<int> PendingAsync(string operation)
        {
            await app.DispatchOutboxAsync();
            return (await OkAsync(await admin.GetAsync($"{Base}/late-assignment/pending?workOrderId={orderId}&operationCode={operation}"))).AsArray().Count;
        }

        // Leaving Cut (OP-010) through the serials API, as the station's advance button does.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        Assert.Equal(1, await PendingAsync("OP-010"));
        Assert.Equal(0, await PendingAsync("OP-030"));
        // Leaving Sew (OP-020): no trigger of that operation, nothing new.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        Assert.Equal(1, await PendingAsync("OP-010"));
        // Completing at Inspect (OP-030) finishes that operation too.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/complete", null)).StatusCode);
        Assert.Equal(1, await PendingAsync("OP-030"));
        Assert.Equal(1, await FiredCountAsync(cutDone));

        // A disabled trigger stays quiet, and the serial moves all the same.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"{Base}/triggers/{cutDone}/disable", new { })).StatusCode);
        var second = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 1 });
        var other = (await second.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]![0]!["serialNumber"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{other}/advance", null)).StatusCode);
        Assert.Equal(1, await PendingAsync("OP-010"));
    }

    private async Task<long> FiredCountAsync(Guid triggerId)
    {
        await using var db = app.RawDb();
        return await db.Set<SerialTrigger>().IgnoreQueryFilters().Where(t => t.Id == triggerId).Select(t => t.FiredCount).SingleAsync();
    }

    [Fact]
    public void Matching_compares_conditions_as_text_and_operation_codes_exactly()
    {
        var trigger = new SerialTrigger
        {
            TriggerType = TriggerTypes.OperationComplete, AssignmentType = AssignmentTypes.LateAssignment, OperationCode = "OP-020",
            IsConditional = true, Conditions = """{"siteId":"site-001","qty":"5"}""",
        };
        var context = new Dictionary<string, string> { ["siteId"] = "site-001", ["qty"] = "5", ["extra"] = "x" };
        Assert.True(TriggerService.Matches(trigger, context, "OP-020"));
        Assert.False(TriggerService.Matches(trigger, context, "OP-010"));
        Assert.False(TriggerService.Matches(trigger, new Dictionary<string, string> { ["siteId"] = "site-001", ["qty"] = "5.0" }, "OP-020"));
        trigger.IsConditional = false;
        Assert.True(TriggerService.Matches(trigger, new Dictionary<string, string>(), "OP-020"));
        trigger.OperationCode = null;
        Assert.True(TriggerService.Matches(trigger, new Dictionary<string, string>(), "OP-999"));
    }
}
