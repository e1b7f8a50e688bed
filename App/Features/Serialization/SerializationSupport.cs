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

/// <summary>
/// Reads the fields of one JSON object, reporting each problem with its path in zod's words ("Required", "Expected
/// string, received number", enum values listed). Unknown properties are ignored; <c>null</c> for an optional field
/// means "not given".
/// </summary>
public sealed class JsonFields
{
    private readonly JsonElement _body;
    private readonly object[] _prefix;

    public JsonFields(JsonElement body, Checks checks, params object[] prefix)
    {
        _body = body;
        _prefix = prefix;
        Checks = checks;
        IsObject = body.ValueKind == JsonValueKind.Object;
        if (!IsObject)
        {
            checks.Add(TypeIssue(prefix.Length == 0 ? P("body") : prefix, "object", body));
        }
    }

    public Checks Checks { get; }
    public bool IsObject { get; }

    private object[] PathOf(string name) => [.. _prefix, name];

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return IsObject && _body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>Whether the property is in the body at all, <c>null</c> included (PATCH: null clears).</summary>
    public bool Present(string name) => IsObject && _body.TryGetProperty(name, out _);

    public bool Has(string name) => TryGet(name, out _);

    public string? Text(string name, bool required, int max, int min = 1)
    {
        if (!TryGet(name, out var value))
        {
            if (required && IsObject) Checks.Add(Missing(PathOf(name), "string"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), "string", value));
            return null;
        }
        return Checks.Text(PathOf(name), value.GetString(), min, max);
    }

    /// <summary>A string exactly as sent (not trimmed), null when absent; another JSON type is reported.</summary>
    public string? RawString(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), "string", value));
            return null;
        }
        return value.GetString();
    }

    /// <summary>
    /// The spec's acceptedBy/createdBy/...: accepted when it is a string, but the audit trail records the signed-in
    /// caller, never a name a body claims.
    /// </summary>
    public void Actor(string name) => Text(name, required: false, max: 200, min: 0);

    public Guid? Uuid(string name, bool required)
    {
        var text = Text(name, required, 100);
        if (text is null) return null;
        if (!Guid.TryParseExact(text, "D", out var id))
        {
            Checks.Add(new FieldIssue(PathOf(name), "Invalid uuid", "invalid_string"));
            return null;
        }
        return id;
    }

    public string? Enum(string name, IReadOnlyList<string> allowed, bool required)
    {
        if (!TryGet(name, out var value))
        {
            if (required && IsObject) Checks.Add(Missing(PathOf(name), string.Join(" | ", allowed.Select(a => $"'{a}'"))));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), string.Join(" | ", allowed.Select(a => $"'{a}'")), value));
            return null;
        }
        return Checks.OneOf(PathOf(name), value.GetString(), allowed);
    }

    public int? Int(string name, bool required, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            if (required && IsObject) Checks.Add(Missing(PathOf(name), "number"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            Checks.Add(TypeIssue(PathOf(name), "number", value));
            return null;
        }
        if (!value.TryGetInt64(out var whole))
        {
            Checks.Add(new FieldIssue(PathOf(name), "Expected integer, received float", "invalid_type"));
            return null;
        }
        return Checks.Range(PathOf(name), (int)Math.Clamp(whole, int.MinValue, int.MaxValue), min, max);
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Checks.Add(TypeIssue(PathOf(name), "boolean", value));
            return null;
        }
        return value.GetBoolean();
    }

    public DateTime? Time(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Checks.Add(TypeIssue(PathOf(name), "string", value));
            return null;
        }
        if (!DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            Checks.Add(new FieldIssue(PathOf(name), "Invalid datetime: use ISO 8601, e.g. 2024-11-01T10:00:00Z", "invalid_string"));
            return null;
        }
        return at.UtcDateTime;
    }

    /// <summary>
    /// A flat JSON object of strings, numbers and booleans (trigger conditions, event context), as text: numbers keep
    /// their JSON spelling (<c>5</c>), booleans are <c>true</c>/<c>false</c>. Nulls are dropped.
    /// </summary>
    public Dictionary<string, string>? Scalars(string name, int maxEntries = 50, int maxKey = 50, int maxValue = 200)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Checks.Add(TypeIssue(PathOf(name), "object", value));
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = Checks.Issues.Count;
        foreach (var property in value.EnumerateObject())
        {
            var path = (object[])[.. PathOf(name), property.Name];
            if (property.Name.Length is 0 || property.Name.Length > maxKey)
            {
                Checks.Add(new FieldIssue(path, $"Keys must be 1 to {maxKey} characters"));
                continue;
            }
            string? text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => "\0",
            };
            if (text == "\0")
            {
                Checks.Add(TypeIssue(path, "string | number | boolean", property.Value));
                continue;
            }
            if (text is null) continue;
            if (text.Length > maxValue)
            {
                Checks.Add(new FieldIssue(path, $"String must contain at most {maxValue} character(s)", "too_big"));
                continue;
            }
            result[property.Name] = text;
        }
        if (result.Count > maxEntries)
        {
            Checks.Add(new FieldIssue(PathOf(name), $"At most {maxEntries} entries", "too_big"));
        }
        return Checks.Issues.Count > before ? null : result;
    }

    private static FieldIssue Missing(object[] path, string expected) =>
        new(path, "Required", "invalid_type", new Dictionary<string, object?> { ["expected"] = expected, ["received"] = "undefined" });

    private static FieldIssue TypeIssue(object[] path, string expected, JsonElement value) =>
        new(path, $"Expected {expected}, received {Received(value)}", "invalid_type",
            new Dictionary<string, object?> { ["expected"] = expected, ["received"] = Received(value) });

    private static string Received(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "undefined",
    };
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
