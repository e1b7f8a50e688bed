using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

[Collection(BrowserCollection.Name)]
public sealed class MasterDataJourneys(AppServer app)
{
    [Fact]
    public Task An_admin_creates_a_part_finds_it_by_search_and_lists_the_plates() =>
        app.JourneyAsync("master-data", async page =>
        {
            await page.SignInAsync("admin@ma01.demo");
            await page.GotoAsync("/admin/parts");
            await page.WaitForCircuitAsync();
            var rows = page.GetByTestId("list-grid").Locator("tbody tr");
            // The list loads by itself: the three demo parts are there before any search.
            await Expect(rows).ToHaveCountAsync(3);

            await page.EnterAsync("[data-testid=part-number]", "P-1099");
            await page.EnterAsync("[data-testid=part-sku]", "BELT");
            await page.EnterAsync("[data-testid=part-name]", "Leather belt");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create part", Exact = true }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(4);

            // The search is kept in the address, so a reload shows the same list.
            await page.GetByTestId("list-search").FillAsync("belt");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("list-grid").Locator("tbody")).ToContainTextAsync("P-1099");
            await Expect(page).ToHaveURLAsync(new Regex(@"[?&]q=belt"));
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Expect(rows).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "parts.png"), FullPage = true });

            // A page of 20 license plates, loaded from the server.
            await page.GotoAsync("/admin/license-plates");
            await page.WaitForCircuitAsync();
            await Expect(rows).ToHaveCountAsync(20);
            await Expect(page.GetByTestId("list-grid")).ToContainTextAsync("LP-00001");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "license-plates.png"), FullPage = true });
        });

    [Fact]
    public Task A_refused_create_shows_the_reason_next_to_the_field() =>
        app.JourneyAsync("master-data-invalid", async page =>
        {
            await page.SignInAsync("admin@ma01.demo");
            await page.GotoAsync("/admin/parts");
            await page.WaitForCircuitAsync();
            await page.EnterAsync("[data-testid=part-number]", "P-2000");
            await page.EnterAsync("[data-testid=part-sku]", "lower");
            await page.EnterAsync("[data-testid=part-name]", "Bad SKU");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create part", Exact = true }).ClickAsync();
            // The message stands under the field and is the field's description for a screen reader.
            await Expect(page.GetByLabel("SKU", new() { Exact = true })).ToHaveAccessibleDescriptionAsync("SKU must be 2-12 upper-case letters and digits");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "parts-invalid.png"), FullPage = true });
        });

    [Fact]
    public Task A_work_order_is_created_with_parts_and_paths_picked_by_searching_the_server() =>
        app.JourneyAsync("work-order-pickers", async page =>
        {
            await page.SignInAsync("admin@ma01.demo");
            await page.GotoAsync("/admin/work-orders");
            await page.WaitForCircuitAsync();

            await page.PickAsync(page.GetByLabel("Part", new() { Exact = true }), "tote", "P-1001 · Hatthasilpa tote bag");
            // The part's list must be gone before the path's opens, or an option of the part's list could be clicked.
            await Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);
            const string pathText = "PATH-BAG · Tote bag assembly";
            await page.PickAsync(page.GetByLabel("Process path", new() { Exact = true }), "tote", pathText);
            await page.EnterAsync("[data-testid=work-order-quantity]", "3");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "work-order-form.png"), FullPage = true });
            await page.GetByRole(AriaRole.Button, new() { Name = "Create work order", Exact = true }).ClickAsync();

            var created = page.GetByTestId("list-grid").Locator("tbody tr").Filter(new() { HasText = pathText.Split(' ')[0] }).Filter(new() { HasText = "Hatthasilpa tote bag" });
            await Expect(created.Filter(new() { HasText = "Open" }).First).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Part", new() { Exact = true })).ToHaveValueAsync("");
        });
}
