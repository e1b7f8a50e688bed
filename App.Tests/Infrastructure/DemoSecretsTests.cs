using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Verification;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// The demo organizations' signing secrets are in the repository, so anyone could sign codes with them: they stand in
/// for <c>Verification:Keys</c> in demo mode only. The same database is opened once in demo mode (which seeds it) and
/// once with <c>Demo:Seed=false</c>, as a deployment that took the demo data over would run.
/// </summary>
public sealed class DemoSecretsTests(OperatorFactory demo) : IClassFixture<OperatorFactory>
{
    private sealed class WithoutDemoMode(string connection) : OperatorFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Operator", connection);
            builder.UseSetting("Demo:Seed", "false");
        }
    }

    private WithoutDemoMode Production()
    {
        demo.CreateClient();
        var settings = demo.Services.GetRequiredService<DatabaseSettings>();
        return new WithoutDemoMode(settings.Options.Extensions.OfType<RelationalOptionsExtension>().First().ConnectionString!);
    }

    private static async Task<HttpResponseMessage> MakeBagVerifiableAsync(HttpClient admin)
    {
        var parts = await admin.GetFromJsonAsync<JsonNode>("/api/parts?search=BAG");
        var bag = parts!["items"]!.AsArray().First(p => p!["sku"]!.GetValue<string>() == "BAG")!;
        return await admin.PutAsJsonAsync($"/api/parts/{bag["id"]!.GetValue<string>()}/verification", new { publiclyVerifiable = true, productionType = "HAT" });
    }

    [Fact]
    public async Task Outside_demo_mode_the_demo_secrets_sign_nothing_and_a_verifiable_part_is_refused_naming_the_setting()
    {
        Assert.Equal(HttpStatusCode.OK, (await MakeBagVerifiableAsync(await demo.ClientForAsync(DemoUsers.Admin))).StatusCode);
        Assert.True(demo.Services.GetRequiredService<SerialCodeSigner>().HasKeys("MA01"));

        await using var production = Production();
        var admin = await production.ClientForAsync(DemoUsers.Admin);
        Assert.False(production.Services.GetRequiredService<SerialCodeSigner>().HasKeys("MA01"));

        var refused = await MakeBagVerifiableAsync(admin);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Organization MA01 has no verification secret configured (Verification:Keys:MA01), so public codes cannot be signed",
            (await refused.Content.ReadFromJsonAsync<JsonNode>())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task At_start_outside_demo_mode_each_organization_with_verifiable_parts_and_no_secret_is_named()
    {
        Assert.Empty(await VerificationKeyCheck.WarnAsync(demo.Services));

        await using var production = Production();
        production.CreateClient();

        Assert.Equal(["MA01"], await VerificationKeyCheck.WarnAsync(production.Services));
    }
}
