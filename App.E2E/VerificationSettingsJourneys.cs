using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

[Collection(BrowserCollection.Name)]
public sealed class VerificationSettingsJourneys(AppServer app)
{
    /// <summary>
    /// An admin makes the strap publicly verifiable from the parts list: a missing production type is refused next to
    /// the field, an OEM one is saved and shown in the row; then the organization's privacy mode is switched on its
    /// page. The journey puts the demo settings back (strap off and HAT, MA01 standard), since the browser journeys share
    /// one app.
    /// </summary>
    [Fact]
    public Task An_admin_edits_a_parts_verification_settings_and_the_privacy_mode() =>
        app.JourneyAsync("part-verification", async page =>
        {
            await page.SignInAsync("admin@ma01.demo");
            await page.GotoAsync("/admin/parts");
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("[data-testid=part-verifiable-P-1001]")).ToHaveTextAsync("Verifiable");
            await Expect(page.Locator("[data-testid=part-verifiable-P-1003]")).ToHaveTextAsync("Off");

            var dialog = page.Locator("[data-testid=part-verification-dialog]");
            await page.ClickAsync("[data-testid=part-edit-verification-P-1003]");
            await Expect(dialog).ToBeVisibleAsync();
            await dialog.Locator(".rz-dropdown-clear-icon").ClickAsync();
            await dialog.Locator("[data-testid=edit-verifiable]").ClickAsync();
            await dialog.Locator("[data-testid=part-verification-save]").ClickAsync();
            await Expect(dialog.Locator("[data-testid=field-error-productionType]")).ToContainTextAsync("needs a production type");

            await ChooseAsync(page, "[data-testid=edit-production-type]", "OEM");
            await dialog.Locator("[data-testid=part-verification-save]").ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=part-verifiable-P-1003]")).ToHaveTextAsync("Verifiable");
            await Expect(page.Locator("[data-testid=part-production-type-P-1003]")).ToHaveTextAsync("OEM");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "part-verification.png"), FullPage = true });

            await page.ClickAsync("[data-testid=part-edit-verification-P-1003]");
            await dialog.Locator("[data-testid=edit-verifiable]").ClickAsync();
            await ChooseAsync(page, "[data-testid=edit-production-type]", "HAT · hatthasilpa");
            await dialog.Locator("[data-testid=part-verification-save]").ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=part-verifiable-P-1003]")).ToHaveTextAsync("Off");
            await Expect(page.Locator("[data-testid=part-production-type-P-1003]")).ToHaveTextAsync("HAT");

            // The organization's privacy mode (standard in the demo): to minimal and back.
            await page.GotoAsync("/admin/organization");
            await page.WaitForCircuitAsync();
            var privacy = page.Locator("[data-testid=organization-privacy]");
            var current = page.Locator("[data-testid=organization-current]");
            await Expect(current).ToContainTextAsync("standard");
            await privacy.GetByText("Minimal:").ClickAsync();
            await page.ClickAsync("[data-testid=organization-save]");
            await Expect(current).ToContainTextAsync("minimal");
            await privacy.GetByText("Standard:").ClickAsync();
            await page.ClickAsync("[data-testid=organization-save]");
            await Expect(current).ToContainTextAsync("standard");
        });

    private static async Task ChooseAsync(IPage page, string dropDown, string option)
    {
        await page.ClickAsync(dropDown);
        await page.Locator(".rz-dropdown-item:visible").GetByText(option, new() { Exact = true }).ClickAsync();
        await Expect(page.Locator(dropDown)).ToContainTextAsync(option);
    }
}
