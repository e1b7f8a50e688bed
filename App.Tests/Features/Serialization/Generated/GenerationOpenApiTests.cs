using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serialization;

/// <summary>The OpenAPI document describes every endpoint of sections 1, 2, 3, 6 and the formats, with the statuses they answer.</summary>
public sealed class GenerationOpenApiTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private const string B = "/api/v1/serialization";

    [Fact]
    public async Task Every_workflow_endpoint_is_documented_with_name_summary_tag_and_status()
    {
        var doc = (await app.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject();
        var expected = new (string Path, string Method, string Name, string Status)[]
        {
            ($"{B}/vendor/receive", "post", "ReceiveVendorSerial", "201"),
            ($"{B}/vendor/{{vendorSerialId}}/accept", "post", "AcceptVendorSerial", "200"),
            ($"{B}/vendor/{{vendorSerialId}}/reject", "post", "RejectVendorSerial", "200"),
            ($"{B}/vendor/{{vendorSerialId}}", "get", "GetVendorSerial", "200"),
            ($"{B}/vendor/part/{{partId}}", "get", "ListVendorSerialsForPart", "200"),
            ($"{B}/system-generated/generate", "post", "GenerateSystemSerial", "201"),
            ($"{B}/system-generated/trigger", "post", "TriggerSerialGeneration", "200"),
            ($"{B}/system-generated/part/{{partId}}", "get", "ListGeneratedSerials", "200"),
            ($"{B}/late-assignment/placeholder", "post", "CreatePlaceholder", "201"),
            ($"{B}/late-assignment/placeholder/{{placeholderId}}/assign", "post", "AssignPlaceholderSerial", "200"),
            ($"{B}/late-assignment/placeholder/{{placeholderId}}/fail", "post", "FailPlaceholder", "200"),
            ($"{B}/late-assignment/pending", "get", "ListPendingPlaceholders", "200"),
            ($"{B}/late-assignment/statistics/{{partId}}", "get", "LateAssignmentStatistics", "200"),
            ($"{B}/triggers", "post", "CreateSerialTrigger", "201"),
            ($"{B}/triggers/{{triggerId}}", "patch", "UpdateSerialTrigger", "200"),
            ($"{B}/triggers/{{triggerId}}", "get", "GetSerialTrigger", "200"),
            ($"{B}/triggers/{{triggerId}}", "delete", "DeleteSerialTrigger", "204"),
            ($"{B}/triggers/part/{{partId}}", "get", "ListSerialTriggersForPart", "200"),
            ($"{B}/triggers/{{triggerId}}/enable", "post", "EnableSerialTrigger", "200"),
            ($"{B}/triggers/{{triggerId}}/disable", "post", "DisableSerialTrigger", "200"),
            ($"{B}/triggers/statistics/{{partId}}", "get", "SerialTriggerStatistics", "200"),
            ($"{B}/formats", "post", "CreateSerialFormat", "201"),
            ($"{B}/formats", "get", "ListSerialFormats", "200"),
            ($"{B}/formats/{{formatId}}", "get", "GetSerialFormat", "200"),
            ($"{B}/formats/{{formatId}}", "patch", "UpdateSerialFormat", "200"),
            ($"{B}/formats/{{formatId}}/preview", "get", "PreviewSerialFormat", "200"),
            ($"{B}/formats/preview", "post", "PreviewSerialPattern", "200"),
        };
        foreach (var (path, method, name, status) in expected)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is not documented");
            Assert.Equal(name, operation!["operationId"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{name} has no summary");
            Assert.StartsWith("Serialization: ", operation["tags"]![0]!.GetValue<string>());
            Assert.True(operation["responses"]![status] is not null, $"{name} does not document {status}");
            if (status != "200") Assert.Null(operation["responses"]!["200"]);
        }

        var schemas = doc["components"]!["schemas"]!;
        // A nullable object is documented as oneOf [null, $ref]: the object is the branch with the reference.
        JsonNode Resolve(JsonNode schema) =>
            schema["$ref"] is { } r ? schemas[r.GetValue<string>().Split('/')[^1]]!
            : schema["oneOf"] is JsonArray branches ? Resolve(branches.First(b => b!["$ref"] is not null)!)
            : schema;
        var receive = paths[$"{B}/vendor/receive"]!["post"]!;
        Assert.NotNull(Resolve(receive["requestBody"]!["content"]!["application/json"]!["schema"]!)["properties"]!["vendorSerialNumber"]);
        var created = Resolve(receive["responses"]!["201"]!["content"]!["application/json"]!["schema"]!);
        Assert.NotNull(created["properties"]!["success"]);
        Assert.NotNull(Resolve(created["properties"]!["data"]!)["properties"]!["receivedAt"]);
        var trigger = paths[$"{B}/triggers"]!["post"]!;
        Assert.NotNull(Resolve(trigger["requestBody"]!["content"]!["application/json"]!["schema"]!)["properties"]!["batchSize"]);
        Assert.NotNull(Resolve(trigger["responses"]!["400"]!["content"]!["application/json"]!["schema"]!)["properties"]!["details"]);
    }
}
