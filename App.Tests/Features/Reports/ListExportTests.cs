using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.MasterData;
using Operator.Features.Reports;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Reports;

/// <summary>
/// The lists' CSV exports through real HTTP on SQLite and PostgreSQL: an export's rows are the list API's items for the
/// same filter, cells are quoted and guarded, organizations and roles behave as on the list, errors keep the group's
/// shape, and rows reach the client while the query is still open.
/// </summary>
public abstract class ListExportTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task Serials_export_has_the_list_items_of_the_same_filter()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        await SerialsKit.BatchAsync(client, order.Id.ToString(), 7);
        var second = await SerialsKit.NewSerialsAsync(app, client, 3);
        await SerialsKit.ScrapAsync(client, second[1]);

        foreach (var filter in new[] { $"workOrderId={order.Id}", "status=scrapped", $"search={second[0][..^1].ToLowerInvariant()}", $"workOrderId={order.Id}&status=in_progress&limit=2" })
        {
            var list = await ListItemsAsync(client, $"/api/serials?{ListFilter(filter)}");
            var (headers, csv) = await ExportAsync(client, $"/api/serials/export?{filter}");
            Assert.Equal("text/csv; charset=utf-8", headers.ContentType?.ToString());
            Assert.Equal("attachment", headers.ContentDisposition?.DispositionType);
            Assert.Matches(@"^serials-\d{8}-\d{6}\.csv$", headers.ContentDisposition?.FileName);
            AssertSameRows(list, csv);
        }
    }

    [Fact]
    public async Task Holds_export_has_the_list_items_of_the_same_filter()
    {
        var client = await app.ClientForAsync(DemoUsers.Viewer);
        foreach (var filter in new[] { "", "status=active", "priority=critical,high&sort=priority%20DESC", "hold_type=investigation&sort=hold_number", "search=LP", "status=released,disposed&limit=1" })
        {
            var response = await client.GetAsync($"/api/quality/holds?{ListFilter(filter, 100)}");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
            Assert.True(body["pagination"]!["total"]!.GetValue<int>() <= 100, "the comparison needs the whole filter on one page");
            var (headers, csv) = await ExportAsync(client, $"/api/quality/holds/export?{filter}");
            Assert.Matches(@"^holds-\d{8}-\d{6}\.csv$", headers.ContentDisposition?.FileName);
            AssertSameRows(body["holds"]!.AsArray(), csv);
        }

        var list = await client.GetAsync("/api/quality/holds?status=bogus");
        var export = await client.GetAsync("/api/quality/holds/export?status=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
        Assert.Equal(await list.Content.ReadAsStringAsync(), await export.Content.ReadAsStringAsync());

        var anonymous = await app.CreateClient().GetAsync("/api/quality/holds/export");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Certificates_export_has_the_list_items_of_the_same_filter()
    {
        var client = await app.ClientForAsync(DemoUsers.Viewer);
        foreach (var filter in new[] { "", "type=material", "search=cert-000" })
        {
            var list = await ListItemsAsync(client, $"/api/certificates?{ListFilter(filter)}");
            var (headers, csv) = await ExportAsync(client, $"/api/certificates/export?{filter}");
            Assert.Matches(@"^certificates-\d{8}-\d{6}\.csv$", headers.ContentDisposition?.FileName);
            AssertSameRows(list, csv);
        }
        var bad = await client.GetAsync("/api/certificates/export?type=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(await (await client.GetAsync("/api/certificates?type=bogus")).Content.ReadAsStringAsync(), await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Export_cells_are_quoted_and_formulas_guarded()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var orgId = await app.OrganizationIdAsync("MA01");
        var number = $"X{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        await using (var db = app.RawDb())
        {
            db.Add(new Part { OrganizationId = orgId, Number = number, Sku = number, Name = "=HYPERLINK(\"http://evil\",\"a, b\")", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var order = await SerialsKit.NewWorkOrderAsync(app, partNumber: number);
        await SerialsKit.BatchAsync(client, order.Id.ToString(), 1);

        var (_, csv) = await ExportAsync(client, $"/api/serials/export?workOrderId={order.Id}");
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"a, b\"\")\",", csv);
        var row = Assert.Single(CsvTableTests.Parse(csv).Skip(1));
        Assert.Equal("'=HYPERLINK(\"http://evil\",\"a, b\")", row[Array.IndexOf(Header(csv), "partName")]);
    }

    [Fact]
    public async Task Export_sees_only_the_callers_organization_and_every_role_that_reads_the_list()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        await SerialsKit.BatchAsync(client, order.Id.ToString(), 2);

        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var (_, foreign) = await ExportAsync(other, $"/api/serials/export?workOrderId={order.Id}");
        Assert.Single(CsvTableTests.Parse(foreign));
        var (_, everything) = await ExportAsync(other, "/api/serials/export");
        Assert.DoesNotContain(order.Number, everything);
        AssertSameRows(await ListItemsAsync(other, "/api/serials?limit=500"), everything);

        foreach (var email in DemoUsers.All)
        {
            var (_, csv) = await ExportAsync(await app.ClientForAsync(email), $"/api/serials/export?workOrderId={order.Id}");
            Assert.Equal(3, CsvTableTests.Parse(csv).Count);
        }

        var anonymous = await app.CreateClient().GetAsync($"/api/serials/export?workOrderId={order.Id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Export_with_a_bad_filter_answers_like_the_list()
    {
        var client = await app.ClientForAsync(DemoUsers.Viewer);
        foreach (var query in new[] { "status=bogus", "partId=not-a-guid", "search=a%01b" })
        {
            var list = await client.GetAsync($"/api/serials?{query}");
            var export = await client.GetAsync($"/api/serials/export?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
            Assert.Equal(list.StatusCode, export.StatusCode);
            Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await list.Content.ReadAsStringAsync(), await export.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Export_rows_reach_the_client_while_the_query_is_still_open()
    {
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        await SerialsKit.BatchAsync(operatorClient, order.Id.ToString(), 2_000);

        var gate = new HoldingProbe(holdAfter: 1_500);
        await using var held = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ICsvExportProbe>(gate)));
        var client = held.CreateClient();
        var session = await client.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Viewer, password = DemoData.Password });
        var token = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var failSafe = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var response = await client.GetAsync($"/api/serials/export?workOrderId={order.Id}", HttpCompletionOption.ResponseHeadersRead, failSafe.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(failSafe.Token), Encoding.UTF8);
        var header = await reader.ReadLineAsync(failSafe.Token);
        var first = await reader.ReadLineAsync(failSafe.Token);
        // The export is held after 1,500 of its 2,000 rows until the test lets it go, so the server cannot have finished:
        // these lines were sent while the query was open.
        Assert.False(gate.Released);
        Assert.StartsWith("id,serialNumber,", header);
        Assert.Contains(order.Number, first);

        var rest = reader.ReadToEndAsync(failSafe.Token);
        await gate.Reached.Task.WaitAsync(failSafe.Token);
        gate.Release();
        Assert.Equal(2_000, 1 + CsvTableTests.Parse(await rest).Count);
    }

    private sealed class HoldingProbe(long holdAfter) : ICsvExportProbe
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Released => _release.Task.IsCompleted;

        public void Release() => _release.TrySetResult();

        public async ValueTask RowWrittenAsync(long rows, CancellationToken ct)
        {
            if (rows != holdAfter) return;
            Reached.TrySetResult();
            await _release.Task.WaitAsync(ct);
        }
    }

    /// <summary>The list's query for an export's filter: the whole filter on one page.</summary>
    private static string ListFilter(string filter, int limit = 500) =>
        string.Join('&', filter.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("limit=", StringComparison.Ordinal)).Append($"limit={limit}"));

    private static async Task<JsonArray> ListItemsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.True(body["total"]!.GetValue<int>() <= 100, "the comparison needs the whole filter on one page");
        return body["items"]!.AsArray();
    }

    private static async Task<(HttpContentHeaders Headers, string Text)> ExportAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        return (response.Content.Headers, Encoding.UTF8.GetString(bytes[3..]));
    }

    private static string[] Header(string csv) => CsvTableTests.Parse(csv)[0];

    /// <summary>The export's header is the item's field names and each row the item's values, in the list's order.</summary>
    private static void AssertSameRows(JsonArray items, string csv)
    {
        var records = CsvTableTests.Parse(csv);
        var header = records[0];
        Assert.Equal(items.Count, records.Count - 1);
        for (var i = 0; i < items.Count; i++)
        {
            var item = Flatten(items[i]!.AsObject(), "").ToList();
            Assert.Equal(item.Select(p => p.Key), header);
            Assert.Equal(item.Select(p => Cell(p.Value)), records[i + 1]);
        }
    }

    /// <summary>An item's fields, those of a nested object (a hold's <c>held_by</c>) as <c>held_by.name</c>.</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> Flatten(JsonObject item, string prefix) =>
        item.SelectMany(p => p.Value is JsonObject inner ? Flatten(inner, $"{prefix}{p.Key}.") : [new KeyValuePair<string, JsonNode?>(prefix + p.Key, p.Value)]);

    /// <summary>What a JSON value looks like in a cell: text as given (formula-guarded), times to the second in UTC.</summary>
    private static string Cell(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var s
            && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            && s.Contains('T') => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => CsvTableTests.Parse(CsvTable.Field(v.GetValue<string>()) + "\r\n")[0][0],
        _ => value.ToJsonString(),
    };
}

public sealed class SqliteListExportTests(OperatorFactory app) : ListExportTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG.</summary>
public sealed class PostgresListExportTests(PostgresOperatorFactory app) : ListExportTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
