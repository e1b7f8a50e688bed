using System.Net;
using System.Net.Http.Json;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// The spec's section 4 examples as exact envelopes (uuids and timestamps masked): the serial ids of the examples
/// ("serial-001"...) are serial UUIDs here, and createdBy is ignored in favour of the signed-in caller.
/// </summary>
public sealed class PropagationGoldenTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Pass_through_answers_the_recorded_propagation()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await UnitAsync(app);
        var response = await op.PostAsJsonAsync(Base + "/propagation/pass-through", new
        {
            sourceSerialId = serial, operationCode = "OP-001", routingSequence = 1, workCenterId = "wc-001", quantity = 1, createdBy = "operator-001",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Golden.AssertBodyAsync(response, """
            {"success":true,"data":{"id":"<uuid>","sourceSerialId":"<uuid>","propagationType":"PASS_THROUGH","operationCode":"OP-001","routingSequence":1,
             "workCenterId":"wc-001","quantity":1,"status":"RECORDED","recordedAt":"<time>","createdBy":"<uuid>"},"error":null,"timestamp":"<time>"}
            """);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = (await app.ClientForAsync(DemoUsers.Viewer)).GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"{Base}/propagation/lineage/{serial}");
        var history = (await data)!["data"]!["propagationHistory"]!.AsArray();
        Assert.Single(history);
        Assert.Null(history[0]!["targetSerialId"]);
    }

    [Fact]
    public async Task Split_answers_one_link_per_target()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 3);
        var response = await op.PostAsJsonAsync(Base + "/propagation/split", new
        {
            sourceSerialId = u[0], operationCode = "OP-SPLIT", routingSequence = 5, targetSerialIds = new[] { u[1], u[2] }, createdBy = "operator-001",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Golden.AssertBodyAsync(response, """
            {"success":true,"data":[
              {"id":"<uuid>","groupId":"<uuid>","sourceSerialId":"<uuid>","targetSerialId":"<uuid>","propagationType":"SPLIT","operationCode":"OP-SPLIT","routingSequence":5,"quantity":1},
              {"id":"<uuid>","groupId":"<uuid>","sourceSerialId":"<uuid>","targetSerialId":"<uuid>","propagationType":"SPLIT","operationCode":"OP-SPLIT","routingSequence":5,"quantity":1}
            ],"error":null,"timestamp":"<time>"}
            """);
    }

    [Fact]
    public async Task Merge_answers_one_object_with_the_sources_and_their_quantity()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 3);
        var response = await op.PostAsJsonAsync(Base + "/propagation/merge", new
        {
            sourceSerialIds = new[] { u[0], u[1] }, operationCode = "OP-MERGE", routingSequence = 10, targetSerialId = u[2], createdBy = "operator-001",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Golden.AssertBodyAsync(response, """
            {"success":true,"data":{"id":"<uuid>","sourceSerialIds":["<uuid>","<uuid>"],"targetSerialId":"<uuid>","propagationType":"MERGE",
             "operationCode":"OP-MERGE","routingSequence":10,"quantity":2,"linkIds":["<uuid>","<uuid>"],"recordedAt":"<time>","createdBy":"<uuid>"},
             "error":null,"timestamp":"<time>"}
            """);
        var body = await Golden.BodyAsync(response);
        Assert.Equal([u[0], u[1]], body["data"]!["sourceSerialIds"]!.AsArray().Select(x => x!.GetValue<Guid>()));
        Assert.Equal(u[2], body["data"]!["targetSerialId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Transformation_takes_one_source_like_a_merge()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 2);
        var response = await op.PostAsJsonAsync(Base + "/propagation/transformation", new
        {
            sourceSerialId = u[0], operationCode = "OP-TRANSFORM", routingSequence = 20, targetSerialId = u[1], quantity = 1.5,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Golden.AssertBodyAsync(response, """
            {"success":true,"data":{"id":"<uuid>","sourceSerialIds":["<uuid>"],"targetSerialId":"<uuid>","propagationType":"TRANSFORMATION",
             "operationCode":"OP-TRANSFORM","routingSequence":20,"quantity":1.5,"linkIds":["<uuid>"],"recordedAt":"<time>","createdBy":"<uuid>"},
             "error":null,"timestamp":"<time>"}
            """);
        Assert.True((await SerialAsync(app, u[0])).Consumed);
    }

    [Fact]
    public async Task Lineage_answers_serial_ancestors_descendants_and_history()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var u = await UnitsAsync(app, 3, i => $"TST-{tag}-{i + 1:D4}");
        await SplitAsync(op, u[0], [u[1]]);
        await op.PostAsJsonAsync(Base + "/propagation/pass-through", new { sourceSerialId = u[1], operationCode = "OP-001", routingSequence = 1 });
        await SplitAsync(op, u[1], [u[2]], op: "OP-002", seq: 2);

        var response = await (await app.ClientForAsync(DemoUsers.Viewer)).GetAsync($"{Base}/propagation/lineage/{u[1]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var part = (await PartNumberAsync());
        await Golden.AssertBodyAsync(response, $$"""
            {"success":true,"data":{
              "serial":{"id":"<uuid>","serialNumber":"TST-{{tag}}-0002","partId":"<uuid>","partNumber":"{{part}}","status":"active"},
              "ancestors":[{"id":"<uuid>","serialNumber":"TST-{{tag}}-0001","partId":"<uuid>","partNumber":"{{part}}","status":"active","depth":1,"parentId":"<uuid>",
                "linkId":"<uuid>","linkType":"SPLIT","operationCode":"OP-SPLIT","routingSequence":5,"performedAt":"<time>"}],
              "descendants":[{"id":"<uuid>","serialNumber":"TST-{{tag}}-0003","partId":"<uuid>","partNumber":"{{part}}","status":"active","depth":1,"parentId":"<uuid>",
                "linkId":"<uuid>","linkType":"SPLIT","operationCode":"OP-002","routingSequence":2,"performedAt":"<time>"}],
              "propagationHistory":[
                {"id":"<uuid>","groupId":"<uuid>","sourceSerialId":"<uuid>","targetSerialId":"<uuid>","operationCode":"OP-001","routingSequence":1,"propagationType":"PASS_THROUGH","workCenterId":null,"quantity":1,"performedAt":"<time>"},
                {"id":"<uuid>","groupId":"<uuid>","sourceSerialId":"<uuid>","targetSerialId":"<uuid>","operationCode":"OP-002","routingSequence":2,"propagationType":"SPLIT","workCenterId":null,"quantity":1,"performedAt":"<time>"},
                {"id":"<uuid>","groupId":"<uuid>","sourceSerialId":"<uuid>","targetSerialId":"<uuid>","operationCode":"OP-SPLIT","routingSequence":5,"propagationType":"SPLIT","workCenterId":null,"quantity":1,"performedAt":"<time>"}
              ]},"error":null,"timestamp":"<time>"}
            """.Replace("\"targetSerialId\":\"<uuid>\",\"operationCode\":\"OP-001\"", "\"targetSerialId\":null,\"operationCode\":\"OP-001\""));
    }

    [Fact]
    public async Task History_and_statistics_answer_in_the_spec_shape()
    {
        var part = await NewPartAsync(app);
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var u = await UnitsAsync(app, 3, partId: part);
        await op.PostAsJsonAsync(Base + "/propagation/pass-through", new { sourceSerialId = u[0], operationCode = "OP-001", routingSequence = 1 });
        await SplitAsync(op, u[0], [u[1], u[2]], op: "OP-002");
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        var history = await viewer.GetAsync($"{Base}/propagation/history/{part}?propagationType=PASS_THROUGH");
        await Golden.AssertBodyAsync(history, """
            {"success":true,"data":[{"id":"<uuid>","groupId":"<uuid>","sourceSerialId":"<uuid>","targetSerialId":null,"operationCode":"OP-001","routingSequence":1,
              "propagationType":"PASS_THROUGH","workCenterId":null,"quantity":1,"recordedAt":"<time>","createdBy":"<uuid>"}],"error":null,"timestamp":"<time>"}
            """);

        var stats = await viewer.GetAsync($"{Base}/propagation/statistics/{part}");
        await Golden.AssertBodyAsync(stats, """
            {"success":true,"data":{"totalPropagations":3,"byType":{"PASS_THROUGH":1,"SPLIT":2,"MERGE":0,"TRANSFORMATION":0},"byOperation":{"OP-001":1,"OP-002":2},
             "averageDepth":1},"error":null,"timestamp":"<time>"}
            """);

        var empty = await viewer.GetAsync($"{Base}/propagation/statistics/{await NewPartAsync(app)}");
        await Golden.AssertBodyAsync(empty, """
            {"success":true,"data":{"totalPropagations":0,"byType":{"PASS_THROUGH":0,"SPLIT":0,"MERGE":0,"TRANSFORMATION":0},"byOperation":{},"averageDepth":0},
             "error":null,"timestamp":"<time>"}
            """);
    }

    [Fact]
    public async Task Errors_answer_in_the_envelope()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var unknown = await op.GetAsync($"{Base}/propagation/lineage/serial-123");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Golden.AssertBodyAsync(unknown, """
            {"success":false,"data":null,"error":"NOT_FOUND","message":"Resource not found","resourceType":"SerialNumber","resourceId":"serial-123","timestamp":"<time>"}
            """);

        var emptyTargets = await op.PostAsJsonAsync(Base + "/propagation/split",
            new { sourceSerialId = await UnitAsync(app), operationCode = "OP-SPLIT", routingSequence = 5, targetSerialIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.BadRequest, emptyTargets.StatusCode);
        await Golden.AssertBodyAsync(emptyTargets, """
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[{"field":"targetSerialIds","message":"At least one serial is required"}],"timestamp":"<time>"}
            """);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var forbidden = await viewer.PostAsJsonAsync(Base + "/propagation/merge", new { });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await Golden.AssertBodyAsync(forbidden, """
            {"success":false,"data":null,"error":"FORBIDDEN","message":"Insufficient permissions for this operation","timestamp":"<time>"}
            """);

        var anonymous = await app.CreateClient().GetAsync($"{Base}/propagation/lineage/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await Golden.AssertBodyAsync(anonymous, """
            {"success":false,"data":null,"error":"UNAUTHORIZED","message":"Authentication token missing or invalid","timestamp":"<time>"}
            """);

        var report = await op.GetAsync($"{Base}/propagation/lineage/{Guid.NewGuid()}/report.pdf");
        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
        Assert.Equal("NOT_FOUND", (await Golden.BodyAsync(report))["error"]!.GetValue<string>());

        var badType = await viewer.GetAsync($"{Base}/propagation/history/{await PartIdAsync(app)}?propagationType=split");
        await Golden.AssertBodyAsync(badType, """
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[{"field":"propagationType",
             "message":"Invalid enum value. Expected 'PASS_THROUGH' | 'SPLIT' | 'MERGE' | 'TRANSFORMATION', received 'split'"}],"timestamp":"<time>"}
            """);
        var noPart = await viewer.GetAsync($"{Base}/propagation/statistics/part-123");
        await Golden.AssertBodyAsync(noPart, """
            {"success":false,"data":null,"error":"NOT_FOUND","message":"Resource not found","resourceType":"Part","resourceId":"part-123","timestamp":"<time>"}
            """);
    }

    private async Task<string> PartNumberAsync()
    {
        var id = await PartIdAsync(app);
        await using var db = app.RawDb();
        return Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.IgnoreQueryFilters(db.Set<Operator.Features.MasterData.Part>()).Single(p => p.Id == id).Number;
    }
}
