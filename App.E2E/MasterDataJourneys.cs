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
            // The list loads by itself: the three demo parts are there before any search.
            await Expect(page.Locator("[data-testid=list-grid] tbody tr")).ToHaveCountAsync(3);

            await page.EnterAsync("[data-testid=part-number]", "P-1099");
            await page.EnterAsync("[data-testid=part-sku]", "BELT");
            await page.EnterAsync("[data-testid=part-name]", "Leather belt");
            await page.ClickAsync("[data-testid=create-part]");
            await Expect(page.Locator("[data-testid=list-grid] tbody tr")).ToHaveCountAsync(4);

            await page.Locator("[data-testid=list-search]").FillAsync("belt");
            await Expect(page.Locator("[data-testid=list-grid] tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("[data-testid=list-grid] tbody")).ToContainTextAsync("P-1099");

            // A page of 20 license plates, loaded from the server.
            await page.GotoAsync("/admin/license-plates");
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("[data-testid=list-grid] tbody tr")).ToHaveCountAsync(20);
            await Expect(page.Locator("[data-testid=list-grid]")).ToContainTextAsync("LP-00001");
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
            await page.ClickAsync("[data-testid=create-part]");
            await Expect(page.Locator("[data-testid=field-error-sku]")).ToContainTextAsync("SKU must be 2-12 upper-case letters and digits");
        });
}
