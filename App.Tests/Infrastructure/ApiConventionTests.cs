using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Infrastructure.Api;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>Each of the four response conventions, pinned as exact JSON, for handler-made and framework-made errors.</summary>
public sealed class ApiConventionTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Plain_group_answers_401_without_a_token()
    {
        var response = await app.CreateClient().GetAsync("/api/parts");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Unauthorized"}""");
    }

    [Fact]
    public async Task Plain_group_answers_404_for_an_unknown_record_and_an_unknown_route()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var missing = await client.GetAsync($"/api/parts/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Golden.AssertBodyAsync(missing, """{"error":"Part not found: <uuid>"}""");

        var route = await client.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, route.StatusCode);
        await Golden.AssertBodyAsync(route, """{"error":"Not found"}""");
    }

    [Theory]
    [InlineData("/api/parts", "number")]
    [InlineData("/api/users", "email")]
    [InlineData("/api/certificates", "number")]
    [InlineData("/api/sessions", "email")]
    public async Task Plain_records_are_read_by_the_one_reader_invalid_utf8_and_a_key_given_twice_are_400_naming_the_field(string path, string field)
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var utf8 = new ByteArrayContent([.. Encoding.UTF8.GetBytes($"{{\"{field}\":\"a"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
        utf8.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var invalid = await client.PostAsync(path, utf8);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await Golden.AssertBodyAsync(invalid, $$"""{"error":"Malformed JSON: a string is not valid UTF-8","details":[{"field":"{{field}}","message":"Malformed JSON: a string is not valid UTF-8"}]}""");

        var twice = await client.PostAsync(path, Golden.Raw($$"""{"{{field}}":"a","{{field}}":"b"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(field, (await Golden.BodyAsync(twice))["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_document_still_shows_the_plain_records_as_request_bodies()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var doc = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        Assert.NotNull(doc["paths"]!["/api/parts"]!["post"]!["requestBody"]?["content"]?["application/json"]?["schema"]);
        Assert.NotNull(doc["paths"]!["/api/users/{id}/role"]!["put"]!["requestBody"]?["content"]?["application/json"]?["schema"]);
    }

    [Fact]
    public async Task Plain_group_answers_malformed_json_wrong_types_and_missing_bodies_with_400_naming_the_field()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var malformed = await client.PostAsync("/api/parts", Golden.Raw("""{"number": """));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        await Golden.AssertBodyAsync(malformed, """{"error":"Malformed JSON or wrong field type","details":[{"field":"number","message":"Invalid value at 'number': wrong type or malformed JSON"}]}""");

        var wrongType = await client.PostAsync("/api/license-plates", Golden.Raw("""{"partId": "x", "quantity": 5, "uom": "kg"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("partId", (await Golden.BodyAsync(wrongType))["details"]![0]!["field"]!.GetValue<string>());

        var empty = await client.PostAsync("/api/parts", Golden.Raw(""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        await Golden.AssertBodyAsync(empty, """{"error":"A JSON request body is required","details":[{"field":"","message":"A JSON request body is required"}]}""");

        var badQuery = await client.GetAsync("/api/parts?limit=abc");
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
        await Golden.AssertBodyAsync(badQuery, """{"error":"limit must be a number","details":[{"field":"limit","message":"limit must be a number"}]}""");
    }

    [Fact]
    public async Task Plain_group_answers_405_413_and_415_in_its_shape()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);
        var method = await client.DeleteAsync("/api/parts");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        await Golden.AssertBodyAsync(method, """{"error":"Method not allowed"}""");

        var huge = await client.PostAsync("/api/parts", Golden.Raw("{\"name\":\"" + new string('a', 2_000_000) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        await Golden.AssertBodyAsync(huge, """{"error":"Request body too large"}""");

        var text = await client.PostAsync("/api/parts", Golden.Raw("number=1", "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        await Golden.AssertBodyAsync(text, """{"error":"Unsupported media type: send application/json"}""");
    }

    [Fact]
    public async Task Plain_group_answers_403_when_the_role_may_not()
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var response = await viewer.PostAsJsonAsync("/api/parts", new { number = "P-9", sku = "NINE", name = "Nine" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Forbidden"}""");
    }

    [Fact]
    public async Task Each_contract_prefix_answers_an_unknown_route_in_its_own_shape()
    {
        var client = await app.ClientForAsync(DemoUsers.Admin);

        var envelope = await client.GetAsync("/api/v1/serialization/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, envelope.StatusCode);
        await Golden.AssertBodyAsync(envelope, """{"success":false,"data":null,"error":"NOT_FOUND","message":"Resource not found","resourceType":"Route","resourceId":"/api/v1/serialization/no-such-thing","timestamp":"<time>"}""");

        var holds = await client.GetAsync("/api/quality/holds/x/y/z");
        Assert.Equal(HttpStatusCode.NotFound, holds.StatusCode);
        await Golden.AssertBodyAsync(holds, """{"error":"Not found"}""");

        // Under public verification every GET path is a code; one with slashes is the spec's invalid-format 400 (issue 7).
        var verify = await client.GetAsync("/api/public/serial/verify/a/b/c");
        Assert.Equal(HttpStatusCode.BadRequest, verify.StatusCode);
        await Golden.AssertBodyAsync(verify, """{"ok":false,"error":"Invalid serial code format"}""");

        var serials = await client.GetAsync("/api/serials/x/y/z/w");
        Assert.Equal(HttpStatusCode.NotFound, serials.StatusCode);
        await Golden.AssertBodyAsync(serials, """{"error":"Not found"}""");
    }

    [Theory]
    [InlineData("holds", 401, """{"error":"Unauthorized"}""")]
    [InlineData("holds", 500, """{"error":"Internal server error","request_id":"trace-1"}""")]
    [InlineData("envelope", 401, """{"success":false,"data":null,"error":"UNAUTHORIZED","message":"Authentication token missing or invalid","timestamp":"<time>"}""")]
    [InlineData("envelope", 403, """{"success":false,"data":null,"error":"FORBIDDEN","message":"Insufficient permissions for this operation","timestamp":"<time>"}""")]
    [InlineData("envelope", 429, """{"success":false,"data":null,"error":"RATE_LIMIT_EXCEEDED","message":"Rate limit exceeded","timestamp":"<time>"}""")]
    [InlineData("envelope", 500, """{"success":false,"data":null,"error":"INTERNAL_SERVER_ERROR","message":"An unexpected error occurred","requestId":"trace-1","timestamp":"<time>"}""")]
    [InlineData("public-verify", 429, """{"ok":false,"error":"Rate limit exceeded. Maximum 60 requests per hour per IP."}""")]
    [InlineData("public-verify", 500, """{"ok":false,"error":"Internal server error","request_id":"trace-1"}""")]
    [InlineData("plain", 500, """{"error":"Internal Server Error","requestId":"trace-1"}""")]
    public void Framework_errors_take_the_convention_shape(string style, int status, string expected)
    {
        var convention = ApiGroupExtensions.Contracts.Select(c => c.Style).Append(PlainStyle.Instance).First(s => s.Name == style);
        var context = new DefaultHttpContext { RequestServices = app.Services, TraceIdentifier = "trace-1" };
        var body = convention.ErrorBody(convention.FrameworkError(status, context, null), status, context);
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(expected)!.ToJsonString(Golden.Plain), Golden.Mask(body.ToJsonString(Golden.Plain)));
    }

    [Fact]
    public void Holds_validation_errors_use_zods_issue_shape_with_bounds()
    {
        var context = new DefaultHttpContext { RequestServices = app.Services };
        var checks = new Checks();
        checks.Text(["reason"], "short", 10, 500);
        checks.Text(["items", 0, "uom"], new string('k', 21), 0, 20);
        var body = HoldsStyle.Instance.ErrorBody(checks.ToError("Invalid request data"), 400, context);
        Assert.Equal(
            """{"error":"Invalid request data","details":[{"code":"too_small","minimum":10,"type":"string","inclusive":true,"exact":false,"path":["reason"],"message":"String must contain at least 10 character(s)"},{"code":"too_big","maximum":20,"type":"string","inclusive":true,"exact":false,"path":["items",0,"uom"],"message":"String must contain at most 20 character(s)"}]}""",
            body.ToJsonString());
    }

    [Fact]
    public async Task An_unhandled_failure_is_a_500_in_the_groups_shape_and_says_nothing_internal()
    {
        await using var broken = new OperatorFactory();
        var client = await broken.ClientForAsync(DemoUsers.Admin);
        await using (var db = broken.RawDb())
        {
            await db.Database.ExecuteSqlRawAsync("""DROP TABLE "Batches" """);
        }
        var response = await client.GetAsync("/api/batches");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Internal Server Error","requestId":"<uuid>"}""");
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_api_errors_are_never_html()
    {
        var response = await app.CreateClient().GetAsync("/api/parts");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
