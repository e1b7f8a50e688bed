using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serialization;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>The lineage explorer and the conflicts screen rendered and driven with bunit over the real services.</summary>
public sealed class LineagePagesRenderTests(OperatorFactory app) : SerializationPageTest, IClassFixture<OperatorFactory>
{
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
        await SignInAsync(app, DemoUsers.Viewer);

        var page = Render<LineagePage>(p => p.Add(x => x.Id, u[1]));
        var number = await NumberOfAsync(app, u[1]);
        page.WaitForAssertion(() => Assert.Equal(number, Text(page, "lineage-unit")));
        Assert.Equal("Used", Text(page, "lineage-status"));
        var ancestors = page.FindAll("[data-testid='lineage-ancestors'] [data-testid='lineage-node']");
        Assert.Equal([await NumberOfAsync(app, u[0])], ancestors.Select(n => n.GetAttribute("data-serial")));
        var descendants = page.FindAll("[data-testid='lineage-descendants'] [data-testid='lineage-node']");
        Assert.Equal([await NumberOfAsync(app, u[2])], descendants.Select(n => n.GetAttribute("data-serial")));
        Assert.Equal($"/lineage/{u[2]}", descendants[0].QuerySelector("[data-testid='lineage-node-link']")!.GetAttribute("href"));
        Assert.Contains("Merged at OP-MERGE", descendants[0].TextContent);
        Assert.Equal($"/api/v1/serialization/propagation/lineage/{u[1]}/report.pdf", page.Find("[data-testid='lineage-report']").GetAttribute("href"));
        Assert.Equal("Download report", page.Find("[data-testid='lineage-report']").TextContent.Trim());
        // The link's time is a LocalTime (UTC in its tooltip until the browser says its zone).
        Assert.NotEmpty(descendants[0].QuerySelectorAll("time[datetime]"));

        // From the merged unit: the held source shows its hold, nested under the unit with its own ancestors below.
        page.Render(p => p.Add(x => x.Id, u[2]));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='lineage-ancestors'] [data-testid='lineage-node']").Count));
        var nodes = page.FindAll("[data-testid='lineage-ancestors'] [data-testid='lineage-node']");
        var heldNumber = await NumberOfAsync(app, held);
        var heldNode = nodes.Single(n => n.GetAttribute("data-serial") == heldNumber);
        Assert.Contains("on hold QH-", heldNode.QuerySelector("[data-testid='lineage-node-hold']")!.TextContent);
        var nested = nodes.Single(n => n.GetAttribute("data-depth") == "2");
        Assert.Equal(await NumberOfAsync(app, u[0]), nested.GetAttribute("data-serial"));

        page.Render(p => p.Add(x => x.Id, Guid.NewGuid()));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='lineage-not-found']")));
    }

    [Fact]
    public async Task The_conflicts_screen_renders_for_a_manager()
    {
        await SignInAsync(app, DemoUsers.Manager);
        var page = Render<UniquenessPage>();
        Assert.Contains("Uniqueness conflicts", page.Find("h1").TextContent);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='list-grid']")));
        Assert.NotNull(page.Find("[data-testid='list-search']"));
    }
}

/// <summary>The explorer's search driven in the page on each provider: exact, prefix and unknown numbers (a prefix once ended the circuit).</summary>
public abstract class LineageSearchPageTests<TFactory>(TFactory app) : SerializationPageTest where TFactory : OperatorFactory
{
    [Fact]
    public async Task The_search_opens_an_exact_match_lists_prefix_matches_and_says_when_no_unit_matches()
    {
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var u = await UnitsAsync(app, 3, number: i => $"SRCH-{tag}-{i + 1:00}");
        await SignInAsync(app, DemoUsers.Viewer);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = Render<LineagePage>();

        // A prefix (here typed in lower case) lists the units whose number starts with it; before the fix this query ended the circuit.
        Search(page, $"srch-{tag}-0");
        page.WaitForAssertion(() => Assert.Equal([$"SRCH-{tag}-01", $"SRCH-{tag}-02", $"SRCH-{tag}-03"],
            page.FindAll("[data-testid='lineage-match']").Select(a => a.TextContent.Trim())));
        Assert.Equal("3 units match; choose one.", Text(page, "lineage-search-message"));
        Assert.Equal($"/lineage/{u[0]}", page.FindAll("[data-testid='lineage-match']")[0].GetAttribute("href"));

        // An unknown number (a typo) answers in words, and the page stays usable.
        Search(page, $"SRCH-{tag}-9X");
        page.WaitForAssertion(() => Assert.Equal($"No unit matches SRCH-{tag}-9X.", Text(page, "lineage-search-message")));
        Assert.Empty(page.FindAll("[data-testid='lineage-match']"));

        // The exact number opens its unit.
        Search(page, $"SRCH-{tag}-02");
        page.WaitForAssertion(() => Assert.EndsWith($"/lineage/{u[1]}", navigation.Uri));
    }

    private static void Search(IRenderedComponent<LineagePage> page, string term)
    {
        page.Find("input[data-testid='lineage-search']").Input(term);
        page.Find("form").Submit();
    }
}

public sealed class SqliteLineageSearchPageTests(OperatorFactory app) : LineageSearchPageTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG (test.sh starts one); fails loudly without it.</summary>
public sealed class PostgresLineageSearchPageTests(PostgresOperatorFactory app) : LineageSearchPageTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
