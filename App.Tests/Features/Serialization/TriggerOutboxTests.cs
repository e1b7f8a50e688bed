using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Features.Serialization;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// The trigger outbox on each provider: events are written with the change (and rolled back with it), fired once by
/// the dispatcher, not fired again by a second run after a crash between firing and marking done, retried with backoff
/// until they end failed, listed for admins and retried by them.
/// </summary>
public abstract class TriggerOutboxTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    protected TFactory App => app;

    /// <summary>A part with a batch WORK_ORDER_CREATE trigger generating from its own format, and a path to put work orders on.</summary>
    protected async Task<(Guid Part, Guid Path, Guid Format, HttpClient Admin)> ArmedPartAsync(string pattern)
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (_, _, pathId) = await NewWorkOrderAsync(app, part.Id);
        var format = await CreateFormatAsync(admin, pattern);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "WORK_ORDER_CREATE", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true });
        return (part.Id, pathId, format, admin);
    }

    protected static async Task<Guid> CreateOrderAsync(HttpClient admin, Guid part, Guid path, int quantity, string? number = null)
    {
        var order = await admin.PostAsJsonAsync("/api/work-orders", new { number, partId = part, pathId = path, quantity });
        Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        return Guid.Parse((await Golden.BodyAsync(order))["id"]!.GetValue<string>());
    }

    protected async Task<List<OutboxMessage>> EventsOfPartAsync(Guid part)
    {
        await using var db = app.RawDb();
        var text = part.ToString();
        return await db.Set<OutboxMessage>().IgnoreQueryFilters().AsNoTracking().Where(m => m.Payload.Contains(text)).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync();
    }

    protected OutboxDispatcher Dispatcher(string name, OutboxHooks hooks) =>
        new(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Services.GetRequiredService<DatabaseSettings>(), app.Clock,
            app.Services.GetRequiredService<OutboxOptions>(), NullLogger<OutboxDispatcher>.Instance) { Name = name, Hooks = hooks };

    [Fact]
    public async Task The_event_is_written_with_the_work_order_and_rolled_back_with_it()
    {
        var (part, path, _, admin) = await ArmedPartAsync("WA-{SEQ:4}");
        var number = $"WO-OB{Guid.NewGuid():N}"[..16];
        var orderId = await CreateOrderAsync(admin, part, path, 3, number);

        var events = await EventsOfPartAsync(part);
        var written = Assert.Single(events);
        Assert.Equal((TriggerOutbox.Topic, "WORK_ORDER_CREATE", $"work order {number}", OutboxStatus.Pending, 0),
            (written.Topic, written.Name, written.Subject, written.Status, written.Attempts));
        Assert.Equal(await app.OrganizationIdAsync("MA01"), written.OrganizationId);
        var payload = Outbox.Read<TriggerOutbox.Payload>(written.Payload);
        Assert.Equal(orderId.ToString(), payload.Context["workOrderId"]);
        Assert.Equal("3", payload.Context["quantity"]);
        // Committed, not fired: the request did not generate anything.
        Assert.Empty(await SerialsOfPartAsync(app, part));

        // A work order refused at commit (its number is taken) takes its event with it.
        var again = await admin.PostAsJsonAsync("/api/work-orders", new { number, partId = part, pathId = path, quantity = 3 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Single(await EventsOfPartAsync(part));

        // A part without an armed trigger of the type gets no event at all.
        var quiet = await NewPartAsync(app);
        var (_, _, quietPath) = await NewWorkOrderAsync(app, quiet.Id);
        await CreateOrderAsync(admin, quiet.Id, quietPath, 2);
        Assert.Empty(await EventsOfPartAsync(quiet.Id));
    }

    [Fact]
    public async Task A_station_move_writes_its_operation_complete_event_in_the_move()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (orderId, _, _) = await NewWorkOrderAsync(app, part.Id);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "OPERATION_COMPLETE", assignmentType = "LATE_ASSIGNMENT", operationCode = "OP-010" });
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 1 });
        var serial = (await batch.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]![0]!["serialNumber"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        var written = Assert.Single(await EventsOfPartAsync(part.Id));
        Assert.Equal(("OPERATION_COMPLETE", $"operation OP-010 of serial {serial}"), (written.Name, written.Subject));
        Assert.Equal("OP-010", Outbox.Read<TriggerOutbox.Payload>(written.Payload).Context["operationCode"]);
        // A move refused (it is no longer at that step) writes nothing.
        Assert.Equal(HttpStatusCode.Conflict, (await operatorClient.PostAsync($"/api/serials/{serial}/complete", null)).StatusCode);
        Assert.Single(await EventsOfPartAsync(part.Id));

        await app.DispatchOutboxAsync();
        var pending = await OkAsync(await admin.GetAsync($"{Base}/late-assignment/pending?workOrderId={orderId}&operationCode=OP-010"));
        Assert.Single(pending.AsArray());
    }

    [Fact]
    public async Task A_step_marked_as_quality_checkpoint_writes_a_quality_checkpoint_event_with_the_move()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var created = await admin.PostAsJsonAsync("/api/paths", new
        {
            code = $"QC-{tag}", name = "Checked path", partId = part.Id,
            steps = new object[] { new { code = "OP-010", name = "Cut" }, new { code = "OP-020", name = "Inspect", isQualityCheckpoint = true }, new { code = "OP-030", name = "Pack" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = await Golden.BodyAsync(created);
        Assert.Equal([false, true, false], path["steps"]!.AsArray().Select(st => st!["isQualityCheckpoint"]!.GetValue<bool>()));
        var pathId = Guid.Parse(path["id"]!.GetValue<string>());
        var orderId = await CreateOrderAsync(admin, part.Id, pathId, 1);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "QUALITY_CHECKPOINT", assignmentType = "LATE_ASSIGNMENT" });

        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 1 });
        var serial = (await batch.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]![0]!["serialNumber"]!.GetValue<string>();

        // Leaving an ordinary step raises nothing of this type; leaving the checkpoint does, with OPERATION_COMPLETE's context.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        Assert.Empty(await EventsOfPartAsync(part.Id));
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        var written = Assert.Single(await EventsOfPartAsync(part.Id));
        Assert.Equal(("QUALITY_CHECKPOINT", $"quality checkpoint OP-020 of serial {serial}"), (written.Name, written.Subject));
        var context = Outbox.Read<TriggerOutbox.Payload>(written.Payload).Context;
        Assert.Equal(["operationCode", "partId", "serialId", "serialNumber", "workOrderId", "workOrderNumber"], context.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("OP-020", serial, orderId.ToString()), (context["operationCode"], context["serialNumber"], context["workOrderId"]));

        await app.DispatchOutboxAsync();
        var pending = await OkAsync(await admin.GetAsync($"{Base}/late-assignment/pending?workOrderId={orderId}"));
        Assert.Single(pending.AsArray());
        // The caller may fire the type too.
        var fired = await admin.PostAsJsonAsync($"{Base}/system-generated/trigger",
            new { partId = part.Id, triggerType = "QUALITY_CHECKPOINT", context = new { workOrderId = orderId.ToString(), operationCode = "OP-020" } });
        Assert.Equal(HttpStatusCode.OK, fired.StatusCode);
    }

    [Fact]
    public async Task A_checkpoint_flag_changed_on_an_existing_path_applies_from_the_next_completion_of_the_step()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var created = await admin.PostAsJsonAsync("/api/paths", new
        {
            code = $"QE-{tag}", name = "Checked later", partId = part.Id,
            steps = new object[] { new { code = "OP-010", name = "Cut" }, new { code = "OP-020", name = "Inspect" }, new { code = "OP-030", name = "Pack" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = await Golden.BodyAsync(created);
        var pathId = Guid.Parse(path["id"]!.GetValue<string>());
        var inspect = Guid.Parse(path["steps"]![1]!["id"]!.GetValue<string>());
        var orderId = await CreateOrderAsync(admin, part.Id, pathId, 3);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "QUALITY_CHECKPOINT", assignmentType = "LATE_ASSIGNMENT" });
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 3 });
        var serials = (await batch.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]!.AsArray().Select(x => x!["serialNumber"]!.GetValue<string>()).ToList();

        async Task PastInspectAsync(string serial)
        {
            for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        }
        async Task<List<string>> CheckpointSubjectsAsync() =>
            (await EventsOfPartAsync(part.Id)).Where(e => e.Name == "QUALITY_CHECKPOINT").Select(e => e.Subject).ToList();
        Task<Operator.Infrastructure.Api.Result<Operator.Features.MasterData.PathDto>> SetAsync(bool flag) =>
            app.AsUserAsync(DemoUsers.Admin, sp => sp.GetRequiredService<Operator.Features.MasterData.MasterDataService>()
                .SetStepCheckpointAsync(pathId, inspect, new(flag)));

        // Not a checkpoint yet: the first unit passes the step quietly.
        await PastInspectAsync(serials[0]);
        Assert.Empty(await CheckpointSubjectsAsync());

        // Marked: the next unit to complete the step raises it; the unit already past raises nothing after the fact.
        Assert.True((await SetAsync(true)).IsSuccess);
        Assert.Empty(await CheckpointSubjectsAsync());
        await PastInspectAsync(serials[1]);
        Assert.Equal([$"quality checkpoint OP-020 of serial {serials[1]}"], await CheckpointSubjectsAsync());

        // Unmarked: the step stops raising it.
        Assert.True((await SetAsync(false)).IsSuccess);
        await PastInspectAsync(serials[2]);
        Assert.Equal([$"quality checkpoint OP-020 of serial {serials[1]}"], await CheckpointSubjectsAsync());
    }

    [Fact]
    public async Task A_quality_checkpoint_trigger_with_an_operation_code_fires_only_for_that_step()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var created = await admin.PostAsJsonAsync("/api/paths", new
        {
            code = $"QN-{tag}", name = "Two checkpoints", partId = part.Id,
            steps = new object[]
            {
                new { code = "OP-010", name = "Cut", isQualityCheckpoint = true }, new { code = "OP-020", name = "Inspect", isQualityCheckpoint = true },
                new { code = "OP-030", name = "Pack" },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var orderId = await CreateOrderAsync(admin, part.Id, Guid.Parse((await Golden.BodyAsync(created))["id"]!.GetValue<string>()), 1);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "QUALITY_CHECKPOINT", assignmentType = "LATE_ASSIGNMENT", operationCode = "OP-020" });
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 1 });
        var serial = (await batch.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]![0]!["serialNumber"]!.GetValue<string>();
        async Task<int> PendingAsync() => (await OkAsync(await admin.GetAsync($"{Base}/late-assignment/pending?workOrderId={orderId}"))).AsArray().Count;

        // Leaving the first checkpoint writes its event, but the trigger is for OP-020: nothing is created.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        await app.DispatchOutboxAsync();
        Assert.Equal(0, await PendingAsync());
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
        await app.DispatchOutboxAsync();
        Assert.Equal(1, await PendingAsync());
        Assert.Equal([$"quality checkpoint OP-010 of serial {serial}", $"quality checkpoint OP-020 of serial {serial}"],
            (await EventsOfPartAsync(part.Id)).Where(e => e.Name == "QUALITY_CHECKPOINT").Select(e => e.Subject));
    }

    [Fact]
    public async Task Trigger_statistics_name_an_app_fired_type_only_once_the_part_has_a_trigger_of_it()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        async Task<List<string>> TypesAsync() =>
            (await OkAsync(await admin.GetAsync($"{Base}/triggers/statistics/{part.Id}")))["byTriggerType"]!.AsObject().Select(kv => kv.Key).ToList();

        Assert.Equal(["MATERIAL_RECEIPT", "WORK_ORDER_CREATE", "OPERATION_COMPLETE", "MANUAL"], await TypesAsync());
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "QUALITY_CHECKPOINT", assignmentType = "LATE_ASSIGNMENT" });
        Assert.Equal(["MATERIAL_RECEIPT", "WORK_ORDER_CREATE", "OPERATION_COMPLETE", "MANUAL", "QUALITY_CHECKPOINT"], await TypesAsync());
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "BATCH_COMPLETION", assignmentType = "LATE_ASSIGNMENT" });
        Assert.Equal(["MATERIAL_RECEIPT", "WORK_ORDER_CREATE", "OPERATION_COMPLETE", "MANUAL", "BATCH_COMPLETION", "QUALITY_CHECKPOINT"], await TypesAsync());
    }

    [Fact]
    public async Task Completing_the_last_open_unit_of_a_work_order_writes_one_batch_completion_event()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (orderId, orderNumber, _) = await NewWorkOrderAsync(app, part.Id, quantity: 3);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "BATCH_COMPLETION", assignmentType = "LATE_ASSIGNMENT" });
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 3 });
        var serials = (await batch.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]!.AsArray().Select(x => x!["serialNumber"]!.GetValue<string>()).ToList();

        async Task FinishAsync(string serial)
        {
            for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/advance", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serial}/complete", null)).StatusCode);
        }

        // A scrapped unit is no longer open: the work order finishes when the other two are completed.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync($"/api/serials/{serials[2]}/scrap", new { reason = "Torn" })).StatusCode);
        await FinishAsync(serials[0]);
        Assert.Empty(await EventsOfPartAsync(part.Id));
        await FinishAsync(serials[1]);
        var written = Assert.Single(await EventsOfPartAsync(part.Id));
        Assert.Equal(("BATCH_COMPLETION", $"work order {orderNumber} completed"), (written.Name, written.Subject));
        var context = Outbox.Read<TriggerOutbox.Payload>(written.Payload).Context;
        Assert.Equal((orderId.ToString(), orderNumber, "2", part.Id.ToString()), (context["workOrderId"], context["workOrderNumber"], context["quantity"], context["partId"]));
        Assert.False(context.ContainsKey("batchId"));

        await app.DispatchOutboxAsync();
        Assert.Equal(OutboxStatus.Done, Assert.Single(await EventsOfPartAsync(part.Id)).Status);
        var fired = await admin.PostAsJsonAsync($"{Base}/system-generated/trigger",
            new { partId = part.Id, triggerType = "BATCH_COMPLETION", context = new { workOrderId = orderId.ToString(), quantity = "2" } });
        Assert.Equal(HttpStatusCode.OK, fired.StatusCode);
    }

    [Fact]
    public async Task Completing_the_last_open_unit_of_a_batch_names_the_batch()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (orderId, _, _) = await NewWorkOrderAsync(app, part.Id, quantity: 2);
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "BATCH_COMPLETION", assignmentType = "LATE_ASSIGNMENT" });
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var created = await operatorClient.PostAsJsonAsync("/api/serials/batch", new { workOrderId = orderId.ToString(), quantity = 2 });
        var serials = (await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["serials"]!.AsArray().Select(x => x!["serialNumber"]!.GetValue<string>()).ToList();
        // The first unit belongs to a batch of its own; the work order still has the second open.
        var batchNumber = $"B-{Guid.NewGuid():N}"[..12];
        Guid batchId;
        await using (var db = app.RawDb())
        {
            var lot = new Operator.Features.MasterData.Batch
            {
                OrganizationId = await app.OrganizationIdAsync("MA01"), Number = batchNumber, PartId = part.Id, Quantity = 1, Uom = "EA", CreatedAt = DateTime.UtcNow,
            };
            db.Add(lot);
            await db.SaveChangesAsync();
            batchId = lot.Id;
            await db.Set<Operator.Features.Serials.Serial>().IgnoreQueryFilters().Where(x => x.SerialNumber == serials[0] && x.PartId == part.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.BatchId, batchId));
        }
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serials[0]}/advance", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/serials/{serials[0]}/complete", null)).StatusCode);

        var written = Assert.Single(await EventsOfPartAsync(part.Id));
        Assert.Equal(("BATCH_COMPLETION", $"batch {batchNumber} completed"), (written.Name, written.Subject));
        var context = Outbox.Read<TriggerOutbox.Payload>(written.Payload).Context;
        Assert.Equal((batchId.ToString(), batchNumber, "1"), (context["batchId"], context["batchNumber"], context["quantity"]));
        Assert.False(context.ContainsKey("workOrderId"));
    }

    [Fact]
    public async Task Dispatch_fires_the_event_once_and_marks_it_done()
    {
        var (part, path, _, admin) = await ArmedPartAsync("WB-{SEQ:4}");
        await CreateOrderAsync(admin, part, path, 4);

        Assert.True(await app.DispatchOutboxAsync() >= 1);
        Assert.Equal(["WB-0001", "WB-0002", "WB-0003", "WB-0004"], (await SerialsOfPartAsync(app, part)).Select(s => s.SerialNumber));
        var done = Assert.Single(await EventsOfPartAsync(part));
        Assert.Equal((OutboxStatus.Done, 1, null), (done.Status, done.Attempts, done.LockedBy));
        Assert.Equal("1 trigger(s) fired: 4 serial(s), 0 placeholder(s)", done.Outcome);

        // Done is done: later dispatches leave it alone.
        await app.DispatchOutboxAsync();
        Assert.Equal(4, (await SerialsOfPartAsync(app, part)).Count);
        Assert.Equal(1, (await EventsOfPartAsync(part)).Single().Attempts);
    }

    [Fact]
    public async Task A_second_run_after_a_crash_between_firing_and_marking_done_does_not_generate_again()
    {
        var (part, path, _, admin) = await ArmedPartAsync("WC-{SEQ:4}");
        await CreateOrderAsync(admin, part, path, 3);
        var target = (await EventsOfPartAsync(part)).Single().Id;

        // The first dispatcher fires, then dies before it can mark the event done.
        var crashing = Dispatcher("crashing", new OutboxHooks
        {
            AfterHandled = e => e.Id == target ? throw new SimulatedCrash() : Task.CompletedTask,
        });
        await Assert.ThrowsAsync<SimulatedCrash>(() => crashing.DispatchPendingAsync());
        Assert.Equal(3, (await SerialsOfPartAsync(app, part)).Count);
        var orphan = (await EventsOfPartAsync(part)).Single();
        Assert.Equal((OutboxStatus.Pending, "crashing"), (orphan.Status, orphan.LockedBy));

        // Its lease holds the event while it could still be alive...
        Assert.Equal(0, await Dispatcher("second", OutboxHooks.None).DispatchPendingAsync());
        // ...and once the lease ran out another dispatcher takes it over: it finds the firing and does not generate again.
        App.Clock.Advance(App.Services.GetRequiredService<OutboxOptions>().Lease + TimeSpan.FromSeconds(1));
        await Dispatcher("second", OutboxHooks.None).DispatchPendingAsync();
        Assert.Equal(["WC-0001", "WC-0002", "WC-0003"], (await SerialsOfPartAsync(app, part)).Select(s => s.SerialNumber));
        var done = (await EventsOfPartAsync(part)).Single();
        Assert.Equal((OutboxStatus.Done, 2), (done.Status, done.Attempts));
        Assert.StartsWith("Already fired at ", done.Outcome);
        Assert.EndsWith(": 3 serial(s), 0 placeholder(s)", done.Outcome);
    }

    [Fact]
    public async Task A_failing_trigger_is_retried_with_backoff_ends_failed_is_listed_and_an_admin_retries_it()
    {
        // Four numbers a format has; the work order wants 20: every firing is refused until the format changes.
        var (part, path, format, admin) = await ArmedPartAsync("WD-{SEQ:1}");
        await CreateOrderAsync(admin, part, path, 20);
        var id = (await EventsOfPartAsync(part)).Single().Id;
        var options = App.Services.GetRequiredService<OutboxOptions>();
        // On a whole second, so the times PostgreSQL keeps (microseconds) are exactly the clock's.
        var start = app.Clock.GetUtcNow();
        app.Clock.Set(start.AddTicks(TimeSpan.TicksPerSecond - start.Ticks % TimeSpan.TicksPerSecond));

        var gaps = new List<TimeSpan>();
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            var before = app.Clock.GetUtcNow().UtcDateTime;
            await app.DispatchOutboxAsync();
            var row = (await EventsOfPartAsync(part)).Single();
            Assert.Equal(attempt, row.Attempts);
            Assert.NotNull(row.LastError);
            Assert.Null(row.LockedBy);
            if (attempt == options.MaxAttempts)
            {
                Assert.Equal(OutboxStatus.Failed, row.Status);
                break;
            }
            Assert.Equal(OutboxStatus.Pending, row.Status);
            gaps.Add(row.NextAttemptAt - before);
            // Not due yet: a dispatch now leaves it alone.
            await app.DispatchOutboxAsync();
            Assert.Equal(attempt, (await EventsOfPartAsync(part)).Single().Attempts);
            app.Clock.Advance(row.NextAttemptAt - before);
        }
        Assert.Equal(Enumerable.Range(0, options.MaxAttempts - 1).Select(i => options.Backoff(i + 1)), gaps);
        Assert.Equal([10, 20, 40, 80, 160, 320, 640], gaps.Select(g => (int)g.TotalSeconds));
        Assert.Empty(await SerialsOfPartAsync(app, part));

        // Failed for good: listed for admins with its error, not for anyone else.
        var listed = await OkAsync(await admin.GetAsync($"{Base}/trigger-events?status=failed&limit=500"));
        var item = listed["data"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == id.ToString())!;
        Assert.Equal(("WORK_ORDER_CREATE", "failed", options.MaxAttempts, options.MaxAttempts, part.ToString()),
            (item["triggerType"]!.GetValue<string>(), item["status"]!.GetValue<string>(), item["attempts"]!.GetValue<int>(),
             item["maxAttempts"]!.GetValue<int>(), item["partId"]!.GetValue<string>()));
        Assert.Contains("formatConfigId", item["lastError"]!.GetValue<string>());
        Assert.Null(item["nextAttemptAt"]);
        var open = await OkAsync(await admin.GetAsync($"{Base}/trigger-events?limit=500"));
        Assert.Contains(open["data"]!.AsArray(), e => e!["id"]!.GetValue<string>() == id.ToString());
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        await FailsAsync(await viewer.GetAsync($"{Base}/trigger-events"), HttpStatusCode.Forbidden, "FORBIDDEN");
        await FailsAsync(await viewer.PostAsync($"{Base}/trigger-events/{id}/retry", null), HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal(["status"], Fields(await FailsAsync(await admin.GetAsync($"{Base}/trigger-events?status=lost"), HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
        Assert.Equal(["limit"], Fields(await FailsAsync(await admin.GetAsync($"{Base}/trigger-events?limit=abc"), HttpStatusCode.BadRequest, "VALIDATION_ERROR")));
        await FailsAsync(await admin.PostAsync($"{Base}/trigger-events/{Guid.NewGuid()}/retry", null), HttpStatusCode.NotFound, "NOT_FOUND");
        await FailsAsync(await admin.PostAsync($"{Base}/trigger-events/not-an-id/retry", null), HttpStatusCode.NotFound, "NOT_FOUND");
        var otherAdmin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        await FailsAsync(await otherAdmin.PostAsync($"{Base}/trigger-events/{id}/retry", null), HttpStatusCode.NotFound, "NOT_FOUND");

        // The admin fixes the format and retries: a fresh set of attempts, fired at the next dispatch.
        await OkAsync(await admin.PatchAsJsonAsync($"{Base}/formats/{format}", new { pattern = "WD-{SEQ:4}" }));
        var retried = await OkAsync(await admin.PostAsync($"{Base}/trigger-events/{id}/retry", null));
        Assert.Equal(("pending", 0), (retried["status"]!.GetValue<string>(), retried["attempts"]!.GetValue<int>()));
        await FailsAsync(await admin.PostAsync($"{Base}/trigger-events/{id}/retry", null), HttpStatusCode.Conflict, "CONFLICT");
        await app.DispatchOutboxAsync();
        Assert.Equal(20, (await SerialsOfPartAsync(app, part)).Count);
        Assert.Equal(OutboxStatus.Done, (await EventsOfPartAsync(part)).Single().Status);
        Assert.Equal(1, await AuditCountAsync(app, "trigger_event_retried", id.ToString()));
        var doneList = await OkAsync(await admin.GetAsync($"{Base}/trigger-events?limit=500"));
        Assert.DoesNotContain(doneList["data"]!.AsArray(), e => e!["id"]!.GetValue<string>() == id.ToString());
    }

    protected sealed class SimulatedCrash : Exception;
}

public sealed class SqliteTriggerOutboxTests(OperatorFactory app) : TriggerOutboxTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresTriggerOutboxTests(PostgresOperatorFactory app) : TriggerOutboxTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>
{
    [Fact]
    public async Task Two_dispatchers_claiming_at_once_fire_an_event_once()
    {
        var (part, path, _, admin) = await ArmedPartAsync("WE-{SEQ:4}");
        await CreateOrderAsync(admin, part, path, 5);
        // Everything else due is out of the way, so the two claims meet on this event alone.
        await using (var db = App.RawDb())
        {
            var target = (await EventsOfPartAsync(part)).Single().Id;
            await db.Set<OutboxMessage>().IgnoreQueryFilters().Where(m => m.Id != target && m.Status == OutboxStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.NextAttemptAt, DateTime.UtcNow.AddYears(1)));
        }

        // A has read the due row inside its claim and stops there, before leasing it; B claims meanwhile.
        var aRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var paused = 0;
        var a = Dispatcher("A", new OutboxHooks
        {
            AfterClaimRead = async () =>
            {
                if (Interlocked.Increment(ref paused) != 1) return;
                aRead.SetResult();
                await aGo.Task;
            },
        });
        var aRun = Task.Run(() => a.DispatchPendingAsync());
        await aRead.Task;
        var bRan = await Dispatcher("B", OutboxHooks.None).DispatchPendingAsync();
        aGo.SetResult();
        var aRan = await aRun;

        Assert.Equal((1, 0), (aRan, bRan));
        Assert.Equal(5, (await SerialsOfPartAsync(App, part)).Count);
        var done = (await EventsOfPartAsync(part)).Single();
        Assert.Equal((OutboxStatus.Done, 1), (done.Status, done.Attempts));
        Assert.Equal("1 trigger(s) fired: 5 serial(s), 0 placeholder(s)", done.Outcome);
    }
}
