namespace Operator.Infrastructure.Api;

/// <summary>
/// Names every request with one id that the caller can quote: the caller's own <c>X-Request-Id</c> (or
/// <c>X-Correlation-Id</c>) when it is printable and at most 128 characters, else a new one. It becomes the request's
/// <see cref="HttpContext.TraceIdentifier"/>, so the request log line and every 500 body name the same id, and it comes
/// back in the <c>X-Request-Id</c> response header, set when the response starts because the exception handler clears
/// the headers of a failed request before it writes the 500.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const int MaxLength = 128;

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        context.TraceIdentifier = Accept(headers[Header]) ?? Accept(headers[CorrelationHeader]) ?? NewId();
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[Header] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    /// <summary>
    /// A new id: a version 7 UUID (the time in milliseconds, then random bits), so ids sort by time across instances.
    /// The random bits need to be unique, not secret (a caller may name its own id anyway): they come from the shared
    /// pseudo-random generator, where <see cref="Guid.CreateVersion7()"/> asked the kernel for random bytes per request.
    /// </summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        Random.Shared.NextBytes(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>
    /// The caller's id when it can go into a log line and a header unchanged: one value, printable ASCII, not blank. Anything
    /// else (control characters that could forge a log line, non-ASCII, an id too long to be one) is replaced, not refused.
    /// </summary>
    public static string? Accept(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= MaxLength } value || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return null;
            }
        }
        return value;
    }
}
