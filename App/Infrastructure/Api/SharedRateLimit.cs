using System.Globalization;
using Operator.Infrastructure.Data;

namespace Operator.Infrastructure.Api;

/// <summary>
/// Endpoint metadata naming the <see cref="ISharedRateLimitPolicy"/> that limits the endpoint (an API group through
/// <see cref="SharedRateLimitExtensions.RequireSharedRateLimit{TBuilder}"/>, a page with the attribute).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class SharedRateLimitAttribute(string policy) : Attribute
{
    public string Policy => policy;
}

/// <summary>A fixed-window limit whose counters are shared by every instance (<see cref="RateLimitCounters"/>).</summary>
public interface ISharedRateLimitPolicy
{
    string Name { get; }

    /// <summary>The caller's counter key, limit and window, or null when this request is not limited.</summary>
    RateLimitPartition? Partition(HttpContext http);

    /// <summary>Writes the refusal; the status (429) and <c>Retry-After</c> are already set.</summary>
    Task OnRejectedAsync(HttpContext http, CancellationToken ct);
}

public sealed record RateLimitPartition(string Key, int Limit, TimeSpan Window);

public static class SharedRateLimitExtensions
{
    public static TBuilder RequireSharedRateLimit<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SharedRateLimitAttribute(policy));

    /// <summary>After routing and authorization: the endpoint's metadata names the policy.</summary>
    public static IApplicationBuilder UseSharedRateLimits(this IApplicationBuilder app) => app.UseMiddleware<SharedRateLimitMiddleware>();

    /// <summary>Whole seconds until <paramref name="reset"/>, at least 1.</summary>
    public static string RetryAfter(DateTimeOffset reset, DateTimeOffset now) =>
        Math.Max(1, (int)Math.Ceiling((reset - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

internal sealed class SharedRateLimitMiddleware(RequestDelegate next, IEnumerable<ISharedRateLimitPolicy> policies, RateLimitCounters counters, TimeProvider time)
{
    private readonly Dictionary<string, ISharedRateLimitPolicy> _policies = policies.ToDictionary(p => p.Name);

    public async Task InvokeAsync(HttpContext http)
    {
        var marker = http.GetEndpoint()?.Metadata.GetMetadata<SharedRateLimitAttribute>();
        if (marker is not null)
        {
            var policy = _policies.TryGetValue(marker.Policy, out var p) ? p : throw new InvalidOperationException($"No shared rate limit policy named {marker.Policy}.");
            if (policy.Partition(http) is { } partition)
            {
                var decision = await counters.AcquireAsync(partition.Key, partition.Limit, partition.Window, http.RequestAborted);
                if (!decision.Allowed)
                {
                    http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    http.Response.Headers.RetryAfter = SharedRateLimitExtensions.RetryAfter(decision.Reset, time.GetUtcNow());
                    await policy.OnRejectedAsync(http, http.RequestAborted);
                    return;
                }
            }
        }
        await next(http);
    }
}
