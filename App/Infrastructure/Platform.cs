using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
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

        // One single-line entry per request (RequestLog) instead of the formatter's two lines per entry.
        services.Configure<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>(o => o.SingleLine = true);
        // Without a formatter name the console logger rebuilds the simple formatter's options from its own deprecated
        // ones and drops SingleLine; a name given in configuration (Logging:Console:FormatterName) still wins.
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o =>
            o.FormatterName ??= Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Simple);
        AddRequestLogWriter(services, config);

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Operator API";
            doc.Info.Description = "Serial traceability and quality holds. Authenticate with POST /api/sessions and send Authorization: Bearer <access_token>.";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>
    /// Outside Development, static assets are served as built. The app runs from its build output rather than a
    /// publish, and there MapStaticAssets would otherwise watch for edited files: every asset answered <c>no-cache</c>
    /// without its integrity, and a catch-all endpoint whose constraint looks for a file on disk was matched against
    /// every request of the app, API calls included. <c>ReloadStaticAssetsAtRuntime=true</c> in configuration still
    /// turns that back on.
    /// </summary>
    public static WebApplicationBuilder ServeStaticAssetsAsBuilt(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            // First source, so any other source (settings file, environment, command line) that names the key wins.
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = [new(ReloadStaticAssetsKey, "false")],
            });
        }
        return builder;
    }

    /// <summary>ASP.NET Core's switch for MapStaticAssets' development-time file watching.</summary>
    public const string ReloadStaticAssetsKey = "ReloadStaticAssetsAtRuntime";

    public static WebApplication UseOperatorPipeline(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<RequestLog>();
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
        // Only its own paths pass through Swagger UI's middleware, which matches every request's path with a regex.
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api-docs"), docs => docs.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Operator API");
            o.DocumentTitle = "Operator API reference";
        }));
        app.UseRouting();
        app.UseIdempotencyBodies();
        // Before authentication: a CORS preflight (public verification) is answered here, anonymously.
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSharedRateLimits();
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapPlatformEndpoints(this IEndpointRouteBuilder app)
    {
        // Live: the process answers (no database). Ready: the database answers and has every migration this code knows.
        // /health is ready's older name. None is rate-limited or logged as an error when the database is down.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth }).WithoutAuthentication();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth }).WithoutAuthentication();
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth }).WithoutAuthentication();
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/api/bench/ping", () => Result<object>.Ok(new { ok = true }))
            .AddEndpointFilter<ServiceResultFilter>()
            .WithoutAuthentication().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The request log's console lines come from <see cref="RequestLogWriter"/> instead of the console logger, where the
    /// console logger would have written them with the simple formatter: a console is configured and no other formatter
    /// is named. The console logger keeps every other category.
    /// </summary>
    private static void AddRequestLogWriter(IServiceCollection services, IConfiguration config)
    {
        var formatter = config["Logging:Console:FormatterName"];
        var console = services.Any(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider));
        if (!console || !(string.IsNullOrEmpty(formatter) || string.Equals(formatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Simple, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }
        services.AddSingleton(_ => new RequestLogOutput(Console.OpenStandardOutput()));
        services.AddSingleton<RequestLogWriter>();
        services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<RequestLogWriter>());
        services.Configure<LoggerFilterOptions>(o => o.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(RequestLog.Category, LogLevel.None));
    }

    private const string ReadyTag = "ready";

    private static Task WriteHealth(HttpContext ctx, HealthReport report) => ctx.Response.WriteAsJsonAsync(new
    {
        status = report.Status.ToString(),
        checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
    });

    /// <summary>
    /// A declared body over the limit is refused before anything reads it, whatever server hosts the app (Kestrel's
    /// own limit covers chunked bodies with no declared length).
    /// </summary>
    private static readonly Func<HttpContext, RequestDelegate, Task> RefuseOversizedApiBodies = (context, next) =>
    {
        if (context.Request.ContentLength is not { } length)
        {
            return next(context);
        }
        // Read only for requests with a body: a configuration lookup on every request costs the trivial endpoints.
        var limit = context.RequestServices.GetRequiredService<IConfiguration>().GetValue<long>("Api:MaxRequestBodyBytes", 1_048_576);
        if (length > limit && ApiGroupExtensions.IsApi(context) && !context.Request.Path.Value!.EndsWith("/document", StringComparison.Ordinal))
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

/// <summary>
/// Ready means the database answers and its schema is the one this code expects: no migration of this code is missing
/// from it (an instance may start while another still migrates).
/// </summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<OperatorDb> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = factory.CreateDbContext();
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("database unreachable");
            }
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("reachable, migrations applied")
                : HealthCheckResult.Unhealthy($"migrations pending: {string.Join(", ", pending)}");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}
