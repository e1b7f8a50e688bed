using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// Bad input to the propagation endpoints: each refusal is a VALIDATION_ERROR or NOT_FOUND in the envelope, and
/// nothing is written (no link, no audit entry, no unit consumed).
/// </summary>
public sealed class PropagationBadInputTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private async Task<JsonNode> RefusedAsync(string path, object body, HttpStatusCode status, params Guid[] untouched)
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var links = await LinkCountAsync(app);
        var audits = await AuditCountAsync(app);
        var response = await op.PostAsJsonAsync(Base + path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(links, await LinkCountAsync(app));
        Assert.Equal(audits, await AuditCountAsync(app));
        foreach (var id in untouched) Assert.False((await SerialAsync(app, id)).Consumed);
        var node = JsonNode.Parse(text)!;
        Assert.False(node["success"]!.GetValue<bool>());
        return node;
    }

    private static string Details(JsonNode body) =>
        string.Join(" | ", body["details"]!.AsArray().Select(d => $"{d!["field"]}: {d["message"]}"));

    [Fact]
    public async Task An_unknown_serial_is_not_found_wherever_it_is_named()
    {
        var u = await UnitsAsync(app, 2);
        var missing = Guid.NewGuid();
        var merge = await RefusedAsync("/propagation/merge",
            new { sourceSerialIds = new[] { u[0], missing }, operationCode = "OP-1", routingSequence = 1, targetSerialId = u[1] }, HttpStatusCode.NotFound, u[0]);
        Assert.Equal("NOT_FOUND", merge["error"]!.GetValue<string>());
        Assert.Equal("SerialNumber", merge["resourceType"]!.GetValue<string>());
        Assert.Equal(missing.ToString(), merge["resourceId"]!.GetValue<string>());

        var target = await RefusedAsync("/propagation/split",
            new { sourceSerialId = u[0], operationCode = "OP-1", routingSequence = 1, targetSerialIds = new[] { "serial-002" } }, HttpStatusCode.NotFound);
        Assert.Equal("serial-002", target["resourceId"]!.GetValue<string>());

        var source = await RefusedAsync("/propagation/pass-through", new { sourceSerialId = "serial-001", operationCode = "OP-1", routingSequence = 1 }, HttpStatusCode.NotFound);
        Assert.Equal("serial-001", source["resourceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_merge_across_organizations_answers_as_if_the_foreign_serial_did_not_exist()
    {
        var mine = await UnitsAsync(app, 2);
        var theirs = await UnitAsync(app, org: "AC01");
        var body = await RefusedAsync("/propagation/merge",
            new { sourceSerialIds = new[] { mine[0], theirs }, operationCode = "OP-1", routingSequence = 1, targetSerialId = mine[1] }, HttpStatusCode.NotFound, mine[0]);
        await Golden.AssertBodyAsync(new HttpResponseMessage { Content = JsonContent.Create(body) }, $$"""
            {"success":false,"data":null,"error":"NOT_FOUND","message":"Resource not found","resourceType":"SerialNumber","resourceId":"<uuid>","timestamp":"<time>"}
            """);
        Assert.Equal(theirs.ToString(), body["resourceId"]!.GetValue<string>());
        Assert.False((await SerialAsync(app, theirs)).Consumed);

        var intoTheirs = await RefusedAsync("/propagation/split",
            new { sourceSerialId = mine[0], operationCode = "OP-1", routingSequence = 1, targetSerialIds = new[] { theirs } }, HttpStatusCode.NotFound);
        Assert.Equal(theirs.ToString(), intoTheirs["resourceId"]!.GetValue<string>());
        var lineage = await (await app.ClientForAsync(DemoUsers.Viewer)).GetAsync($"{Base}/propagation/lineage/{theirs}");
        Assert.Equal(HttpStatusCode.NotFound, lineage.StatusCode);
    }

    [Fact]
    public async Task Empty_and_missing_lists_a_serial_listed_twice_and_source_equal_to_target_are_validation_errors()
    {
        var u = await UnitsAsync(app, 3);
        var empty = await RefusedAsync("/propagation/merge",
            new { sourceSerialIds = Array.Empty<Guid>(), operationCode = "OP-1", routingSequence = 1, targetSerialId = u[2] }, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid input data", empty["message"]!.GetValue<string>());
        Assert.Equal("sourceSerialIds: At least one serial is required", Details(empty));

        var missing = await RefusedAsync("/propagation/split", new { sourceSerialId = u[0], operationCode = "OP-1", routingSequence = 1 }, HttpStatusCode.BadRequest);
        Assert.Equal("targetSerialIds: Required", Details(missing));

        var twice = await RefusedAsync("/propagation/merge",
            new { sourceSerialIds = new[] { u[0].ToString(), u[1].ToString(), u[0].ToString().ToUpperInvariant() }, operationCode = "OP-1", routingSequence = 1, targetSerialId = u[2] },
            HttpStatusCode.BadRequest, u[0], u[1]);
        Assert.Equal($"sourceSerialIds[2]: Serial {u[0].ToString().ToUpperInvariant()} is listed more than once", Details(twice));

        var twiceInSplit = await RefusedAsync("/propagation/split",
            new { sourceSerialId = u[0], operationCode = "OP-1", routingSequence = 1, targetSerialIds = new[] { u[1], u[1] } }, HttpStatusCode.BadRequest);
        Assert.Equal($"targetSerialIds[1]: Serial {u[1]} is listed more than once", Details(twiceInSplit));

        var self = await RefusedAsync("/propagation/merge",
            new { sourceSerialIds = new[] { u[0], u[1] }, operationCode = "OP-1", routingSequence = 1, targetSerialId = u[1] }, HttpStatusCode.BadRequest, u[0]);
        Assert.Equal("sourceSerialIds[1]: A serial cannot be propagated into itself: source and target are the same", Details(self));

        var splitSelf = await RefusedAsync("/propagation/split",
            new { sourceSerialId = u[0], operationCode = "OP-1", routingSequence = 1, targetSerialIds = new[] { u[1], u[0] } }, HttpStatusCode.BadRequest);
        Assert.Equal("targetSerialIds[1]: A serial cannot be propagated into itself: source and target are the same", Details(splitSelf));

        var both = await RefusedAsync("/propagation/transformation",
            new { sourceSerialId = u[0], sourceSerialIds = new[] { u[1] }, operationCode = "OP-1", routingSequence = 1, targetSerialId = u[2] }, HttpStatusCode.BadRequest);
        Assert.Equal("sourceSerialId: Give sourceSerialId or sourceSerialIds, not both", Details(both));
    }

    [Fact]
    public async Task Missing_and_malformed_fields_are_named()
    {
        var u = await UnitsAsync(app, 2);
        var fields = await RefusedAsync("/propagation/pass-through", new { sourceSerialId = u[0], operationCode = "", routingSequence = -1, quantity = 0, workCenterId = new string('w', 51) },
            HttpStatusCode.BadRequest);
        Assert.Equal("operationCode: String must contain at least 1 character(s) | routingSequence: Number must be greater than or equal to 0 | " +
                     "workCenterId: String must contain at most 50 character(s) | quantity: Number must be greater than 0", Details(fields));

        var nothing = await RefusedAsync("/propagation/pass-through", new { }, HttpStatusCode.BadRequest);
        Assert.Equal("sourceSerialId: Required | operationCode: Required | routingSequence: Required", Details(nothing));

        var op = await app.ClientForAsync(DemoUsers.Operator);
        var malformed = await op.PostAsync(Base + "/propagation/merge", Golden.Raw("""{"sourceSerialIds": ["""));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var malformedBody = await Golden.BodyAsync(malformed);
        Assert.Equal("VALIDATION_ERROR", malformedBody["error"]!.GetValue<string>());
        Assert.Equal("Invalid input data", malformedBody["message"]!.GetValue<string>());

        var wrongType = await op.PostAsync(Base + "/propagation/split", Golden.Raw($$"""{"sourceSerialId": "{{u[0]}}", "operationCode": "OP", "routingSequence": "five", "targetSerialIds": ["{{u[1]}}"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        await Golden.AssertBodyAsync(wrongType, """
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[{"field":"routingSequence",
             "message":"Invalid value at 'routingSequence': wrong type or malformed JSON"}],"timestamp":"<time>"}
            """);

        var noBody = await op.PostAsync(Base + "/propagation/split", null);
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal("A JSON request body is required", (await Golden.BodyAsync(noBody))["details"]![0]!["message"]!.GetValue<string>());

        var text = await op.PostAsync(Base + "/propagation/split", Golden.Raw("hello", "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    [Fact]
    public async Task Scrapped_and_cancelled_units_take_part_in_no_propagation()
    {
        var live = await UnitAsync(app);
        var scrapped = await UnitAsync(app, status: "scrapped");
        var cancelled = await UnitAsync(app, status: "cancelled");
        var intoScrapped = await RefusedAsync("/propagation/merge",
            new { sourceSerialIds = new[] { live }, operationCode = "OP-1", routingSequence = 1, targetSerialId = scrapped }, HttpStatusCode.Conflict, live);
        Assert.Equal($"Serial {await NumberOfAsync(app, scrapped)} is scrapped and cannot take part in a propagation", intoScrapped["message"]!.GetValue<string>());
        var fromCancelled = await RefusedAsync("/propagation/pass-through", new { sourceSerialId = cancelled, operationCode = "OP-1", routingSequence = 1 }, HttpStatusCode.Conflict);
        Assert.Equal("CONFLICT", fromCancelled["error"]!.GetValue<string>());
    }
}
