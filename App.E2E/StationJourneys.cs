using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Operator.E2E.Support;
using Operator.Infrastructure.Auth;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>The operator at the station, with the keyboard alone (as a barcode scanner types), and the serial pages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StationJourneys(AppServer app)
{
    [Fact]
    public Task An_operator_scans_a_unit_attaches_a_certificate_once_advances_to_the_end_and_is_refused_on_the_completed_unit() =>
        app.JourneyAsync("station", async page =>
        {
            // A fresh tote bag of its own work order (5 steps, signed public code), so no demo hold or other journey touches it.
            var serial = (await NewSerialsAsync(1))[0];

            await OpenStationAsync(page);
            var scan = page.GetByTestId("scan-input");
            var banner = page.GetByTestId("scan-banner");
            await Expect(scan).ToBeFocusedAsync();

            // The serial, typed as a scanner types it (lower case is fine: codes are normalized), then Enter.
            await ScanAsync(page, serial.ToLowerInvariant());
            await Expect(banner).ToHaveAttributeAsync("data-kind", "unit");
            await Expect(banner).ToHaveClassAsync(new Regex("op-scan-ok"));
            await Expect(page.GetByTestId("unit-serial")).ToHaveTextAsync(serial);
            await Expect(page.GetByTestId("unit-part")).ToContainTextAsync("Hatthasilpa tote bag");
            await Expect(page.GetByTestId("unit-step")).ToHaveCountAsync(5);
            await Expect(page.Locator("[data-testid=unit-step][data-state=current]")).ToContainTextAsync("Cutting");
            await Expect(page.Locator("[data-testid=unit-step][data-state=next]")).ToContainTextAsync("Skiving");
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-last-tone", "recorded");
            await Expect(scan).ToBeFocusedAsync();

            // A certificate: attached at the current step, a big green signal, and the focus back in the scan field.
            await ScanAsync(page, "CERT-0003");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "ok");
            await Expect(banner).ToContainTextAsync($"Certificate CERT-0003 attached to {serial} at Cutting.");
            await Expect(page.Locator("[data-testid=unit-step][data-state=current] [data-testid=unit-cert]")).ToHaveTextAsync("CERT-0003");
            await Expect(scan).ToBeFocusedAsync();
            await Expect(scan).ToHaveValueAsync("");

            // The same certificate again: already recorded, nothing new, in amber with its own tone.
            await ScanAsync(page, "CERT-0003");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "duplicate");
            await Expect(banner).ToHaveClassAsync(new Regex("op-scan-dup"));
            await Expect(banner).ToContainTextAsync("Already recorded");
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-last-tone", "already-recorded");
            await Expect(page.GetByTestId("unit-cert")).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "station-duplicate.png"), FullPage = true });

            // Through the path by touch (the buttons), then complete at the last step. A tap keeps the focus in the scan field.
            foreach (var next in new[] { "Skiving", "Stitching", "Edge painting", "Final inspection" })
            {
                await page.GetByRole(AriaRole.Button, new() { Name = $"Advance to {next}" }).ClickAsync();
                await Expect(banner).ToContainTextAsync($"Moved to {next}");
                await Expect(page.Locator("[data-testid=unit-step][data-state=current]")).ToContainTextAsync(next);
                await Expect(scan).ToBeFocusedAsync();
            }
            await Expect(page.GetByTestId("advance-unit")).ToBeDisabledAsync();
            await Expect(page.GetByTestId("advance-reason")).ToHaveTextAsync("Final inspection is the last step: complete the unit instead.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
            await Expect(banner).ToHaveAttributeAsync("data-kind", "ok");
            await Expect(banner).ToContainTextAsync($"{serial} is completed after Final inspection.");
            await Expect(page.GetByTestId("unit-status")).ToHaveTextAsync("completed");
            await Expect(page.Locator("[data-testid=unit-step][data-state=done]")).ToHaveCountAsync(5);
            await Expect(page.GetByTestId("complete-unit")).ToBeDisabledAsync();

            // A certificate on the completed unit: rejected, in the spec's words, in red, with the refusal tone.
            await ScanAsync(page, "CERT-0004");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "rejected");
            await Expect(banner).ToHaveClassAsync(new Regex("op-scan-err"));
            await Expect(page.GetByTestId("scan-message")).ToHaveTextAsync("Serial is already completed, cannot attach cert");
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-last-tone", "refused");
            await Expect(scan).ToBeFocusedAsync();

            // Garbage gets words too, and the unit stays on the station.
            await ScanAsync(page, "#!garbage!#");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "rejected");
            await Expect(page.GetByTestId("scan-message")).ToContainTextAsync("Unknown code");
            await Expect(page.GetByTestId("unit-serial")).ToHaveTextAsync(serial);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "station-rejected.png"), FullPage = true });

            // Scanning the completed unit again: amber, in words, not the green "go on".
            await ScanAsync(page, serial);
            await Expect(banner).ToHaveAttributeAsync("data-kind", "closed");
            await Expect(banner).ToHaveClassAsync(new Regex("op-scan-dup"));
            await Expect(page.GetByTestId("scan-title")).ToHaveTextAsync($"{serial} is completed");

            // The serial's page tells the whole story.
            await page.GetByTestId("unit-details").ClickAsync();
            await Expect(page.GetByTestId("serial-number")).ToHaveTextAsync(serial);
            await Expect(page.GetByTestId("serial-history")).ToContainTextAsync("Final inspection");
            await Expect(page.GetByTestId("serial-audit")).ToContainTextAsync("Certificate CERT-0003 attached at Cutting");
        });

    [Fact]
    public Task A_double_tap_on_advance_moves_the_unit_exactly_one_step() =>
        app.JourneyAsync("station-double-tap", async page =>
        {
            var serial = (await NewSerialsAsync(1))[0];
            await OpenStationAsync(page);
            await ScanAsync(page, serial);
            var banner = page.GetByTestId("scan-banner");
            await Expect(page.GetByTestId("unit-current-step")).ToHaveTextAsync("Cutting");

            // Two taps 11 ms apart, fired in the page without waiting for anything in between.
            await page.EvaluateAsync("""
                () => new Promise(done => {
                    const b = document.querySelector("[data-testid=advance-unit]");
                    b.click();
                    setTimeout(() => { b.click(); done(); }, 11);
                })
                """);
            await Expect(banner).ToContainTextAsync("Moved to Skiving");
            await Expect(page.GetByTestId("advance-unit")).ToBeEnabledAsync();
            await Expect(page.GetByTestId("unit-current-step")).ToHaveTextAsync("Skiving");
            Assert.Equal(1, await StepIndexAsync(serial));

            // And 250 ms apart, the pace of a human double tap: the answer may already be on screen for the second.
            await page.EvaluateAsync("""
                () => new Promise(done => {
                    const b = document.querySelector("[data-testid=advance-unit]");
                    b.click();
                    setTimeout(() => { document.querySelector("[data-testid=advance-unit]").click(); done(); }, 250);
                })
                """);
            await Expect(banner).ToContainTextAsync("Moved to Stitching");
            await Expect(page.GetByTestId("advance-unit")).ToBeEnabledAsync();
            await Expect(page.GetByTestId("unit-current-step")).ToHaveTextAsync("Stitching");
            Assert.Equal(2, await StepIndexAsync(serial));
            await Expect(page.GetByTestId("scan-log-entry")).ToHaveCountAsync(3);
        });

    [Fact]
    public Task A_burst_of_scans_20_ms_apart_arrives_whole_and_in_order() =>
        app.JourneyAsync("station-burst", async page =>
        {
            var serial = (await NewSerialsAsync(1))[0];
            await OpenStationAsync(page);
            await Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();

            // A keyboard-wedge scanner: every character and every Enter 20 ms apart, the next code right after the Enter.
            await page.Keyboard.TypeAsync($"{serial}\nCERT-0002\nCERT-0003\nCERT-0004\n", new() { Delay = 20 });

            await Expect(page.GetByTestId("scan-log-code")).ToHaveTextAsync(["CERT-0004", "CERT-0003", "CERT-0002", serial]);
            await Expect(page.Locator("[data-testid=scan-log-entry][data-kind=ok]")).ToHaveCountAsync(3);
            await Expect(page.Locator("[data-testid=unit-step][data-state=current] [data-testid=unit-cert]")).ToHaveTextAsync(["CERT-0002", "CERT-0003", "CERT-0004"]);
            await Expect(page.GetByTestId("scan-input")).ToHaveValueAsync("");
            await Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
        });

    [Fact]
    public Task A_held_unit_is_red_with_its_hold_number_and_its_moves_are_disabled_with_the_reason() =>
        app.JourneyAsync("station-held", async page =>
        {
            var order = await NewWorkOrderAsync();
            var serial = (await NewSerialsAsync(1, order))[0];
            var hold = await HoldAsync(order.Id);
            await OpenStationAsync(page);
            await ScanAsync(page, serial);

            var banner = page.GetByTestId("scan-banner");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "held");
            await Expect(banner).ToHaveClassAsync(new Regex("op-scan-err"));
            await Expect(page.GetByTestId("scan-title")).ToHaveTextAsync($"{serial} is on hold");
            await Expect(page.GetByTestId("scan-message")).ToContainTextAsync(hold);
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-last-tone", "refused");
            await Expect(page.GetByTestId("advance-unit")).ToBeDisabledAsync();
            await Expect(page.GetByTestId("complete-unit")).ToBeDisabledAsync();
            await Expect(page.GetByTestId("advance-reason")).ToContainTextAsync($"On hold ({hold})");
            await Expect(page.GetByTestId("scrap-unit")).ToBeEnabledAsync();
        });

    [Fact]
    public Task At_a_station_tablet_1024x768_scan_field_banner_and_moves_are_visible_without_scrolling() =>
        app.JourneyAsync("station-tablet", async page =>
        {
            var serial = (await NewSerialsAsync(1))[0];
            await page.SetViewportSizeAsync(1024, 768);
            await OpenStationAsync(page);
            await ScanAsync(page, serial);
            await ScanAsync(page, "CERT-0002");
            await Expect(page.GetByTestId("scan-banner")).ToHaveAttributeAsync("data-kind", "ok");
            foreach (var id in new[] { "scan-input", "scan-banner", "advance-unit", "complete-unit", "scrap-unit" })
            {
                await Expect(page.GetByTestId(id)).ToBeInViewportAsync(new() { Ratio = 1 });
            }
            Assert.Equal(0, await page.EvaluateAsync<int>("() => window.scrollY"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "station-1024x768.png") });

            await page.SetViewportSizeAsync(1920, 1080);
            await Expect(page.GetByTestId("complete-unit")).ToBeInViewportAsync(new() { Ratio = 1 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "station-1920x1080.png") });
        });

    [Fact]
    public Task The_mute_toggle_is_remembered_by_the_browser() =>
        app.JourneyAsync("station-mute", async page =>
        {
            await OpenStationAsync(page);
            var mute = page.GetByTestId("station-mute");
            await Expect(mute).ToHaveTextAsync("Sound on");
            await mute.ClickAsync();
            await Expect(mute).ToHaveTextAsync("Sound off");
            Assert.Equal("1", await page.EvaluateAsync<string>("() => localStorage.getItem('operator.station.muted')"));
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Expect(page.GetByTestId("station-mute")).ToHaveTextAsync("Sound off");
            await Expect(page.GetByTestId("station-mute")).ToHaveAttributeAsync("aria-pressed", "true");
            // Muted still says which tone it would have played (the words and the colour carry on).
            await ScanAsync(page, "#!nothing!#");
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-last-tone", "refused");
        });

    [Fact]
    public Task Scrapping_at_the_station_asks_for_a_reason_and_a_scrapped_unit_still_takes_a_certificate() =>
        app.JourneyAsync("station-scrap", async page =>
        {
            var serial = (await NewSerialsAsync(1))[0];
            await OpenStationAsync(page);
            await ScanAsync(page, serial);
            await Expect(page.GetByTestId("unit-serial")).ToHaveTextAsync(serial);

            await page.GetByRole(AriaRole.Button, new() { Name = "Scrap", Exact = true }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog.GetByTestId("scrap-dialog")).ToBeVisibleAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Scrap unit" }).ClickAsync();
            await Expect(dialog.GetByTestId("field-error-reason")).ToContainTextAsync("A scrap reason of at least 3 characters is required");
            await dialog.GetByLabel("Scrap reason").FillAsync("Handle torn during stitching");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Scrap unit" }).ClickAsync();
            var banner = page.GetByTestId("scan-banner");
            await Expect(banner).ToContainTextAsync("Handle torn during stitching");
            await Expect(page.GetByTestId("unit-status")).ToHaveTextAsync("scrapped");
            await Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
            await Expect(page.GetByTestId("scrap-unit")).ToBeDisabledAsync();

            await ScanAsync(page, "CERT-0005");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "ok");
        });

    [Fact]
    public Task Batch_create_from_a_work_order_with_a_certificate_lists_the_new_serials() =>
        app.JourneyAsync("batch-create", async page =>
        {
            var order = await NewWorkOrderAsync();
            await page.SignInAsync("operator@ma01.demo");
            await page.GotoAsync($"/serials/batch?workOrderId={order.Id}");
            await page.WaitForCircuitAsync();
            // The work order from the address is chosen already.
            await Expect(page.GetByLabel("Work order")).ToHaveValueAsync(new Regex($"^{order.Number} · "));
            await page.GetByLabel("Quantity (1-10,000)").FillAsync("4");
            await page.GetByLabel("Quantity (1-10,000)").PressAsync("Tab");
            // The certificate picker searches the server as one types; the choice must show before creating.
            await page.GetByLabel("Certificate (optional)").FillAsync("CERT-0002");
            await page.GetByText(new Regex("^CERT-0002 · ")).ClickAsync();
            await Expect(page.GetByLabel("Certificate (optional)")).ToHaveValueAsync(new Regex("^CERT-0002 · "));
            await page.GetByRole(AriaRole.Button, new() { Name = "Create serials" }).ClickAsync();
            await Expect(page.Locator("[data-testid=batch-result]")).ToContainTextAsync($"4 serial(s) created for {order.Number} at Cutting");
            await Expect(page.Locator("[data-testid=batch-result]")).ToContainTextAsync("each with CERT-0002 attached");
            await Expect(page.Locator("[data-testid=batch-serial]")).ToHaveCountAsync(4);

            // The labels of exactly these four, as a real download, read back as text; and the work order's sheet link.
            var numbers = await page.Locator("[data-testid=batch-serial]").AllTextContentsAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Print labels for these 4 (PDF)" }).ClickAsync());
            Assert.EndsWith(".pdf", download.SuggestedFilename);
            var file = Path.Combine(AppServer.Artifacts, $"batch-labels-{order.Number}.pdf");
            await download.SaveAsAsync(file);
            var text = await PdfText.FromFileAsync(file);
            Assert.All(numbers, n => Assert.Contains(n.Trim(), text));
            await Expect(page.Locator("[data-testid=batch-order-labels]")).ToHaveAttributeAsync("href", $"/api/labels/work-orders/{order.Id}.pdf");

            await page.Locator("[data-testid=batch-serial]").First.ClickAsync();
            await Expect(page.Locator("[data-testid=unit-step][data-state=current] [data-testid=unit-cert]")).ToHaveTextAsync("CERT-0002");
        });

    [Fact]
    public Task An_operator_creates_a_certificate_with_its_pdf_and_downloads_it_back() =>
        app.JourneyAsync("certificate-upload", async page =>
        {
            var number = $"CERT-E2E-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
            var pdf = System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% mill certificate {number}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
            await page.SignInAsync("operator@ma01.demo");
            await page.GotoAsync("/certificates");
            await page.WaitForCircuitAsync();
            // Each field is left with Tab, as a person does: a text field hands its value to the form when it loses focus.
            await page.GetByLabel("Number (blank: next CERT-nnnn)").FillAsync(number);
            await page.GetByLabel("Number (blank: next CERT-nnnn)").PressAsync("Tab");
            await page.GetByLabel("Type", new() { Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "Material", Exact = true }).ClickAsync();
            await page.GetByLabel("Issuer", new() { Exact = true }).FillAsync("Tannery Rossi");
            await page.GetByLabel("Issuer", new() { Exact = true }).PressAsync("Tab");
            await page.Locator("#cert-document").SetInputFilesAsync(new FilePayload { Name = "mill-cert.pdf", MimeType = "application/pdf", Buffer = pdf });
            await Expect(page.Locator("[data-testid=cert-document-chosen]")).ToContainTextAsync("mill-cert.pdf");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create certificate" }).ClickAsync();

            // The certificate's page, with its document, which comes back byte for byte.
            await Expect(page.Locator("[data-testid=cert-title]")).ToHaveTextAsync($"Certificate {number}");
            await Expect(page.Locator("[data-testid=cert-type-value]")).ToHaveTextAsync("Material");
            var download = page.Locator("[data-testid=cert-download]");
            await Expect(download).ToContainTextAsync("mill-cert.pdf");
            var response = await page.APIRequest.GetAsync((await download.GetAttributeAsync("href"))!);
            Assert.Equal(200, response.Status);
            Assert.Equal("application/pdf", response.Headers["content-type"]);
            Assert.Equal(pdf, await response.BodyAsync());
        });

    /// <summary>
    /// Station mode: the admin defines a station, the operator's browser becomes it, and the next sign-in in that browser
    /// lands on it, full screen, with its queue (a held unit marked and not workable); a tap on the oldest unit and
    /// Advance record the move. The profile is deactivated at the end, so the other journeys keep the generic station.
    /// </summary>
    [Fact]
    public Task An_admin_defines_a_station_the_operators_browser_becomes_it_and_signing_in_there_opens_its_queue() =>
        app.JourneyAsync("station-kiosk", async page =>
        {
            var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            var (cutCode, pathOrders) = await KioskPathAsync(tag);
            var units = await NewSerialsAsync(3, pathOrders[0]);
            var held = (await NewSerialsAsync(1, pathOrders[1]))[0];
            var holdNumber = await HoldAsync(pathOrders[1].Id);
            var name = $"Kiosk cutting {tag}";
            try
            {
                await page.SignInAsync("admin@ma01.demo");
                await page.GotoAsync("/admin/stations");
                await page.WaitForCircuitAsync();
                await page.EnterAsync("input[data-testid=profile-name]", name);
                await page.EnterAsync("input[data-testid=profile-steps]", cutCode);
                await page.GetByTestId("profile-save").ClickAsync();
                await Expect(page.GetByTestId("profile-row-name").Filter(new() { HasText = name })).ToHaveCountAsync(1);
                await page.GetByTestId("sign-out").ClickAsync();

                // The operator's browser: no station remembered yet, so the station asks which one this is.
                await SignInFormAsync(page, "operator@ma01.demo");
                await page.GotoAsync("/station");
                await page.WaitForCircuitAsync();
                await page.Locator($"[data-testid=station-choice][data-name='{name}']").ClickAsync();
                await Expect(page.GetByTestId("station-name")).ToHaveTextAsync(name);
                await Expect(page.GetByTestId("nav-drawer")).ToBeHiddenAsync();
                await page.GetByTestId("station-sign-out").ClickAsync();

                // Signing in again in this browser lands on the station.
                await SignInFormAsync(page, "operator@ma01.demo");
                await Expect(page).ToHaveURLAsync(new Regex("/station$"));
                await Expect(page.GetByTestId("station-name")).ToHaveTextAsync(name);
                await Expect(page.GetByTestId("scan-input")).ToHaveAttributeAsync("data-attached", "1");
                await Expect(page.GetByTestId("queue-total")).ToHaveTextAsync("4");
                var heldItem = page.Locator($"[data-testid=queue-unit][data-serial='{held}']");
                await Expect(heldItem).ToHaveAttributeAsync("data-held", "true");
                await Expect(heldItem).ToBeDisabledAsync();
                await Expect(heldItem).ToContainTextAsync(holdNumber);
                foreach (var (w, h) in new[] { (1024, 768), (1920, 1080) })
                {
                    await page.SetViewportSizeAsync(w, h);
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, $"station-kiosk-{w}x{h}.png") });
                }

                // The oldest unit, from the queue, then Advance: it leaves the queue and counts as done here today.
                await page.Locator("[data-testid=queue-unit][data-held=false]").First.ClickAsync();
                await Expect(page.GetByTestId("unit-serial")).ToHaveTextAsync(new Regex($"^({string.Join("|", units)})$"));
                await page.GetByTestId("advance-unit").ClickAsync();
                await Expect(page.GetByTestId("scan-banner")).ToContainTextAsync("Moved to Kiosk sewing");
                await Expect(page.GetByTestId("queue-total")).ToHaveTextAsync("3");
                await Expect(page.GetByTestId("done-today")).ToHaveTextAsync("1");
            }
            finally
            {
                await using var scope = app.Services.CreateAsyncScope();
                await SignInAsync(scope.ServiceProvider, "admin@ma01.demo");
                var profiles = scope.ServiceProvider.GetRequiredService<Operator.Features.Station.StationProfileService>();
                foreach (var p in (await profiles.ListAsync(activeOnly: true)).Where(p => p.Name == name)) await profiles.SetActiveAsync(p.Id, false);
            }
        });

    private static async Task SignInFormAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Journeys.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
    }

    /// <summary>A path of its own (its step codes are unique to this run) with two work orders of the tote bag on it.</summary>
    private async Task<(string CutCode, (Guid Id, string Number)[] Orders)> KioskPathAsync(string tag)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, "admin@ma01.demo");
        var db = scope.ServiceProvider.GetRequiredService<OperatorDb>();
        var org = await db.Set<Part>().Where(p => p.Number == "P-1001").Select(p => new { p.Id, p.OrganizationId }).SingleAsync();
        var path = new ProcessPath { OrganizationId = org.OrganizationId, Code = $"PATH-K{tag}", Name = $"Kiosk path {tag}" };
        db.Add(path);
        db.Add(new ProcessStep { OrganizationId = org.OrganizationId, PathId = path.Id, Sequence = 0, Code = $"KC{tag}", Name = "Kiosk cutting" });
        db.Add(new ProcessStep { OrganizationId = org.OrganizationId, PathId = path.Id, Sequence = 1, Code = $"KS{tag}", Name = "Kiosk sewing" });
        await db.SaveChangesAsync();
        var master = scope.ServiceProvider.GetRequiredService<MasterDataService>();
        var orders = new List<(Guid, string)>();
        for (var i = 0; i < 2; i++)
        {
            var created = await master.CreateWorkOrderAsync(new CreateWorkOrderRequest(null, org.Id, path.Id, 10, null));
            orders.Add((created.Value.Id, created.Value.Number));
        }
        return ($"KC{tag}", orders.ToArray());
    }

    private static async Task OpenStationAsync(IPage page)
    {
        await page.SignInAsync("operator@ma01.demo");
        await page.GotoAsync("/station");
        await page.WaitForCircuitAsync();
        // The scan handler is attached once the page is interactive; a scan before that would have nowhere to go.
        await Expect(page.GetByTestId("scan-input")).ToHaveAttributeAsync("data-attached", "1");
    }

    private static async Task ScanAsync(IPage page, string code)
    {
        var scan = page.GetByTestId("scan-input");
        await scan.FillAsync(code);
        await scan.PressAsync("Enter");
    }

    private async Task<int> StepIndexAsync(string serial)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, "operator@ma01.demo");
        return (await scope.ServiceProvider.GetRequiredService<SerialDetailService>().GetAsync(serial)).Value.CurrentStepIndex;
    }

    /// <summary>A quality hold on the work order, placed by the inspector through the service; its number.</summary>
    private async Task<string> HoldAsync(Guid workOrderId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, "inspector@ma01.demo");
        var request = new Operator.Features.Holds.CreateHoldRequest("Stitching thread batch under investigation", "investigation", "high",
            [new Operator.Features.Holds.CreateHoldItemRequest("wo", workOrderId.ToString())]);
        var created = await scope.ServiceProvider.GetRequiredService<Operator.Features.Holds.HoldCommands>().CreateAsync(request);
        return created.Value.Hold.HoldNumber;
    }

    private Task<(Guid Id, string Number)> NewWorkOrderAsync() => Seed.NewWorkOrderAsync(app);

    private Task<IReadOnlyList<string>> NewSerialsAsync(int count, (Guid Id, string Number)? of = null) => Seed.NewSerialsAsync(app, count, of);

    private static Task SignInAsync(IServiceProvider services, string email) => Seed.SignInAsync(services, email);
}
