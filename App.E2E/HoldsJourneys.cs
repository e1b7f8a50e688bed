using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

[Collection(BrowserCollection.Name)]
public sealed partial class HoldsJourneys(AppServer app)
{
    // MA01 demo data no demo hold touches (HoldsDemoSeed): a license plate and a work order the journey may hold and release.
    private const string Plate = "LP-00012";
    private const string WorkOrder = "WO-00003";

    [Fact]
    public Task An_inspector_holds_a_plate_and_a_work_order_finds_the_hold_releases_it_and_downloads_the_report() =>
        app.JourneyAsync("holds", async page =>
        {
            // A word no other hold has, so the list search finds exactly this one.
            var marker = "journey" + Guid.NewGuid().ToString("N")[..8];
            var reason = $"Seam strength below specification on tote handles ({marker}).";

            await page.SignInAsync("inspector@ma01.demo");
            await page.GotoAsync("/holds/new");
            await page.WaitForCircuitAsync();

            await page.EnterAsync("[data-testid=hold-reason]", reason);
            await ChooseAsync(page, "[data-testid=hold-type]", "Investigation");
            await ChooseAsync(page, "[data-testid=hold-priority]", "High");

            // Typed (or scanned) numbers, each confirmed with Enter; the row shows what the number refers to before saving.
            await ScanAsync(page, Plate.ToLowerInvariant(), expectedRows: 1);
            await Expect(page.Locator("[data-testid=hold-item-description]").Nth(0)).ToContainTextAsync("License plate");
            await ScanAsync(page, WorkOrder, expectedRows: 2);
            await Expect(page.Locator("[data-testid=hold-item-description]").Nth(1)).ToContainTextAsync("Work order");
            await Expect(page.Locator("[data-testid=hold-item-display]")).ToHaveTextAsync([Plate, WorkOrder]);

            await page.ClickAsync("[data-testid=create-hold]");
            var heading = page.Locator("[data-testid=hold-number]");
            await Expect(heading).ToContainTextAsync("QH-");
            var number = HoldNumber().Match(await heading.InnerTextAsync()).Value;
            Assert.Matches(HoldNumber(), number);
            await Expect(page.Locator("[data-testid=hold-status]")).ToHaveTextAsync("active");
            await Expect(page.Locator("[data-testid=hold-items]")).ToContainTextAsync(Plate);
            await Expect(page.Locator("[data-testid=lp-changes]")).ToContainTextAsync(Plate);

            // The list, from a fresh page load: searching the reason's marker leaves only this hold.
            await page.GotoAsync("/holds");
            await page.WaitForCircuitAsync();
            var rows = page.Locator("[data-testid=holds-grid] tbody tr");
            await Expect(page.Locator("[data-testid=hold-link]").First).ToBeVisibleAsync();
            await page.Locator("[data-testid=filter-search]").FillAsync(marker);
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows).ToContainTextAsync(number);
            await Expect(rows.Locator("[data-testid=hold-status]")).ToHaveTextAsync("active");

            await rows.Locator("[data-testid=hold-link]").ClickAsync();
            await Expect(page.Locator("[data-testid=hold-number]")).ToContainTextAsync(number);
            await page.WaitForCircuitAsync();

            // Release: disposition and notes in the dialog; the page then shows the outcome.
            await page.ClickAsync("[data-testid=release-hold]");
            var dialog = page.Locator("[data-testid=release-dialog]");
            await Expect(dialog).ToBeVisibleAsync();
            await dialog.Locator("[data-testid=release-disposition]").GetByText("Release to operations").ClickAsync();
            await Expect(dialog.Locator("[data-testid=release-effect]")).ToContainTextAsync("passed");
            await page.EnterAsync("[data-testid=release-notes]", $"Pull test repeated on 5 samples, all pass ({marker}).");
            await dialog.Locator("[data-testid=release-confirm]").ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(page.Locator("[data-testid=hold-status]")).ToHaveTextAsync("released");
            await Expect(page.Locator("[data-testid=hold-disposition]")).ToHaveTextAsync("Release to operations");
            await Expect(page.Locator("[data-testid=released-by]")).ToContainTextAsync("inspector@ma01.demo");
            await Expect(page.Locator("[data-testid=release-hold]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=lp-changes]")).ToContainTextAsync("passed");

            // The report: a real browser download of the PDF, read back as text.
            var download = await DownloadAsync(page, () => page.ClickAsync("[data-testid=download-report]"));
            Assert.Equal($"{number}.pdf", download.SuggestedFilename);
            var file = Path.Combine(AppServer.Artifacts, $"{number}.pdf");
            await download.SaveAsAsync(file);
            var text = await PdfText.FromFileAsync(file);
            Assert.Contains(number, text);
            Assert.Contains(Plate, text);
            Assert.Contains(WorkOrder, text);
            Assert.Contains(marker, text);
        });

    /// <summary>Opens a Radzen drop-down and picks the option with this text from its (now visible) popup.</summary>
    private static async Task ChooseAsync(IPage page, string dropDown, string option)
    {
        await page.ClickAsync(dropDown);
        await page.Locator(".rz-dropdown-item:visible").GetByText(option, new() { Exact = true }).ClickAsync();
        await Expect(page.Locator(dropDown)).ToContainTextAsync(option);
    }

    /// <summary>Types a number into the scan field and presses Enter, as a scanner does, then waits for the item row.</summary>
    private static async Task ScanAsync(IPage page, string number, int expectedRows)
    {
        var scan = page.Locator("[data-testid=scan-input]");
        await scan.FillAsync(number);
        await scan.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=hold-item]")).ToHaveCountAsync(expectedRows);
        await Expect(page.Locator("[data-testid=scan-message]")).ToContainTextAsync("Added");
        await Expect(scan).ToHaveValueAsync("");
    }

    /// <summary>
    /// Clicks and waits for the download. The link opens a new tab, and Chromium reports the download on the tab it
    /// started in, so the download is awaited on the page and on any page the click opens, whichever reports it.
    /// </summary>
    private static async Task<IDownload> DownloadAsync(IPage page, Func<Task> click)
    {
        var done = new TaskCompletionSource<IDownload>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDownload(object? sender, IDownload d) => done.TrySetResult(d);
        void OnPage(object? sender, IPage opened) => opened.Download += OnDownload;
        page.Download += OnDownload;
        page.Context.Page += OnPage;
        try
        {
            await click();
            return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            page.Download -= OnDownload;
            page.Context.Page -= OnPage;
        }
    }

    [GeneratedRegex(@"QH-\d{8}-\d{4}")]
    private static partial Regex HoldNumber();
}
