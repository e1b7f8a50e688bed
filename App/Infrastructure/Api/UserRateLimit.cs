using System.Collections.Concurrent;
using System.Globalization;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Api;

/// <summary>
/// A fixed-window request limit per signed-in user that tells the caller where it stands on every response
/// (<c>X-RateLimit-Limit</c>, <c>-Remaining</c>, <c>-Reset</c> as Unix seconds), and answers 429 in the group's shape
/// once the window's budget is spent. ASP.NET Core's rate limiter does not expose the remaining count, hence this.
/// </summary>
public sealed class UserRateLimit(int permitsPerWindow, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();
    private long _lastSweep;

    public int PermitsPerWindow => permitsPerWindow;

    /// <summary>Counts one request of <paramref name="key"/>; false when the window's budget is already spent.</summary>
    public (bool Allowed, int Remaining, DateTimeOffset Reset) Acquire(string key)
    {
        var now = time.GetUtcNow();
        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero);
        var entry = _windows.AddOrUpdate(key,
            _ => new Window(start, 1),
            (_, w) => w.Start == start ? w with { Count = w.Count + 1 } : new Window(start, 1));
        SweepIfDue(start);
        var remaining = Math.Max(0, permitsPerWindow - entry.Count);
        return (entry.Count <= permitsPerWindow, remaining, start + window);
    }

    // Old windows are dropped once per window so the table holds only the users active now.
    private void SweepIfDue(DateTimeOffset currentStart)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (currentStart.UtcTicks <= last || Interlocked.CompareExchange(ref _lastSweep, currentStart.UtcTicks, last) != last)
        {
            return;
        }
        foreach (var (key, w) in _windows)
        {
            if (w.Start < currentStart) _windows.TryRemove(new KeyValuePair<string, Window>(key, w));
        }
    }

    private sealed record Window(DateTimeOffset Start, int Count);
}

/// <summary>Applies a <see cref="UserRateLimit"/> to every endpoint of a group, keyed by the caller's user id.</summary>
public sealed class UserRateLimitFilter(UserRateLimit limit) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var user = http.RequestServices.GetRequiredService<ICurrentUser>();
        var key = user.UserId?.ToString() ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous";
        var (allowed, remaining, reset) = limit.Acquire(key);
        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = limit.PermitsPerWindow.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (!allowed)
        {
            headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((reset - DateTimeOffset.UtcNow).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            var style = ApiGroupExtensions.StyleFor(http) ?? PlainStyle.Instance;
            return style.Failure(style.FrameworkError(StatusCodes.Status429TooManyRequests, http, null), http);
        }
        return await next(context);
    }
}
