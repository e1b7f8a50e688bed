namespace Operator.Features.Station;

public static class StationFeature
{
    /// <summary>The station: its scan rules, profiles, queue, and assembly by scanning.</summary>
    public static IServiceCollection AddStationFeature(this IServiceCollection services)
    {
        services.AddScoped<StationService>();
        services.AddScoped<StationAssemblyService>();
        services.AddScoped<StationProfileService>();
        services.AddScoped<StationQueueService>();
        return services;
    }
}
