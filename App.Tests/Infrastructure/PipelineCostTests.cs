using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// What the request pipeline spends on requests that need little (issue 18's ceiling): endpoints that never read the
/// caller do not ask any authentication scheme, and the request log is one line per request.
/// </summary>
public sealed class PipelineCostTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Public_verification_health_and_the_bench_ping_run_no_cookie_or_bearer_handler_even_with_a_token()
    {
        var asked = new ConcurrentQueue<string>();
        using var counted = app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddScoped<AuthenticationHandlerProvider>();
            services.AddScoped<IAuthenticationHandlerProvider>(sp =>
                new CountingHandlers(sp.GetRequiredService<AuthenticationHandlerProvider>(), asked));
        }));
        var client = counted.CreateClient();
        var session = await app.ClientForAsync(DemoUsers.Viewer);
        client.DefaultRequestHeaders.Authorization = session.DefaultRequestHeaders.Authorization;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/bench/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var verify = await client.GetAsync("/api/public/serial/verify/MA01-HAT-BAG-20251109-00027-A9K2-X");
        Assert.NotEqual(HttpStatusCode.Unauthorized, verify.StatusCode);
        // Only the app's own default scheme is asked, and it answers at once: no cookie or bearer handler runs.
        Assert.All(asked, a => Assert.EndsWith(" Operator", a));

        // The same token on an endpoint that needs the caller is still authenticated.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/parts")).StatusCode);
        Assert.Contains($"/api/parts {Microsoft.AspNetCore.Identity.IdentityConstants.BearerScheme}", asked);
    }

    [Fact]
    public void The_console_log_uses_the_single_line_simple_formatter()
    {
        // Without a formatter name the console logger replaces the simple formatter's options and drops SingleLine.
        Assert.Equal(ConsoleFormatterNames.Simple, app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.True(app.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.SingleLine);
    }

    [Fact]
    public async Task Outside_development_no_endpoint_looks_for_a_file_on_disk_and_fingerprinted_assets_are_cached()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        // MapStaticAssets' development fallback: a catch-all whose constraint checks the disk, matched against every request.
        Assert.DoesNotContain(endpoints, e => e.RoutePattern.ParameterPolicies.Values.SelectMany(p => p)
            .Any(p => p.ParameterPolicy?.GetType().Name == "FileExistsConstraint" || p.Content == "file"));

        var fingerprinted = endpoints.Select(e => e.Metadata.GetMetadata<StaticAssetDescriptor>())
            .First(d => d is not null && d.Properties.Any(p => p.Name == "fingerprint") && d.Route.StartsWith("assets/", StringComparison.Ordinal)
                && !d.Selectors.Any())!;
        var response = await app.CreateClient().GetAsync("/" + fingerprinted.Route);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
    }

    private sealed class CountingHandlers(IAuthenticationHandlerProvider inner, ConcurrentQueue<string> asked) : IAuthenticationHandlerProvider
    {
        public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
        {
            asked.Enqueue($"{context.Request.Path.Value} {authenticationScheme}");
            return inner.GetHandlerAsync(context, authenticationScheme);
        }
    }
}
