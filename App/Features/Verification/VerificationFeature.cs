using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Operator.Features.Verification.Cache;

namespace Operator.Features.Verification;

public static class VerificationFeature
{
    /// <summary>
    /// Public verification (service, rate limit, CORS) and label sheets. The signer and verifier of the codes come from
    /// <see cref="SerialCodeServices.AddSerialCodes"/>, which the serials feature registers.
    /// </summary>
    public static IServiceCollection AddVerificationFeature(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<PublicVerificationOptions>(config.GetSection(VerificationKeyOptions.SectionName));
        services.AddSingleton(sp => new ClientAddress(sp.GetRequiredService<IOptions<PublicVerificationOptions>>().Value.TrustedProxies));
        services.AddSingleton<VerificationRegistry>();
        services.AddSingleton<VerificationCache>();
        services.AddHostedService<RegistryChangeListener>();
        // The database options take every registered interceptor; it only acts on SQLite (PostgreSQL announces changes itself).
        services.AddSingleton<IInterceptor, RegistryWriteInterceptor>();
        services.AddSingleton<VerificationService>();
        services.AddSingleton<VerificationScanCounter>();
        services.AddSingleton<VerificationScanWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<VerificationScanWriter>());
        services.AddScoped<LabelService>();
        services.AddSingleton<Infrastructure.Api.ISharedRateLimitPolicy, VerificationRateLimit>();
        // The spec's CORS: any origin may read the answer (a retailer's or the brand's own site verifying in the browser).
        // No credentials are involved: the API is anonymous.
        services.AddCors(o => o.AddPolicy(VerificationApi.CorsPolicy, p => p
            .AllowAnyOrigin()
            .WithMethods(HttpMethods.Get, HttpMethods.Options)
            .WithHeaders("Content-Type")));
        return services;
    }
}
