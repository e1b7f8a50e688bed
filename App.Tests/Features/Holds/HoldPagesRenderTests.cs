using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>The hold pages rendered with Blazor's HtmlRenderer over the real service and database, as a given demo user.</summary>
public sealed class HoldPagesRenderTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private Task<IHtmlDocument> RenderAsync<T>(string email, IDictionary<string, object?>? parameters = null) where T : IComponent =>
        app.AsUserAsync(email, async sp =>
        {
            var principal = await DemoUsers.PrincipalAsync(sp, email);
            var service = sp.GetRequiredService<HoldService>();
            return await Render.ComponentAsync<T>(principal, parameters, s => s.AddSingleton(service));
        });

    private static string Text(IHtmlDocument doc, string testId) => doc.QuerySelector($"[data-testid='{testId}']")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task The_detail_page_shows_facts_items_changes_history_and_the_actions_the_role_may_take()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var plate = await HoldsKit.NewPlateAsync(app);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var created = await HoldsKit.CreateAsync(app, inspector, "critical", items: [HoldsKit.Lp(plate.Id, 12, "kg", "Top layer"), HoldsKit.Wo(order.Id)]);
        var id = Guid.Parse(HoldsKit.Id(created));
        var parameters = new Dictionary<string, object?> { ["Id"] = id };

        var page = await RenderAsync<HoldDetailPage>(DemoUsers.Inspector, parameters);
        Assert.Contains(created["hold"]!["hold_number"]!.GetValue<string>(), Text(page, "hold-number"));
        Assert.Equal("active", Text(page, "hold-status"));
        Assert.Contains("Failed metal detection", Text(page, "hold-reason"));
        Assert.Contains(plate.Number, Text(page, "hold-items"));
        Assert.Contains(order.Number, Text(page, "hold-items"));
        Assert.Contains("Warehouse A", Text(page, "hold-items"));
        Assert.Contains("pending", Text(page, "lp-changes"));
        Assert.Contains("Created", Text(page, "hold-history"));
        Assert.Contains("Ines Inspector", Text(page, "hold-history"));
        Assert.Contains("op-status-ok", page.QuerySelector("[data-testid='hold-aging']")!.ClassName);
        Assert.NotNull(page.QuerySelector("[data-testid='release-hold']"));
        Assert.Null(page.QuerySelector("[data-testid='dispose-hold']"));
        Assert.Equal($"/api/quality/holds/{id}/report.pdf", page.QuerySelector("[data-testid='download-report']")!.GetAttribute("href"));

        var manager = await RenderAsync<HoldDetailPage>(DemoUsers.Manager, parameters);
        Assert.NotNull(manager.QuerySelector("[data-testid='release-hold']"));
        Assert.NotNull(manager.QuerySelector("[data-testid='dispose-hold']"));

        var viewer = await RenderAsync<HoldDetailPage>(DemoUsers.Viewer, parameters);
        Assert.Null(viewer.QuerySelector("[data-testid='release-hold']"));
        Assert.Null(viewer.QuerySelector("[data-testid='dispose-hold']"));
        Assert.NotNull(viewer.QuerySelector("[data-testid='download-report']"));

        // Another inspector's hold: the inspector sees why there is no release button.
        var managersHold = Guid.Parse(HoldsKit.Id(await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Manager))));
        var other = await RenderAsync<HoldDetailPage>(DemoUsers.Inspector, new Dictionary<string, object?> { ["Id"] = managersHold });
        Assert.Null(other.QuerySelector("[data-testid='release-hold']"));
        Assert.NotNull(other.QuerySelector("[data-testid='release-note']"));

        await HoldsKit.ReleaseAsync(await app.ClientForAsync(DemoUsers.Manager), id.ToString(), "scrap", "Metal found");
        var released = await RenderAsync<HoldDetailPage>(DemoUsers.Manager, parameters);
        Assert.Equal("released", Text(released, "hold-status"));
        Assert.Contains("Max Manager", Text(released, "released-by"));
        Assert.Equal("Scrap", Text(released, "hold-disposition"));
        Assert.Null(released.QuerySelector("[data-testid='release-hold']"));
        Assert.NotNull(released.QuerySelector("[data-testid='dispose-hold']"));
    }

    [Fact]
    public async Task Another_organizations_hold_renders_as_not_found()
    {
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector)));
        var page = await RenderAsync<HoldDetailPage>(DemoUsers.OtherAdmin, new Dictionary<string, object?> { ["Id"] = Guid.Parse(id) });
        Assert.Contains("Quality hold not found", page.Body!.TextContent);
        Assert.Null(page.QuerySelector("[data-testid='hold-facts']"));
    }

    [Fact]
    public async Task The_new_hold_form_and_the_list_filters_render()
    {
        var form = await RenderAsync<NewHoldPage>(DemoUsers.Inspector);
        Assert.NotNull(form.QuerySelector("[data-testid='hold-reason']"));
        Assert.NotNull(form.QuerySelector("[data-testid='hold-type']"));
        Assert.NotNull(form.QuerySelector("[data-testid='scan-input']"));
        Assert.NotNull(form.QuerySelector("[data-testid='create-hold']"));
        Assert.NotNull(form.QuerySelector("[data-testid='no-items']"));

        var list = await RenderAsync<HoldsPage>(DemoUsers.Inspector);
        foreach (var filter in new[] { "filter-status", "filter-priority", "filter-type", "filter-from", "filter-to", "filter-search", "holds-grid" })
        {
            Assert.NotNull(list.QuerySelector($"[data-testid='{filter}']"));
        }
        Assert.NotNull(list.QuerySelector("[data-testid='new-hold']"));
        var viewerList = await RenderAsync<HoldsPage>(DemoUsers.Viewer);
        Assert.Null(viewerList.QuerySelector("[data-testid='new-hold']"));
    }

    [Fact]
    public async Task The_dashboard_summary_counts_active_holds_by_priority_and_aging()
    {
        var before = await app.AsUserAsync(DemoUsers.Viewer, sp => sp.GetRequiredService<HoldService>().GetActiveSummaryAsync());
        await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), "critical");
        var summary = await RenderAsync<ActiveHoldsSummary>(DemoUsers.Viewer);
        Assert.Equal($"{before.Total + 1} active", Text(summary, "active-holds-total"));
        Assert.Equal($"Critical: {before.ByPriority["critical"] + 1}", Text(summary, "active-priority-critical"));
        Assert.Equal($"Normal: {before.ByAging["normal"] + 1}", Text(summary, "active-aging-normal"));
        Assert.Equal("/holds?status=active&priority=critical", summary.QuerySelector("[data-testid='active-priority-critical']")!.GetAttribute("href"));
    }
}
