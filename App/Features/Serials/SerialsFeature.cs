using Operator.Features.Verification;

namespace Operator.Features.Serials;

public static class SerialsFeature
{
    public static IServiceCollection AddSerialsFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddSerialCodes(config);
        services.AddSingleton<SerialNumbering>();
        return services;
    }
}
