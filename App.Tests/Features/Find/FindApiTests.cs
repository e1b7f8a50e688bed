using System.Net;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using static Operator.Tests.Features.Find.FindKit;

namespace Operator.Tests.Features.Find;

/// <summary><c>GET /api/find</c>: the exact body in the plain convention, its refusals and who may ask.</summary>
public sealed class FindApiTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Any_role_finds_a_number_and_gets_kind_number_description_and_page()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        foreach (var user in DemoUsers.All)
        {
            var client = await app.ClientForAsync(user);
            var response = await client.GetAsync($"/api/find?q={plate.Number.ToLowerInvariant()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Golden.AssertBodyAsync(response, $$"""
                {"query":"{{plate.Number.ToLowerInvariant()}}","matches":[{"kind":"license_plate","id":"<uuid>","number":"{{plate.Number}}",
                 "description":"100 kg of part {{(await PartNumberAsync())}} at Warehouse A, QA status pending","url":"/license-plates/{{plate.Number}}","exact":false}]}
                """);
        }
    }

    [Fact]
    public async Task Nothing_found_is_an_empty_list()
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var response = await viewer.GetAsync("/api/find?q=NO-SUCH-NUMBER-" + Tag());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await Golden.BodyAsync(response))["matches"]!.AsArray());
    }

    [Theory]
    [InlineData("", """{"error":"Type or scan a number to find","details":[{"field":"q","message":"Type or scan a number to find"}]}""")]
    [InlineData("?q=", """{"error":"Type or scan a number to find","details":[{"field":"q","message":"Type or scan a number to find"}]}""")]
    [InlineData("?q=LP%01X", """{"error":"A number must not contain control characters","details":[{"field":"q","message":"A number must not contain control characters"}]}""")]
    [InlineData("?q=LP%00X", """{"error":"q must not contain the NUL character (U+0000)","details":[{"field":"q","message":"q must not contain the NUL character (U+0000)"}]}""")]
    public async Task Bad_queries_are_400_in_the_plain_shape(string query, string expected)
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var response = await viewer.GetAsync("/api/find" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Golden.AssertBodyAsync(response, expected);
    }

    [Fact]
    public async Task Without_a_token_it_is_401_in_the_plain_shape()
    {
        var response = await app.CreateClient().GetAsync("/api/find?q=LP-00001");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull((await Golden.BodyAsync(response))["error"]);
    }

    private async Task<string> PartNumberAsync()
    {
        var orgId = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        return Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.IgnoreQueryFilters(db.Set<Operator.Features.MasterData.Part>())
            .Where(p => p.OrganizationId == orgId).OrderBy(p => p.Number).Select(p => p.Number).First();
    }
}
