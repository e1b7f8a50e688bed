using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Operator.Features.Reports;
using Operator.Tests.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Reports;

/// <summary>
/// The four list exports of <c>/api/v1/serialization</c> (vendor serials of a part, pending placeholders, a part's
/// propagation history, pending uniqueness conflicts) through real HTTP on SQLite and PostgreSQL: rows are the list's
/// items for the same filter, and refusals are the list's envelope, before any file starts.
/// </summary>
public abstract class SerializationListExportTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task Vendor_serials_export_has_the_list_items_of_the_same_filter()
    {
        var (part, _) = await WorkflowKit.NewPartAsync(app);
        var (other, _) = await WorkflowKit.NewPartAsync(app);
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var numbers = Enumerable.Range(0, 3).Select(_ => Number("VS")).ToList();
        var ids = new List<Guid>();
        foreach (var n in numbers) ids.Add(await WorkflowKit.ReceiveAsync(operatorClient, part, n, "=Vendor, Inc"));
        var elsewhere = Number("VS");
        await WorkflowKit.ReceiveAsync(operatorClient, other, elsewhere);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        await WorkflowKit.OkAsync(await manager.PostSignedAsync($"{WorkflowKit.Base}/vendor/{ids[0]}/accept", new { internalSerialId = Number("IN") }));
        await WorkflowKit.OkAsync(await manager.PostSignedAsync($"{WorkflowKit.Base}/vendor/{ids[1]}/reject", new { rejectionReason = "Label unreadable" }, "rejected", "Label unreadable"));

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var route = $"{WorkflowKit.Base}/vendor/part/{part}";
        await AssertExportsAsync(viewer, route, ["", "status=ACCEPTED", "status=PENDING", "status=REJECTED&limit=1&offset=0"], "vendor-serials");

        var (_, all) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export");
        Assert.Equal(4, CsvTableTests.Parse(all).Count);
        Assert.DoesNotContain(elsewhere, all);
        var (_, accepted) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export?status=ACCEPTED");
        Assert.Contains(numbers[0], accepted);
        Assert.DoesNotContain(numbers[2], accepted);

        await AssertRefusedLikeTheListAsync(viewer, route, "status=bogus", HttpStatusCode.BadRequest);
        await AssertRefusedLikeTheListAsync(viewer, route, "limit=0", HttpStatusCode.BadRequest);
        await AssertRefusedLikeTheListAsync(viewer, $"{WorkflowKit.Base}/vendor/part/{Guid.NewGuid()}", "", HttpStatusCode.NotFound);
        await AssertRefusedLikeTheListAsync(await app.ClientForAsync(DemoUsers.OtherAdmin), route, "", HttpStatusCode.NotFound);
        await AssertRefusedLikeTheListAsync(app.CreateClient(), route, "", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Pending_placeholders_export_has_the_list_items_of_the_same_filter()
    {
        var (part, _) = await WorkflowKit.NewPartAsync(app);
        var (other, _) = await WorkflowKit.NewPartAsync(app);
        var (order, _, _) = await WorkflowKit.NewWorkOrderAsync(app, part);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var atOperation = await WorkflowKit.CreatePlaceholderAsync(client, part, order, "OP-020");
        var onOrder = await WorkflowKit.CreatePlaceholderAsync(client, part, order, quantity: 3);
        var loose = await WorkflowKit.CreatePlaceholderAsync(client, part);
        var foreign = await WorkflowKit.CreatePlaceholderAsync(client, other);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var route = $"{WorkflowKit.Base}/late-assignment/pending";
        await AssertExportsAsync(viewer, route, [$"partId={part}", $"workOrderId={order}", $"workOrderId={order}&operationCode=OP-020", $"partId={part}&limit=1"],
            "pending-placeholders");

        var (_, ofPart) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export?partId={part}");
        Assert.Equal(4, CsvTableTests.Parse(ofPart).Count);
        Assert.All(new[] { atOperation, onOrder, loose }, id => Assert.Contains(id.ToString(), ofPart));
        Assert.DoesNotContain(foreign.ToString(), ofPart);
        var (_, atOp) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export?workOrderId={order}&operationCode=OP-020");
        Assert.Contains(atOperation.ToString(), atOp);
        Assert.DoesNotContain(onOrder.ToString(), atOp);

        await AssertRefusedLikeTheListAsync(viewer, route, "partId=not-a-uuid", HttpStatusCode.BadRequest);
        await AssertRefusedLikeTheListAsync(viewer, route, $"operationCode={new string('X', 41)}", HttpStatusCode.BadRequest);
        await AssertRefusedLikeTheListAsync(app.CreateClient(), route, "", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Propagation_history_export_has_the_history_items_of_the_same_filter()
    {
        var part = await NewPartAsync(app);
        var units = await UnitsAsync(app, 4, partId: part);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        await SplitAsync(client, units[0], [units[1], units[2]]);
        await PostOkAsync(client, "/propagation/pass-through", new { sourceSerialId = units[3], operationCode = "OP-PT", routingSequence = 7, workCenterId = "-WC 1" });
        var elsewhere = await UnitsAsync(app, 2, partId: await NewPartAsync(app));
        await SplitAsync(client, elsewhere[0], [elsewhere[1]]);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var route = $"{WorkflowKit.Base}/propagation/history/{part}";
        await AssertExportsAsync(viewer, route, ["", "propagationType=SPLIT", "operationCode=OP-PT", "propagationType=MERGE", "limit=1"], "propagation-history");

        var (_, all) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export");
        Assert.Equal(4, CsvTableTests.Parse(all).Count);
        Assert.DoesNotContain(elsewhere[0].ToString(), all);
        var (_, splits) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export?propagationType=SPLIT");
        Assert.DoesNotContain(units[3].ToString(), splits);

        await AssertRefusedLikeTheListAsync(viewer, route, "propagationType=bogus", HttpStatusCode.BadRequest);
        await AssertRefusedLikeTheListAsync(viewer, route, "limit=501", HttpStatusCode.BadRequest);
        await AssertRefusedLikeTheListAsync(viewer, $"{WorkflowKit.Base}/propagation/history/{Guid.NewGuid()}", "", HttpStatusCode.NotFound);
        await AssertRefusedLikeTheListAsync(await app.ClientForAsync(DemoUsers.OtherAdmin), route, "", HttpStatusCode.NotFound);
        await AssertRefusedLikeTheListAsync(app.CreateClient(), route, "", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Pending_conflicts_export_has_the_list_items_of_the_same_filter()
    {
        var part = await NewPartAsync(app);
        var other = await NewPartAsync(app);
        var (number, otherNumber) = (Number("UQ"), Number("UQ"));
        var a = await UnitAsync(app, number, part);
        var b = await UnitAsync(app, number, part);
        var c = await UnitAsync(app, otherNumber, other);
        await UnitAsync(app, otherNumber, other);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var registered = await PostOkAsync(client, "/uniqueness/register", new { serialNumber = number, partId = part, scope = new[] { "PART_TYPE" }, serialId = a });
        Assert.True(registered["hasConflict"]!.GetValue<bool>());
        await PostOkAsync(client, "/uniqueness/register", new { serialNumber = otherNumber, partId = other, scope = new[] { "PART_TYPE" }, serialId = c });

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var route = $"{WorkflowKit.Base}/uniqueness/conflicts/pending";
        await AssertExportsAsync(viewer, route, [$"partId={part}", $"partId={other}", $"partId={part}&limit=1&offset=0"], "uniqueness-conflicts");

        var (_, mine) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export?partId={part}");
        var row = Assert.Single(CsvTableTests.Parse(mine).Skip(1));
        Assert.Equal(number, row[1]);
        Assert.Contains(a.ToString(), row[4]);
        Assert.Contains(b.ToString(), row[4]);
        Assert.DoesNotContain(otherNumber, mine);
        var (_, every) = await ListExportTests<TFactory>.ExportAsync(viewer, $"{route}/export");
        Assert.Contains(number, every);
        Assert.Contains(otherNumber, every);

        await AssertRefusedLikeTheListAsync(viewer, route, "limit=0", HttpStatusCode.BadRequest);
        await AssertRefusedLikeTheListAsync(viewer, route, $"partId={Guid.NewGuid()}", HttpStatusCode.NotFound);
        await AssertRefusedLikeTheListAsync(app.CreateClient(), route, "", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Vendor_serials_xlsx_holds_the_same_rows_as_the_csv_and_an_unknown_format_is_refused()
    {
        var (part, _) = await WorkflowKit.NewPartAsync(app);
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var first = await WorkflowKit.ReceiveAsync(client, part, Number("VS"), "@Vendor");
        await WorkflowKit.ReceiveAsync(client, part, Number("VS"));
        await WorkflowKit.OkAsync(await (await app.ClientForAsync(DemoUsers.Admin)).PostSignedAsync($"{WorkflowKit.Base}/vendor/{first}/accept", new { }));
        var route = $"{WorkflowKit.Base}/vendor/part/{part}/export";
        var (_, csv) = await ListExportTests<TFactory>.ExportAsync(client, route);

        var response = await client.GetAsync($"{route}?format=xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(XlsxResult.ContentType, response.Content.Headers.ContentType?.ToString());
        Assert.Matches(@"^vendor-serials-\d{8}-\d{6}\.xlsx$", response.Content.Headers.ContentDisposition?.FileName);
        var (sheet, rows, formulas) = XlsxReader.Read(bytes);
        Assert.Equal("vendor-serials", sheet);
        Assert.Equal(0, formulas);
        Assert.Equal(3, rows.Count);
        ListExportTests<TFactory>.AssertSameCells(CsvTableTests.Parse(csv), rows);

        foreach (var export in new[] { route, $"{WorkflowKit.Base}/late-assignment/pending/export", $"{WorkflowKit.Base}/propagation/history/{part}/export",
                     $"{WorkflowKit.Base}/uniqueness/conflicts/pending/export" })
        {
            var body = await WorkflowKit.FailsAsync(await client.GetAsync($"{export}?format=pdf"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
            Assert.Equal(["format"], WorkflowKit.Fields(body));
        }
    }

    /// <summary>For each filter: the export's rows are the list's items for that filter (every page of it), under a dated file name.</summary>
    private static async Task AssertExportsAsync(HttpClient client, string route, string[] filters, string fileName)
    {
        foreach (var filter in filters)
        {
            var items = await ListItemsAsync(client, $"{route}?{WholeList(filter)}");
            var (headers, csv) = await ListExportTests<TFactory>.ExportAsync(client, $"{route}/export?{filter}");
            Assert.Equal("text/csv; charset=utf-8", headers.ContentType?.ToString());
            Assert.Matches($@"^{fileName}-\d{{8}}-\d{{6}}\.csv$", headers.ContentDisposition?.FileName);
            ListExportTests<TFactory>.AssertSameRows(items, csv);
        }
    }

    /// <summary>The export refuses as the list does: same status, same envelope (its time apart), JSON.</summary>
    private static async Task AssertRefusedLikeTheListAsync(HttpClient client, string route, string query, HttpStatusCode status)
    {
        var list = await client.GetAsync($"{route}?{query}");
        var export = await client.GetAsync($"{route}/export?{query}");
        var text = await export.Content.ReadAsStringAsync();
        Assert.True(export.StatusCode == status, $"{route}/export?{query}: {(int)export.StatusCode} {text}");
        Assert.Equal(list.StatusCode, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WithoutTime(await list.Content.ReadAsStringAsync()), WithoutTime(text));
    }

    private static string WithoutTime(string envelope)
    {
        var body = JsonNode.Parse(envelope)!.AsObject();
        Assert.False(body["success"]!.GetValue<bool>());
        body.Remove("timestamp");
        return body.ToJsonString();
    }

    /// <summary>The list's query for an export's filter: the whole filter on one page.</summary>
    private static string WholeList(string filter) =>
        string.Join('&', filter.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("limit=", StringComparison.Ordinal) && !p.StartsWith("offset=", StringComparison.Ordinal))
            .Append("limit=500"));

    /// <summary>The list's items: the envelope's data, an array or (vendor serials) a page of them.</summary>
    private static async Task<JsonArray> ListItemsAsync(HttpClient client, string url)
    {
        var data = await WorkflowKit.OkAsync(await client.GetAsync(url));
        var items = data is JsonArray array ? array : data["data"]!.AsArray();
        Assert.True(items.Count < 500, "the comparison needs the whole filter on one page");
        return items;
    }
}

public sealed class SqliteSerializationListExportTests(OperatorFactory app) : SerializationListExportTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG.</summary>
public sealed class PostgresSerializationListExportTests(PostgresOperatorFactory app) : SerializationListExportTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
