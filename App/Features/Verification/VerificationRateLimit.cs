using Microsoft.Extensions.Options;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Verification;

/// <summary>
/// The spec's limit: <see cref="PublicVerificationOptions.RateLimitPerHour"/> (60) requests per hour per client
/// address (<see cref="ClientAddress"/>), shared by the public API and the verify page so neither is a way around
/// the other, and by every app instance (the counters are in the database, <see cref="RateLimitCounters"/>). A fixed
/// one-hour window per address aligned to the clock, no queue: a request over the limit is answered at once with 429
/// and <c>Retry-After</c> (the seconds until the window ends).
/// </summary>
public sealed class VerificationRateLimit(IOptions<PublicVerificationOptions> options, ClientAddress clients) : ISharedRateLimitPolicy
{
    public const string PolicyName = "public-verify";

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly int _limit = options.Value.RateLimitPerHour;

    public string Name => PolicyName;

    public RateLimitPartition? Partition(HttpContext httpContext) =>
        _limit <= 0 ? null : new RateLimitPartition($"verify:{ClientAddress.PartitionKey(clients.Resolve(httpContext))}", _limit, Window);

    /// <summary>
    /// API requests get the group's 429 body (through IProblemDetailsService, like every framework error); the verify
    /// page gets a short page in words, since a person is reading it.
    /// </summary>
    public async Task OnRejectedAsync(HttpContext http, CancellationToken ct)
    {
        if (ApiGroupExtensions.IsApi(http))
        {
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = 429 } });
            return;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(TooManyPage, ct);
    }

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
