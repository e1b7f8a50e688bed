using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Serialization;

/// <summary>
/// <c>/api/v1/serialization</c> (shared/specs/serialization-workflows.md): every response in the spec's envelope,
/// every caller limited per user (<c>Serialization:RateLimitPerMinute</c>, default 1000) with the X-RateLimit headers.
/// Each section of the spec maps its endpoints onto this group from its own file.
/// </summary>
public static class SerializationApi
{
    public static IEndpointRouteBuilder MapSerializationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/v1/serialization", EnvelopeStyle.Instance)
            .RequireAuthorization(Policies.Read)
            .AddEndpointFilter<UserRateLimitFilter>();

        // Sections 1, 2, 3, 6 (issue 5) and 4, 5 (issue 6) add one line each here.

        return app;
    }
}

public static class SerializationFeature
{
    public static IServiceCollection AddSerializationFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(sp => new UserRateLimitFilter(new UserRateLimit(
            config.GetValue("Serialization:RateLimitPerMinute", 1000), TimeSpan.FromMinutes(1), sp.GetRequiredService<TimeProvider>())));
        services.AddScoped<SerialUniquenessGuard>();
        return services;
    }
}
