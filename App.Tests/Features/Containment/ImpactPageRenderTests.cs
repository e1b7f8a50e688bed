using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.Containment;
using Operator.Tests.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Containment.ImpactKit;

namespace Operator.Tests.Features.Containment;

/// <summary>The impact page rendered with bunit over the real services: the question in the address, the counts and the grid.</summary>
public sealed class ImpactPageRenderTests(OperatorFactory app) : SerializationPageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task The_page_shows_the_counts_and_a_grid_row_per_affected_unit_with_its_links()
    {
        var g = await GenealogyAsync(app);
        await SignInAsync(app, DemoUsers.Manager);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/containment/impact?originType=certificate&origin={g.CertX.Number}&backward=true");

        var page = Render<ImpactPage>();
        page.WaitForAssertion(() => Assert.Equal(8, page.FindAll("[data-testid='impact-unit-link']").Count));
        Assert.Equal(g.Ns(g.R, g.C1, g.C2, g.C2a, g.C2b, g.S1, g.S2, g.P1), page.FindAll("[data-testid='impact-unit-link']").Select(a => a.TextContent.Trim()).Order(StringComparer.Ordinal));
        Assert.Equal("Units: 8", Text(page, "impact-count-units"));
        Assert.Equal("Used in an assembly: 4", Text(page, "impact-count-consumed"));
        Assert.Equal("Active holds: 1", Text(page, "impact-count-holds"));

        var row = page.FindAll("tr").Single(tr => tr.QuerySelector("[data-testid='impact-unit-link']")?.TextContent.Trim() == g.N(g.S1));
        Assert.Equal($"/serials/{g.N(g.S1)}", row.QuerySelector("[data-testid='impact-unit-link']")!.GetAttribute("href"));
        Assert.Equal($"/lineage/{g.S1}", row.QuerySelector("[data-testid='impact-unit-lineage']")!.GetAttribute("href"));
        Assert.Equal(g.N(g.P1), row.QuerySelector("[data-testid='impact-unit-used-in']")!.TextContent.Trim());
        Assert.Equal($"/work-orders/{g.SubOrder.Id}", row.QuerySelector("[data-testid='impact-unit-work-order']")!.GetAttribute("href"));
        var hold = row.QuerySelector("[data-testid='impact-unit-hold']")!;
        Assert.Equal((g.Hold.Number, $"/holds/{g.Hold.Id}"), (hold.TextContent.Trim(), hold.GetAttribute("href")));
        Assert.Equal([g.CertX.Number, g.CertY.Number], row.QuerySelectorAll("[data-testid='impact-unit-cert']").Select(c => c.TextContent.Trim()));
        var c2 = page.FindAll("tr").Single(tr => tr.QuerySelector("[data-testid='impact-unit-link']")?.TextContent.Trim() == g.N(g.C2));
        Assert.Equal($"at {g.StepName}", c2.QuerySelector("[data-testid='impact-unit-step']")!.TextContent.Trim());

        // The report buttons ask the API for the same impact; the toolbar holds the actions on the whole impact.
        Assert.Equal($"/api/impact/report.pdf?originType=certificate&origin={g.CertX.Number}&backward=true", page.Find("[data-testid='impact-pdf']").GetAttribute("href"));
        Assert.Equal($"/api/impact/report.csv?originType=certificate&origin={g.CertX.Number}&backward=true", page.Find("[data-testid='impact-csv']").GetAttribute("href"));
        Assert.NotNull(page.Find("[data-testid='impact-toolbar'] [data-testid='impact-pdf']"));
        Assert.Equal(2, page.FindAll("[data-testid='impact-certificate']").Count);
        Assert.Single(page.FindAll("[data-testid='impact-hold']"));
    }

    [Fact]
    public async Task The_status_filter_in_the_address_narrows_the_grid_and_an_unknown_number_says_so()
    {
        var g = await GenealogyAsync(app);
        await SignInAsync(app, DemoUsers.Inspector);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/containment/impact?originType=certificate&origin={g.CertX.Number}&status=consumed");

        var page = Render<ImpactPage>();
        page.WaitForAssertion(() => Assert.Equal(g.Ns(g.C1, g.S1, g.C2a, g.S2),
            page.FindAll("[data-testid='impact-unit-link']").Select(a => a.TextContent.Trim()).Order(StringComparer.Ordinal)));

        navigation.NavigateTo("/containment/impact?originType=batch&origin=B-NO-SUCH");
        var missing = Render<ImpactPage>();
        missing.WaitForAssertion(() => Assert.Equal("There is no batch B-NO-SUCH in your organization.", Text(missing, "impact-not-found")));
    }

    [Fact]
    public async Task Contain_previews_then_puts_the_units_the_certificate_reaches_on_one_hold_and_the_impact_shows_them_held()
    {
        var g = await GenealogyAsync(app);
        await SignInAsync(app, DemoUsers.Manager);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/containment/impact?originType=certificate&origin={g.CertX.Number}&backward=true");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ImpactPage>();
        page.WaitForAssertion(() => Assert.Equal(8, page.FindAll("[data-testid='impact-unit-link']").Count), TimeSpan.FromSeconds(10));

        page.Find("[data-testid='impact-contain']").Click();
        // Seven units carry the certificate or came out of it; R, which they came from, is shown but not held.
        dialogs.WaitForAssertion(() => Assert.Equal(["Units", "7", "7", "0"], Cells(dialogs, "contain-units")), TimeSpan.FromSeconds(10));
        Assert.Equal(["Work orders", "0", "0", "0"], Cells(dialogs, "contain-work-orders"));
        dialogs.Find("[data-testid='contain-confirm']").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='impact-contained']")), TimeSpan.FromSeconds(10));
        var holdNumber = Text(page, "impact-contained-hold");
        Assert.StartsWith("QH-", holdNumber);
        page.WaitForAssertion(() =>
        {
            var held = page.FindAll("tr").Where(tr => tr.QuerySelectorAll("[data-testid='impact-unit-hold']").Any(a => a.TextContent.Trim() == holdNumber))
                .Select(tr => tr.QuerySelector("[data-testid='impact-unit-link']")!.TextContent.Trim()).Order(StringComparer.Ordinal);
            Assert.Equal(g.Ns(g.C1, g.C2, g.C2a, g.C2b, g.S1, g.S2, g.P1), held);
        }, TimeSpan.FromSeconds(10));
    }

    private static string[] Cells(IRenderedComponent<MudDialogProvider> dialogs, string testId) =>
        [.. dialogs.Find($"[data-testid='{testId}']").QuerySelectorAll("td").Select(td => td.TextContent.Trim())];

    [Fact]
    public async Task An_inspector_sees_the_impact_but_no_contain_action()
    {
        var g = await GenealogyAsync(app);
        await SignInAsync(app, DemoUsers.Inspector);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/containment/impact?originType=certificate&origin={g.CertX.Number}");
        var page = Render<ImpactPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='impact-unit-link']")), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid='impact-contain']"));
    }
}
