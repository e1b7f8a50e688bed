using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Operator.Infrastructure.Api;

/// <summary>
/// Where a request's response convention comes from: the route group's metadata when an endpoint matched,
/// else the longest registered group prefix (an unknown route, a 405, a 401 before routing finished).
/// </summary>
public static class ApiGroupExtensions
{
    /// <summary>The four contracts of shared/specs and their conventions, known before any of their endpoints is mapped.</summary>
    public static readonly IReadOnlyList<(string Prefix, ApiStyle Style)> Contracts =
    [
        ("/api/serials", SerialsStyle.Instance),
        ("/api/v1/serialization", EnvelopeStyle.Instance),
        ("/api/public/serial/verify", PublicVerifyStyle.Instance),
        ("/api/quality/holds", HoldsStyle.Instance),
    ];

    // Read on every request (before routing too), written only while groups are mapped: readers take the current
    // array without a lock, writers replace it whole.
    private static volatile (string Prefix, ApiStyle Style)[] Prefixes = [.. Contracts.OrderByDescending(c => c.Prefix.Length)];
    private static readonly Lock Gate = new();

    /// <summary>Maps a route group that answers in <paramref name="style"/>, including framework-made errors.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, ApiStyle style)
    {
        if (Contracts.Any(c => c.Prefix == prefix && c.Style != style))
        {
            throw new InvalidOperationException($"{prefix} answers in the {Contracts.First(c => c.Prefix == prefix).Style.Name} convention.");
        }
        lock (Gate)
        {
            if (!Prefixes.Any(p => p.Prefix == prefix))
            {
                Prefixes = [.. Prefixes.Append((Prefix: prefix, Style: style)).OrderByDescending(p => p.Prefix.Length)];
            }
        }
        var group = app.MapGroup(prefix).WithMetadata(style).AddEndpointFilter<NulTextFilter>().AddEndpointFilter<ServiceResultFilter>().AddEndpointFilter<BoundRequestFilter>();
        // API callers authenticate with bearer tokens (cookies only for GET, see AuthSetup), so form antiforgery does not apply.
        group.DisableAntiforgery();
        return group;
    }

    /// <summary>
    /// The status of a successful response of this endpoint (201 for creates, 204 for deletes). The OpenAPI document
    /// then drops the 200 the framework infers from the handler's Result type, which is never a response body.
    /// </summary>
    public static RouteHandlerBuilder SucceedsWith(this RouteHandlerBuilder builder, int statusCode) =>
        builder.WithMetadata(new SuccessStatus(statusCode)).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (statusCode != StatusCodes.Status200OK)
            {
                operation.Responses?.Remove("200");
            }
            return Task.CompletedTask;
        });

    /// <summary>
    /// For endpoints that bind the body as raw JSON (so the service can name every wrong type): the document shows the
    /// request's schema instead of "JsonElement".
    /// </summary>
    public static RouteHandlerBuilder DocumentBody<TBody>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, ct);
            operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>The words a 403 from the role check uses for this endpoint.</summary>
    public static TBuilder ForbiddenWith<TBuilder>(this TBuilder builder, string message) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ForbiddenMessage(message));

    public static ApiStyle? StyleFor(HttpContext context)
    {
        // While an exception is handled, the request is re-pointed at the error page: look at the original request.
        var failed = context.Features.Get<IExceptionHandlerFeature>();
        var endpoint = failed is null ? context.GetEndpoint() : failed.Endpoint;
        if (endpoint?.Metadata.GetMetadata<ApiStyle>() is { } style)
        {
            return style;
        }
        var path = failed?.Path ?? context.Request.Path.Value ?? "";
        foreach (var (prefix, s) in Prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) &&
                (path.Length == prefix.Length || path[prefix.Length] == '/'))
            {
                return s;
            }
        }
        return path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || path.Equals("/api", StringComparison.OrdinalIgnoreCase)
            ? PlainStyle.Instance
            : null;
    }

    public static bool IsApi(HttpContext context) => StyleFor(context) is not null;
}

/// <summary>Turns the <see cref="Result{T}"/> a handler returns into the group's success or error body.</summary>
public sealed class ServiceResultFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var returned = await next(context);
        if (returned is not IServiceResult result)
        {
            return returned;
        }
        var http = context.HttpContext;
        var style = ApiGroupExtensions.StyleFor(http) ?? PlainStyle.Instance;
        if (!result.IsSuccess)
        {
            return style.Failure(result.Error!, http);
        }
        var status = http.GetEndpoint()?.Metadata.GetMetadata<SuccessStatus>()?.StatusCode ?? StatusCodes.Status200OK;
        return style.Success(result.BoxedValue, status, http);
    }
}

/// <summary>Writes framework-made problems (status code pages, exceptions) of API requests in their group's shape.</summary>
public sealed class ApiProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => ApiGroupExtensions.IsApi(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var style = ApiGroupExtensions.StyleFor(http)!;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var error = style.FrameworkError(status, http, context.Exception);
        // Keep the status the framework chose (e.g. 405) even where the convention has no error kind for it.
        var body = style.ErrorBody(error, status, http);
        http.Response.StatusCode = status;
        return new ValueTask(http.Response.WriteAsJsonAsync(body, style.Json));
    }
}

/// <summary>
/// Exceptions under an API group become a JSON error in the group's shape: a bad request (malformed JSON, wrong
/// type, body too large) keeps its 4xx, anything else is a 500 that says nothing internal.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!ApiGroupExtensions.IsApi(context))
        {
            return false;
        }
        var status = exception is BadHttpRequestException bad ? bad.StatusCode
            : IsTextPostgresCannotStore(exception) || IsUnreadableJsonText(exception) ? StatusCodes.Status400BadRequest
            : StatusCodes.Status500InternalServerError;
        if (status >= 500)
        {
            log.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            // The database's words stay in the log; the caller learns what was wrong with the request.
            Exception = IsTextPostgresCannotStore(exception) ? new BadHttpRequestException("Text must not contain the NUL character (U+0000)")
                : IsUnreadableJsonText(exception) ? new BadHttpRequestException("Malformed JSON: a string holds an unpaired surrogate escape (\\uD800-\\uDFFF)")
                : exception,
            ProblemDetails = { Status = status },
        });
    }

    /// <summary>
    /// A body that parsed as JSON but whose string cannot be read as text: an escaped half of a surrogate pair
    /// (<c>"\ud800"</c>) is valid JSON syntax, and System.Text.Json refuses it only when the service asks for the string.
    /// </summary>
    private static bool IsUnreadableJsonText(Exception exception) =>
        exception is InvalidOperationException && exception.TargetSite?.DeclaringType?.Assembly == typeof(JsonElement).Assembly
        && exception.Message.Contains("surrogate", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// PostgreSQL refused a text it cannot hold (U+0000 in a search or a field no check looked at): the request's
    /// fault, so a 400, on a statement that failed whole (and a transaction that rolled back with it).
    /// </summary>
    private static bool IsTextPostgresCannotStore(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.CharacterNotInRepertoire }) return true;
        }
        return false;
    }
}
