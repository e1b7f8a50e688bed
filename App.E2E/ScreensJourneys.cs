using Microsoft.Playwright;
using Operator.Components.Layout;
using Operator.E2E.Support;
using Operator.Infrastructure.Auth;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>
/// Every main screen, as each role sees it: each opens with its heading and without the error boundary's message, and a
/// screenshot of it is saved under TestResults/screens/&lt;role&gt;/ so a reviewer can look at the whole UI in a minute.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreensJourneys(AppServer app)
{
    private static readonly string Screens = Environment.GetEnvironmentVariable("OPERATOR_SCREENS")
        ?? Path.Combine(Path.GetDirectoryName(AppServer.Artifacts.TrimEnd('/')) ?? Path.GetTempPath(), "screens");

    [Theory]
    [InlineData("viewer@ma01.demo", Roles.Viewer)]
    [InlineData("operator@ma01.demo", Roles.Operator)]
    [InlineData("inspector@ma01.demo", Roles.QaInspector)]
    [InlineData("manager@ma01.demo", Roles.QaManager)]
    [InlineData("admin@ma01.demo", Roles.Admin)]
    public Task Each_role_opens_every_screen_its_navigation_offers(string email, string role) =>
        app.JourneyAsync($"screens-{role}", async page =>
        {
            var folder = Path.Combine(Screens, role.ToLowerInvariant());
            Directory.CreateDirectory(folder);
            await page.SetViewportSizeAsync(1440, 900);
            await page.SignInAsync(email);
            var screens = NavItems.All.Where(i => Policies.Allows(i.Policy, role) && i.Path.StartsWith('/') && i.Path != "/api-docs")
                .Prepend(new NavItem("Dashboard", "", "/", Policies.Read, ""));
            foreach (var screen in screens)
            {
                await page.GotoAsync(screen.Path);
                await page.WaitForCircuitAsync();
                await Expect(page.Locator("h1").First).ToBeVisibleAsync();
                await Expect(page.GetByTestId("page-error")).ToHaveCountAsync(0);
                await Expect(page.GetByTestId("not-authorized")).ToHaveCountAsync(0);
                var name = screen.Path == "/" ? "dashboard" : screen.Path.Trim('/').Replace('/', '-');
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
            }
        });

    [Fact]
    public Task The_station_fits_a_tablet_and_public_verification_fits_a_phone() =>
        app.JourneyAsync("screens-devices", async page =>
        {
            Directory.CreateDirectory(Screens);
            await page.SetViewportSizeAsync(1024, 768);
            await page.SignInAsync("operator@ma01.demo");
            await page.GotoAsync("/station");
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screens, "station-1024x768.png") });

            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync("/verify");
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screens, "verify-phone.png"), FullPage = true });
        });
}
