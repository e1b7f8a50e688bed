using System.Text.Json;

namespace Operator.Infrastructure.Api;

/// <summary>
/// A success value answered many times unchanged (verification's cached answers): <see cref="ApiStyle.Success"/>
/// serializes it once, with the group's options, and writes the same bytes every time after.
/// </summary>
public interface IStableJson
{
    StableJsonMemo Json { get; }
}

/// <summary>
/// The serialized form of an <see cref="IStableJson"/> value, made on first use. Every memo equals every other, so a
/// record holding one keeps its value equality.
/// </summary>
public sealed class StableJsonMemo
{
    private sealed record Rendered(JsonSerializerOptions Options, byte[] Utf8);

    // Two requests may render at once: both make the same bytes, and either is kept.
    private Rendered? _rendered;

    public byte[] Utf8(object value, JsonSerializerOptions options)
    {
        var rendered = _rendered;
        if (rendered is null || !ReferenceEquals(rendered.Options, options))
        {
            rendered = new Rendered(options, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), options));
            _rendered = rendered;
        }
        return rendered.Utf8;
    }

    public override bool Equals(object? obj) => obj is StableJsonMemo;

    public override int GetHashCode() => 0;
}

/// <summary>A JSON answer already serialized: what <c>Results.Json</c> writes, with its length known.</summary>
internal sealed class Utf8JsonResult(byte[] body, int status) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        return response.BodyWriter.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
