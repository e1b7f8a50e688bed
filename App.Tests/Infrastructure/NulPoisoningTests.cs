using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// A request the database refuses must leave nothing behind for the next one: on PostgreSQL a search holding U+0000
/// once left a pooled connection out of step with its server, and the next request of any user on that connection
/// answered 500. A NUL in a query string or route value is refused before any database sees it, on both providers.
/// </summary>
public abstract class NulPoisoningTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    public static readonly string[] Lists =
    [
        "/api/license-plates", "/api/parts", "/api/paths", "/api/work-orders", "/api/locations", "/api/batches", "/api/users",
        "/api/audit", "/api/serials", "/api/certificates",
    ];

    private static StringContent Labels(string number) =>
        new($$"""{"serialNumbers":["{{number}}"]}""", Encoding.UTF8, "application/json");

    private async Task<string> SomeSerialAsync(HttpClient admin)
    {
        var serials = await admin.GetFromJsonAsync<JsonNode>("/api/serials?limit=1");
        return serials!["items"]![0]!["serialNumber"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_refused_nul_never_breaks_the_requests_that_follow()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var serial = await SomeSerialAsync(admin);
        for (var round = 0; round < 3; round++)
        {
            foreach (var list in Lists)
            {
                var before = await admin.GetAsync($"{list}?search=abc");
                Assert.True(before.StatusCode == HttpStatusCode.OK, $"{list} before: {(int)before.StatusCode} {await before.Content.ReadAsStringAsync()}");

                var hostile = await admin.GetAsync($"{list}?search=a%00b");
                Assert.True(hostile.StatusCode == HttpStatusCode.BadRequest, $"{list} NUL: {(int)hostile.StatusCode} {await hostile.Content.ReadAsStringAsync()}");
                var text = await hostile.Content.ReadAsStringAsync();
                Assert.Contains("search", text);
                Assert.Contains("NUL", text);

                var after = await admin.GetAsync($"{list}?search=abd");
                Assert.True(after.StatusCode == HttpStatusCode.OK, $"{list} after: {(int)after.StatusCode} {await after.Content.ReadAsStringAsync()}");
            }

            var labels = await admin.PostAsync("/api/labels", Labels(serial));
            Assert.True(labels.StatusCode == HttpStatusCode.OK, $"labels before: {(int)labels.StatusCode}");
            var hostileLabels = await admin.PostAsync("/api/labels", Labels(serial + "\\u0000x"));
            Assert.True(hostileLabels.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
                $"labels NUL: {(int)hostileLabels.StatusCode} {await hostileLabels.Content.ReadAsStringAsync()}");
            var labelsAfter = await admin.PostAsync("/api/labels", Labels(serial));
            Assert.True(labelsAfter.StatusCode == HttpStatusCode.OK, $"labels after: {(int)labelsAfter.StatusCode} {await labelsAfter.Content.ReadAsStringAsync()}");
        }

        for (var i = 0; i < 100; i++)
        {
            var list = Lists[i % Lists.Length];
            var response = await admin.GetAsync($"{list}?search=ab{i}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{list} normal #{i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("/api/parts?search=a%00b", "search")]
    [InlineData("/api/serials?partId=a%00b", "partId")]
    [InlineData("/api/certificates?type=a%00b", "type")]
    [InlineData("/api/quality/holds?search=a%00b", "search")]
    [InlineData("/api/v1/serialization/vendor/part/P-1?status=a%00b", "status")]
    public async Task A_nul_in_a_query_string_or_route_value_is_a_400_naming_the_parameter(string url, string parameter)
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var response = await admin.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Contains(parameter, text);
    }

    /// <summary>Servers refuse %00 in a path before routing, so a route value with U+0000 is checked without one.</summary>
    [Fact]
    public async Task A_nul_in_a_route_value_is_refused_by_the_groups_filter()
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = app.Services };
        http.Request.RouteValues["id"] = "SN\0X";
        http.Response.Body = new MemoryStream();
        var called = false;
        var result = await new Operator.Infrastructure.Api.NulTextFilter().InvokeAsync(
            new Microsoft.AspNetCore.Http.DefaultEndpointFilterInvocationContext(http),
            _ => { called = true; return ValueTask.FromResult<object?>(null); });
        Assert.False(called);
        await ((Microsoft.AspNetCore.Http.IResult)result!).ExecuteAsync(http);
        Assert.Equal(400, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        Assert.Contains("id must not contain the NUL character", body);
    }
}

public sealed class SqliteNulPoisoningTests(OperatorFactory app) : NulPoisoningTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresNulPoisoningTests(PostgresOperatorFactory app) : NulPoisoningTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
