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

            await page.SetViewportSizeAsync(1440, 900);
            await page.SignInAsync("inspector@ma01.demo");
            await page.GotoAsync("/holds/new");
            await page.WaitForCircuitAsync();

            // A scanner can start at once: the scan field, not the heading, has the focus.
            var scan = page.GetByTestId("scan-input");
            await Expect(scan).ToBeFocusedAsync();

            var reasonField = page.GetByLabel("Reason", new() { Exact = true });
            await reasonField.FillAsync(reason);
            // The counter follows the typing (the field has not lost the focus yet).
            await Expect(page.GetByText($"{reason.Length} / 500")).ToBeVisibleAsync();
            await ChooseAsync(page, "hold-type", "Investigation");
            await ChooseAsync(page, "hold-priority", "High");

            // Typed (or scanned) numbers, each confirmed with Enter; the row shows what the number refers to before saving.
            await ScanAsync(page, Plate.ToLowerInvariant(), expectedRows: 1);
            await Expect(page.GetByTestId("hold-item-description").Nth(0)).ToContainTextAsync("License plate");
            await ScanAsync(page, WorkOrder, expectedRows: 2);
            await Expect(page.GetByTestId("hold-item-description").Nth(1)).ToContainTextAsync("Work order");
            await Expect(page.GetByTestId("hold-item-display")).ToHaveTextAsync([Plate, WorkOrder]);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.Artifacts, "new-hold-1440.png"), FullPage = true });

            await page.GetByRole(AriaRole.Button, new() { Name = "Create hold", Exact = true }).ClickAsync();
            var heading = page.GetByTestId("hold-number");
            await Expect(heading).ToContainTextAsync("QH-");
            var number = HoldNumber().Match(await heading.InnerTextAsync()).Value;
            Assert.Matches(HoldNumber(), number);
            await Expect(page.GetByTestId("hold-outcome")).ToContainTextAsync("Hold created.");
            await Expect(page.GetByTestId("hold-status")).ToHaveTextAsync("Active");
            await Expect(page.GetByTestId("hold-items")).ToContainTextAsync(Plate);
            await Expect(page.GetByTestId("lp-changes")).ToContainTextAsync(Plate);

            // The list, from a fresh page load: searching the reason's marker leaves only this hold, and the search is in the address.
            await page.GotoAsync("/holds");
            await page.WaitForCircuitAsync();
            var rows = page.GetByTestId("holds-grid").Locator("tbody tr");
            await Expect(page.GetByTestId("hold-link").First).ToBeVisibleAsync();
            await page.GetByTestId("filter-search").FillAsync(marker);
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows).ToContainTextAsync(number);
            await Expect(rows.GetByTestId("hold-status")).ToHaveTextAsync("Active");
            await Expect(page).ToHaveURLAsync(new Regex($"q={marker}"));
            await AssertHeldColumnFitsAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.Artifacts, "holds-list-1440.png"), FullPage = true });

            // The address reopens the same view.
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Expect(page.GetByTestId("filter-search")).ToHaveValueAsync(marker);
            await Expect(rows).ToHaveCountAsync(1);

            await rows.GetByTestId("hold-link").ClickAsync();
            await Expect(page.GetByTestId("hold-number")).ToContainTextAsync(number);
            await page.WaitForCircuitAsync();

            // The button's accessible name is its words only (the icon's name once leaked into it: "lock_open RELEASE HOLD").
            var releaseButton = page.GetByRole(AriaRole.Button, new() { Name = "Release hold", Exact = true });
            await Expect(releaseButton).ToBeVisibleAsync();

            // Release: disposition and notes in the dialog; the page then shows the outcome.
            await releaseButton.ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(dialog.GetByTestId("release-dialog")).ToBeVisibleAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Release hold", Exact = true }).ClickAsync();
            await Expect(dialog.GetByTestId("release-disposition-error")).ToHaveTextAsync("Choose a disposition.");
            await dialog.GetByText("Release to operations", new() { Exact = true }).ClickAsync();
            await Expect(dialog.GetByTestId("release-effect")).ToContainTextAsync("passed");
            await dialog.GetByLabel("Release notes (optional)").FillAsync($"Pull test repeated on 5 samples, all pass ({marker}).");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Release hold", Exact = true }).ClickAsync();
            // The release is signed: the first signing of the session asks for the password (meaning "approved" preselected).
            await page.GetByTestId("sign-password").FillAsync(Journeys.Password);
            await page.GetByTestId("sign-confirm").ClickAsync();
            // Both dialogs close (while they are stacked, "the dialog" names two).
            await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("hold-status")).ToHaveTextAsync("Released");
            await Expect(page.GetByTestId("hold-outcome")).ToContainTextAsync("Hold released.");
            await Expect(page.GetByTestId("hold-disposition")).ToHaveTextAsync("Release to operations");
            await Expect(page.GetByTestId("released-by")).ToContainTextAsync("inspector@ma01.demo");
            await Expect(releaseButton).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("lp-changes")).ToContainTextAsync("passed");

            // The success message covers no action (a toast once lay over Release and Download report).
            var report = page.GetByRole(AriaRole.Link, new() { Name = "Download report", Exact = true });
            await Expect(report).ToBeVisibleAsync();
            await AssertNotCoveredAsync(page, "download-report");
            await page.SetViewportSizeAsync(1024, 768);
            await AssertNotCoveredAsync(page, "download-report");
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.Artifacts, "hold-detail-1024.png"), FullPage = true });

            // The report: a real browser download of the PDF, read back as text.
            var download = await DownloadAsync(page, () => report.ClickAsync());
            Assert.Equal($"{number}.pdf", download.SuggestedFilename);
            var file = Path.Combine(AppServer.Artifacts, $"{number}.pdf");
            await download.SaveAsAsync(file);
            var text = await PdfText.FromFileAsync(file);
            Assert.Contains(number, text);
            Assert.Contains(Plate, text);
            Assert.Contains(WorkOrder, text);
            Assert.Contains(marker, text);
        });

    [Fact]
    public Task The_dashboards_priority_link_opens_the_list_with_its_filters_in_words() =>
        app.JourneyAsync("holds-dashboard", async page =>
        {
            await page.SetViewportSizeAsync(1024, 768);
            await page.SignInAsync("manager@ma01.demo");
            await page.GotoAsync("/");
            await page.WaitForCircuitAsync();
            await Expect(page.GetByTestId("dashboard-card").First).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.Artifacts, "dashboard-1024.png"), FullPage = true });
            await page.GetByTestId("active-priority-high").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/holds\?status=active&priority=high"));
            await page.WaitForCircuitAsync();
            await Expect(page.GetByTestId("filter-status")).ToHaveValueAsync("Active");
            await Expect(page.GetByTestId("filter-priority")).ToHaveValueAsync("High");
            await Expect(page.GetByTestId("hold-link").First).ToBeVisibleAsync();
            foreach (var priority in await page.GetByTestId("hold-priority").AllInnerTextsAsync())
            {
                Assert.Equal("High", priority.Trim());
            }
        });

    /// <summary>Opens a drop-down by its field and picks the option with this text from its (now visible) list.</summary>
    private static async Task ChooseAsync(IPage page, string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId(testId)).ToHaveValueAsync(option);
    }

    /// <summary>Types a number into the scan field and presses Enter, as a scanner does, then waits for the item row.</summary>
    private static async Task ScanAsync(IPage page, string number, int expectedRows)
    {
        var scan = page.GetByTestId("scan-input");
        await scan.FillAsync(number);
        await scan.PressAsync("Enter");
        await Expect(page.GetByTestId("hold-item")).ToHaveCountAsync(expectedRows);
        await Expect(page.GetByTestId("scan-message")).ToContainTextAsync("Added");
        await Expect(scan).ToHaveValueAsync("");
    }

    /// <summary>The held time of every row is shown whole: its cell neither clips nor scrolls it, and it lies inside the grid.</summary>
    private static async Task AssertHeldColumnFitsAsync(IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>(@"() => {
            const grid = document.querySelector('[data-testid=holds-grid]').getBoundingClientRect();
            return [...document.querySelectorAll('[data-testid=hold-held-at]')].flatMap(t => {
                const cell = t.closest('td'); const box = t.getBoundingClientRect();
                const out = [];
                if (cell.scrollWidth > cell.clientWidth + 1) out.push('cell overflows: ' + t.textContent);
                if (box.right > grid.right + 1) out.push('outside the grid: ' + t.textContent);
                return out; });
        }");
        Assert.Empty(problems);
    }

    /// <summary>The element's centre is hit by the element itself (or its content), not by something laid over it.</summary>
    private static async Task AssertNotCoveredAsync(IPage page, string testId)
    {
        var covered = await page.EvaluateAsync<string?>(@"id => {
            const el = document.querySelector(`[data-testid=${id}]`);
            el.scrollIntoView({ block: 'center' });
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit && (el === hit || el.contains(hit)) ? null : (hit ? hit.outerHTML.slice(0, 200) : 'nothing');
        }", testId);
        Assert.Null(covered);
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
