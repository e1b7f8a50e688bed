using System.Globalization;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Api;

/// <summary>
/// A fixed-window request limit per signed-in user that tells the caller where it stands on every response
/// (<c>X-RateLimit-Limit</c>, <c>-Remaining</c>, <c>-Reset</c> as Unix seconds), and answers 429 in the group's shape
/// once the window's budget is spent. The counters are in the database (<see cref="RateLimitCounters"/>), so the
/// budget is one across every app instance.
/// </summary>
public sealed class UserRateLimit(int permitsPerWindow, TimeSpan window, RateLimitCounters counters, string name = "user")
{
    public int PermitsPerWindow => permitsPerWindow;

    /// <summary>Counts one request of <paramref name="key"/>; not allowed when the window's budget is already spent.</summary>
    public ValueTask<RateDecision> AcquireAsync(string key, CancellationToken ct = default) =>
        counters.AcquireAsync($"{name}:{key}", permitsPerWindow, window, ct);
}

/// <summary>Applies a <see cref="UserRateLimit"/> to every endpoint of a group, keyed by the caller's user id.</summary>
public sealed class UserRateLimitFilter(UserRateLimit limit, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var user = http.RequestServices.GetRequiredService<ICurrentUser>();
        var key = user.UserId?.ToString() ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous";
        var (allowed, remaining, reset) = await limit.AcquireAsync(key, http.RequestAborted);
        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = limit.PermitsPerWindow.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (!allowed)
        {
            headers.RetryAfter = SharedRateLimitExtensions.RetryAfter(reset, time.GetUtcNow());
            var style = ApiGroupExtensions.StyleFor(http) ?? PlainStyle.Instance;
            return style.Failure(style.FrameworkError(StatusCodes.Status429TooManyRequests, http, null), http);
        }
        return await next(context);
    }
}
