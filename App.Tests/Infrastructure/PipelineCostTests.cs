using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
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

    private sealed class CountingHandlers(IAuthenticationHandlerProvider inner, ConcurrentQueue<string> asked) : IAuthenticationHandlerProvider
    {
        public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
        {
            asked.Enqueue($"{context.Request.Path.Value} {authenticationScheme}");
            return inner.GetHandlerAsync(context, authenticationScheme);
        }
    }
}
