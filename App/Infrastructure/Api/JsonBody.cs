using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Operator.Infrastructure.Api;

/// <summary>
/// A request record that a route group binds from a JSON body. <see cref="FromJson"/> is the record's binder: it
/// receives a body that <see cref="JsonBodyReader"/> already proved readable (well-formed, every string valid text
/// without NUL, no duplicate key, not too deep) and reports wrong types and contract rules in the group's words.
/// </summary>
public interface IJsonRequest<TSelf> where TSelf : IJsonRequest<TSelf>
{
    static abstract Result<TSelf> FromJson(JsonElement body);

    /// <summary>Bodies the contract marks optional (accept, enable, delete...) read as <c>{}</c> when left out.</summary>
    static virtual bool BodyOptional => false;
}

/// <summary>
/// The endpoint parameter for a JSON body: <c>(JsonBody&lt;CreateHoldRequest&gt; body, ...) =&gt; service.CreateAsync(body.Value)</c>.
/// Reading happens once, here, for every group; a fault never reaches the handler (see <see cref="BoundRequestFilter"/>).
/// </summary>
public sealed class JsonBody<T> : IBoundRequest where T : IJsonRequest<T>
{
    private readonly T? _value;
    private readonly JsonBodyFault? _fault;
    private readonly Error? _error;

    private JsonBody(T? value, JsonBodyFault? fault, Error? error)
    {
        _value = value;
        _fault = fault;
        _error = error;
    }

    public T Value => _fault is null && _error is null ? _value! : throw new InvalidOperationException("The body was refused; the group's filter answers it.");

    public Error? Failure(ApiStyle style) => _fault is not null ? style.BodyError(_fault) : _error;

    public static async ValueTask<JsonBody<T>> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var read = await JsonBodyReader.ReadAsync(context.Request, required: !T.BodyOptional, context.RequestAborted);
        if (read.Fault is not null) return new(default, read.Fault, null);
        var bound = T.FromJson(read.Body);
        return bound.IsSuccess ? new(bound.Value, null, null) : new(default, null, bound.Error);
    }
}

/// <summary>
/// The endpoint parameter for a plain request record that needs no hand-written binder (master data, users,
/// sessions, labels): the same reader first, then System.Text.Json with the API's camelCase names; a wrong type is
/// answered like malformed JSON at that field, in the group's words.
/// </summary>
public sealed class JsonRecord<T> : IBoundRequest, IEndpointParameterMetadataProvider where T : class
{
    /// <summary>The OpenAPI document shows the record's schema as the body (the framework no longer binds it itself).</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));

    private readonly T? _value;
    private readonly JsonBodyFault? _fault;

    private JsonRecord(T? value, JsonBodyFault? fault)
    {
        _value = value;
        _fault = fault;
    }

    public T Value => _fault is null ? _value! : throw new InvalidOperationException("The body was refused; the group's filter answers it.");

    public Error? Failure(ApiStyle style) => _fault is null ? null : style.BodyError(_fault);

    public static async ValueTask<JsonRecord<T>> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var read = await JsonBodyReader.ReadAsync(context.Request, required: true, context.RequestAborted);
        if (read.Fault is not null) return new(default, read.Fault);
        try
        {
            return read.Body.Deserialize<T>(ApiStyle.CamelCase) is { } value
                ? new(value, null)
                : new(default, new JsonBodyFault(JsonBodyFaultKind.Malformed, [], "Malformed JSON"));
        }
        catch (JsonException e)
        {
            return new(default, new JsonBodyFault(JsonBodyFaultKind.Malformed, ApiStyle.JsonPathToSegments(e.Path), "Malformed JSON"));
        }
    }
}

public enum JsonBodyFaultKind
{
    /// <summary>No body where the contract needs one.</summary>
    Missing,
    /// <summary>A body that is not declared as JSON.</summary>
    MediaType,
    /// <summary>Not JSON syntax, or nested deeper than <see cref="JsonBodyReader.MaxDepth"/>.</summary>
    Malformed,
    /// <summary>JSON syntax, but a string that is no valid text (invalid UTF-8, an unpaired surrogate, NUL) or a key given twice.</summary>
    Unreadable,
}

/// <summary>What was wrong with a body, and where (<see cref="Path"/> as property names and array indexes).</summary>
public sealed record JsonBodyFault(JsonBodyFaultKind Kind, IReadOnlyList<object> Path, string Message)
{
    /// <summary>For malformed JSON: " (line L, position P)" where the parser stopped, else empty.</summary>
    public string Position { get; init; } = "";

    public string Field => new FieldIssue(Path, "").Field;
}

/// <summary>
/// The one reader of JSON request bodies. It checks everything about a body that does not depend on the contract,
/// so binders and services only ever see text they can read: System.Text.Json parses invalid UTF-8 and unpaired
/// surrogate escapes inside strings and throws only when the string is read, and PostgreSQL cannot store NUL.
/// </summary>
public static class JsonBodyReader
{
    public const int MaxDepth = 32;
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public readonly record struct Read(JsonElement Body, JsonBodyFault? Fault);

    public static async Task<Read> ReadAsync(HttpRequest request, bool required, CancellationToken ct)
    {
        // The server's body size limit applies while copying (413 through the group's exception handling).
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), request.ContentType, required);
    }

    public static Read Parse(ReadOnlyMemory<byte> bytes, string? contentType, bool required)
    {
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return required
                ? new(default, new JsonBodyFault(JsonBodyFaultKind.Missing, [], "A JSON request body is required"))
                : new(EmptyObject, null);
        }
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) ||
            !(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return new(default, new JsonBodyFault(JsonBodyFaultKind.MediaType, [], "Unsupported media type: send application/json"));
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            // "The maximum configured depth of 32 has been exceeded" (an unclosed body says "Expected depth to be zero": not this).
            var deep = e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase);
            return new(default, new JsonBodyFault(JsonBodyFaultKind.Malformed, Locate(bytes.Span),
                deep ? DepthMessage : "Malformed JSON") { Position = where });
        }
        var path = new List<object>();
        return Inspect(root, path) is { } fault ? new(default, fault) : new(root, null);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Reads every key and string once, so the first unreadable one is reported with its path.</summary>
    private static JsonBodyFault? Inspect(JsonElement element, List<object> path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException e)
                    {
                        return Unreadable(path, e);
                    }
                    path.Add(name);
                    if (name.Contains('\0')) return Nul(path);
                    if (!seen.Add(name))
                    {
                        return new JsonBodyFault(JsonBodyFaultKind.Unreadable, [.. path], $"Duplicate property '{name}': each key may appear once");
                    }
                    if (Inspect(property.Value, path) is { } inner) return inner;
                    path.RemoveAt(path.Count - 1);
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add(index++);
                    if (Inspect(item, path) is { } inner) return inner;
                    path.RemoveAt(path.Count - 1);
                }
                return null;
            case JsonValueKind.String:
                string text;
                try
                {
                    text = element.GetString()!;
                }
                catch (InvalidOperationException e)
                {
                    return Unreadable(path, e);
                }
                return text.Contains('\0') ? Nul(path) : null;
            default:
                return null;
        }
    }

    public static readonly string DepthMessage = $"Malformed JSON: nested deeper than {MaxDepth} levels";

    public const string NulMessage = "String must not contain the NUL character (U+0000)";

    private static JsonBodyFault Nul(List<object> path) => new(JsonBodyFaultKind.Unreadable, [.. path], NulMessage);

    private static JsonBodyFault Unreadable(List<object> path, InvalidOperationException e) =>
        new(JsonBodyFaultKind.Unreadable, [.. path], e.Message.Contains("surrogate", StringComparison.OrdinalIgnoreCase)
            ? "Malformed JSON: a string holds an unpaired surrogate escape (\\uD800-\\uDFFF)"
            : "Malformed JSON: a string is not valid UTF-8");

    /// <summary>The property path the reader had reached when the JSON broke, e.g. <c>["conditions", "siteId"]</c>.</summary>
    public static IReadOnlyList<object> Locate(ReadOnlySpan<byte> bytes)
    {
        var frames = new List<Frame>();
        // The same limit as the parser, so a body nested too deep stops where it went too deep and names that path.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
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
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
        }
        var path = new List<object>();
        foreach (var frame in frames)
        {
            if (frame.IsArray && frame.Index >= 0) path.Add(frame.Index);
            else if (!frame.IsArray && frame.Property is not null) path.Add(frame.Property);
        }
        return path;
    }

    private sealed class Frame
    {
        public bool IsArray { get; init; }
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
    }
}
