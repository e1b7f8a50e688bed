using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// U+0000 where no check of the feature looks for it: PostgreSQL cannot hold it in text, and its refusal must reach the
/// caller as a 400 in the group's shape that names the problem, not a 500 or the database's words. SQLite stores and
/// compares the character like any other, so there the same requests simply find nothing.
/// </summary>
public abstract class NulCharacterTests<TFactory>(TFactory app) where TFactory : OperatorFactory
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
}

public sealed class SqliteNulCharacterTests(OperatorFactory app) : NulCharacterTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresNulCharacterTests(PostgresOperatorFactory app) : NulCharacterTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
