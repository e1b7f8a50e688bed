using System.Text;
using Operator.Features.Verification;
using Operator.Infrastructure.Api;

namespace Operator.Tests.Infrastructure;

public sealed class StableJsonTests
{
    private static VerifyResponse Response(string status) => new(true, true, true, "CODE", status, "oem", "piece",
        new VerifyData("AC01", "VLV", "2025-01-01T00:00:00Z", status, "auto_job", "public", null), null);

    [Fact]
    public void A_stable_value_is_serialized_once_per_options_and_as_the_serializer_would()
    {
        var response = Response("active");
        var first = response.Json.Utf8(response, ApiStyle.SnakeCase);
        Assert.Same(first, response.Json.Utf8(response, ApiStyle.SnakeCase));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(response, ApiStyle.SnakeCase), Encoding.UTF8.GetString(first));
        Assert.Contains("\"production_type\":\"oem\"", Encoding.UTF8.GetString(first));
        Assert.DoesNotContain("json", Encoding.UTF8.GetString(first), StringComparison.OrdinalIgnoreCase);

        var camel = response.Json.Utf8(response, ApiStyle.CamelCase);
        Assert.Contains("\"productionType\":\"oem\"", Encoding.UTF8.GetString(camel));
    }

    [Fact]
    public void The_memo_leaves_the_records_value_equality_alone()
    {
        var rendered = Response("active");
        rendered.Json.Utf8(rendered, ApiStyle.SnakeCase);
        Assert.Equal(Response("active"), rendered);
        Assert.NotEqual(Response("scrapped"), rendered);
    }
}
