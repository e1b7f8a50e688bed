using Operator.Features.Verification;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

public static class SerialsFeature
{
    public static IServiceCollection AddSerialsFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddSerialCodes(config);
        services.AddSingleton<SerialNumbering>();
        services.AddSingleton<SerialUnitRead>();
        services.AddSingleton<ISerialGuardProbe, NoGuardProbe>();
        services.AddScoped<SerialService>();
        services.AddScoped<SerialBatchService>();
        services.AddScoped<SerialListService>();
        services.AddScoped<SerialDetailService>();
        services.AddScoped<CertificateService>();
        services.AddScoped<CertificateAttachService>();
        services.AddScoped<IDemoSeed, SerialsDemoSeed>();
        services.AddScoped<ScrapReasonService>();
        services.AddSingleton<ScrapReasonDefaults>();
        services.AddSingleton<ISchemaExtension>(sp => sp.GetRequiredService<ScrapReasonDefaults>());
        services.AddSingleton<IDemoSeed>(sp => sp.GetRequiredService<ScrapReasonDefaults>());
        return services;
    }
}
