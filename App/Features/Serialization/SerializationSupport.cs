using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
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
/// The reading half of a request record's <c>FromJson</c>: each field's JSON type through <see cref="JsonFields"/>, in the
/// contract's field order. Values (required, bounds, enums, uuids) are the record's own rule, which its service runs, so
/// pages calling the service directly get the same words. When a field has the wrong type the binder runs that rule too,
/// for the fields that did bind, so one answer lists every issue in field order as the contract's examples do.
/// </summary>
public sealed class RequestFields(JsonElement body)
{
    private readonly List<string> _order = [];

    public JsonFields Fields { get; } = new(body, new Checks());

    /// <summary>Whether the property is in the body at all, <c>null</c> included (PATCH: null clears).</summary>
    public bool Present(string name) => Fields.Present(name);

    public bool Has(string name) => Fields.Has(name);

    /// <summary>Whether the body has the property (null included), taking its place in the field order.</summary>
    public bool Mark(string name)
    {
        _order.Add(name);
        return Fields.Present(name);
    }

    public string? String(string name)
    {
        _order.Add(name);
        return Fields.RawString(name);
    }

    /// <summary>A string whose wrong type is reported in the enum's words ("Expected 'A' | 'B', received number").</summary>
    public string? Enum(string name, IReadOnlyList<string> allowed)
    {
        _order.Add(name);
        if (Fields.IsObject && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String) return value.GetString();
        Fields.Enum(name, allowed, required: false);
        return null;
    }

    /// <summary>A whole number; its bounds are the rule's.</summary>
    public int? Int(string name)
    {
        _order.Add(name);
        return Fields.Int(name, required: false, int.MinValue, int.MaxValue);
    }

    public bool? Bool(string name)
    {
        _order.Add(name);
        return Fields.Bool(name);
    }

    public DateTime? Time(string name)
    {
        _order.Add(name);
        return Fields.Time(name);
    }

    /// <summary>A flat object of strings, numbers and booleans as text (<see cref="JsonFields.Scalars"/>).</summary>
    public IReadOnlyDictionary<string, string>? Scalars(string name, int maxEntries = ScalarRules.MaxEntries)
    {
        _order.Add(name);
        return Fields.Scalars(name, maxEntries, ScalarRules.MaxKey, ScalarRules.MaxValue);
    }

    /// <summary>The record, or every issue of the body: the wrong types, and the rule's issues for the fields that bound.</summary>
    public Result<T> Bind<T>(T request, Action<T, Checks> rule)
    {
        if (!Fields.Checks.Failed) return request;
        if (!Fields.IsObject) return Fields.Checks.ToError(WorkflowErrors.InvalidInput);
        var wrong = Fields.Checks.Issues.Select(Head).ToHashSet(StringComparer.Ordinal);
        var values = new Checks();
        rule(request, values);
        var merged = new Checks();
        // OrderBy is stable: issues of one field keep the order they were found in.
        foreach (var issue in Fields.Checks.Issues.Concat(values.Issues.Where(i => !wrong.Contains(Head(i)))).OrderBy(i => Rank(Head(i))))
        {
            merged.Add(issue);
        }
        return merged.ToError(WorkflowErrors.InvalidInput);
    }

    private int Rank(string field)
    {
        var index = _order.IndexOf(field);
        return index < 0 ? int.MaxValue : index;
    }

    private static string Head(FieldIssue issue) => issue.Path.Count > 0 ? issue.Path[0].ToString() ?? "" : "";
}

/// <summary>
/// The binder of the propagation and uniqueness bodies, whose JSON types the serializer checks: the reader has already
/// proved the body readable, and a wrong type is named as those sections' contract words it.
/// </summary>
public static class SerializerBinder
{
    public static Result<T> FromJson<T>(JsonElement body) where T : class
    {
        try
        {
            return body.Deserialize<T>(ApiStyle.CamelCase) is { } value
                ? value
                : Error.Validation(WorkflowErrors.InvalidInput, new FieldIssue([], "A JSON object is required"));
        }
        catch (JsonException e)
        {
            var path = ApiStyle.JsonPathToSegments(e.Path);
            var message = path.Count == 0
                ? "Malformed JSON: the request body could not be read"
                : $"Invalid value at '{new FieldIssue(path, "").Field}': wrong type or malformed JSON";
            return Error.Validation(WorkflowErrors.InvalidInput, new FieldIssue(path, message, "invalid_type"));
        }
    }
}

/// <summary>The value rules fields share across the section's requests (the same words JsonFields used).</summary>
public static class FieldRules
{
    /// <summary>A UUID given as text: trimmed 1-100 characters, then the D format ("Invalid uuid").</summary>
    public static Guid? FieldUuid(this Checks checks, string field, string? value, bool required)
    {
        var text = checks.Text(P(field), value, 1, 100, required);
        if (text is null) return null;
        if (Guid.TryParseExact(text, "D", out var id)) return id;
        checks.Add(new FieldIssue(P(field), "Invalid uuid", "invalid_string"));
        return null;
    }

    public static string? FieldText(this Checks checks, string field, string? value, bool required, int max, int min = 1) =>
        checks.Text(P(field), value, min, max, required);

    /// <summary>The spec's acceptedBy/createdBy/...: accepted as text, but the audit trail records the signed-in caller.</summary>
    public static void Actor(this Checks checks, string field, string? value) => checks.Text(P(field), value, 0, 200, required: false);

    public static string? FieldEnum(this Checks checks, string field, string? value, IReadOnlyList<string> allowed, bool required) =>
        checks.OneOf(P(field), value, allowed, required);

    public static int? FieldRange(this Checks checks, string field, int? value, int min, int max) => checks.Range(P(field), value, min, max);
}

/// <summary>Flat key/value objects (trigger conditions, event context): the limits the binder and the service share.</summary>
public static class ScalarRules
{
    public const int MaxEntries = 50;
    public const int MaxKey = 50;
    public const int MaxValue = 200;

    /// <summary>For callers that build the dictionary themselves (pages): the limits the binder checks on a body.</summary>
    public static void Check(Checks checks, string field, IReadOnlyDictionary<string, string>? values, int maxEntries = MaxEntries)
    {
        if (values is null) return;
        foreach (var (key, value) in values)
        {
            if (key.Length is 0 || key.Length > MaxKey) checks.Add(new FieldIssue(P(field, key), $"Keys must be 1 to {MaxKey} characters"));
            else if (value.Length > MaxValue) checks.Add(new FieldIssue(P(field, key), $"String must contain at most {MaxValue} character(s)", "too_big"));
            else if (key.Contains('\0') || value.Contains('\0')) checks.Add(P(field, key), JsonBodyReader.NulMessage);
        }
        if (values.Count > maxEntries) checks.Add(new FieldIssue(P(field), $"At most {maxEntries} entries", "too_big"));
    }
}

/// <summary>One page of a list: <c>{"data": [...], "total", "limit", "offset"}</c> as the spec's vendor list shows it.</summary>
public sealed record WorkflowPage<T>(IReadOnlyList<T> Data, int Total, int Limit, int Offset);

/// <summary>The spec's pagination: <c>limit</c> 1-500 (default 50) and <c>offset</c> 0 or more.</summary>
public readonly record struct PageParams(int Limit, int Offset)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static readonly string LimitMessage = $"limit must be an integer between 1 and {MaxLimit}";
    public const string OffsetMessage = "offset must be an integer of 0 or more";

    public static PageParams Default => new(DefaultLimit, 0);

    /// <summary>The page's rule, in the words a query string's text that is no number gets too.</summary>
    public void Check(Checks checks)
    {
        if (Limit is < 1 or > MaxLimit) checks.Add(P("limit"), LimitMessage, "invalid_type");
        if (Offset < 0) checks.Add(P("offset"), OffsetMessage, "invalid_type");
    }
}

/// <summary>
/// The typing half of a list's query string binder (an <see cref="IBoundRequest"/> bound with <c>[AsParameters]</c>, so
/// the OpenAPI document names every parameter): text becomes numbers, flags and uuids here, once. Text that is no value
/// of its type is refused in the words of the parameter's rule, and then the query record's rule runs too for the
/// parameters that did type, so one answer lists every issue in the order of the parameters.
/// </summary>
public sealed class QueryText(params string[] order)
{
    private readonly Checks typing = new();

    /// <summary>Digits only (no sign, no spaces), as the spec's examples write them; anything else is the rule's message.</summary>
    public int? Int(string name, string? text, string message)
    {
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        typing.Add(P(name), message, "invalid_type");
        return null;
    }

    public PageParams Page(string? limit, string? offset) =>
        new(Int("limit", limit, PageParams.LimitMessage) ?? PageParams.DefaultLimit, Int("offset", offset, PageParams.OffsetMessage) ?? 0);

    /// <summary><c>true</c> or <c>false</c>, exactly.</summary>
    public bool? Bool(string name, string? text)
    {
        switch (text)
        {
            case null: return null;
            case "true": return true;
            case "false": return false;
            default:
                typing.Add(P(name), $"{name} must be true or false", "invalid_enum_value");
                return null;
        }
    }

    public Guid? Uuid(string name, string? text)
    {
        if (text is null) return null;
        if (Guid.TryParseExact(text, "D", out var id)) return id;
        typing.Add(P(name), "Invalid uuid", "invalid_string");
        return null;
    }

    /// <summary>The record when every parameter typed (its service runs the rule); else every issue, in parameter order.</summary>
    public Result<T> Bind<T>(T query, Action<T, Checks> rule)
    {
        if (!typing.Failed) return query;
        var wrong = typing.Issues.Select(Head).ToHashSet(StringComparer.Ordinal);
        var values = new Checks();
        rule(query, values);
        var merged = new Checks();
        // OrderBy is stable: issues of one parameter keep the order they were found in.
        foreach (var issue in typing.Issues.Concat(values.Issues.Where(i => !wrong.Contains(Head(i)))).OrderBy(i => Rank(Head(i))))
        {
            merged.Add(issue);
        }
        return merged.ToError(WorkflowErrors.InvalidInput);
    }

    private int Rank(string parameter)
    {
        var index = Array.IndexOf(order, parameter);
        return index < 0 ? int.MaxValue : index;
    }

    private static string Head(FieldIssue issue) => issue.Path.Count > 0 ? issue.Path[0].ToString() ?? "" : "";
}

/// <summary>The query string of a list that only pages: <c>limit</c>, <c>offset</c>.</summary>
public sealed class PageQueryString : IBoundRequest
{
    private Result<PageParams>? bound;

    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "offset")] public string? Offset { get; init; }

    public PageParams Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<PageParams> Bound => bound ??= Bind();

    private Result<PageParams> Bind()
    {
        var text = new QueryText("limit", "offset");
        return text.Bind(text.Page(Limit, Offset), (page, checks) => page.Check(checks));
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
}
