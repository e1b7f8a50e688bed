namespace Operator.Infrastructure.Api;

/// <summary>What kind of expected failure an <see cref="Error"/> is; each API convention maps it to its status code.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
    Unauthorized,
    TooManyRequests,
    /// <summary>A framework-level failure with its own status (405, 413, 415, 500...): see <see cref="Error.Status"/>.</summary>
    Other,
}

/// <summary>
/// One problem with one input field. <see cref="Path"/> holds the segments (property names and array indexes),
/// <see cref="Code"/> a machine-readable kind (zod's vocabulary: too_small, too_big, invalid_type, invalid_enum_value,
/// invalid_string, custom), and <see cref="Extra"/> bounds such as minimum/maximum that some conventions print.
/// </summary>
public sealed record FieldIssue(IReadOnlyList<object> Path, string Message, string Code = "custom", IReadOnlyDictionary<string, object?>? Extra = null)
{
    public FieldIssue(string field, string message, string code = "custom", IReadOnlyDictionary<string, object?>? extra = null)
        : this(field.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, out var i) ? (object)i : s).ToArray(), message, code, extra)
    {
    }

    /// <summary>The path written as one string: <c>items[0].reference_id</c>.</summary>
    public string Field => string.Concat(Path.Select((p, i) => p is int n ? $"[{n}]" : i == 0 ? p.ToString() : "." + p));
}

public sealed record Error(ErrorKind Kind, string Message, IReadOnlyList<FieldIssue> Issues, string? ResourceType = null, string? ResourceId = null)
{
    /// <summary>The status for <see cref="ErrorKind.Other"/> errors.</summary>
    public int? Status { get; init; }

    /// <summary>A short machine reason some contracts print next to the message (public verification's <c>reason</c>).</summary>
    public string? Reason { get; init; }

    public static Error Validation(string message, params IEnumerable<FieldIssue> issues) => new(ErrorKind.Validation, message, issues.ToArray());
    public static Error Validation(string field, string message) => new(ErrorKind.Validation, message, [new FieldIssue(field, message)]);
    public static Error NotFound(string message, string resourceType, string? resourceId) => new(ErrorKind.NotFound, message, [], resourceType, resourceId);
    public static Error Conflict(string message) => new(ErrorKind.Conflict, message, []);
    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, message, []);
    public static Error Unauthorized(string message) => new(ErrorKind.Unauthorized, message, []);
}

/// <summary>Marker the API filter looks for, so it can turn any <see cref="Result{T}"/> into the group's response.</summary>
public interface IServiceResult
{
    bool IsSuccess { get; }
    object? BoxedValue { get; }
    Error? Error { get; }
}

/// <summary>The outcome of a service operation: a value, or an expected failure. Exceptions are for bugs.</summary>
public readonly struct Result<T> : IServiceResult
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public bool IsSuccess => Error is null;
    public Error? Error { get; }
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"Result has no value: {Error!.Message}");
    object? IServiceResult.BoxedValue => _value;

    public static Result<T> Ok(T value) => new(value, null);
    public static Result<T> Fail(Error error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);
    public static implicit operator Result<T>(Error error) => Fail(error);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? map(_value!) : Error!;
}

/// <summary>The value of an operation that succeeds with nothing to say (answered 204 by the APIs).</summary>
public readonly record struct Unit
{
    public static readonly Unit Value = default;
}
