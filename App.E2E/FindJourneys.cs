using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

[Collection(BrowserCollection.Name)]
public sealed partial class FindJourneys(AppServer app)
{
    // MA01's plate on the demo's critical quarantine hold (HoldsDemoSeed); no other journey touches it.
    private const string Plate = "LP-00007";

    [Fact]
    public Task A_user_finds_a_plate_by_number_from_the_top_bar_and_follows_it_to_its_hold() =>
        app.JourneyAsync("find", async page =>
        {
            await page.SetViewportSizeAsync(1280, 800);
            await page.SignInAsync("viewer@ma01.demo");
            await page.GotoAsync("/serials");
            await page.WaitForCircuitAsync();

            // Ctrl+K from anywhere puts the next number in the top bar's box; typed in lower case, as a person might.
            await page.Keyboard.PressAsync("Control+k");
            var box = page.GetByTestId("find-box");
            await Expect(box).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync(Plate.ToLowerInvariant());
            await page.Keyboard.PressAsync("Enter");

            // One record has the number: its page opens, and says the plate is on hold.
            await Expect(page).ToHaveURLAsync(new Regex($"/license-plates/{Plate}$"));
            await Expect(page.GetByTestId("plate-title")).ToHaveTextAsync($"License plate {Plate}");
            await Expect(page.GetByTestId("plate-qa-status")).ToHaveTextAsync("QA on hold");
            await Expect(box).ToHaveValueAsync("");
            var hold = page.GetByTestId("plate-active-hold");
            await Expect(hold).ToHaveCountAsync(1);
            var number = (await hold.InnerTextAsync()).Trim();
            Assert.Matches(HoldNumber(), number);
            await Expect(page.GetByTestId("record-hold-link").First).ToHaveTextAsync(number);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.Artifacts, "license-plate-1280.png"), FullPage = true });

            // The hold names the plate, and its item leads back to the plate's page.
            await hold.ClickAsync();
            await Expect(page.GetByTestId("hold-number")).ToHaveTextAsync($"Quality hold {number}");
            await Expect(page.GetByTestId("hold-status")).ToHaveTextAsync("Active");
            var item = page.GetByTestId("hold-item-link");
            await Expect(item).ToHaveTextAsync(Plate);
            await page.WaitForCircuitAsync();
            await item.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/license-plates/{Plate}$"));
            await Expect(page.GetByTestId("plate-title")).ToHaveTextAsync($"License plate {Plate}");
        });

    [GeneratedRegex(@"^QH-\d{8}-\d{4}$")]
    private static partial Regex HoldNumber();
}
