using System.Globalization;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Operator.Infrastructure.Api;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Serialization;

/// <summary>The words of the spec's error examples, shared by every section of issue 5.</summary>
public static class WorkflowErrors
{
    /// <summary>The spec's 400 message; the per-field <c>details</c> say what is wrong.</summary>
    public const string InvalidInput = "Invalid input data";

    /// <summary>The spec's 404 message; <c>resourceType</c> and <c>resourceId</c> say what was missing.</summary>
    public const string NotFoundMessage = "Resource not found";

    /// <summary>The spec's 403 message (the route group answers the same words for the role check).</summary>
    public const string ForbiddenMessage = "Insufficient permissions for this operation";

    public static Error NotFound(string resourceType, string? resourceId) => Error.NotFound(NotFoundMessage, resourceType, resourceId);

    public static Error Forbidden() => Error.Forbidden(ForbiddenMessage);

    public static Error Invalid(string field, string message) => Error.Validation(InvalidInput, new FieldIssue(field, message));

    /// <summary>Ids in paths are UUIDs; anything else names nothing, exactly like an unknown id.</summary>
    public static Result<Guid> ParseId(string? id, string resourceType) =>
        Guid.TryParseExact(id, "D", out var value) ? value : NotFound(resourceType, id);

    /// <summary>Words for people (pages): a NOT_FOUND names the kind of record instead of the spec's generic text.</summary>
    public static string ForPeople(Error error) => error.Kind == ErrorKind.NotFound
        ? error.ResourceType switch
        {
            "VendorSerial" => "That vendor serial does not exist (any more).",
            "SerialFormat" => "That serial format does not exist.",
            "SerialTrigger" => "That trigger does not exist (any more).",
            "Placeholder" => "That placeholder does not exist.",
            "Part" => "That part does not exist.",
            "WorkOrder" => "That work order does not exist.",
            _ => error.Message,
        }
        : error.Kind == ErrorKind.Validation && error.Issues.Count > 0
            ? string.Join(" ", error.Issues.Select(i => i.Field is { Length: > 0 } f ? $"{f}: {i.Message}." : i.Message + "."))
            : error.Message;
}

/// <summary>
/// Reads a request body as JSON for the service to validate field by field. The endpoints read the body themselves
/// (instead of letting the framework bind it) so that every problem, malformed JSON included, comes back as the
/// spec's <c>VALIDATION_ERROR</c> "Invalid input data" naming the field, and so that bodies the spec marks as
/// optional (accept, enable, disable, delete) may be left out.
/// </summary>
public static class JsonRequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static async Task<Result<JsonElement>> ReadAsync(HttpContext http, bool required, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var empty = bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty;
        if (empty)
        {
            if (required) return WorkflowErrors.Invalid("body", "A JSON request body is required");
            return JsonDocument.Parse("{}").RootElement.Clone();
        }
        var type = http.Request.ContentType;
        if (type is null || !MediaTypeHeaderValue.TryParse(type, out var media) ||
            !(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return new Error(ErrorKind.Other, "Unsupported media type: send application/json", []) { Status = StatusCodes.Status415UnsupportedMediaType };
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            var field = Locate(bytes);
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return WorkflowErrors.Invalid(field.Length == 0 ? "body" : field,
                field.Length == 0 ? $"Malformed JSON{where}" : $"Malformed JSON at or after '{field}'{where}");
        }
    }

    /// <summary>The property path the reader had reached when the JSON broke, e.g. <c>conditions.siteId</c>.</summary>
    internal static string Locate(byte[] bytes)
    {
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            while (reader.Read())
            {
                var top = frames.Count > 0 ? frames[^1] : null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        top!.Property = reader.GetString();
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (top is { IsArray: true }) top.Index++;
                        frames.Add(new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray });
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        if (top is { IsArray: true }) top.Index++;
                        break;
                }
            }
        }
        catch (JsonException)
        {
        }
        var path = new List<object>();
        foreach (var frame in frames)
        {
            if (frame.IsArray && frame.Index >= 0) path.Add(frame.Index);
            else if (!frame.IsArray && frame.Property is not null) path.Add(frame.Property);
        }
        return new FieldIssue(path, "").Field;
    }

    private sealed class Frame
    {
        public bool IsArray { get; init; }
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
    }
}

/// <summary>One page of a list: <c>{"data": [...], "total", "limit", "offset"}</c> as the spec's vendor list shows it.</summary>
public sealed record WorkflowPage<T>(IReadOnlyList<T> Data, int Total, int Limit, int Offset);

/// <summary>The spec's pagination: <c>limit</c> 1-500 (default 50) and <c>offset</c> 0 or more, read from the query text.</summary>
public readonly record struct PageParams(int Limit, int Offset)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static PageParams Default => new(DefaultLimit, 0);

    /// <summary>Parses the query's text so that "abc" is the spec's VALIDATION_ERROR naming the field, not a binding failure.</summary>
    public static PageParams Parse(Checks checks, string? limit, string? offset)
    {
        var l = DefaultLimit;
        var o = 0;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out l) || l is < 1 or > MaxLimit))
        {
            checks.Add(P("limit"), $"limit must be an integer between 1 and {MaxLimit}", "invalid_type");
        }
        if (offset is not null && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out o) || o < 0))
        {
            checks.Add(P("offset"), "offset must be an integer of 0 or more", "invalid_type");
        }
        return new PageParams(l, o);
    }
}

/// <summary>Adapters the endpoint files share.</summary>
public static class WorkflowEndpoints
{
    /// <summary>
    /// Lists the spec shows as a bare array stay arrays: the page's items, with the total in <c>X-Total-Count</c>
    /// (and limit/offset applied as asked).
    /// </summary>
    public static async Task<Result<IReadOnlyList<T>>> AsArray<T>(this Task<Result<WorkflowPage<T>>> page, HttpContext http)
    {
        var result = await page;
        if (!result.IsSuccess) return result.Error!;
        http.Response.Headers["X-Total-Count"] = result.Value.Total.ToString(CultureInfo.InvariantCulture);
        return Result<IReadOnlyList<T>>.Ok(result.Value.Data);
    }

    /// <summary>Reads the body, then hands it to the service; a malformed body never reaches the service.</summary>
    public static async Task<Result<T>> WithBody<T>(HttpContext http, bool required, Func<JsonElement, Task<Result<T>>> service)
    {
        var body = await JsonRequestBody.ReadAsync(http, required, http.RequestAborted);
        return body.IsSuccess ? await service(body.Value) : body.Error!;
    }
}
