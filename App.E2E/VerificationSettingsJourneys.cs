using System.Text.RegularExpressions;
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
            await Expect(page.GetByTestId("part-verifiable-P-1001")).ToHaveTextAsync("Verifiable");
            await Expect(page.GetByTestId("part-verifiable-P-1003")).ToHaveTextAsync("Off");

            var dialog = page.GetByRole(AriaRole.Dialog);
            await page.GetByRole(AriaRole.Button, new() { Name = "Verification settings of P-1003" }).ClickAsync();
            await Expect(dialog).ToBeVisibleAsync();
            await ChooseAsync(page, dialog, "Not coded");
            await dialog.GetByLabel("Publicly verifiable").CheckAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Expect(dialog.GetByText("A publicly verifiable part needs a production type", new() { Exact = false })).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "part-verification-dialog.png"), FullPage = true });

            await ChooseAsync(page, dialog, "OEM");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("part-verifiable-P-1003")).ToHaveTextAsync("Verifiable");
            await Expect(page.GetByTestId("part-production-type-P-1003")).ToHaveTextAsync("OEM");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "part-verification.png"), FullPage = true });

            await page.GetByRole(AriaRole.Button, new() { Name = "Verification settings of P-1003" }).ClickAsync();
            await dialog.GetByLabel("Publicly verifiable").UncheckAsync();
            await ChooseAsync(page, dialog, "Hatthasilpa (HAT)");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("part-verifiable-P-1003")).ToHaveTextAsync("Off");
            await Expect(page.GetByTestId("part-production-type-P-1003")).ToHaveTextAsync("Hatthasilpa (HAT)");

            // The organization's privacy mode (standard in the demo): to minimal and back.
            await page.GotoAsync("/admin/organization");
            await page.WaitForCircuitAsync();
            var current = page.GetByTestId("organization-current");
            var save = page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true });
            await Expect(current).ToContainTextAsync("Standard");
            await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Minimal") }).CheckAsync();
            await save.ClickAsync();
            await Expect(current).ToContainTextAsync("Minimal");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "organization.png"), FullPage = true });
            await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Standard") }).CheckAsync();
            await save.ClickAsync();
            await Expect(current).ToContainTextAsync("Standard");
        });

    private static async Task ChooseAsync(IPage page, ILocator dialog, string option)
    {
        await dialog.GetByLabel("Production type", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(dialog.GetByLabel("Production type", new() { Exact = true })).ToHaveValueAsync(option);
    }
}
