using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// Input the app cannot take is the caller's fault: a 400 in the group's shape, never a 500 or HTML, and nothing written.
/// The sweep calls every operation of the OpenAPI document as an administrator, with one hostile value in every string,
/// number, path segment and search; the bodies follow each operation's schema, so validation, lookups and (where a body
/// passes) the database see the value. It found U+0000 and unpaired surrogate escapes answering 500 in 25 operations.
/// PostgreSQL cannot hold U+0000 in text and SQLite would compare it silently, so a query string or route value with it
/// is refused at the group's edge on both providers.
/// </summary>
public abstract class HostileInputTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    public static TheoryData<string, string, string, string> Values => new()
    {
        // name, the JSON value put in strings and numbers, the text put in searches and paging (URL-encoded), the path
        // segment (a NUL in a path never reaches the app: Kestrel refuses the request line).
        { "nul", "\"ab\\u0000cd\"", "ab%00cd", "ab00cd" },
        { "unpaired surrogate", "\"ab\\ud800cd\"", "ab%ED%A0%80cd", "ab%ED%A0%80cd" },
        { "sql and script", "\"'; DROP TABLE \\\"Serials\\\"; -- <script>alert(1)</script>\"", "%27%3B%20DROP%20TABLE%20x%3B--%3Cscript%3E", "%27%3B--%3Cscript%3E" },
        { "huge", JsonSerializer.Serialize(new string('x', 20_000)), new string('x', 3_000), new string('x', 1_000) },
        { "wrong type", "[1, {\"a\": null}]", "-1", "-1" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task No_operation_answers_500_or_anything_but_json(string name, string json, string query, string segment)
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var doc = JsonNode.Parse(await (await admin.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var schemas = doc["components"]?["schemas"]?.AsObject();
        // The value goes into the body as written: System.Text.Json would not write an unpaired surrogate back out.
        const string placeholder = "@@hostile@@";
        var value = JsonValue.Create(placeholder);
        var failures = new List<string>();
        var calls = 0;
        foreach (var (path, operations) in doc["paths"]!.AsObject())
        {
            if (path.StartsWith("/api/sessions", StringComparison.Ordinal)) continue;
            foreach (var (method, operation) in operations!.AsObject())
            {
                var url = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", segment);
                if (method == "get") url += $"?search={query}&limit={query}&offset={query}";
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (method is "post" or "put" or "patch")
                {
                    var schema = operation!["requestBody"]?["content"]?["application/json"]?["schema"];
                    var body = schema is null ? new JsonObject { ["x"] = value?.DeepClone() } : Sample(schema, schemas, value, 0);
                    request.Content = new StringContent((body?.ToJsonString() ?? "null").Replace($"\"{placeholder}\"", json), Encoding.UTF8, "application/json");
                }
                var response = await admin.SendAsync(request);
                calls++;
                var text = await response.Content.ReadAsStringAsync();
                var isJson = response.Content.Headers.ContentType?.MediaType is "application/json" or "application/problem+json";
                // A PDF, a label sheet or a CSV export may come back when the value is a fine search term (a refusal is
                // JSON in the group's shape); a 500 or HTML never.
                var isFile = response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType is "application/pdf" or "text/csv";
                if ((int)response.StatusCode >= 500 || (!isJson && !isFile && text.Length > 0))
                {
                    failures.Add($"{method.ToUpperInvariant()} {path}: {(int)response.StatusCode} {text[..Math.Min(120, text.Length)]}");
                }
            }
        }
        Assert.True(calls > 80, $"only {calls} operations called");
        Assert.True(failures.Count == 0, $"{name}: {string.Join("\n", failures)}");
    }

    [Theory]
    [InlineData("/api/parts?search=ab%00cd")]
    [InlineData("/api/license-plates?search=ab%00cd")]
    [InlineData("/api/work-orders?search=ab%00cd")]
    public async Task A_search_with_a_nul_character_is_a_400_naming_search(string path)
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var response = await admin.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
        // Refused before any database sees it, so both providers answer alike.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("search must not contain the NUL character (U+0000)", body!["error"]!.GetValue<string>());
        Assert.Equal("search", body["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_string_with_an_unpaired_surrogate_escape_is_a_400_and_nothing_is_written()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var marker = "sur" + Guid.NewGuid().ToString("N")[..8];
        // Valid JSON syntax, but "\ud800" alone is no character: System.Text.Json refuses it when the service reads it.
        var hold = await admin.PostAsync("/api/quality/holds", new StringContent(
            $$"""{"reason":"Seal failure \ud800 on line 2 [{{marker}}]","hold_type":"investigation","items":[]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, hold.StatusCode);
        Assert.Equal("Invalid request data", (await hold.Content.ReadFromJsonAsync<JsonNode>())!["error"]!.GetValue<string>());
        var listed = await admin.GetFromJsonAsync<JsonNode>($"/api/quality/holds?search={marker}");
        Assert.Equal(0, listed!["pagination"]!["total"]!.GetValue<int>());

        var batch = await admin.PostAsync("/api/serials/batch", new StringContent(
            """{"workOrderId":"WO-1","quantity":1,"certId":"CERT-\udc00"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.StartsWith("Malformed JSON: a string holds an unpaired surrogate escape", (await batch.Content.ReadFromJsonAsync<JsonNode>())!["error"]!.GetValue<string>());
    }

    /// <summary>A body of the schema's shape with <paramref name="value"/> in every string and number.</summary>
    private static JsonNode? Sample(JsonNode schema, JsonObject? schemas, JsonNode? value, int depth)
    {
        while (schema["$ref"] is { } reference && schemas is not null)
        {
            schema = schemas[reference.GetValue<string>().Split('/')[^1]]!;
        }
        if (depth > 4) return value?.DeepClone();
        if (schema["properties"] is JsonObject properties)
        {
            var body = new JsonObject();
            foreach (var (key, property) in properties) body[key] = property is null ? null : Sample(property, schemas, value, depth + 1);
            return body;
        }
        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue single => single.GetValue<string>(),
            _ => null,
        };
        return type switch
        {
            "array" => new JsonArray(schema["items"] is { } items ? Sample(items, schemas, value, depth + 1) : value?.DeepClone()),
            "boolean" => JsonValue.Create(true),
            _ => value?.DeepClone(),
        };
    }
}

public sealed class SqliteHostileInputTests(OperatorFactory app) : HostileInputTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresHostileInputTests(PostgresOperatorFactory app) : HostileInputTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
