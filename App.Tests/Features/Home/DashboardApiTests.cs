using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Home;

/// <summary>GET /api/dashboard: the same figures as the home page, for signed-in callers, in the plain convention.</summary>
public sealed class DashboardApiTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task A_manager_gets_the_quality_and_plant_sections_and_an_anonymous_caller_a_401()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var body = await manager.GetFromJsonAsync<JsonNode>("/api/dashboard");
        Assert.Equal("QA_MANAGER", body!["role"]!.GetValue<string>());
        Assert.Null(body["operator"]);
        Assert.Equal(30, body["quality"]!["perDay"]!.AsArray().Count);
        Assert.Equal(30, body["plant"]!["serialsPerDay"]!.AsArray().Count);
        Assert.NotNull(body["quality"]!["active"]!["byPriority"]!["high"]);

        var anonymous = await app.CreateClient().GetAsync("/api/dashboard");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.NotNull((await anonymous.Content.ReadFromJsonAsync<JsonNode>())!["error"]);
    }
}
