using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Reports;

/// <summary>The list pages' Export CSV link: the list's export route with the filters of the page's address, following them as they change.</summary>
public sealed class ExportButtonTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_holds_page_exports_its_filters_from_the_address()
    {
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Berlin);
        await SignInAsync(app, DemoUsers.Viewer);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/holds?status=active,released&priority=high&type=investigation&q=LP-0&from=2026-01-01&page=2");
        var page = Render<HoldsPage>();

        page.WaitForAssertion(() => Assert.Equal(
            "/api/quality/holds/export?status=active,released&priority=high&hold_type=investigation&from=2026-01-01&search=LP-0",
            Uri.UnescapeDataString(page.Find("[data-testid='export-csv']").GetAttribute("href")!)), Patience);
        Assert.True(page.Find("[data-testid='export-csv']").HasAttribute("download"));
    }

    [Fact]
    public async Task The_serials_page_link_follows_the_address()
    {
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Berlin);
        await SignInAsync(app, DemoUsers.Operator);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/serials?status=scrapped");
        var page = Render<SerialsPage>();
        page.WaitForAssertion(() => Assert.Equal("/api/serials/export?status=scrapped", page.Find("[data-testid='export-csv']").GetAttribute("href")), Patience);

        navigation.NavigateTo("/serials?status=completed&q=SN-1");
        page.WaitForAssertion(() => Assert.Equal("/api/serials/export?status=completed&search=SN-1", page.Find("[data-testid='export-csv']").GetAttribute("href")), Patience);
    }

    [Fact]
    public async Task The_excel_link_asks_for_xlsx_with_the_same_filters()
    {
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Berlin);
        await SignInAsync(app, DemoUsers.Operator);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/serials?status=scrapped&q=SN-1");
        var page = Render<SerialsPage>();
        page.WaitForAssertion(() => Assert.Equal("/api/serials/export?status=scrapped&search=SN-1&format=xlsx", page.Find("[data-testid='export-xlsx']").GetAttribute("href")), Patience);
        Assert.True(page.Find("[data-testid='export-xlsx']").HasAttribute("download"));
    }

    [Fact]
    public async Task The_parts_page_exports_its_search_and_sort()
    {
        await SignInAsync(app, DemoUsers.Admin);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/admin/parts?q=BAG&sort=-number&page=2");
        var page = Render<Operator.Features.MasterData.PartsPage>();
        page.WaitForAssertion(() => Assert.Equal("/api/parts/export?search=BAG&sort=-number", Uri.UnescapeDataString(page.Find("[data-testid='export-csv']").GetAttribute("href")!)), Patience);
        Assert.Equal("/api/parts/export?search=BAG&sort=-number&format=xlsx", Uri.UnescapeDataString(page.Find("[data-testid='export-xlsx']").GetAttribute("href")!));
    }

    [Fact]
    public async Task The_placeholders_page_exports_its_work_order_and_operation_under_the_list_apis_names()
    {
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Utc);
        await SignInAsync(app, DemoUsers.Operator);
        var (part, _) = await Operator.Tests.Features.Serialization.WorkflowKit.NewPartAsync(app);
        var (order, _, _) = await Operator.Tests.Features.Serialization.WorkflowKit.NewWorkOrderAsync(app, part);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/serialization/placeholders?workOrderId={order}&operation=OP-020&page=2");
        var page = Render<Operator.Features.Serialization.PlaceholdersPage>();
        page.WaitForAssertion(() => Assert.Equal($"/api/v1/serialization/late-assignment/pending/export?workOrderId={order}&operationCode=OP-020",
            Uri.UnescapeDataString(page.Find("[data-testid='export-csv']").GetAttribute("href")!)), Patience);
        Assert.Equal($"/api/v1/serialization/late-assignment/pending/export?workOrderId={order}&operationCode=OP-020&format=xlsx",
            Uri.UnescapeDataString(page.Find("[data-testid='export-xlsx']").GetAttribute("href")!));
    }

    [Fact]
    public async Task The_vendor_serials_page_exports_the_chosen_part_and_status_and_asks_for_a_part_without_one()
    {
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Utc);
        await SignInAsync(app, DemoUsers.Viewer);
        var (part, _) = await Operator.Tests.Features.Serialization.WorkflowKit.NewPartAsync(app);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/serialization/vendor?status=ACCEPTED");
        var all = Render<Operator.Features.Serialization.VendorSerialsPage>();
        all.WaitForAssertion(() => Assert.NotNull(all.Find("[data-testid='vendor-export-hint']")), Patience);
        Assert.Empty(all.FindAll("[data-testid='export-csv']"));

        navigation.NavigateTo($"/serialization/vendor?partId={part}&status=ACCEPTED");
        var page = Render<Operator.Features.Serialization.VendorSerialsPage>();
        page.WaitForAssertion(() => Assert.Equal($"/api/v1/serialization/vendor/part/{part}/export?status=ACCEPTED",
            Uri.UnescapeDataString(page.Find("[data-testid='export-csv']").GetAttribute("href")!)), Patience);
    }
}
