using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// Every API response carries X-Request-Id: the caller's X-Request-Id or X-Correlation-Id when it is printable and at
/// most 128 characters, else a new id. The request log line names it, and every group's 500 body names the same id.
/// </summary>
public sealed class RequestIdTests(RequestIdTests.LoggedFactory app) : IClassFixture<RequestIdTests.LoggedFactory>
{
    private static string IdOf(HttpResponseMessage response) => response.Headers.GetValues("X-Request-Id").Single();

    [Fact]
    public async Task Every_api_response_carries_a_new_request_id_when_the_caller_sent_none()
    {
        var client = app.CreateClient();
        var first = await client.GetAsync("/api/parts");
        var second = await client.GetAsync("/api/v1/serialization/formats");
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.True(Guid.TryParse(IdOf(first), out _));
        Assert.True(Guid.TryParse(IdOf(second), out _));
        Assert.NotEqual(IdOf(first), IdOf(second));

        var signedIn = await app.ClientForAsync(DemoUsers.Viewer);
        var ok = await signedIn.GetAsync("/api/parts");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True(Guid.TryParse(IdOf(ok), out _));
    }

    [Theory]
    [InlineData("X-Request-Id", "abc-123")]
    [InlineData("X-Correlation-Id", "corr 42/7:x")]
    public async Task The_callers_id_comes_back(string header, string id)
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/quality/holds");
        request.Headers.Add(header, id);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(id, IdOf(response));
    }

    [Fact]
    public async Task X_request_id_wins_over_x_correlation_id_and_a_bad_one_gives_way_to_the_other()
    {
        var client = app.CreateClient();
        using var both = new HttpRequestMessage(HttpMethod.Get, "/api/parts");
        both.Headers.Add("X-Request-Id", "req-1");
        both.Headers.Add("X-Correlation-Id", "corr-1");
        Assert.Equal("req-1", IdOf(await client.SendAsync(both)));

        using var badFirst = new HttpRequestMessage(HttpMethod.Get, "/api/parts");
        badFirst.Headers.TryAddWithoutValidation("X-Request-Id", new string('r', 129));
        badFirst.Headers.Add("X-Correlation-Id", "corr-2");
        Assert.Equal("corr-2", IdOf(await client.SendAsync(badFirst)));
    }

    [Theory]
    [InlineData(129)]
    [InlineData(-1)]
    [InlineData(-2)]
    public async Task An_id_too_long_or_not_printable_is_replaced_by_a_new_one(int length)
    {
        var value = length switch
        {
            -1 => "caf\u00e9-id",
            -2 => "a\tb",
            _ => new string('x', length),
        };
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/parts");
        request.Headers.TryAddWithoutValidation("X-Request-Id", value);
        var response = await client.SendAsync(request);
        Assert.True(Guid.TryParse(IdOf(response), out _), IdOf(response));
    }

    [Fact]
    public async Task The_longest_accepted_id_is_128_printable_characters()
    {
        var id = new string('y', 128);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/parts");
        request.Headers.Add("X-Request-Id", id);
        Assert.Equal(id, IdOf(await app.CreateClient().SendAsync(request)));
    }

    [Fact]
    public async Task The_request_log_line_names_the_id()
    {
        var id = $"log-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/parts");
        request.Headers.Add("X-Request-Id", id);
        await app.CreateClient().SendAsync(request);
        var line = Assert.Single(app.Lines, l => l.Contains(id, StringComparison.Ordinal));
        Assert.StartsWith("GET /api/parts 401 ", line);
    }

    [Fact]
    public async Task Every_groups_500_body_names_the_request_id_of_its_header()
    {
        await using var broken = new Operator.Tests.Features.Verification.VerificationFactory();
        var (_, code) = await Operator.Tests.Features.Verification.VerificationKit.NewSerialAsync(broken);
        var admin = await broken.ClientForAsync(DemoUsers.Admin);
        var anonymous = broken.AnonymousFrom("198.51.100.71");
        await using (var db = broken.RawDb())
        {
            foreach (var table in new[] { "Batches", "SerialFormats", "QualityHolds", "Serials" })
            {
                await db.Database.ExecuteSqlRawAsync($"""ALTER TABLE "{table}" RENAME TO "{table}Gone" """);
            }
        }
        (HttpClient Client, string Path, string Body)[] cases =
        [
            (admin, "/api/batches", """{"error":"Internal Server Error","requestId":"<id>"}"""),
            (admin, "/api/serials", """{"error":"Internal Server Error","requestId":"<id>"}"""),
            (admin, "/api/v1/serialization/formats", """{"success":false,"data":null,"error":"INTERNAL_SERVER_ERROR","message":"An unexpected error occurred","requestId":"<id>","timestamp":"<time>"}"""),
            (admin, "/api/quality/holds", """{"error":"Internal server error","request_id":"<id>"}"""),
            (anonymous, $"/api/public/serial/verify/{code}", """{"ok":false,"error":"Internal server error","request_id":"<id>"}"""),
        ];
        foreach (var (client, path, body) in cases)
        {
            var id = $"err-{path.Length}-{Random.Shared.Next():x}";
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Correlation-Id", id);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal(id, IdOf(response));
            await Golden.AssertBodyAsync(response, body.Replace("<id>", id, StringComparison.Ordinal));
        }
    }

    /// <summary>The app with its log lines of the request log's category kept, to read what it wrote.</summary>
    public sealed class LoggedFactory : OperatorFactory
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(new RequestLogCapture(Lines)));
        }
    }
}
