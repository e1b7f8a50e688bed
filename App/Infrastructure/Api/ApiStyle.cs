using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Operator.Infrastructure.Api;

/// <summary>
/// The response convention of one API group: how success and failure bodies look. Each contract in
/// shared/specs has its own; the group declares it once (<see cref="ApiGroupExtensions.MapApiGroup"/>) and every
/// response of the group, framework-made errors included, goes through it. Handlers never shape bodies.
/// </summary>
public abstract class ApiStyle
{
    public abstract string Name { get; }

    public virtual JsonSerializerOptions Json => CamelCase;

    /// <summary>The body of a successful response.</summary>
    public virtual object? SuccessBody(object? value, HttpContext context) => value;

    /// <summary>The body of a failed response.</summary>
    public abstract JsonObject ErrorBody(Error error, int status, HttpContext context);

    /// <summary>The error a framework status (401, 404 of an unknown route, 405, 413, 500...) stands for.</summary>
    public virtual Error FrameworkError(int status, HttpContext context, Exception? exception) => status switch
    {
        400 => BadRequest(exception),
        401 => Error.Unauthorized("Unauthorized"),
        403 => Error.Forbidden(ForbiddenText(context) ?? "Forbidden"),
        404 => Error.NotFound("Not found", "Route", context.Request.Path),
        429 => new Error(ErrorKind.TooManyRequests, "Too many requests", []),
        _ => new Error(ErrorKind.Other, status switch
        {
            405 => "Method not allowed",
            413 => "Request body too large",
            415 => "Unsupported media type: send application/json",
            _ when status >= 500 => "Internal Server Error",
            _ => "Request failed",
        }, []) { Status = status },
    };

    /// <summary>The top-level message of a 400 for a query or route parameter; <paramref name="detail"/> names it.</summary>
    public virtual string InvalidParametersMessage(string detail) => detail;

    protected static string? ForbiddenText(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ForbiddenMessage>()?.Message;

    public virtual int StatusOf(Error error) => error.Kind switch
    {
        ErrorKind.Validation => 400,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.Forbidden => 403,
        ErrorKind.Unauthorized => 401,
        ErrorKind.TooManyRequests => 429,
        _ => error.Status ?? 500,
    };

    public IResult Success(object? value, int status, HttpContext context)
    {
        if (status == StatusCodes.Status204NoContent) return Results.NoContent();
        var body = SuccessBody(value, context);
        return body is IStableJson stable ? new Utf8JsonResult(stable.Json.Utf8(body, Json), status) : Results.Json(body, Json, statusCode: status);
    }

    public IResult Failure(Error error, HttpContext context)
    {
        var status = StatusOf(error);
        return Results.Json(ErrorBody(error, status, context), Json, statusCode: status);
    }

    public Task WriteFailureAsync(Error error, HttpContext context)
    {
        var status = StatusOf(error);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(ErrorBody(error, status, context), Json);
    }

    /// <summary>
    /// A body <see cref="JsonBodyReader"/> refused, in this convention's words. The default keeps the words the
    /// framework's own binder used before the reader existed (callers code against them).
    /// </summary>
    public virtual Error BodyError(JsonBodyFault fault) => fault.Kind switch
    {
        JsonBodyFaultKind.Missing => Error.Validation(fault.Message, new FieldIssue([], fault.Message, "invalid_type")),
        JsonBodyFaultKind.MediaType => new Error(ErrorKind.Other, fault.Message, []) { Status = StatusCodes.Status415UnsupportedMediaType },
        JsonBodyFaultKind.Malformed when fault.Message == JsonBodyReader.DepthMessage =>
            Error.Validation(fault.Message, new FieldIssue(fault.Path, fault.Message, "invalid_type")),
        JsonBodyFaultKind.Malformed => Error.Validation("Malformed JSON or wrong field type", new FieldIssue(fault.Path,
            fault.Path.Count == 0 ? "Malformed JSON: the request body could not be read" : $"Invalid value at '{fault.Field}': wrong type or malformed JSON",
            "invalid_type")),
        _ => Error.Validation(fault.Message, new FieldIssue(fault.Path, fault.Message, "invalid_string")),
    };

    /// <summary>Malformed JSON, a wrong type or a missing body: say where, in words.</summary>
    protected virtual Error BadRequest(Exception? exception)
    {
        var json = FindJsonException(exception);
        if (json is not null)
        {
            var path = JsonPathToSegments(json.Path);
            var message = path.Count == 0
                ? "Malformed JSON: the request body could not be read"
                : $"Invalid value at '{new FieldIssue(path, "").Field}': wrong type or malformed JSON";
            return Error.Validation("Malformed JSON or wrong field type", new FieldIssue(path, message, "invalid_type"));
        }
        var text = exception?.Message is { Length: > 0 } m ? m : "Bad request";
        var bind = System.Text.RegularExpressions.Regex.Match(text, "^Failed to bind parameter \"(?<type>[^\"]*) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$");
        if (bind.Success)
        {
            var name = bind.Groups["name"].Value;
            var field = char.ToLowerInvariant(name[0]) + name[1..];
            var expected = bind.Groups["type"].Value.Contains("int", StringComparison.OrdinalIgnoreCase) || bind.Groups["type"].Value.Contains("double", StringComparison.OrdinalIgnoreCase) ? "a number" : "a valid value";
            var message = $"{field} must be {expected}";
            return Error.Validation(message, new FieldIssue([field], message, "invalid_type"));
        }
        if (text.Contains("Implicit body inferred", StringComparison.Ordinal) || text.Contains("Required parameter", StringComparison.Ordinal) && text.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            text = "A JSON request body is required";
        }
        return Error.Validation(text, new FieldIssue(Array.Empty<object>(), text, "invalid_type"));
    }

    private static JsonException? FindJsonException(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JsonException j)
            {
                return j;
            }
        }
        return null;
    }

    /// <summary>Turns System.Text.Json's <c>$.items[0].quantity_held</c> into <c>["items", 0, "quantity_held"]</c>.</summary>
    internal static IReadOnlyList<object> JsonPathToSegments(string? path)
    {
        var segments = new List<object>();
        if (string.IsNullOrEmpty(path))
        {
            return segments;
        }
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(path, @"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]"))
        {
            if (m.Groups[1].Success) segments.Add(m.Groups[1].Value);
            else if (m.Groups[2].Success) segments.Add(int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            else segments.Add(m.Groups[3].Value);
        }
        return segments;
    }

    protected static JsonArray FieldDetails(Error error) =>
        new(error.Issues.Select(i => (JsonNode)new JsonObject { ["field"] = i.Field, ["message"] = i.Message }).ToArray());

    public static readonly JsonSerializerOptions CamelCase = Create(JsonNamingPolicy.CamelCase);
    public static readonly JsonSerializerOptions SnakeCase = Create(JsonNamingPolicy.SnakeCaseLower);

    private static JsonSerializerOptions Create(JsonNamingPolicy naming)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = naming,
            DictionaryKeyPolicy = null,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new UtcDateTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Timestamps go out as ISO 8601 UTC with a Z, whatever Kind the database handed back.</summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTime().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Endpoint metadata: the words a 403 from the authorization middleware uses for this endpoint.</summary>
public sealed record ForbiddenMessage(string Message);

/// <summary>Endpoint metadata: the status of a successful response (200 unless said).</summary>
public sealed record SuccessStatus(int StatusCode);
