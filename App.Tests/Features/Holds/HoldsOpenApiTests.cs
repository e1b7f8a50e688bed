using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>The OpenAPI document describes every holds endpoint, with the snake_case names callers see.</summary>
public sealed class HoldsOpenApiTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Every_endpoint_is_documented_with_name_summary_tag_and_snake_case_schemas()
    {
        var doc = (await app.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject();
        var expected = new (string Path, string Method, string Name)[]
        {
            ("/api/quality/holds", "post", "CreateQualityHold"),
            ("/api/quality/holds", "get", "ListQualityHolds"),
            ("/api/quality/holds/{id}", "get", "GetQualityHold"),
            ("/api/quality/holds/{id}", "delete", "DisposeQualityHold"),
            ("/api/quality/holds/{id}/release", "patch", "ReleaseQualityHold"),
            ("/api/quality/holds/{id}/report.pdf", "get", "QualityHoldReport"),
        };
        foreach (var (path, method, name) in expected)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is not documented");
            Assert.Equal(name, operation!["operationId"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()));
            Assert.Equal("Quality holds", operation["tags"]![0]!.GetValue<string>());
        }
        Assert.Contains("release→passed, rework→pending, scrap→scrap, return→rejected", paths["/api/quality/holds/{id}/release"]!["patch"]!["summary"]!.GetValue<string>());

        var schemas = doc["components"]!["schemas"]!;
        JsonNode Resolve(JsonNode schema) => schema["$ref"] is { } r ? schemas[r.GetValue<string>().Split('/')[^1]]! : schema;
        var create = paths["/api/quality/holds"]!["post"]!;
        Assert.NotNull(Resolve(create["requestBody"]!["content"]!["application/json"]!["schema"]!)["properties"]!["hold_type"]);
        Assert.NotNull(create["responses"]!["201"]);
        Assert.Null(create["responses"]!["200"]);
        Assert.Null(paths["/api/quality/holds/{id}"]!["delete"]!["responses"]!["200"]);
        var release = paths["/api/quality/holds/{id}/release"]!["patch"]!;
        Assert.NotNull(Resolve(release["requestBody"]!["content"]!["application/json"]!["schema"]!)["properties"]!["disposition"]);
        Assert.Equal("#/components/schemas/HoldResponse", release["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(schemas["HoldDto"]!["properties"]!["hold_number"]);
        Assert.NotNull(schemas["HoldSummaryDto"]!["properties"]!["aging_status"]);
        Assert.NotNull(schemas["ListHoldsResponse"]!["properties"]!["filters_applied"]);
        var parameters = paths["/api/quality/holds"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["status", "priority", "hold_type", "from", "to", "search", "limit", "offset", "sort"], parameters);
    }
}
