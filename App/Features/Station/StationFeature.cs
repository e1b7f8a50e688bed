namespace Operator.Features.Station;

public static class StationFeature
{
    /// <summary>Station profiles and the station's queue (the station's scan rules, StationService, are registered with the serials).</summary>
    public static IServiceCollection AddStationFeature(this IServiceCollection services)
    {
        services.AddScoped<StationProfileService>();
        services.AddScoped<StationQueueService>();
        return services;
    }
}
