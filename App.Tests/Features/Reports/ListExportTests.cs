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

    [Theory]
    [InlineData("/api/parts", "number", "sort=-number")]
    [InlineData("/api/work-orders", "number", "")]
    [InlineData("/api/license-plates", "number", "")]
    [InlineData("/api/batches", "number", "")]
    public async Task Master_data_export_has_the_list_items_of_the_same_filter(string list, string key, string sort)
    {
        var client = await app.ClientForAsync(DemoUsers.Viewer);
        await SerialsKit.NewWorkOrderAsync(app);
        await SerialsKit.NewWorkOrderAsync(app);
        var all = await ListItemsAsync(client, $"{list}?{ListFilter(sort)}");
        Assert.True(all.Count >= 2, $"{list} needs two rows to filter one out");
        var wanted = all[^1]![key]!.GetValue<string>();
        foreach (var filter in new[] { sort, $"search={Uri.EscapeDataString(wanted)}", $"search={Uri.EscapeDataString(wanted)}&limit=1" })
        {
            var items = await ListItemsAsync(client, $"{list}?{ListFilter(filter)}");
            var (headers, csv) = await ExportAsync(client, $"{list}/export?{filter}");
            Assert.Matches(@"^[a-z-]+-\d{8}-\d{6}\.csv$", headers.ContentDisposition?.FileName);
            AssertSameRows(items, csv);
        }
        var (_, searched) = await ExportAsync(client, $"{list}/export?search={Uri.EscapeDataString(wanted)}");
        Assert.DoesNotContain(all[0]![key]!.GetValue<string>() + ",", searched.Replace(wanted + ",", ""));
        Assert.True(CsvTableTests.Parse(searched).Count - 1 < all.Count, "the search filtered rows out");

        var bad = await client.GetAsync($"{list}/export?sort=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(await (await client.GetAsync($"{list}?sort=bogus")).Content.ReadAsStringAsync(), await bad.Content.ReadAsStringAsync());
        var anonymous = await app.CreateClient().GetAsync($"{list}/export");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Paths_export_lists_each_path_with_its_steps_in_order()
    {
        var client = await app.ClientForAsync(DemoUsers.Viewer);
        var all = await ListItemsAsync(client, "/api/paths?limit=500");
        var (_, csv) = await ExportAsync(client, "/api/paths/export");
        var records = CsvTableTests.Parse(csv);
        Assert.Equal(["id", "code", "name", "partId", "stepCount", "steps"], records[0]);
        Assert.Equal(all.Count, records.Count - 1);
        for (var i = 0; i < all.Count; i++)
        {
            var steps = all[i]!["steps"]!.AsArray().Select(st => st!["code"]!.GetValue<string>()).ToList();
            Assert.Equal([all[i]!["id"]!.GetValue<string>(), Cell(all[i]!["code"]), Cell(all[i]!["name"]), Cell(all[i]!["partId"]), steps.Count.ToString(CultureInfo.InvariantCulture),
                CsvTableTests.Parse(CsvTable.Field(string.Join(" > ", steps)) + "\r\n")[0][0]], records[i + 1]);
        }
        var code = all[0]!["code"]!.GetValue<string>();
        var (_, one) = await ExportAsync(client, $"/api/paths/export?search={Uri.EscapeDataString(code)}");
        Assert.Equal((await ListItemsAsync(client, $"/api/paths?search={Uri.EscapeDataString(code)}")).Count, CsvTableTests.Parse(one).Count - 1);
    }

    [Fact]
    public async Task Audit_export_has_the_list_entries_of_the_same_search_for_admins_only()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var sku = $"X{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        var created = await admin.PostAsJsonAsync("/api/parts", new { number = sku, sku, name = "-2+3 audit export" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var partId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var items = await ListItemsAsync(admin, $"/api/audit?search={partId}&limit=500");
        Assert.NotEmpty(items);
        var (headers, csv) = await ExportAsync(admin, $"/api/audit/export?search={partId}");
        Assert.Matches(@"^audit-\d{8}-\d{6}\.csv$", headers.ContentDisposition?.FileName);
        AssertSameRows(items, csv);

        foreach (var email in new[] { DemoUsers.Viewer, DemoUsers.Operator, DemoUsers.Manager })
        {
            var client = await app.ClientForAsync(email);
            var list = await client.GetAsync("/api/audit");
            var export = await client.GetAsync("/api/audit/export");
            Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
            Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await list.Content.ReadAsStringAsync(), await export.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Certificate_attachments_export_has_the_attachment_list_of_that_certificate()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var certificate = await NewCertificateAsync(client);
        var other = await NewCertificateAsync(client);
        var units = await SerialsKit.NewSerialsAsync(app, client, 3, certificate);
        var elsewhere = await SerialsKit.NewSerialsAsync(app, client, 1, other);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var items = await ListItemsAsync(viewer, $"/api/certificates/{certificate}/attachments?limit=500");
        var (headers, csv) = await ExportAsync(viewer, $"/api/certificates/{certificate}/attachments/export");
        Assert.Matches(@"^certificate-attachments-\d{8}-\d{6}\.csv$", headers.ContentDisposition?.FileName);
        AssertSameRows(items, csv);
        Assert.Equal(3, items.Count);
        Assert.All(units, u => Assert.Contains(u, csv));
        Assert.DoesNotContain(elsewhere[0], csv);

        var missing = Guid.NewGuid();
        var list = await viewer.GetAsync($"/api/certificates/{missing}/attachments");
        var export = await viewer.GetAsync($"/api/certificates/{missing}/attachments/export");
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        Assert.Equal(await list.Content.ReadAsStringAsync(), await export.Content.ReadAsStringAsync());
        var foreign = await (await app.ClientForAsync(DemoUsers.OtherAdmin)).GetAsync($"/api/certificates/{certificate}/attachments/export");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Theory]
    [InlineData("/api/serials/export", "serials")]
    [InlineData("/api/quality/holds/export", "holds")]
    [InlineData("/api/certificates/export", "certificates")]
    [InlineData("/api/parts/export", "parts")]
    [InlineData("/api/license-plates/export", "license-plates")]
    public async Task Xlsx_export_holds_the_same_rows_as_the_csv(string route, string sheet)
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        await SerialsKit.BatchAsync(client, order.Id.ToString(), 3);
        var (_, csv) = await ExportAsync(client, route);

        var response = await client.GetAsync($"{route}?format=xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(XlsxResult.ContentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches($@"^{sheet}-\d{{8}}-\d{{6}}\.xlsx$", response.Content.Headers.ContentDisposition?.FileName);
        var (name, rows, _) = XlsxReader.Read(bytes);
        Assert.Equal(sheet, name);
        AssertSameCells(CsvTableTests.Parse(csv), rows);
    }

    [Fact]
    public async Task Xlsx_cells_are_text_never_formulas_and_guarded_as_in_the_csv()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var orgId = await app.OrganizationIdAsync("MA01");
        var number = $"X{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        await using (var db = app.RawDb())
        {
            db.Add(new Part { OrganizationId = orgId, Number = number, Sku = number, Name = "=HYPERLINK(\"http://evil\",\"a, b\")", Description = "@SUM(1+1)", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var order = await SerialsKit.NewWorkOrderAsync(app, partNumber: number);
        await SerialsKit.BatchAsync(client, order.Id.ToString(), 1);

        foreach (var (route, column, text) in new[]
        {
            ($"/api/serials/export?workOrderId={order.Id}&format=xlsx", "partName", "'=HYPERLINK(\"http://evil\",\"a, b\")"),
            ($"/api/parts/export?search={number}&format=xlsx", "description", "'@SUM(1+1)"),
        })
        {
            var response = await client.GetAsync(route);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var (_, rows, formulas) = XlsxReader.Read(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(0, formulas);
            var row = Assert.Single(rows.Skip(1));
            Assert.Equal(text, row[Array.IndexOf(rows[0], column)]);
        }
    }

    [Fact]
    public async Task Export_with_an_unknown_format_is_refused_in_the_groups_shape()
    {
        var client = await app.ClientForAsync(DemoUsers.Viewer);
        foreach (var route in new[] { "/api/serials/export", "/api/quality/holds/export", "/api/parts/export", "/api/certificates/export" })
        {
            var response = await client.GetAsync($"{route}?format=pdf");
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("format must be csv or xlsx", text);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/serials/export?format=CSV")).StatusCode);
    }

    [Fact]
    public async Task Xlsx_export_rows_reach_the_client_while_the_query_is_still_open()
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
        // A workbook without rows: what the writer sends whatever the row count.
        var empty = (await client.GetByteArrayAsync($"/api/serials/export?workOrderId={Guid.NewGuid()}&format=xlsx")).Length;

        using var failSafe = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var response = await client.GetAsync($"/api/serials/export?workOrderId={order.Id}&format=xlsx", HttpCompletionOption.ResponseHeadersRead, failSafe.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync(failSafe.Token);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        // The export is held after 1,500 of its 2,000 rows until the test lets it go: more bytes than an empty workbook can
        // only have come from rows sent while the query was open (a buffering writer would hang here until the fail-safe).
        while (received.Length <= 2 * empty)
        {
            var read = await stream.ReadAsync(buffer, failSafe.Token);
            Assert.True(read > 0, "the file ended early");
            received.Write(buffer, 0, read);
        }
        Assert.False(gate.Released);

        await gate.Reached.Task.WaitAsync(failSafe.Token);
        gate.Release();
        await stream.CopyToAsync(received, failSafe.Token);
        var (_, rows, _) = XlsxReader.Read(received.ToArray());
        Assert.Equal(2_001, rows.Count);
        Assert.Contains(order.Number, rows[1][Array.IndexOf(rows[0], "workOrderNumber")]);
    }

    private static async Task<string> NewCertificateAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/certificates", new { type = "material", issuer = "Export Mill", issuedAt = DateTime.UtcNow.AddDays(-1) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>The workbook's cells as the CSV's: text equal, numbers equal, times within the second the CSV rounds to.</summary>
    internal static void AssertSameCells(List<string[]> csv, List<string[]> xlsx)
    {
        Assert.Equal(csv.Count, xlsx.Count);
        for (var r = 0; r < csv.Count; r++)
        {
            Assert.Equal(csv[r].Length, xlsx[r].Length);
            for (var c = 0; c < csv[r].Length; c++)
            {
                if (xlsx[r][c].StartsWith(XlsxReader.DatePrefix, StringComparison.Ordinal))
                {
                    var at = DateTime.Parse(xlsx[r][c][XlsxReader.DatePrefix.Length..], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    var expected = DateTime.Parse(csv[r][c], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    Assert.True(Math.Abs((at - expected).TotalSeconds) < 1, $"row {r} column {csv[0][c]}: {at:o} vs {csv[r][c]}");
                }
                else
                {
                    Assert.Equal(csv[r][c], xlsx[r][c]);
                }
            }
        }
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

    internal static async Task<(HttpContentHeaders Headers, string Text)> ExportAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        return (response.Content.Headers, Encoding.UTF8.GetString(bytes[3..]));
    }

    private static string[] Header(string csv) => CsvTableTests.Parse(csv)[0];

    /// <summary>The export's header is the item's field names and each row the item's values, in the list's order.</summary>
    internal static void AssertSameRows(JsonArray items, string csv)
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
    internal static IEnumerable<KeyValuePair<string, JsonNode?>> Flatten(JsonObject item, string prefix) =>
        item.SelectMany(p => p.Value is JsonObject inner ? Flatten(inner, $"{prefix}{p.Key}.") : [new KeyValuePair<string, JsonNode?>(prefix + p.Key, p.Value)]);

    /// <summary>What a JSON value looks like in a cell: text as given (formula-guarded), times to the second in UTC.</summary>
    internal static string Cell(JsonNode? value) => value switch
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
