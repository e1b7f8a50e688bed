using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>Every request rule of POST /api/quality/holds, on its valid and its invalid side.</summary>
public sealed class HoldValidationTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private const string Reason = "Failed metal detection test during production.";

    /// <summary>
    /// A body template: {{LP}} is replaced by a fresh license plate id, {{LP2}} by a second one, {{WO}} and {{BATCH}} by fresh
    /// work order and batch ids.
    /// </summary>
    private async Task<HttpResponseMessage> PostAsync(string template, HttpClient? client = null)
    {
        client ??= await app.ClientForAsync(DemoUsers.Inspector);
        var body = template;
        if (body.Contains("{{LP}}")) body = body.Replace("{{LP}}", (await HoldsKit.NewPlateAsync(app)).Id.ToString());
        if (body.Contains("{{LP2}}")) body = body.Replace("{{LP2}}", (await HoldsKit.NewPlateAsync(app)).Id.ToString());
        if (body.Contains("{{WO}}")) body = body.Replace("{{WO}}", (await HoldsKit.NewWorkOrderAsync(app)).Id.ToString());
        if (body.Contains("{{BATCH}}")) body = body.Replace("{{BATCH}}", (await HoldsKit.NewBatchAsync(app)).Id.ToString());
        return await client.PostAsync(HoldsKit.Path, Golden.Raw(body));
    }

    private static string Hold(string reason = $"\"{Reason}\"", string holdType = "\"investigation\"", string? priority = "\"high\"", string? items = null)
    {
        items ??= """[{"reference_type": "lp", "reference_id": "{{LP}}"}]""";
        var fields = new List<string>();
        if (reason != "-") fields.Add($"\"reason\": {reason}");
        if (holdType != "-") fields.Add($"\"hold_type\": {holdType}");
        if (priority is not null) fields.Add($"\"priority\": {priority}");
        if (items != "-") fields.Add($"\"items\": {items}");
        return "{" + string.Join(", ", fields) + "}";
    }

    private static string Item(string fields) => "[{\"reference_type\": \"lp\", \"reference_id\": \"{{LP}}\"" + (fields.Length > 0 ? ", " + fields : "") + "}]";

    private static async Task<JsonArray> DetailsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal("Invalid request data", body["error"]!.GetValue<string>());
        return body["details"]!.AsArray();
    }

    private static async Task AssertIssueAsync(HttpResponseMessage response, string code, string path, string? message = null)
    {
        var details = await DetailsAsync(response);
        var match = details.FirstOrDefault(d => d!["code"]!.GetValue<string>() == code && d["path"]!.ToJsonString() == path);
        Assert.True(match is not null, $"No {code} at {path} in {details.ToJsonString()}");
        if (message is not null) Assert.Equal(message, match!["message"]!.GetValue<string>());
    }

    private static async Task<JsonNode> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    // ---------------------------------------------------------------- reason

    [Fact]
    public async Task Reason_is_trimmed_and_accepted_from_10_to_500_characters()
    {
        var ten = await CreatedAsync(await PostAsync(Hold(reason: "\"   0123456789   \"")));
        Assert.Equal("0123456789", ten["hold"]!["reason"]!.GetValue<string>());
        var max = new string('r', 500);
        var full = await CreatedAsync(await PostAsync(Hold(reason: $"\"  {max}  \"")));
        Assert.Equal(max, full["hold"]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("-", "invalid_type", "Required")]
    [InlineData("null", "invalid_type", "Expected string, received null")]
    [InlineData("123", "invalid_type", "Expected string, received number")]
    [InlineData("[\"a reason of sufficient length\"]", "invalid_type", "Expected string, received array")]
    [InlineData("\"Short\"", "too_small", "String must contain at least 10 character(s)")]
    [InlineData("\"   012345678        \"", "too_small", "String must contain at least 10 character(s)")]
    [InlineData("\"\"", "too_small", "String must contain at least 10 character(s)")]
    public async Task Reason_rules(string reason, string code, string message) =>
        await AssertIssueAsync(await PostAsync(Hold(reason: reason)), code, """["reason"]""", message);

    [Fact]
    public async Task Reason_over_500_characters_and_huge_strings_are_too_big()
    {
        var over = await DetailsAsync(await PostAsync(Hold(reason: $"\"{new string('a', 501)}\"")));
        Assert.Equal("""{"code":"too_big","maximum":500,"type":"string","inclusive":true,"exact":false,"path":["reason"],"message":"String must contain at most 500 character(s)"}""",
            over.Single()!.ToJsonString(Golden.Plain));
        await AssertIssueAsync(await PostAsync(Hold(reason: $"\"{new string('a', 500_000)}\"")), "too_big", """["reason"]""");
    }

    // ---------------------------------------------------------------- hold_type and priority

    [Theory]
    [InlineData("qa_pending")]
    [InlineData("investigation")]
    [InlineData("recall")]
    [InlineData("quarantine")]
    public async Task Every_hold_type_is_accepted(string type)
    {
        var created = await CreatedAsync(await PostAsync(Hold(holdType: $"\"{type}\"")));
        Assert.Equal(type, created["hold"]!["hold_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("-", "invalid_type", "Required")]
    [InlineData("null", "invalid_type", "Expected 'qa_pending' | 'investigation' | 'recall' | 'quarantine', received null")]
    [InlineData("7", "invalid_type", "Expected 'qa_pending' | 'investigation' | 'recall' | 'quarantine', received number")]
    [InlineData("\"Investigation\"", "invalid_enum_value", "Invalid enum value. Expected 'qa_pending' | 'investigation' | 'recall' | 'quarantine', received 'Investigation'")]
    [InlineData("\"invalid_type\"", "invalid_enum_value", "Invalid enum value. Expected 'qa_pending' | 'investigation' | 'recall' | 'quarantine', received 'invalid_type'")]
    [InlineData("\" investigation\"", "invalid_enum_value", null)]
    public async Task Hold_type_rules(string type, string code, string? message) =>
        await AssertIssueAsync(await PostAsync(Hold(holdType: type)), code, """["hold_type"]""", message);

    [Theory]
    [InlineData("\"low\"", "low")]
    [InlineData("\"medium\"", "medium")]
    [InlineData("\"high\"", "high")]
    [InlineData("\"critical\"", "critical")]
    [InlineData(null, "medium")]
    [InlineData("null", "medium")]
    public async Task Priority_is_optional_and_defaults_to_medium(string? priority, string expected)
    {
        var created = await CreatedAsync(await PostAsync(Hold(priority: priority)));
        Assert.Equal(expected, created["hold"]!["priority"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"urgent\"", "invalid_enum_value")]
    [InlineData("\"HIGH\"", "invalid_enum_value")]
    [InlineData("\"High\"", "invalid_enum_value")]
    [InlineData("true", "invalid_type")]
    [InlineData("3", "invalid_type")]
    public async Task Priority_rules(string priority, string code) =>
        await AssertIssueAsync(await PostAsync(Hold(priority: priority)), code, """["priority"]""");

    // ---------------------------------------------------------------- items

    [Theory]
    [InlineData("-", "invalid_type", "[\"items\"]", "Required")]
    [InlineData("null", "invalid_type", "[\"items\"]", "Expected array, received null")]
    [InlineData("{}", "invalid_type", "[\"items\"]", "Expected array, received object")]
    [InlineData("\"lp\"", "invalid_type", "[\"items\"]", "Expected array, received string")]
    [InlineData("[]", "too_small", "[\"items\"]", "Array must contain at least 1 element(s)")]
    [InlineData("[\"x\"]", "invalid_type", "[\"items\",0]", "Expected object, received string")]
    [InlineData("[null]", "invalid_type", "[\"items\",0]", "Expected object, received null")]
    public async Task Items_rules(string items, string code, string path, string message) =>
        await AssertIssueAsync(await PostAsync(Hold(items: items)), code, path, message);

    [Fact]
    public async Task Items_accept_1_to_100_and_refuse_101()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 101; i++) ids.Add((await HoldsKit.NewPlateAsync(app)).Id);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);

        var tooMany = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body(ids.Select(id => HoldsKit.Lp(id))));
        var details = await DetailsAsync(tooMany);
        Assert.Equal("""{"code":"too_big","maximum":100,"type":"array","inclusive":true,"exact":false,"path":["items"],"message":"Array must contain at most 100 element(s)"}""",
            details.Single()!.ToJsonString(Golden.Plain));

        var hundred = await CreatedAsync(await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body(ids.Take(100).Select(id => HoldsKit.Lp(id)))));
        Assert.Equal(100, hundred["hold"]!["items_count"]!.GetValue<int>());
        Assert.Equal(100, hundred["items"]!.AsArray().Count);
        Assert.Equal(100, hundred["lp_updates"]!.AsArray().Count);
    }

    [Fact]
    public async Task Every_reference_type_is_accepted_and_shows_its_number()
    {
        var wo = await HoldsKit.NewWorkOrderAsync(app);
        var batch = await HoldsKit.NewBatchAsync(app);
        var plate = await HoldsKit.NewPlateAsync(app);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var created = await CreatedAsync(await inspector.PostAsJsonAsync(HoldsKit.Path,
            HoldsKit.Body([HoldsKit.Lp(plate.Id), HoldsKit.Wo(wo.Id), HoldsKit.Bt(batch.Id)])));
        var items = created["items"]!.AsArray();
        Assert.Equal([plate.Number, wo.Number, batch.Number], items.Select(i => i!["reference_display"]!.GetValue<string>()));
        Assert.Equal("Warehouse A", items[0]!["location_name"]!.GetValue<string>());
        Assert.Null(items[1]!["location_id"]);
        Assert.Single(created["lp_updates"]!.AsArray());
    }

    [Theory]
    [InlineData("\"reference_type\": \"LP\"", "invalid_enum_value", "[\"items\",0,\"reference_type\"]")]
    [InlineData("\"reference_type\": \"pallet\"", "invalid_enum_value", "[\"items\",0,\"reference_type\"]")]
    [InlineData("\"reference_type\": 1", "invalid_type", "[\"items\",0,\"reference_type\"]")]
    [InlineData("\"reference_id\": \"not-a-uuid\"", "invalid_string", "[\"items\",0,\"reference_id\"]")]
    [InlineData("\"reference_id\": \"550e8400-e29b-11d4-a716-446655440000\"", "invalid_string", "[\"items\",0,\"reference_id\"]")]
    [InlineData("\"reference_id\": \"550e8400-e29b-41d4-c716-446655440000\"", "invalid_string", "[\"items\",0,\"reference_id\"]")]
    [InlineData("\"reference_id\": \"550e8400e29b41d4a716446655440000\"", "invalid_string", "[\"items\",0,\"reference_id\"]")]
    [InlineData("\"reference_id\": \"{550e8400-e29b-41d4-a716-446655440000}\"", "invalid_string", "[\"items\",0,\"reference_id\"]")]
    [InlineData("\"reference_id\": 42", "invalid_type", "[\"items\",0,\"reference_id\"]")]
    [InlineData("\"reference_id\": null", "invalid_type", "[\"items\",0,\"reference_id\"]")]
    public async Task Reference_rules(string field, string code, string path)
    {
        // The field under test is written into an otherwise valid item.
        var name = field[1..field.IndexOf('"', 1)];
        var item = name == "reference_type"
            ? "[{" + field + ", \"reference_id\": \"{{LP}}\"}]"
            : "[{\"reference_type\": \"lp\", " + field + "}]";
        await AssertIssueAsync(await PostAsync(Hold(items: item)), code, path);
    }

    [Fact]
    public async Task Missing_reference_fields_are_required()
    {
        var details = await DetailsAsync(await PostAsync(Hold(items: "[{}]")));
        Assert.Contains(details, d => d!["path"]!.ToJsonString() == """["items",0,"reference_type"]""" && d["message"]!.GetValue<string>() == "Required");
        Assert.Contains(details, d => d!["path"]!.ToJsonString() == """["items",0,"reference_id"]""" && d["message"]!.GetValue<string>() == "Required");
    }

    [Theory]
    [InlineData("100")]
    [InlineData("0.5")]
    [InlineData("0.0001")]
    [InlineData("null")]
    public async Task Quantity_held_above_zero_is_accepted(string quantity)
    {
        var created = await CreatedAsync(await PostAsync(Hold(items: Item($"\"quantity_held\": {quantity}"))));
        var held = created["items"]![0]!["quantity_held"];
        if (quantity == "null") Assert.Null(held);
        else Assert.Equal(double.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture), held!.GetValue<double>());
    }

    [Theory]
    [InlineData("0", "too_small", "Number must be greater than 0")]
    [InlineData("-10", "too_small", "Number must be greater than 0")]
    [InlineData("\"100\"", "invalid_type", "Expected number, received string")]
    [InlineData("true", "invalid_type", "Expected number, received boolean")]
    [InlineData("1e400", "not_finite", "Number must be finite")]
    public async Task Quantity_held_rules(string quantity, string code, string message) =>
        await AssertIssueAsync(await PostAsync(Hold(items: Item($"\"quantity_held\": {quantity}"))), code, """["items",0,"quantity_held"]""", message);

    [Fact]
    public async Task Uom_up_to_20_and_notes_up_to_500_characters_are_accepted()
    {
        var uom = new string('u', 20);
        var notes = new string('n', 500);
        var created = await CreatedAsync(await PostAsync(Hold(items: Item($"\"uom\": \"{uom}\", \"notes\": \"{notes}\""))));
        Assert.Equal(uom, created["items"]![0]!["uom"]!.GetValue<string>());
        Assert.Equal(notes, created["items"]![0]!["notes"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"uom\": \"this_is_a_very_long_unit_of_measure_string\"", "too_big", "[\"items\",0,\"uom\"]", "String must contain at most 20 character(s)")]
    [InlineData("\"uom\": 5", "invalid_type", "[\"items\",0,\"uom\"]", "Expected string, received number")]
    [InlineData("\"notes\": {}", "invalid_type", "[\"items\",0,\"notes\"]", "Expected string, received object")]
    public async Task Uom_and_notes_rules(string field, string code, string path, string message) =>
        await AssertIssueAsync(await PostAsync(Hold(items: Item(field))), code, path, message);

    [Fact]
    public async Task Notes_over_500_characters_are_too_big() =>
        await AssertIssueAsync(await PostAsync(Hold(items: Item($"\"notes\": \"{new string('n', 501)}\""))), "too_big", """["items",0,"notes"]""",
            "String must contain at most 500 character(s)");

    [Fact]
    public async Task Duplicate_items_are_refused_whatever_the_case_of_the_id()
    {
        var plate = (await HoldsKit.NewPlateAsync(app)).Id.ToString();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var response = await inspector.PostAsync(HoldsKit.Path, Golden.Raw(Hold(items:
            $$"""[{"reference_type": "lp", "reference_id": "{{plate}}"}, {"reference_type": "lp", "reference_id": "{{plate.ToUpperInvariant()}}"}]""")));
        var details = await DetailsAsync(response);
        Assert.Equal("""{"code":"custom","params":{"code":"DUPLICATE_ITEM","duplicate_of":0},"path":["items",1],"message":"Duplicate item: items[0] already holds this reference_type and reference_id"}""",
            details.Single()!.ToJsonString(Golden.Plain));
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var details = await DetailsAsync(await PostAsync("""{"reason": "Short", "hold_type": "Recall", "priority": "urgent", "items": [{"reference_type": "lp", "reference_id": "x", "quantity_held": 0}]}"""));
        Assert.Equal(["reason", "hold_type", "priority", "items.0.reference_id", "items.0.quantity_held"],
            details.Select(d => string.Join('.', d!["path"]!.AsArray().Select(p => p!.ToString()))));
    }

    [Fact]
    public async Task Unknown_properties_are_ignored()
    {
        var created = await CreatedAsync(await PostAsync("""{"reason": "Failed metal detection test", "hold_type": "recall", "status": "released", "org_id": "x", "items": [{"reference_type": "lp", "reference_id": "{{LP}}", "colour": "red"}]}"""));
        Assert.Equal("active", created["hold"]!["status"]!.GetValue<string>());
    }

    // ---------------------------------------------------------------- malformed bodies

    [Theory]
    [InlineData("{\"reason\": ")]
    [InlineData("{reason: 'x'}")]
    [InlineData("not json at all")]
    [InlineData("{\"reason\": \"Failed metal detection\",}")]
    public async Task Malformed_json_is_a_400_in_the_spec_shape(string body)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await Golden.BodyAsync(response);
        Assert.Equal("Invalid request data", json["error"]!.GetValue<string>());
        Assert.Equal("invalid_type", json["details"]![0]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[]", "array")]
    [InlineData("\"a hold\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public async Task A_body_that_is_not_an_object_is_refused(string body, string received)
    {
        var response = await PostAsync(body);
        var details = await DetailsAsync(response);
        Assert.Equal($$"""{"code":"invalid_type","expected":"object","received":"{{received}}","path":[],"message":"Expected object, received {{received}}"}""",
            details.Single()!.ToJsonString(Golden.Plain));
    }

    [Fact]
    public async Task An_empty_body_is_a_400_and_a_body_over_the_limit_a_413()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var empty = await inspector.PostAsync(HoldsKit.Path, Golden.Raw(""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("Invalid request data", (await Golden.BodyAsync(empty))["error"]!.GetValue<string>());

        var huge = await inspector.PostAsync(HoldsKit.Path, Golden.Raw(Hold(reason: $"\"{new string('a', 2_000_000)}\"")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("Request body too large", (await Golden.BodyAsync(huge))["error"]!.GetValue<string>());

        var text = await inspector.PostAsync(HoldsKit.Path, Golden.Raw("reason=x", "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.NotNull((await Golden.BodyAsync(text))["error"]);
    }

    // ---------------------------------------------------------------- existence and atomicity

    [Fact]
    public async Task A_missing_reference_leaves_no_partial_hold()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var before = await CountHoldsAsync();
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var response = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate.Id), HoldsKit.Bt(Guid.NewGuid())]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Batch not found"}""");
        Assert.Equal(before, await CountHoldsAsync());
        Assert.Equal("pending", await HoldsKit.QaStatusAsync(app, plate.Id));
    }

    [Fact]
    public async Task A_reference_of_the_wrong_type_is_not_found()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var response = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Wo(plate.Id)]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Work order not found"}""");
    }

    [Fact]
    public async Task Sql_and_script_text_in_the_reason_is_stored_as_text()
    {
        const string reason = "'; DROP TABLE \"QualityHolds\"; -- <script>alert(1)</script>";
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var created = await HoldsKit.CreateAsync(app, inspector, reason: reason);
        Assert.Equal(reason, created["hold"]!["reason"]!.GetValue<string>());
        var detail = await inspector.GetFromJsonAsync<JsonNode>($"{HoldsKit.Path}/{HoldsKit.Id(created)}");
        Assert.Equal(reason, detail!["hold"]!["reason"]!.GetValue<string>());
    }

    private async Task<int> CountHoldsAsync()
    {
        await using var db = app.RawDb();
        return await db.Set<QualityHold>().IgnoreQueryFilters().CountAsync();
    }
}
