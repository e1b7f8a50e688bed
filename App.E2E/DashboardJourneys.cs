using System.Text.RegularExpressions;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

[Collection(BrowserCollection.Name)]
public sealed class DashboardJourneys(AppServer app)
{
    [Fact]
    public Task A_manager_opens_the_dashboard_follows_the_critical_holds_chart_and_lands_on_exactly_those_holds() =>
        app.JourneyAsync("dashboard", async page =>
        {
            await page.SetViewportSizeAsync(1440, 900);
            await page.SignInAsync("manager@ma01.demo");
            await page.GotoAsync("/");
            await page.WaitForCircuitAsync();
            await Expect(page.GetByTestId("priority-chart")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("origins-chart")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.Artifacts, "dashboard-manager.png"), FullPage = true });

            var chip = page.GetByTestId("chart-priority-critical");
            var counted = int.Parse(Regex.Match(await chip.InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
            await chip.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/holds\?status=active&priority=critical$"));
            await page.WaitForCircuitAsync();
            await Expect(page.GetByTestId("filter-status")).ToHaveValueAsync("Active");
            await Expect(page.GetByTestId("filter-priority")).ToHaveValueAsync("Critical");
            if (counted == 0)
            {
                await Expect(page.GetByTestId("holds-empty")).ToBeVisibleAsync();
                return;
            }
            // The first page shows as many holds as the chart counted (up to a page), each one active and critical.
            await Expect(page.GetByTestId("hold-link")).ToHaveCountAsync(Math.Min(counted, 20));
            foreach (var priority in await page.GetByTestId("hold-priority").AllInnerTextsAsync()) Assert.Equal("Critical", priority.Trim());
            foreach (var status in await page.GetByTestId("hold-status").AllInnerTextsAsync()) Assert.Equal("Active", status.Trim());
        });
}
