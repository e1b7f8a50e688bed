using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// The section's list query strings are typed once at the group's edge (issue 14): text that is no number, no boolean or
/// no uuid is the spec's VALIDATION_ERROR naming the parameter, in the words of its rule, and the document still names
/// every query parameter.
/// </summary>
public sealed class ListQueryTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private const string LimitMessage = "limit must be an integer between 1 and 500";
    private const string OffsetMessage = "offset must be an integer of 0 or more";

    /// <summary>Every list of the section with the parameters it takes (path ids filled in by <see cref="UrlAsync"/>).</summary>
    public static TheoryData<string, string, string, string> BadParameters => new()
    {
        { "triggers/part/{part}", "limit=abc", "limit", LimitMessage },
        { "triggers/part/{part}", "offset=-1", "offset", OffsetMessage },
        { "vendor/part/{part}", "limit=abc", "limit", LimitMessage },
        { "vendor/part/{part}", "offset=-1", "offset", OffsetMessage },
        { "system-generated/part/{part}", "limit=abc", "limit", LimitMessage },
        { "system-generated/part/{part}", "offset=-1", "offset", OffsetMessage },
        { "system-generated/part/{part}", "workOrderId=x", "workOrderId", "Invalid uuid" },
        { "late-assignment/pending", "limit=abc", "limit", LimitMessage },
        { "late-assignment/pending", "offset=-1", "offset", OffsetMessage },
        { "late-assignment/pending", "partId=x", "partId", "Invalid uuid" },
        { "formats", "limit=abc", "limit", LimitMessage },
        { "formats", "offset=-1", "offset", OffsetMessage },
        { "formats", "isActive=maybe", "isActive", "isActive must be true or false" },
        { "formats/{format}/preview", "count=x", "count", "count must be an integer between 1 and 50" },
        { "formats/{format}/preview", "partId=x", "partId", "Invalid uuid" },
        { "trigger-events", "limit=abc", "limit", LimitMessage },
        { "trigger-events", "offset=-1", "offset", OffsetMessage },
        { "trigger-events", "status=lost", "status", "status must be one of open, pending, failed, done" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task A_parameter_that_is_no_value_of_its_type_is_a_validation_error_naming_it(string path, string query, string field, string message)
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var error = await FailsAsync(await admin.GetAsync($"{await UrlAsync(admin, path)}?{query}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("Invalid input data", error["message"]!.GetValue<string>());
        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal((field, message), (detail["field"]!.GetValue<string>(), detail["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Several_wrong_parameters_are_answered_together_in_the_order_of_the_parameters()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var operation = new string('O', 41);
        var pending = await FailsAsync(await admin.GetAsync($"{Base}/late-assignment/pending?operationCode={operation}&workOrderId=y&partId=x&offset=-1&limit=abc"),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["limit", "offset", "partId", "workOrderId", "operationCode"], Fields(pending));

        var formats = await FailsAsync(await admin.GetAsync($"{Base}/formats?isActive=maybe&offset=x&limit=0"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["limit", "offset", "isActive"], Fields(formats));

        var part = await NewPartAsync(app);
        var vendor = await FailsAsync(await admin.GetAsync($"{Base}/vendor/part/{part.Id}?status=pending&limit=abc"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["limit", "status"], Fields(vendor));

        var preview = await FailsAsync(await admin.GetAsync($"{await UrlAsync(admin, "formats/{format}/preview")}?siteId={new string('S', 51)}&partId=x&count=x"),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["count", "partId", "siteId"], Fields(preview));

        // The status rule and a page that is no number are one answer, not the first of them.
        var events = await FailsAsync(await admin.GetAsync($"{Base}/trigger-events?offset=-1&limit=abc&status=lost"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["status", "limit", "offset"], Fields(events));
    }

    [Fact]
    public async Task Good_parameters_still_page_and_filter()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        await ReceiveAsync(admin, part.Id, "VS-Q-1");
        await ReceiveAsync(admin, part.Id, "VS-Q-2");
        var page = await OkAsync(await admin.GetAsync($"{Base}/vendor/part/{part.Id}?status=PENDING&limit=1&offset=1"));
        Assert.Equal((2, 1, 1, 1), (page["total"]!.GetValue<int>(), page["limit"]!.GetValue<int>(), page["offset"]!.GetValue<int>(), page["data"]!.AsArray().Count));

        var format = await CreateFormatAsync(admin, "Q-{SEQ:4}");
        var preview = await OkAsync(await admin.GetAsync($"{Base}/formats/{format}/preview?count=3"));
        Assert.Equal(3, preview["numbers"]!.AsArray().Count);
        var active = await OkAsync(await admin.GetAsync($"{Base}/formats?isActive=true&limit=500"));
        Assert.Contains(active["data"]!.AsArray(), f => f!["id"]!.GetValue<string>() == format.ToString());
        var inactive = await OkAsync(await admin.GetAsync($"{Base}/formats?isActive=false&limit=500"));
        Assert.DoesNotContain(inactive["data"]!.AsArray(), f => f!["id"]!.GetValue<string>() == format.ToString());
        await OkAsync(await admin.GetAsync($"{Base}/trigger-events?status=done&limit=1&offset=0"));
    }

    [Fact]
    public async Task The_document_names_the_query_parameters_of_every_list()
    {
        var doc = (await app.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
        var expected = new (string Path, string[] Query)[]
        {
            ("/triggers/part/{partId}", ["limit", "offset"]),
            ("/vendor/part/{partId}", ["status", "limit", "offset"]),
            ("/system-generated/part/{partId}", ["workOrderId", "limit", "offset"]),
            ("/late-assignment/pending", ["partId", "workOrderId", "operationCode", "limit", "offset"]),
            ("/formats", ["isActive", "limit", "offset"]),
            ("/formats/{formatId}/preview", ["count", "partId", "siteId"]),
            ("/trigger-events", ["status", "limit", "offset"]),
        };
        foreach (var (path, query) in expected)
        {
            var parameters = doc["paths"]![Base + path]!["get"]!["parameters"]!.AsArray()
                .Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToList();
            Assert.True(query.Order().SequenceEqual(parameters.Order()), $"{path}: {string.Join(", ", parameters)}");
        }
    }

    private async Task<string> UrlAsync(HttpClient admin, string path)
    {
        if (path.Contains("{part}")) path = path.Replace("{part}", (await NewPartAsync(app)).Id.ToString());
        if (path.Contains("{format}")) path = path.Replace("{format}", (await CreateFormatAsync(admin, "LQ-{SEQ:4}")).ToString());
        return $"{Base}/{path}";
    }
}
