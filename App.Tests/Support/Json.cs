using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Operator.Tests.Support;

/// <summary>Golden JSON: the exact body, with values that differ per run (ids, times) replaced by placeholders.</summary>
public static partial class Golden
{
    public static async Task<JsonNode> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType?.Contains("json") == true, $"Expected JSON, got {response.Content.Headers.ContentType}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts the body equals <paramref name="expected"/> after masking uuids and ISO timestamps.</summary>
    public static async Task AssertBodyAsync(HttpResponseMessage response, string expected)
    {
        var actual = Mask((await BodyAsync(response)).ToJsonString(Plain));
        var want = JsonNode.Parse(expected)!.ToJsonString(Plain);
        Assert.Equal(want, actual);
    }

    public static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Mask(string json) =>
        Timestamp().Replace(Uuid().Replace(json, "<uuid>"), "<time>");

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")]
    private static partial Regex Timestamp();

    public static StringContent Raw(string body, string contentType = "application/json") => new(body, System.Text.Encoding.UTF8, contentType);
}
