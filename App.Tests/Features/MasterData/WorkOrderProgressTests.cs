using System.Net;
using System.Net.Http.Json;
using Bunit;
using Operator.Features.MasterData;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.MasterData;

/// <summary>
/// GET /api/work-orders/{id} and the work order page answer the order's progress: planned, not started, in progress by
/// step, completed, and scrapped counted apart (a unit scrapped at a step is not waiting there). On both providers,
/// since the counts are one grouped query.
/// </summary>
public abstract class WorkOrderProgressTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task Progress_counts_units_by_step_and_scrapped_apart()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var units = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 5))["serials"]!.AsArray().Select(s => s!["serialNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, units[1])).StatusCode);
        await SerialsKit.AdvanceToLastStepAsync(client, units[2]);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.CompleteAsync(client, units[2])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, units[3])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, units[4])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, units[4])).StatusCode);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var response = await viewer.GetAsync($"/api/work-orders/{order.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        Assert.Equal(order.Number, body["number"]!.GetValue<string>());
        var progress = body["progress"]!;
        Assert.Equal("""{"planned":10,"serials":5,"notStarted":5,"inProgress":2,"completed":1,"scrapped":2,"cancelled":0}""",
            new System.Text.Json.Nodes.JsonObject(progress.AsObject().Where(p => p.Key != "steps").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());
        var steps = progress["steps"]!.AsArray();
        Assert.Equal([0, 1, 2, 3, 4], steps.Select(s => s!["sequence"]!.GetValue<int>()));
        Assert.Equal([1, 1, 0, 0, 0], steps.Select(s => s!["inProgress"]!.GetValue<int>()));
        Assert.Equal(["stepId", "sequence", "code", "name", "inProgress"], steps[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task An_order_without_units_has_everything_not_started_and_an_unknown_order_is_404()
    {
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var body = await Golden.BodyAsync(await viewer.GetAsync($"/api/work-orders/{order.Id}"));
        Assert.Equal(10, body["progress"]!["notStarted"]!.GetValue<int>());
        Assert.Equal(0, body["progress"]!["serials"]!.GetValue<int>());

        var missing = await viewer.GetAsync($"/api/work-orders/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Golden.AssertBodyAsync(missing, """{"error":"WorkOrder not found: <uuid>"}""");
    }
}

public sealed class SqliteWorkOrderProgressTests(OperatorFactory app)
    : WorkOrderProgressTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresWorkOrderProgressTests(PostgresOperatorFactory app)
    : WorkOrderProgressTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;

/// <summary>The work order page shows the same progress to every role.</summary>
public sealed class WorkOrderDetailPageTests(OperatorFactory app) : SerialsPageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task The_page_shows_planned_in_progress_by_step_completed_and_scrapped()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var units = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 3))["serials"]!.AsArray().Select(s => s!["serialNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, units[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, units[1])).StatusCode);

        await SignInAsync(app, DemoUsers.Viewer);
        var page = Render<WorkOrderDetailPage>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.Equal($"Work order {order.Number}", Text(page, "work-order-title")));
        Assert.Equal("10", Text(page, "progress-planned"));
        Assert.Equal("7", Text(page, "progress-not-started"));
        Assert.Equal("2", Text(page, "progress-in-progress"));
        Assert.Equal("0", Text(page, "progress-completed"));
        Assert.Equal("1", Text(page, "progress-scrapped"));
        var counts = page.FindAll("[data-testid='progress-step'] td.op-num").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["1", "1", "0", "0", "0"], counts);

        var missing = Render<WorkOrderDetailPage>(p => p.Add(x => x.Id, Guid.NewGuid()));
        missing.WaitForAssertion(() => Assert.Contains("There is no work order", Text(missing, "work-order-not-found")));
    }
}
