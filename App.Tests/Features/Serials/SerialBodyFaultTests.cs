using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// Every body-taking operation of <c>/api/serials</c> refuses a body it cannot read (invalid UTF-8, an unpaired
/// surrogate escape, NUL, a key given twice, nesting 33 deep, a wrong type) with a 400 in the group's shape that names
/// the field, writes nothing, and leaves the app answering the next normal request. On both providers: PostgreSQL is
/// where a refused text could otherwise break the connection for the next request.
/// </summary>
public abstract class SerialBodyFaultTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in new[] { "batch", "attach-cert", "advance", "scrap" })
        {
            foreach (var fault in new[] { "utf8", "surrogate", "nul", "duplicate", "depth", "type" }) data.Add(operation, fault);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_body_that_cannot_be_read_is_a_400_naming_the_field_and_writes_nothing(string operation, string fault)
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var userId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var serial = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 1))["serials"]![0]!["serialNumber"]!.GetValue<string>();
        var stepId = (await SerialsKit.GetAsync(client, serial))["currentStepId"]!.GetValue<string>();

        // The operation's good body, its text field (where text faults go) and another field (for the duplicate key).
        var (path, fields, text, other, success) = operation switch
        {
            "batch" => ("batch", new[] { ("workOrderId", $"\"{order.Id}\""), ("quantity", "1"), ("certId", "\"CERT-0001\"") }, "certId", "quantity", HttpStatusCode.Created),
            "attach-cert" => ($"{serial}/attach-cert", new[] { ("certId", "\"CERT-0001\""), ("userId", $"\"{userId}\"") }, "certId", "userId", HttpStatusCode.OK),
            "advance" => ($"{serial}/advance", new[] { ("expectedStepId", $"\"{stepId}\"") }, "expectedStepId", "expectedStepId", HttpStatusCode.OK),
            _ => ($"{serial}/scrap", new[] { ("reason", "\"Dropped on the floor\"") }, "reason", "reason", HttpStatusCode.OK),
        };
        string Json(IEnumerable<(string Name, string Value)> members) => "{" + string.Join(",", members.Select(m => $"\"{m.Name}\":{m.Value}")) + "}";
        string With(string name, string value) => Json(fields.Select(f => f.Item1 == name ? (f.Item1, value) : f));

        var bytes = fault switch
        {
            "utf8" => Utf8Broken(With(text, "\"ab~~cd\"")),
            "surrogate" => Encoding.UTF8.GetBytes(With(text, "\"ab\\ud800cd\"")),
            "nul" => Encoding.UTF8.GetBytes(With(text, "\"ab\\u0000cd\"")),
            "duplicate" => Encoding.UTF8.GetBytes(Json([.. fields, (other, fields.First(f => f.Item1 == other).Item2)])),
            "depth" => Encoding.UTF8.GetBytes(Json([.. fields, ("nested", new string('[', 32) + new string(']', 32))])),
            _ => Encoding.UTF8.GetBytes(With(text, "42")),
        };
        var field = fault == "duplicate" ? other : fault == "depth" ? "nested" : text;

        var before = await SerialsKit.CountsAsync(app);
        var refused = await PostAsync(client, path, bytes);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{(int)refused.StatusCode}: {body}");
        var json = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.False(string.IsNullOrWhiteSpace(json["error"]!.GetValue<string>()));
        Assert.StartsWith(field, json["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(before, await SerialsKit.CountsAsync(app));

        var accepted = await PostAsync(client, path, Encoding.UTF8.GetBytes(Json(fields)));
        Assert.True(accepted.StatusCode == success, $"{(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
    }

    /// <summary>The body's text with "~~" replaced by a byte pair that is no UTF-8 (0xC3 followed by an ASCII byte).</summary>
    private static byte[] Utf8Broken(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = Encoding.UTF8.GetString(bytes).IndexOf("~~", StringComparison.Ordinal);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        return bytes;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return client.PostAsync($"{SerialsKit.Path}/{path}", content);
    }
}

public sealed class SqliteSerialBodyFaultTests(OperatorFactory app) : SerialBodyFaultTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresSerialBodyFaultTests(PostgresOperatorFactory app) : SerialBodyFaultTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
