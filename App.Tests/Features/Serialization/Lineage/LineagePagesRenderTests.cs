using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
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
    public async Task The_explorer_draws_the_diagram_beside_the_list_with_each_units_stage_and_hold_and_remembers_diagram_or_list_in_the_address()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var source = await UnitAsync(app);
        var held = await UnitAsync(app, workOrderId: order.Id);
        var target = await UnitAsync(app);
        var done = await UnitAsync(app, status: Operator.Features.Serials.SerialStatus.Completed);
        var scrapped = await UnitAsync(app);
        await MergeAsync(op, [source, held], target);
        await SplitAsync(op, target, [done, scrapped]);
        await using (var db = app.RawDb())
        {
            // Scrapped after the split (a scrapped unit cannot take part in one).
            var row = await db.Set<Operator.Features.Serials.Serial>().IgnoreQueryFilters().SingleAsync(s => s.Id == scrapped);
            row.Status = Operator.Features.Serials.SerialStatus.Scrapped;
            await db.SaveChangesAsync();
        }
        await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), items: [HoldsKit.Wo(order.Id)]);
        await SignInAsync(app, DemoUsers.Viewer);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/lineage/{target}");

        var page = Render<LineagePage>(p => p.Add(x => x.Id, target));
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid='lineage-diagram-node']").Count));
        string StageOf(Guid id, string number) =>
            page.FindAll("[data-testid='lineage-diagram-node']").Single(n => n.GetAttribute("data-serial") == number).GetAttribute("data-stage")!;
        Assert.Equal("consumed", StageOf(source, await NumberOfAsync(app, source)));
        Assert.Equal("in_progress", StageOf(target, await NumberOfAsync(app, target)));
        Assert.Equal("completed", StageOf(done, await NumberOfAsync(app, done)));
        Assert.Equal("scrapped", StageOf(scrapped, await NumberOfAsync(app, scrapped)));
        var heldNode = page.FindAll("[data-testid='lineage-diagram-node']").Single(n => n.ClassList.Contains("op-lg-held"));
        Assert.Equal(await NumberOfAsync(app, held), heldNode.GetAttribute("data-serial"));
        Assert.StartsWith("on hold QH-", heldNode.QuerySelector("[data-testid='lineage-diagram-hold']")!.TextContent);
        // Both pictures at first, side by side on a wide screen.
        Assert.NotNull(page.Find(".op-lineage-split.op-lineage-both [data-testid='lineage-list']"));

        // The direction toggle applies to the diagram too.
        page.FindAll("[data-testid='lineage-direction'] button").Single(b => b.TextContent.Contains("Where did this go")).Click();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='lineage-diagram-node']").Count));

        // "List" hides the diagram and is remembered in the address; links to other units keep the choice.
        page.FindAll("[data-testid='lineage-show'] button").Single(b => b.TextContent.Trim() == "List").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='lineage-diagram']")));
        Assert.EndsWith($"/lineage/{target}?view=list", navigation.Uri);
        var doneNumber = await NumberOfAsync(app, done);
        Assert.Equal($"/lineage/{done}?view=list", page.FindAll("[data-testid='lineage-node-link']").Single(a => a.TextContent.Trim() == doneNumber).GetAttribute("href"));

        // An address asking for the diagram alone opens with the diagram and no list.
        navigation.NavigateTo($"/lineage/{source}?view=diagram");
        page.Render(p => p.Add(x => x.Id, source));
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid='lineage-diagram-node']").Count));
        Assert.Empty(page.FindAll("[data-testid='lineage-list']"));
        Assert.All(page.FindAll("[data-testid='lineage-diagram-node-link']"), a => Assert.EndsWith("?view=diagram", a.GetAttribute("href")));
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
