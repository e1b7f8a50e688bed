using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// Text the app cannot take, where no check of the feature looks for it, is the caller's fault: a 400 in the group's
/// shape that names the problem, never a 500. U+0000 where no check of the feature looks for it: PostgreSQL cannot hold it in text, and its refusal must reach the
/// caller as a 400 in the group's shape that names the problem, not a 500 or the database's words. SQLite stores and
/// compares the character like any other, so there the same requests simply find nothing.
/// </summary>
public abstract class HostileTextTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Theory]
    [InlineData("/api/parts?search=ab%00cd")]
    [InlineData("/api/license-plates?search=ab%00cd")]
    [InlineData("/api/work-orders?search=ab%00cd")]
    public async Task A_search_with_a_nul_character_finds_nothing_or_is_a_400(string path)
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var response = await admin.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
        if (app.Provider == DatabaseProvider.Postgres)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("Text must not contain the NUL character (U+0000)", body!["error"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, body!["total"]!.GetValue<int>());
        }
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
}

public sealed class SqliteHostileTextTests(OperatorFactory app) : HostileTextTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresHostileTextTests(PostgresOperatorFactory app) : HostileTextTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
