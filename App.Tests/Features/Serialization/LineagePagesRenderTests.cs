using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serialization;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>The lineage explorer and the conflicts screen rendered with Blazor's HtmlRenderer over the real services.</summary>
public sealed class LineagePagesRenderTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private Task<IHtmlDocument> RenderAsync<T>(string email, IDictionary<string, object?>? parameters = null) where T : IComponent =>
        app.AsUserAsync(email, async sp =>
        {
            var principal = await DemoUsers.PrincipalAsync(sp, email);
            var lineage = sp.GetRequiredService<LineageService>();
            var uniqueness = sp.GetRequiredService<UniquenessService>();
            return await Render.ComponentAsync<T>(principal, parameters, s => s.AddSingleton(lineage).AddSingleton(uniqueness));
        });

    [Fact]
    public async Task The_explorer_shows_both_trees_with_parts_operations_holds_and_certificates()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var u = await UnitsAsync(app, 3);
        var held = await UnitAsync(app, workOrderId: order.Id);
        await SplitAsync(op, u[0], [u[1]]);
        await MergeAsync(op, [u[1], held], u[2]);
        await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), items: [HoldsKit.Wo(order.Id)]);

        var page = await RenderAsync<LineagePage>(DemoUsers.Viewer, new Dictionary<string, object?> { ["Id"] = u[1] });
        Assert.Equal(await NumberOfAsync(app, u[1]), page.QuerySelector("[data-testid='lineage-unit']")!.TextContent.Trim());
        Assert.Equal("used", page.QuerySelector("[data-testid='lineage-status']")!.TextContent.Trim());
        var ancestors = page.QuerySelectorAll("[data-testid='lineage-ancestors'] [data-testid='lineage-node']");
        Assert.Equal([await NumberOfAsync(app, u[0])], ancestors.Select(n => n.GetAttribute("data-serial")));
        var descendants = page.QuerySelectorAll("[data-testid='lineage-descendants'] [data-testid='lineage-node']");
        Assert.Equal([await NumberOfAsync(app, u[2])], descendants.Select(n => n.GetAttribute("data-serial")));
        Assert.Equal($"/lineage/{u[2]}", descendants[0].QuerySelector("[data-testid='lineage-node-link']")!.GetAttribute("href"));
        Assert.Contains("Merged at OP-MERGE", descendants[0].TextContent);
        Assert.Equal($"/api/v1/serialization/propagation/lineage/{u[1]}/report.pdf", page.QuerySelector("[data-testid='lineage-report']")!.GetAttribute("href"));

        // From the merged unit: the held source shows its hold, nested under the unit with its own ancestors below.
        var merged = await RenderAsync<LineagePage>(DemoUsers.Viewer, new Dictionary<string, object?> { ["Id"] = u[2] });
        var nodes = merged.QuerySelectorAll("[data-testid='lineage-ancestors'] [data-testid='lineage-node']");
        Assert.Equal(3, nodes.Length);
        var heldNumber = await NumberOfAsync(app, held);
        var heldNode = nodes.Single(n => n.GetAttribute("data-serial") == heldNumber);
        Assert.Contains("on hold QH-", heldNode.QuerySelector("[data-testid='lineage-node-hold']")!.TextContent);
        var nested = nodes.Single(n => n.GetAttribute("data-depth") == "2");
        Assert.Equal(await NumberOfAsync(app, u[0]), nested.GetAttribute("data-serial"));

        var missing = await RenderAsync<LineagePage>(DemoUsers.Viewer, new Dictionary<string, object?> { ["Id"] = Guid.NewGuid() });
        Assert.NotNull(missing.QuerySelector("[data-testid='lineage-not-found']"));
    }

    [Fact]
    public async Task The_conflicts_screen_renders_for_a_manager()
    {
        var page = await RenderAsync<UniquenessPage>(DemoUsers.Manager);
        Assert.Contains("Uniqueness conflicts", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("[data-testid='list-grid']"));
    }
}
