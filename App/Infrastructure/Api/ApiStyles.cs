using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Infrastructure.Api;

/// <summary>
/// Plain convention (<c>/api/serials</c>, <c>/api/sessions</c>, master data): the documented object on success,
/// <c>{"error": message}</c> on failure, with <c>details</c> naming the fields when there are any.
/// </summary>
public sealed class PlainStyle : ApiStyle
{
    public static readonly PlainStyle Instance = new();
    public override string Name => "plain";

    public override JsonObject ErrorBody(Error error, int status, HttpContext context)
    {
        var body = new JsonObject { ["error"] = error.Message };
        if (error.Issues.Count > 0)
        {
            body["details"] = FieldDetails(error);
        }
        if (status >= 500)
        {
            body["requestId"] = context.TraceIdentifier;
        }
        return body;
    }
}

/// <summary>
/// <c>/api/serials</c> (shared/specs/cert-attachment.md): the plain convention, with the group's own words for a text
/// the body reader refused: NUL is "{field} must not contain control characters", as the group says of every control
/// character in a reference.
/// </summary>
public sealed class SerialsStyle : ApiStyle
{
    public static readonly SerialsStyle Instance = new();
    public override string Name => "serials";

    public override JsonObject ErrorBody(Error error, int status, HttpContext context) => PlainStyle.Instance.ErrorBody(error, status, context);

    public override Error BodyError(JsonBodyFault fault)
    {
        if (fault.Message != JsonBodyReader.NulMessage || fault.Field.Length == 0) return base.BodyError(fault);
        var message = $"{fault.Field} must not contain control characters";
        return Error.Validation(message, new FieldIssue(fault.Path, message, "invalid_string"));
    }
}

/// <summary>
/// <c>/api/v1/serialization</c>: every body is the spec's envelope. Errors carry a code, a message and per-field
/// details; NOT_FOUND adds resourceType/resourceId and 500 adds requestId.
/// </summary>
public sealed class EnvelopeStyle : ApiStyle
{
    public static readonly EnvelopeStyle Instance = new();
    public override string Name => "envelope";

    public override object? SuccessBody(object? value, HttpContext context) => new JsonObject
    {
        ["success"] = true,
        ["data"] = JsonSerializer.SerializeToNode(value, Json),
        ["error"] = null,
        ["timestamp"] = Now(context),
    };

    public override Error FrameworkError(int status, HttpContext context, Exception? exception) => status switch
    {
        401 => Error.Unauthorized("Authentication token missing or invalid"),
        403 => Error.Forbidden("Insufficient permissions for this operation"),
        404 => Error.NotFound("Resource not found", "Route", context.Request.Path),
        429 => new Error(ErrorKind.TooManyRequests, "Rate limit exceeded", []),
        >= 500 => new Error(ErrorKind.Other, "An unexpected error occurred", []) { Status = status },
        _ => base.FrameworkError(status, context, exception),
    };

    /// <summary>The spec's VALIDATION_ERROR "Invalid input data", with the field (or "body") in details.</summary>
    public override Error BodyError(JsonBodyFault fault)
    {
        if (fault.Kind == JsonBodyFaultKind.MediaType) return base.BodyError(fault);
        var field = fault.Field.Length == 0 ? "body" : fault.Field;
        var message = fault.Kind == JsonBodyFaultKind.Malformed && fault.Message != JsonBodyReader.DepthMessage && fault.Field.Length > 0
            ? $"Malformed JSON at or after '{fault.Field}'{fault.Position}"
            : fault.Message + fault.Position;
        return Error.Validation("Invalid input data", new FieldIssue(field, message));
    }

    public override JsonObject ErrorBody(Error error, int status, HttpContext context)
    {
        var code = error.Kind switch
        {
            ErrorKind.Validation => "VALIDATION_ERROR",
            ErrorKind.NotFound => "NOT_FOUND",
            ErrorKind.Conflict => "CONFLICT",
            ErrorKind.Forbidden => "FORBIDDEN",
            ErrorKind.Unauthorized => "UNAUTHORIZED",
            ErrorKind.TooManyRequests => "RATE_LIMIT_EXCEEDED",
            _ => status switch
            {
                405 => "METHOD_NOT_ALLOWED",
                413 => "PAYLOAD_TOO_LARGE",
                415 => "UNSUPPORTED_MEDIA_TYPE",
                >= 500 => "INTERNAL_SERVER_ERROR",
                _ => "BAD_REQUEST",
            },
        };
        var body = new JsonObject
        {
            ["success"] = false,
            ["data"] = null,
            ["error"] = code,
            ["message"] = error.Message,
        };
        if (error.Kind == ErrorKind.Validation)
        {
            body["details"] = FieldDetails(error);
        }
        if (error.Kind == ErrorKind.NotFound)
        {
            body["resourceType"] = error.ResourceType;
            body["resourceId"] = error.ResourceId;
        }
        if (status >= 500)
        {
            body["requestId"] = context.TraceIdentifier;
        }
        body["timestamp"] = Now(context);
        return body;
    }

    private static string Now(HttpContext context) =>
        context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary><c>/api/public/serial/verify</c>: <c>{"ok": false, "error": ..., "reason"?}</c>, snake_case, never HTML.</summary>
public sealed class PublicVerifyStyle : ApiStyle
{
    public static readonly PublicVerifyStyle Instance = new();
    public override string Name => "public-verify";
    public override JsonSerializerOptions Json => SnakeCase;

    // The contract's one answer for a code that cannot be a serial code, whichever parameter carried it.
    public override string InvalidParametersMessage(string detail) => "Invalid serial code format";

    public override Error FrameworkError(int status, HttpContext context, Exception? exception) => status switch
    {
        404 => Error.NotFound("Serial not found or invalid", "Serial", null) with { Reason = "not_found" },
        429 => new Error(ErrorKind.TooManyRequests, "Rate limit exceeded. Maximum 60 requests per hour per IP.", []),
        >= 500 => new Error(ErrorKind.Other, "Internal server error", []) { Status = status },
        _ => base.FrameworkError(status, context, exception),
    };

    public override JsonObject ErrorBody(Error error, int status, HttpContext context)
    {
        var body = new JsonObject { ["ok"] = false, ["error"] = error.Message };
        if (error.Reason is not null)
        {
            body["reason"] = error.Reason;
        }
        if (status >= 500)
        {
            body["request_id"] = context.TraceIdentifier;
        }
        return body;
    }
}

/// <summary>
/// <c>/api/quality/holds</c>: the documented object on success; <c>{"error", "details": [{code, ..., path, message}]}</c>
/// in zod's issue shape on failure, snake_case.
/// </summary>
public sealed class HoldsStyle : ApiStyle
{
    public static readonly HoldsStyle Instance = new();
    public override string Name => "holds";
    public override JsonSerializerOptions Json => SnakeCase;

    // The hold list's own word for a bad query parameter; the details name it.
    public override string InvalidParametersMessage(string detail) => "Invalid request parameters";

    public override Error FrameworkError(int status, HttpContext context, Exception? exception) => status switch
    {
        400 => base.FrameworkError(status, context, exception) is var e && e.Issues.Count > 0
            ? Error.Validation("Invalid request data", e.Issues.Select(i => i with { Code = "invalid_type" }))
            : Error.Validation("Invalid request data"),
        403 => Error.Forbidden(ForbiddenText(context) ?? "Insufficient permissions"),
        >= 500 => new Error(ErrorKind.Other, "Internal server error", []) { Status = status },
        _ => base.FrameworkError(status, context, exception),
    };

    /// <summary>
    /// A refused body in the contract's words: "Invalid request data" with one zod-style issue naming the field. Malformed
    /// JSON (and too deep) is invalid_type, as zod reports a value it cannot read; text that is no valid string (invalid
    /// UTF-8, an unpaired surrogate, NUL) and a key given twice are custom issues, like the NUL rule of the value checks.
    /// </summary>
    public override Error BodyError(JsonBodyFault fault) => fault.Kind switch
    {
        JsonBodyFaultKind.MediaType => base.BodyError(fault),
        JsonBodyFaultKind.Missing => Error.Validation("Invalid request data", new FieldIssue([], fault.Message, "invalid_type")),
        JsonBodyFaultKind.Malformed when fault.Message == JsonBodyReader.DepthMessage =>
            Error.Validation("Invalid request data", new FieldIssue(fault.Path, fault.Message, "invalid_type")),
        JsonBodyFaultKind.Malformed => Error.Validation("Invalid request data", new FieldIssue(fault.Path,
            (fault.Path.Count == 0 ? "Malformed JSON: the request body could not be read" : $"Invalid value at '{fault.Field}': wrong type or malformed JSON") + fault.Position,
            "invalid_type")),
        _ => Error.Validation("Invalid request data", new FieldIssue(fault.Path, fault.Message, "custom")),
    };

    public override JsonObject ErrorBody(Error error, int status, HttpContext context)
    {
        var body = new JsonObject { ["error"] = error.Message };
        if (error.Kind == ErrorKind.Validation)
        {
            var details = new JsonArray();
            foreach (var issue in error.Issues)
            {
                var item = new JsonObject { ["code"] = issue.Code };
                foreach (var (key, value) in issue.Extra ?? new Dictionary<string, object?>())
                {
                    item[key] = JsonSerializer.SerializeToNode(value, Json);
                }
                item["path"] = new JsonArray(issue.Path.Select(p => p is int n ? (JsonNode)JsonValue.Create(n) : JsonValue.Create(p.ToString())!).ToArray());
                item["message"] = issue.Message;
                details.Add(item);
            }
            body["details"] = details;
        }
        if (status >= 500)
        {
            body["request_id"] = context.TraceIdentifier;
        }
        return body;
    }
}
