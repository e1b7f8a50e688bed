using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Outbox;

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
        group.MapVendorSerialEndpoints();
        group.MapGeneratedSerialEndpoints();
        group.MapLateAssignmentEndpoints();
        group.MapTriggerEndpoints();
        group.MapTriggerEventEndpoints();
        group.MapSerialFormatEndpoints();
        group.MapPropagationEndpoints();
        group.MapUniquenessEndpoints();

        return app;
    }
}

public static class SerializationFeature
{
    public static IServiceCollection AddSerializationFeature(this IServiceCollection services, IConfiguration config)
    {
        // AddEndpointFilter<UserRateLimitFilter> builds the filter with ActivatorUtilities, which takes its UserRateLimit
        // from the container: one shared limit for every endpoint of the group.
        services.AddSingleton(sp => new UserRateLimit(
            config.GetValue("Serialization:RateLimitPerMinute", 1000), TimeSpan.FromMinutes(1),
            sp.GetRequiredService<Infrastructure.Data.RateLimitCounters>(), "serialization"));
        services.AddSingleton<UserRateLimitFilter>();
        services.AddScoped<SerialUniquenessGuard>();
        services.AddScoped<VendorSerialService>().AddScoped<SerialFormatService>().AddScoped<GenerationService>()
            .AddScoped<PlaceholderService>().AddScoped<TriggerService>().AddScoped<SerializationEvents>()
            .AddScoped<IWorkOrderEvents>(sp => sp.GetRequiredService<SerializationEvents>())
            .AddScoped<ISerialStepEvents>(sp => sp.GetRequiredService<SerializationEvents>())
            .AddScoped<Infrastructure.Data.IDemoSeed, SerializationWorkflowsDemoSeed>();
        services.AddScoped<TriggerEventService>().AddOutboxHandler<TriggerEventHandler>(TriggerOutbox.Topic);
        services.AddScoped<PropagationService>().AddScoped<LineageService>().AddScoped<UniquenessService>();
        services.AddSingleton<Operator.Infrastructure.Signatures.ISignedRecords, UniquenessSignatures>()
            .AddSingleton<Operator.Infrastructure.Signatures.ISignedRecords, VendorSerialSignatures>();
        return services;
    }
}
