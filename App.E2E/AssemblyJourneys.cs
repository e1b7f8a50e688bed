using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>The operator records genealogy at the station by scanning: an assembly from three components, seen in the lineage.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AssemblyJourneys(AppServer app)
{
    [Fact]
    public Task An_operator_assembles_a_product_from_three_components_and_the_lineage_shows_them_and_the_station() =>
        app.JourneyAsync("station-assembly", async page =>
        {
            var units = await Seed.NewSerialsAsync(app, 4);
            var (product, components) = (units[0], units.Skip(1).ToList());

            await page.SignInAsync("operator@ma01.demo");
            await page.GotoAsync("/station");
            await page.WaitForCircuitAsync();
            await page.GetByTestId("station-mode").GetByText("Assemble", new() { Exact = true }).ClickAsync();
            var scan = page.GetByTestId("assembly-scan");
            await Expect(scan).ToHaveAttributeAsync("data-attached", "1");
            await Expect(scan).ToBeFocusedAsync();
            var banner = page.GetByTestId("assembly-banner");

            // The product first, then each component as a scanner types it: code and Enter.
            await ScanAsync(page, product.ToLowerInvariant());
            await Expect(page.GetByTestId("assembly-parent-serial")).ToHaveTextAsync(product);
            foreach (var c in components)
            {
                await ScanAsync(page, c);
                await Expect(page.Locator($"[data-testid=assembly-item][data-serial='{c}']")).ToHaveCountAsync(1);
            }
            await Expect(banner).ToHaveAttributeAsync("data-kind", "ok");
            await Expect(page.GetByTestId("assembly-count")).ToHaveTextAsync("3 components");

            // A component scanned twice: amber, nothing added; the product itself: refused, in red, with the refusal tone.
            await ScanAsync(page, components[0]);
            await Expect(banner).ToHaveAttributeAsync("data-kind", "duplicate");
            await ScanAsync(page, product);
            await Expect(banner).ToHaveAttributeAsync("data-kind", "rejected");
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-last-tone", "refused");
            await Expect(page.GetByTestId("assembly-count")).ToHaveTextAsync("3 components");
            await Expect(scan).ToBeFocusedAsync();

            await page.GetByTestId("assembly-done").ClickAsync();
            await Expect(page.GetByTestId("assembly-recorded")).ToContainTextAsync($"3 components assembled into {product}.");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "station-assembly.png"), FullPage = true });

            // The lineage: the three components under the product, and the history says which station recorded it.
            await page.GetByTestId("assembly-lineage").ClickAsync();
            await Expect(page.GetByTestId("lineage-unit")).ToHaveTextAsync(product);
            var ancestors = page.GetByTestId("lineage-ancestors");
            await Expect(ancestors.Locator("[data-testid=lineage-node][data-depth='1']")).ToHaveCountAsync(3);
            foreach (var c in components)
            {
                await Expect(ancestors.Locator($"[data-testid=lineage-node][data-serial='{c}']")).ToHaveCountAsync(1);
            }
            await Expect(ancestors.GetByTestId("lineage-node-station").First).ToHaveTextAsync("recorded at Station");
            await Expect(page.Locator("[data-testid=lineage-history-row][data-type=MERGE]")).ToHaveCountAsync(3);
            await Expect(page.GetByTestId("lineage-history-station")).ToHaveTextAsync(["Station", "Station", "Station"]);
        });

    private static async Task ScanAsync(IPage page, string code)
    {
        var scan = page.GetByTestId("assembly-scan");
        await scan.FillAsync(code);
        await scan.PressAsync("Enter");
    }
}
