using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Operator.Infrastructure.Api;

namespace Operator.Features.Verification;

/// <summary>
/// The spec's limit: <see cref="PublicVerificationOptions.RateLimitPerHour"/> (60) requests per hour per client
/// address (<see cref="ClientAddress"/>), shared by the public API and the verify page so neither is a way around
/// the other. A fixed one-hour window per address, no queue: a request over the limit is answered at once with 429
/// and <c>Retry-After</c> (the window's length, an upper bound on the wait). Idle buckets are dropped by the rate
/// limiter middleware.
/// </summary>
public sealed class VerificationRateLimit(IOptions<PublicVerificationOptions> options, ClientAddress clients) : IRateLimiterPolicy<string>
{
    public const string PolicyName = "public-verify";

    private readonly int _limit = options.Value.RateLimitPerHour;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var key = ClientAddress.PartitionKey(clients.Resolve(httpContext));
        return _limit <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = _limit,
                Window = TimeSpan.FromHours(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
    }

    /// <summary>
    /// API requests get the group's 429 body (through IProblemDetailsService, like every framework error); the verify
    /// page gets a short page in words, since a person is reading it.
    /// </summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => static async (context, ct) =>
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        if (ApiGroupExtensions.IsApi(http))
        {
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = 429 } });
            return;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(TooManyPage, ct);
    };

    private const string TooManyPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Too many verifications · Operator</title></head>
        <body style="font-family: system-ui, sans-serif; margin: 2rem; color: #1d2733">
        <h1 style="font-size: 1.4rem">Too many verifications</h1>
        <p>This network has checked many codes in the last hour. Please try again later.</p>
        </body></html>
        """;
}
