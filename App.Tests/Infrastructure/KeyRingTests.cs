using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// The data-protection key ring lives in the deployment's database: a second instance on the same database honours
/// the first one's tokens (as after a restart, or behind a load balancer); another deployment, whether by database or
/// by application name, refuses them even on the same host.
/// </summary>
public sealed class KeyRingTests
{
    /// <summary>Another instance: the given database and application name.</summary>
    private sealed class InstanceFactory(string connection, string? applicationName) : OperatorFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Operator", connection);
            if (applicationName is not null) builder.UseSetting("DataProtection:ApplicationName", applicationName);
        }
    }

    private static async Task<HttpStatusCode> PartsWithAsync(OperatorFactory instance, string token)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/api/parts")).StatusCode;
    }

    [Fact]
    public async Task A_token_works_on_every_instance_of_its_deployment_and_on_no_other()
    {
        await using var first = new OperatorFactory();
        var token = (await first.ClientForAsync(DemoUsers.Viewer)).DefaultRequestHeaders.Authorization!.Parameter!;

        await using (var sameDeployment = new InstanceFactory(first.ConnectionString, applicationName: null))
        {
            Assert.Equal(HttpStatusCode.OK, await PartsWithAsync(sameDeployment, token));
        }
        await using (var otherName = new InstanceFactory(first.ConnectionString, "Operator-staging"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PartsWithAsync(otherName, token));
        }
        await using (var otherDatabase = new OperatorFactory())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PartsWithAsync(otherDatabase, token));
        }
        Assert.Equal(HttpStatusCode.OK, await PartsWithAsync(first, token));
    }
}
