using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure;

/// <summary>The horizontal parts: time, current user, audit, JSON, logging, health, OpenAPI, limits, security headers.</summary>
public static class Platform
{
    public static IServiceCollection AddOperatorPlatform(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<CurrentUser>());
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitUserHandler>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IdempotencySeam>();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new UtcDateTimeConverter());
        });
        // Binding failures (malformed JSON, wrong types) become exceptions the API handler turns into a 400 that says where.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = config.GetValue<long>("Api:MaxRequestBodyBytes", 1_048_576));

        services.AddHttpLogging(o =>
        {
            // Method, path, status and duration only: no headers (tokens, cookies) and no bodies (passwords) are logged.
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Operator API";
            doc.Info.Description = "Serial traceability and quality holds. Authenticate with POST /api/sessions and send Authorization: Bearer <access_token>.";
            return Task.CompletedTask;
        }));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, _) =>
            {
                var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = ctx.HttpContext, ProblemDetails = { Status = 429 } });
            };
        });
        return services;
    }

    public static WebApplication UseOperatorPipeline(this WebApplication app)
    {
        app.UseHttpLogging();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Non-API requests that fail get the error page; API requests are written by ApiExceptionHandler.
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = ex => ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.Use(SecurityHeaders);
        app.Use(RefuseOversizedApiBodies);
        app.UseWhen(ApiGroupExtensions.IsApi, api => api.UseStatusCodePages(async ctx =>
        {
            var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = ctx.HttpContext, ProblemDetails = { Status = ctx.HttpContext.Response.StatusCode } });
        }));
        app.UseWhen(ctx => !ApiGroupExtensions.IsApi(ctx), web => web.UseStatusCodePagesWithReExecute("/not-found"));
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Operator API");
            o.DocumentTitle = "Operator API reference";
        });
        app.UseRouting();
        app.UseIdempotencyBodies();
        // Before authentication: a CORS preflight (public verification) is answered here, anonymously.
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapPlatformEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (ctx, report) => ctx.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
            }),
        }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/api/bench/ping", () => Result<object>.Ok(new { ok = true }))
            .AddEndpointFilter<ServiceResultFilter>()
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// A declared body over the limit is refused before anything reads it, whatever server hosts the app (Kestrel's
    /// own limit covers chunked bodies with no declared length).
    /// </summary>
    private static readonly Func<HttpContext, RequestDelegate, Task> RefuseOversizedApiBodies = (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IConfiguration>().GetValue<long>("Api:MaxRequestBodyBytes", 1_048_576);
        if (context.Request.ContentLength > limit && ApiGroupExtensions.IsApi(context) && !context.Request.Path.Value!.EndsWith("/document", StringComparison.Ordinal))
        {
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large", StatusCodes.Status413PayloadTooLarge);
        }
        return next(context);
    };

    private static readonly Func<HttpContext, RequestDelegate, Task> SecurityHeaders = (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
        if (!context.Request.Path.StartsWithSegments("/api-docs"))
        {
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' ws: wss:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        }
        return next(context);
    };
}

internal sealed class DatabaseHealthCheck(IDbContextFactory<OperatorDb> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = factory.CreateDbContext();
        return await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
    }
}
