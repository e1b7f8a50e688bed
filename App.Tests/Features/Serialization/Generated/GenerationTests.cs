using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serials;
using Operator.Features.Serialization;
using Operator.Infrastructure.Audit;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>Spec section 2 on SQLite: the examples as exact envelopes, the generated list, firing by event type.</summary>
public sealed class GenerationTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private static readonly DateTimeOffset Nov1 = new(2024, 11, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Generate_trigger_and_list_answer_the_spec_examples()
    {
        app.Clock.Set(Nov1);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var format = await CreateFormatAsync(admin, "TST-{YYYY}-{MM}{DD}-{SEQ:4}", "DAILY");
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);

        var generated = await operatorClient.PostAsync($"{Base}/system-generated/generate", Golden.Raw($$"""
            {
              "partId": "{{part.Id}}",
              "formatConfigId": "{{format}}",
              "generatedBy": "operator-001",
              "context": { "siteId": "site-001", "workCenterId": "wc-001" }
            }
            """));
        Assert.Equal(HttpStatusCode.Created, generated.StatusCode);
        await Golden.AssertBodyAsync(generated, """
            {"success":true,"data":{"id":"<uuid>","serialNumber":"TST-2024-1101-0001","partId":"<uuid>","formatConfigId":"<uuid>","status":"ACTIVE","generatedAt":"<time>"},
             "error":null,"timestamp":"<time>"}
            """);

        var trigger = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MATERIAL_RECEIPT", assignmentType = "SYSTEM_GENERATED", formatConfigId = format });
        var fired = await operatorClient.PostAsync($"{Base}/system-generated/trigger", Golden.Raw($$"""
            {
              "partId": "{{part.Id}}",
              "triggerType": "MATERIAL_RECEIPT",
              "context": { "purchaseOrderId": "po-456" },
              "triggeredBy": "system"
            }
            """));
        Assert.Equal(HttpStatusCode.OK, fired.StatusCode);
        var firedBody = await Golden.BodyAsync(fired);
        Assert.Equal(
            """{"success":true,"data":{"triggerId":"<uuid>","serialNumber":"TST-2024-1101-0002","triggerType":"MATERIAL_RECEIPT","status":"GENERATED","serialNumbers":["TST-2024-1101-0002"],"placeholderIds":[],"firedTriggerIds":["<uuid>"]},"error":null,"timestamp":"<time>"}""",
            Golden.Mask(firedBody.ToJsonString(Golden.Plain)));
        Assert.Equal(trigger.ToString(), firedBody["data"]!["triggerId"]!.GetValue<string>());

        var list = await (await app.ClientForAsync(DemoUsers.Viewer)).GetAsync($"{Base}/system-generated/part/{part.Id}");
        Assert.Equal("2", list.Headers.GetValues("X-Total-Count").Single());
        await Golden.AssertBodyAsync(list, """
            {"success":true,"data":[
              {"id":"<uuid>","serialNumber":"TST-2024-1101-0002","status":"ACTIVE","generatedAt":"<time>","formatConfigId":"<uuid>","triggerId":"<uuid>","workOrderId":null,"workOrderNumber":null,"siteId":null},
              {"id":"<uuid>","serialNumber":"TST-2024-1101-0001","status":"ACTIVE","generatedAt":"<time>","formatConfigId":"<uuid>","triggerId":null,"workOrderId":null,"workOrderNumber":null,"siteId":"site-001"}],
             "error":null,"timestamp":"<time>"}
            """);

        var serials = await SerialsOfPartAsync(app, part.Id);
        Assert.All(serials, s => Assert.Equal(SerialOrigins.Generated, s.Origin));
        Assert.All(serials, s => Assert.Equal(format, s.FormatId));
        Assert.Equal(trigger, serials.Single(s => s.SerialNumber == "TST-2024-1101-0002").TriggerId);
        Assert.Equal(1, await AuditCountAsync(app, "trigger_fired", trigger.ToString()));
        Assert.Equal(1, await AuditCountAsync(app, "serial_generated", serials.Single(s => s.SerialNumber == "TST-2024-1101-0001").Id.ToString()));
    }

    [Fact]
    public async Task Without_a_format_the_plant_numbers_the_unit_and_a_work_order_in_the_context_links_it()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var order = await NewWorkOrderAsync(app, part.Id);
        var data = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate",
            new { partId = part.Id, context = new { workOrderId = order.WorkOrderId.ToString() } }), HttpStatusCode.Created);
        Assert.Matches("^SN-\\d{5}$", data["serialNumber"]!.GetValue<string>());
        Assert.Null(data["formatConfigId"]);
        var serial = Assert.Single(await SerialsOfPartAsync(app, part.Id));
        Assert.Equal(order.WorkOrderId, serial.WorkOrderId);
        Assert.Equal(order.PathId, serial.PathId);
        Assert.Equal(0, serial.CurrentStepIndex);

        var otherPart = await NewPartAsync(app);
        var wrongPart = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate",
            new { partId = otherPart.Id, context = new { workOrderId = order.WorkOrderId.ToString() } }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["context.workOrderId"], Fields(wrongPart));
        var unknownOrder = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate",
            new { partId = part.Id, context = new { workOrderId = "wo-456" } }), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("WorkOrder", unknownOrder["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_refuses_unknown_ids_bad_input_and_roles_and_writes_nothing()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var before = await SnapshotAsync(app);
        var unknownFormat = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = Guid.NewGuid() }),
            HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("SerialFormat", unknownFormat["resourceType"]!.GetValue<string>());
        var unknownPart = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = Guid.NewGuid() }), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("Part", unknownPart["resourceType"]!.GetValue<string>());
        var bad = await FailsAsync(await admin.PostAsync($"{Base}/system-generated/generate", Golden.Raw("""{"partId": 1, "context": {"siteId": {"nested": true}}}""")),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["context.siteId", "partId"], Fields(bad).Order().ToList());
        var badEnum = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/trigger", new { partId = part.Id, triggerType = "material_receipt" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["triggerType"], Fields(badEnum));
        var noTrigger = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/trigger", new { partId = part.Id, triggerType = "MANUAL" }),
            HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("SerialTrigger", noTrigger["resourceType"]!.GetValue<string>());
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        await FailsAsync(await viewer.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id }), HttpStatusCode.Forbidden, "FORBIDDEN");
        await FailsAsync(await viewer.GetAsync($"{Base}/system-generated/part/not-a-part"), HttpStatusCode.NotFound, "NOT_FOUND");
        var paging = await FailsAsync(await viewer.GetAsync($"{Base}/system-generated/part/{part.Id}?limit=0&offset=-1"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["limit", "offset"], Fields(paging));
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task Ten_thousand_serials_through_one_batch_trigger_are_one_transaction_with_one_audit_entry()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var format = await CreateFormatAsync(admin, "BIG-{SEQ:6}");
        var trigger = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true, batchSize = 10_000 });
        var fired = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/trigger", new { partId = part.Id, triggerType = "MANUAL" }));
        Assert.Equal(10_000, fired["serialNumbers"]!.AsArray().Count);
        Assert.Equal("BIG-000001", fired["serialNumber"]!.GetValue<string>());

        var serials = await SerialsOfPartAsync(app, part.Id);
        Assert.Equal(10_000, serials.Count);
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => $"BIG-{i:D6}"), serials.Select(s => s.SerialNumber));
        Assert.All(serials, s => Assert.Equal(trigger, s.TriggerId));
        Assert.Equal(1, await AuditCountAsync(app, "trigger_fired", trigger.ToString()));
        var got = await OkAsync(await admin.GetAsync($"{Base}/triggers/{trigger}"));
        Assert.Equal(1, got["firedCount"]!.GetValue<long>());
        Assert.NotNull(got["lastFiredAt"]);
        await using var db = app.RawDb();
        Assert.True((await AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("MA01"))).Intact);
    }

    [Fact]
    public async Task A_generated_number_another_unit_of_the_part_carries_is_refused_and_nothing_is_written()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var format = await CreateFormatAsync(admin, "DUP-{SEQ:3}");
        // A vendor unit already carries the number the format gives next.
        var vendor = await ReceiveAsync(admin, part.Id, "DUP-001");
        await OkAsync(await admin.PostSignedAsync($"{Base}/vendor/{vendor}/accept", null));
        var before = await SnapshotAsync(app);
        var refused = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = format }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Contains("DUP-001", refused["message"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync(app));

        // The same through a batch larger than the guard's one-by-one limit.
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true, batchSize = 50 });
        before = await SnapshotAsync(app);
        await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/trigger", new { partId = part.Id, triggerType = "MANUAL" }), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(before, await SnapshotAsync(app));
    }
}

/// <summary>
/// What depends on the provider: eight generators drawing 1,000 numbers each at the same time (40 firings of 25), on
/// SQLite and PostgreSQL. Every number is drawn once, and together they are exactly 1..8000.
/// </summary>
public abstract class GenerationProviderTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task Eight_parallel_generators_drawing_a_thousand_numbers_each_never_repeat_one()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var format = await CreateFormatAsync(admin, "PAR-{SEQ:5}");
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true, batchSize = 25 });

        var drawn = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => app.AsUserAsync(DemoUsers.Operator, async sp =>
        {
            var numbers = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                var fired = await sp.GetRequiredService<TriggerService>().FireAsync(new FireTriggerRequest(part.Id.ToString(), "MANUAL"));
                Assert.True(fired.IsSuccess, fired.Error?.Message);
                numbers.AddRange(fired.Value.SerialNumbers);
            }
            return numbers;
        }))));

        Assert.All(drawn, d => Assert.Equal(1000, d.Count));
        var all = drawn.SelectMany(d => d).ToList();
        Assert.Equal(8000, all.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 8000).Select(i => $"PAR-{i:D5}"), all.Order(StringComparer.Ordinal));
        var stored = await SerialsOfPartAsync(app, part.Id);
        Assert.Equal(8000, stored.Select(s => s.SerialNumber).Distinct().Count());
        await using var db = app.RawDb();
        Assert.True((await AuditTrail.VerifyAsync(db, await app.OrganizationIdAsync("MA01"))).Intact);
        Assert.Equal(320, await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "trigger_fired" && a.After!.Contains(part.Id.ToString())));
    }

    [Fact]
    public async Task A_large_batch_is_written_in_one_go_with_every_field_as_the_model_says()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var (orderId, _, pathId) = await NewWorkOrderAsync(app, part.Id, quantity: 600);
        var format = await CreateFormatAsync(admin, "{SITE}-L{SEQ:5}");
        var trigger = await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true });
        var fired = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/trigger",
            new { partId = part.Id, triggerType = "MANUAL", context = new { siteId = "S9", workOrderId = orderId.ToString() } }));
        Assert.Equal(600, fired["serialNumbers"]!.AsArray().Count);

        var serials = await SerialsOfPartAsync(app, part.Id);
        Assert.Equal(Enumerable.Range(1, 600).Select(i => $"S9-L{i:D5}"), serials.Select(s => s.SerialNumber));
        await using var db = app.RawDb();
        var adminId = await db.Users.Where(u => u.Email == DemoUsers.Admin).Select(u => u.Id).SingleAsync();
        var org = await app.OrganizationIdAsync("MA01");
        Assert.All(serials, s =>
        {
            Assert.Equal((org, orderId, pathId, 0, SerialStatus.InProgress, SerialOrigins.Generated, SerialScopes.Piece), (s.OrganizationId, s.WorkOrderId, s.PathId, s.CurrentStepIndex, s.Status, s.Origin, s.Scope));
            Assert.Equal((format, trigger, "S9", adminId, false), (s.FormatId!.Value, s.TriggerId!.Value, s.SiteId, s.CreatedBy!.Value, s.Consumed));
            Assert.Equal(DateTimeKind.Utc, s.CreatedAt.Kind);
            Assert.True(Math.Abs((s.CreatedAt - app.Clock.GetUtcNow().UtcDateTime).TotalSeconds) < 1);
        });
        // Readable through the app like any serial: the generated list, paged.
        var page = await admin.GetAsync($"{Base}/system-generated/part/{part.Id}?workOrderId={orderId}&limit=500&offset=100");
        Assert.Equal("600", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(500, (await OkAsync(page)).AsArray().Count);
    }

    [Fact]
    public async Task Concurrent_assignments_of_one_placeholder_give_one_serial()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var part = await NewPartAsync(app);
        var placeholder = await CreatePlaceholderAsync(client, part.Id);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{placeholder}/assign", new { serialNumber = $"LATE-RACE-{i}" })));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single(await SerialsOfPartAsync(app, part.Id));
    }
}

public sealed class SqliteGenerationProviderTests(OperatorFactory app) : GenerationProviderTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresGenerationProviderTests(PostgresOperatorFactory app) : GenerationProviderTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
