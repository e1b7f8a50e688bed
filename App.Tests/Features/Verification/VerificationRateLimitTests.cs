using System.Net;
using System.Text.Json.Nodes;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>
/// 60 requests per hour per client address, with the app's default configuration. Every test uses addresses of its own
/// (the limiter's buckets live as long as the app), so the tests do not share budgets.
/// </summary>
public sealed class VerificationRateLimitTests(RateLimitedFactory app) : IClassFixture<RateLimitedFactory>
{
    private const string TooMany = """{"ok":false,"error":"Rate limit exceeded. Maximum 60 requests per hour per IP."}""";
    private const string Proxy = VerificationFactory.TrustedProxy;

    private HttpRequestMessage Verify(string remote, string code, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{VerificationKit.VerifyPath}/{code}");
        request.Headers.Add(VerificationFactory.RemoteHeader, remote);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private async Task SpendAsync(HttpClient client, string remote, int count, string code, string? forwardedFor = null)
    {
        for (var i = 0; i < count; i++)
        {
            var response = await client.SendAsync(Verify(remote, code, forwardedFor));
            Assert.True(response.StatusCode != HttpStatusCode.TooManyRequests, $"Request {i + 1} of {remote} ({forwardedFor}) was already refused");
        }
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonNode.Parse(TooMany)!.ToJsonString(Golden.Plain), JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString(Golden.Plain));
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
    }

    [Fact]
    public async Task The_61st_request_of_an_address_gets_429_and_other_addresses_are_unaffected()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var client = app.CreateClient();

        // Every answer counts, not only successes: 20 genuine, 20 not found, 20 invalid.
        for (var i = 0; i < 60; i++)
        {
            var path = (i % 3) switch { 0 => code, 1 => VerificationKit.Forge(code), _ => "garbage" };
            var response = await client.SendAsync(Verify("198.51.100.1", path));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
        }
        await AssertTooManyAsync(await client.SendAsync(Verify("198.51.100.1", code)));
        await AssertTooManyAsync(await client.SendAsync(Verify("198.51.100.1", "")));

        // Another address has its own hour.
        var other = await client.SendAsync(Verify("198.51.100.2", code));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // The same client over IPv4-mapped IPv6 is the same client.
        await AssertTooManyAsync(await client.SendAsync(Verify("::ffff:198.51.100.1", code)));
    }

    [Fact]
    public async Task A_forwarded_header_from_an_untrusted_address_is_ignored()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var client = app.CreateClient();
        await SpendAsync(client, "198.51.100.3", 60, code);
        // Spoofing a new address per request does not buy new budget.
        await AssertTooManyAsync(await client.SendAsync(Verify("198.51.100.3", code, "203.0.113.99")));
        await AssertTooManyAsync(await client.SendAsync(Verify("198.51.100.3", code, "203.0.113.100, 10.20.30.40")));
        // ...and it does not spend someone else's budget either.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Verify("203.0.113.99", code))).StatusCode);
    }

    [Fact]
    public async Task Behind_the_trusted_proxy_each_forwarded_client_has_its_own_budget()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var client = app.CreateClient();
        await SpendAsync(client, Proxy, 60, code, "203.0.113.50");
        await AssertTooManyAsync(await client.SendAsync(Verify(Proxy, code, "203.0.113.50")));

        // Another client through the same proxy is not limited: the proxy itself is not the bucket.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Verify(Proxy, code, "203.0.113.51"))).StatusCode);
        // What the client itself put in front of the proxy's entry does not count: the proxy's rightmost entry does.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Verify(Proxy, code, "203.0.113.50, 203.0.113.52"))).StatusCode);
        await AssertTooManyAsync(await client.SendAsync(Verify(Proxy, code, "203.0.113.52, 203.0.113.50")));
    }

    [Fact]
    public async Task The_verify_page_shares_the_budget_and_says_so_in_words()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var client = app.CreateClient();
        await SpendAsync(client, "198.51.100.4", 30, code);
        for (var i = 0; i < 30; i++)
        {
            var page = new HttpRequestMessage(HttpMethod.Get, $"/verify/{code}");
            page.Headers.Add(VerificationFactory.RemoteHeader, "198.51.100.4");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(page)).StatusCode);
        }
        await AssertTooManyAsync(await client.SendAsync(Verify("198.51.100.4", code)));

        var refused = new HttpRequestMessage(HttpMethod.Get, $"/verify/{code}");
        refused.Headers.Add(VerificationFactory.RemoteHeader, "198.51.100.4");
        var response = await client.SendAsync(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many verifications", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task The_rest_of_the_app_is_not_limited_by_it()
    {
        var client = app.CreateClient();
        await SpendAsync(client, "198.51.100.5", 60, "x");
        var health = new HttpRequestMessage(HttpMethod.Get, "/health");
        health.Headers.Add(VerificationFactory.RemoteHeader, "198.51.100.5");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(health)).StatusCode);
    }
}
