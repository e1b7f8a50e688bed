using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>
/// Issue 5 in the browser. The trigger journey runs in AC01 (its own organization), so the work order it creates and
/// the serials its trigger generates never meet the other journeys' MA01 data; it deletes its trigger at the end.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SerializationJourneys(AppServer app)
{
    [Fact]
    public Task An_admin_creates_a_format_and_a_work_order_trigger_and_a_new_work_order_gets_its_serials() =>
        app.JourneyAsync("serialization-trigger", async page =>
        {
            var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            var formatName = $"E2E format {tag}";
            var yymm = DateTime.UtcNow.ToString("yyMM", System.Globalization.CultureInfo.InvariantCulture);
            await page.SignInAsync("admin@ac01.demo");

            // A pattern with a live preview: an unknown token is named while typing, a good pattern shows the next numbers.
            await page.GotoAsync("/serialization/formats");
            await page.WaitForCircuitAsync();
            await page.EnterAsync("[data-testid=format-name]", formatName);
            await page.Locator("[data-testid=format-pattern]").FillAsync($"X{tag}-{{YEAR}}-{{SEQ:4}}");
            await Expect(page.Locator("[data-testid=preview-error]")).ToContainTextAsync("Unknown token {YEAR}");
            await page.Locator("[data-testid=format-pattern]").FillAsync($"X{tag}-{{YY}}{{MM}}-{{SEQ:4}}");
            await Expect(page.Locator("[data-testid=preview-numbers] li").First).ToHaveTextAsync($"X{tag}-{yymm}-0001");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "serial-format-preview.png"), FullPage = true });
            await page.ClickAsync("[data-testid=format-save]");
            await Expect(page.Locator("[data-testid=format-grid]")).ToContainTextAsync(formatName);

            // A WORK_ORDER_CREATE trigger for the valve, in batch mode (one serial per unit), only for work orders of 3 units.
            await page.GotoAsync("/serialization/triggers");
            await page.WaitForCircuitAsync();
            await ChooseAsync(page, "[data-testid=trigger-part]", "V-2001 · Ball valve DN25");
            await page.ClickAsync("[data-testid=trigger-new]");
            await Expect(page.Locator("[data-testid=trigger-dialog]")).ToBeVisibleAsync();
            await ChooseAsync(page, "[data-testid=trigger-format]", formatName);
            await page.ClickAsync("[data-testid=trigger-batch-mode]");
            await page.ClickAsync("[data-testid=condition-add]");
            await page.EnterAsync("[data-testid=condition-key]", "quantity");
            await page.EnterAsync("[data-testid=condition-value]", "3");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "trigger-dialog.png"), FullPage = true });
            await page.ClickAsync("[data-testid=trigger-save]");
            await Expect(page.Locator("[data-testid=trigger-dialog]")).ToBeHiddenAsync();
            var row = page.Locator("[data-testid=trigger-grid] tbody tr").Filter(new() { HasText = formatName });
            await Expect(row).ToContainTextAsync("WORK_ORDER_CREATE");
            await Expect(row).ToContainTextAsync("quantity = 3");

            // The admin creates a work order of 3 valves: the trigger fires.
            await page.GotoAsync("/admin/work-orders");
            await page.WaitForCircuitAsync();
            var number = $"WO-E2E-{tag}";
            await page.EnterAsync("[data-testid=work-order-number]", number);
            await ChooseAsync(page, "[data-testid=work-order-part]", "V-2001");
            await ChooseAsync(page, "[data-testid=work-order-path]", "PATH-MACH");
            // RadzenNumeric puts the test id on its wrapper or on its input, depending on the version.
            await page.EnterAsync("[data-testid=work-order-quantity] input, input[data-testid=work-order-quantity]", "3");
            await page.ClickAsync("[data-testid=create-work-order]");
            await Expect(page.Locator("[data-testid=list-grid]")).ToContainTextAsync(number);

            // The three generated serials are listed with their work order.
            await page.GotoAsync("/serialization/generated");
            await page.WaitForCircuitAsync();
            await ChooseAsync(page, "[data-testid=generated-part]", "V-2001 · Ball valve DN25");
            var generated = page.Locator("[data-testid=generated-grid] tbody tr").Filter(new() { HasText = number });
            await Expect(generated).ToHaveCountAsync(3);
            foreach (var i in new[] { 1, 2, 3 })
            {
                await Expect(page.Locator("[data-testid=generated-grid]")).ToContainTextAsync($"X{tag}-{yymm}-000{i}");
            }
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "generated-serials.png"), FullPage = true });

            // The trigger has fired once; the admin deletes it after confirming.
            await page.GotoAsync("/serialization/triggers");
            await page.WaitForCircuitAsync();
            await ChooseAsync(page, "[data-testid=trigger-part]", "V-2001 · Ball valve DN25");
            row = page.Locator("[data-testid=trigger-grid] tbody tr").Filter(new() { HasText = formatName });
            await Expect(row).ToContainTextAsync("1 ·");
            await row.Locator("[data-testid=trigger-delete]").ClickAsync();
            await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(page.Locator("[data-testid=trigger-grid] tbody tr").Filter(new() { HasText = formatName })).ToHaveCountAsync(0);
        });

    [Fact]
    public Task A_viewer_sees_the_triggers_and_statistics_of_a_part_but_no_way_to_change_them() =>
        app.JourneyAsync("serialization-triggers-read-only", async page =>
        {
            await page.SignInAsync("viewer@ma01.demo");
            await page.GotoAsync("/serialization/triggers");
            await page.WaitForCircuitAsync();
            // The demo wallet has a MANUAL batch trigger and an inactive OPERATION_COMPLETE one.
            await ChooseAsync(page, "[data-testid=trigger-part]", "P-1002 · Bifold wallet");
            var rows = page.Locator("[data-testid=trigger-grid] tbody tr");
            await Expect(rows.Filter(new() { HasText = "MANUAL" })).ToHaveCountAsync(1);
            await Expect(rows.Filter(new() { HasText = "OPERATION_COMPLETE" })).ToHaveCountAsync(1);
            await Expect(page.Locator("[data-testid=trigger-stats]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=stat-total]")).ToHaveTextAsync("2");
            await Expect(page.Locator("[data-testid=trigger-new]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=trigger-edit]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=trigger-delete]")).ToHaveCountAsync(0);
            var toggles = page.Locator("[data-testid=trigger-toggle]");
            await Expect(toggles).ToHaveCountAsync(2);
            foreach (var toggle in await toggles.AllAsync())
            {
                await Expect(toggle).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("rz-state-disabled"));
            }
        });

    [Fact]
    public Task An_operator_assigns_pending_placeholders_by_scanning() =>
        app.JourneyAsync("serialization-placeholders", async page =>
        {
            var number = $"E2E-LATE-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
            await page.SignInAsync("operator@ma01.demo");
            await page.GotoAsync("/serialization/placeholders");
            await page.WaitForCircuitAsync();

            // Two units of the strap wait for their number (no work order: bought in and serialized at receiving).
            await ChooseAsync(page, "[data-testid=filter-part]", "P-1003");
            await Expect(page.Locator("[data-testid=pending-grid]")).ToContainTextAsync("No placeholder is waiting");
            await page.ClickAsync("[data-testid=create-placeholder]");
            await Expect(page.Locator("[data-testid=pending-grid] tbody tr")).ToHaveCountAsync(1);
            await page.ClickAsync("[data-testid=create-placeholder]");
            await Expect(page.Locator("[data-testid=pending-grid] tbody tr")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=scan-target]")).ToContainTextAsync("P-1003");

            // A keyboard-wedge scanner types the number and Enter into the focused field: a big green signal.
            var scan = page.Locator("[data-testid=scan-input]");
            await Expect(scan).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync(number);
            await page.Keyboard.PressAsync("Enter");
            var banner = page.Locator("[data-testid=scan-banner]");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "ok");
            await Expect(page.Locator("[data-testid=scan-title]")).ToHaveTextAsync($"Serialized {number}");
            await Expect(page.Locator("[data-testid=pending-grid] tbody tr")).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "placeholder-assigned.png"), FullPage = true });

            // The same number again is refused with a big red signal, and the unit keeps waiting; the focus stays in the scan field.
            await Expect(scan).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync(number);
            await page.Keyboard.PressAsync("Enter");
            await Expect(banner).ToHaveAttributeAsync("data-kind", "rejected");
            await Expect(page.Locator("[data-testid=scan-message]")).ToContainTextAsync("already in use");
            await Expect(page.Locator("[data-testid=pending-grid] tbody tr")).ToHaveCountAsync(1);

            // The last unit was damaged: it fails with a reason.
            await page.ClickAsync("[data-testid=fail-placeholder]");
            await page.EnterAsync("[data-testid=reason-text]", "Strap torn at the keeper");
            await page.ClickAsync("[data-testid=reason-confirm]");
            await Expect(page.Locator("[data-testid=pending-grid]")).ToContainTextAsync("No placeholder is waiting");
            await Expect(page.Locator("[data-testid=stat-serialized]")).Not.ToHaveTextAsync("0");
            await Expect(page.Locator("[data-testid=stat-failed]")).Not.ToHaveTextAsync("0");
        });

    [Fact]
    public Task A_quality_manager_receives_accepts_and_rejects_vendor_serials() =>
        app.JourneyAsync("serialization-vendor", async page =>
        {
            var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            await page.SignInAsync("manager@ma01.demo");
            await page.GotoAsync("/serialization/vendor");
            await page.WaitForCircuitAsync();
            await ChooseAsync(page, "[data-testid=vendor-part]", "P-1003 · Shoulder strap");
            foreach (var n in new[] { "1", "2" })
            {
                await page.EnterAsync("[data-testid=receive-number]", $"VS-{tag}-{n}");
                await page.EnterAsync("[data-testid=receive-vendor]", "Riri SA");
                await page.ClickAsync("[data-testid=receive-submit]");
                await Expect(page.Locator("[data-testid=vendor-grid]")).ToContainTextAsync($"VS-{tag}-{n}");
            }
            // The same number twice is refused in words.
            await page.EnterAsync("[data-testid=receive-number]", $"VS-{tag}-1");
            await page.ClickAsync("[data-testid=receive-submit]");
            await Expect(page.Locator("[data-testid=receive-error]")).ToContainTextAsync("already registered");

            var first = page.Locator("[data-testid=vendor-grid] tbody tr").Filter(new() { HasText = $"VS-{tag}-1" });
            await first.Locator("[data-testid=vendor-accept]").ClickAsync();
            await page.EnterAsync("[data-testid=reason-text]", $"INT-{tag}");
            await page.ClickAsync("[data-testid=reason-confirm]");
            await Expect(first).ToContainTextAsync("ACCEPTED");
            await Expect(first).ToContainTextAsync($"INT-{tag}");

            var second = page.Locator("[data-testid=vendor-grid] tbody tr").Filter(new() { HasText = $"VS-{tag}-2" });
            await second.Locator("[data-testid=vendor-reject]").ClickAsync();
            await page.ClickAsync("[data-testid=reason-confirm]");
            await Expect(page.Locator("[data-testid=reason-missing]")).ToBeVisibleAsync();
            await page.EnterAsync("[data-testid=reason-text]", "Label unreadable");
            await page.ClickAsync("[data-testid=reason-confirm]");
            await Expect(second).ToContainTextAsync("REJECTED");
            await page.ClickAsync("[data-testid=vendor-status] >> text=Pending");
            await Expect(page.Locator("[data-testid=vendor-grid]")).Not.ToContainTextAsync($"VS-{tag}");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "vendor-serials.png"), FullPage = true });
        });

    /// <summary>Opens a Radzen drop-down and picks the option with this text from its (now visible) popup.</summary>
    private static async Task ChooseAsync(IPage page, string dropDown, string option)
    {
        await page.ClickAsync(dropDown);
        await page.Locator(".rz-dropdown-item:visible").GetByText(option, new() { Exact = true }).ClickAsync();
        await Expect(page.Locator(dropDown)).ToContainTextAsync(option);
    }
}
