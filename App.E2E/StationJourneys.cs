using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Operator.E2E.Support;
using Operator.Features.Admin;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
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

            await page.SignInAsync("operator@ma01.demo");
            await page.GotoAsync("/station");
            await page.WaitForCircuitAsync();
            var scan = page.Locator("[data-testid=scan-input]");
            var banner = page.Locator("[data-testid=scan-banner]");
            await Expect(scan).ToBeFocusedAsync();

            // The serial, typed as a scanner types it (lower case is fine: codes are normalized), then Enter.
            await ScanAsync(page, serial.ToLowerInvariant());
            await Expect(banner).ToHaveAttributeAsync("data-kind", "unit");
            await Expect(page.Locator("[data-testid=unit-serial]")).ToHaveTextAsync(serial);
            await Expect(page.Locator("[data-testid=unit-part]")).ToContainTextAsync("Hatthasilpa tote bag");
            await Expect(page.Locator("[data-testid=unit-step]")).ToHaveCountAsync(5);
            await Expect(page.Locator("[data-testid=unit-step][data-state=current]")).ToContainTextAsync("Cutting");
            await Expect(page.Locator("[data-testid=unit-step][data-state=next]")).ToContainTextAsync("Skiving");
            await Expect(scan).ToBeFocusedAsync();

            // A certificate: attached at the current step, a big green signal, and the focus back in the scan field.
            await ScanAsync(page, "CERT-0003");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "ok");
            await Expect(banner).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("op-scan-ok"));
            await Expect(banner).ToContainTextAsync($"Certificate CERT-0003 attached to {serial} at Cutting.");
            await Expect(page.Locator("[data-testid=unit-step][data-state=current] [data-testid=unit-cert]")).ToHaveTextAsync("CERT-0003");
            await Expect(scan).ToBeFocusedAsync();
            await Expect(scan).ToHaveValueAsync("");

            // The same certificate again: already recorded, nothing new.
            await ScanAsync(page, "CERT-0003");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "duplicate");
            await Expect(banner).ToContainTextAsync("Already recorded");
            await Expect(page.Locator("[data-testid=unit-cert]")).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "station-duplicate.png"), FullPage = true });

            // Through the path by touch (the buttons), then complete at the last step.
            foreach (var next in new[] { "Skiving", "Stitching", "Edge painting", "Final inspection" })
            {
                await page.ClickAsync("[data-testid=advance-unit]");
                await Expect(banner).ToContainTextAsync($"Moved to {next}");
                await Expect(page.Locator("[data-testid=unit-step][data-state=current]")).ToContainTextAsync(next);
                await Expect(scan).ToBeFocusedAsync();
            }
            await Expect(page.Locator("[data-testid=advance-unit]")).ToHaveCountAsync(0);
            await page.ClickAsync("[data-testid=complete-unit]");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "ok");
            await Expect(banner).ToContainTextAsync($"{serial} is completed after Final inspection.");
            await Expect(page.Locator("[data-testid=unit-status]")).ToHaveTextAsync("completed");
            await Expect(page.Locator("[data-testid=unit-step][data-state=done]")).ToHaveCountAsync(5);

            // A certificate on the completed unit: rejected, in the spec's words, in red.
            await ScanAsync(page, "CERT-0004");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "rejected");
            await Expect(banner).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("op-scan-err"));
            await Expect(page.Locator("[data-testid=scan-message]")).ToHaveTextAsync("Serial is already completed, cannot attach cert");
            await Expect(scan).ToBeFocusedAsync();

            // Garbage gets words too, and the unit stays on the station.
            await ScanAsync(page, "#!garbage!#");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "rejected");
            await Expect(page.Locator("[data-testid=scan-message]")).ToContainTextAsync("Unknown code");
            await Expect(page.Locator("[data-testid=unit-serial]")).ToHaveTextAsync(serial);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "station-rejected.png"), FullPage = true });

            // The serial's page tells the whole story.
            await page.ClickAsync("[data-testid=unit-details]");
            await Expect(page.Locator("[data-testid=serial-number]")).ToHaveTextAsync(serial);
            await Expect(page.Locator("[data-testid=serial-history]")).ToContainTextAsync("Final inspection");
            await Expect(page.Locator("[data-testid=serial-audit]")).ToContainTextAsync("Certificate CERT-0003 attached at Cutting");
        });

    [Fact]
    public Task Scrapping_at_the_station_asks_for_a_reason_and_a_scrapped_unit_still_takes_a_certificate() =>
        app.JourneyAsync("station-scrap", async page =>
        {
            var serial = (await NewSerialsAsync(1))[0];
            await page.SignInAsync("operator@ma01.demo");
            await page.GotoAsync("/station");
            await page.WaitForCircuitAsync();
            await ScanAsync(page, serial);
            await Expect(page.Locator("[data-testid=unit-serial]")).ToHaveTextAsync(serial);

            await page.ClickAsync("[data-testid=scrap-unit]");
            await Expect(page.Locator("[data-testid=scrap-dialog]")).ToBeVisibleAsync();
            await page.ClickAsync("[data-testid=scrap-confirm]");
            await Expect(page.Locator("[data-testid=field-error-reason]")).ToContainTextAsync("A scrap reason of at least 3 characters is required");
            await page.EnterAsync("[data-testid=scrap-reason]", "Handle torn during stitching");
            await page.ClickAsync("[data-testid=scrap-confirm]");
            var banner = page.Locator("[data-testid=scan-banner]");
            await Expect(banner).ToContainTextAsync("Handle torn during stitching");
            await Expect(page.Locator("[data-testid=unit-status]")).ToHaveTextAsync("scrapped");
            await Expect(page.Locator("[data-testid=scan-input]")).ToBeFocusedAsync();

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
            await page.Locator("[data-testid=batch-quantity] input").FillAsync("4");
            await page.Locator("[data-testid=batch-quantity] input").PressAsync("Tab");
            // A click on the item while the popup is still opening can be lost; the choice must show before creating.
            for (var attempt = 0; attempt < 3 && !(await page.InnerTextAsync("[data-testid=batch-cert]")).Contains("CERT-0002"); attempt++)
            {
                await page.ClickAsync("[data-testid=batch-cert]");
                var item = page.Locator(".rz-dropdown-item", new() { HasTextString = "CERT-0002" }).First;
                await item.WaitForAsync();
                await item.ClickAsync();
                await page.WaitForTimeoutAsync(200);
            }
            await Expect(page.Locator("[data-testid=batch-cert]")).ToContainTextAsync("CERT-0002");
            await page.ClickAsync("[data-testid=batch-create]");
            await Expect(page.Locator("[data-testid=batch-result]")).ToContainTextAsync($"4 serial(s) created for {order.Number} at Cutting");
            await Expect(page.Locator("[data-testid=batch-result]")).ToContainTextAsync("each with CERT-0002 attached");
            await Expect(page.Locator("[data-testid=batch-serial]")).ToHaveCountAsync(4);

            // The labels of exactly these four, as a real download, read back as text; and the work order's sheet link.
            var numbers = await page.Locator("[data-testid=batch-serial]").AllTextContentsAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=batch-labels]"));
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
            await page.EnterAsync("[data-testid=cert-number]", number);
            await page.ClickAsync("[data-testid=cert-type]");
            await page.Locator(".rz-dropdown-item:visible").GetByText("Material", new() { Exact = true }).ClickAsync();
            await page.EnterAsync("[data-testid=cert-issuer]", "Tannery Rossi");
            await page.Locator("#cert-document").SetInputFilesAsync(new FilePayload { Name = "mill-cert.pdf", MimeType = "application/pdf", Buffer = pdf });
            await Expect(page.Locator("[data-testid=cert-document-chosen]")).ToContainTextAsync("mill-cert.pdf");
            await page.ClickAsync("[data-testid=create-certificate]");

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

    private static async Task ScanAsync(IPage page, string code)
    {
        var scan = page.Locator("[data-testid=scan-input]");
        await scan.FillAsync(code);
        await scan.PressAsync("Enter");
    }

    /// <summary>A work order of MA01's tote bag on its 5-step path, made through the service as the admin would.</summary>
    private async Task<(Guid Id, string Number)> NewWorkOrderAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, "admin@ma01.demo");
        var db = scope.ServiceProvider.GetRequiredService<OperatorDb>();
        var part = await db.Set<Part>().Where(p => p.Number == "P-1001").Select(p => p.Id).SingleAsync();
        var path = await db.Set<ProcessPath>().Where(p => p.Code == "PATH-BAG").Select(p => p.Id).SingleAsync();
        var created = await scope.ServiceProvider.GetRequiredService<MasterDataService>().CreateWorkOrderAsync(new CreateWorkOrderRequest(null, part, path, 10, null));
        return (created.Value.Id, created.Value.Number);
    }

    private async Task<IReadOnlyList<string>> NewSerialsAsync(int count)
    {
        var order = await NewWorkOrderAsync();
        await using var scope = app.Services.CreateAsyncScope();
        await SignInAsync(scope.ServiceProvider, "operator@ma01.demo");
        var result = await scope.ServiceProvider.GetRequiredService<SerialService>().BatchCreateAsync(order.Id.ToString(), count, null);
        return result.Value.Serials.Select(s => s.SerialNumber).ToList();
    }

    private static async Task SignInAsync(IServiceProvider services, string email)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        services.GetRequiredService<CurrentUser>().Set(principal);
    }
}
