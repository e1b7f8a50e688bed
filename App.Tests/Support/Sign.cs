using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;

namespace Operator.Tests.Support;

/// <summary>
/// Signing decisions in tests: organizations require electronic signatures by default, so a release, disposal,
/// resolution, acceptance or rejection sends the demo user's password and a meaning, as an API caller would.
/// </summary>
public static class Sign
{
    /// <summary>The <c>signature</c> object of a request body.</summary>
    public static JsonObject Signature(string meaning = SignatureMeanings.Approved, string? comment = null, string password = DemoData.Password)
    {
        var signature = new JsonObject { ["password"] = password, ["meaning"] = meaning };
        if (comment is not null) signature["comment"] = comment;
        return signature;
    }

    /// <summary>The typed signature a service takes, as a page passes it.</summary>
    public static SignatureInput Input(string meaning = SignatureMeanings.Approved, string? comment = null, string? password = DemoData.Password) =>
        new(password, meaning, comment);

    /// <summary><paramref name="body"/> (an anonymous object, a node or null) with a signature added.</summary>
    public static JsonObject Body(object? body, string meaning = SignatureMeanings.Approved, string? comment = null)
    {
        var node = body is null ? new JsonObject() : JsonSerializer.SerializeToNode(body)!.AsObject();
        node["signature"] = Signature(meaning, comment);
        return node;
    }

    /// <summary>A raw JSON object body with a signature added (its other text is kept as sent).</summary>
    public static StringContent Raw(string json, string meaning = SignatureMeanings.Approved, string? comment = null)
    {
        var trimmed = json.TrimEnd();
        if (!trimmed.EndsWith('}')) throw new ArgumentException("Raw signs JSON objects only", nameof(json));
        var inner = trimmed[..^1].TrimEnd();
        var separator = inner.EndsWith('{') ? "" : ", ";
        return Golden.Raw($"{inner}{separator}\"signature\": {Signature(meaning, comment).ToJsonString()}}}");
    }

    /// <summary>A signed DELETE (the signature travels in the body).</summary>
    public static Task<HttpResponseMessage> SignedDeleteAsync(this HttpClient client, string url, string meaning = SignatureMeanings.Approved) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url) { Content = JsonContent.Create(Body(null, meaning)) });

    /// <summary>POST with a signed JSON body.</summary>
    public static Task<HttpResponseMessage> PostSignedAsync(this HttpClient client, string url, object? body, string meaning = SignatureMeanings.Approved, string? comment = null) =>
        client.PostAsJsonAsync(url, Body(body, meaning, comment));
}
