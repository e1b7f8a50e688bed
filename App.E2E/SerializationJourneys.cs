using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Operator.E2E.Support;
using Operator.Features.MasterData;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Tenancy;
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
            await page.EnterAsync("input[data-testid=format-name]", formatName);
            var pattern = page.GetByLabel("Pattern", new() { Exact = true });
            await pattern.FillAsync($"X{tag}-{{YEAR}}-{{SEQ:4}}");
            await Expect(page.GetByTestId("format-editor")).ToContainTextAsync("Unknown token {YEAR}");
            await Expect(pattern).ToHaveAttributeAsync("aria-invalid", "true");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "serial-format-error.png"), FullPage = true });
            await pattern.FillAsync($"X{tag}-{{YY}}{{MM}}-{{SEQ:4}}");
            await Expect(page.Locator("[data-testid=preview-numbers] li").First).ToHaveTextAsync($"X{tag}-{yymm}-0001");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "serial-format-preview.png"), FullPage = true });
            await page.GetByRole(AriaRole.Button, new() { Name = "Create format" }).ClickAsync();
            await Expect(page.Locator("[data-testid=format-grid]")).ToContainTextAsync(formatName);

            // A work-order-created trigger for the valve, in batch mode (one serial per unit), only for work orders of 3 units.
            // A new trigger starts inactive: the admin switches it on, and the button says it creates an active trigger.
            await page.GotoAsync("/serialization/triggers");
            await page.WaitForCircuitAsync();
            await PickAsync(page, "trigger-part", "V-2001", "V-2001 · Ball valve DN25");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("partId="));
            await page.GetByRole(AriaRole.Button, new() { Name = "New trigger", Exact = true }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog.GetByTestId("trigger-dialog")).ToBeVisibleAsync();
            await SelectAsync(page, "trigger-format", formatName);
            await dialog.GetByLabel("Batch mode: several units per firing").CheckAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add condition" }).ClickAsync();
            await page.EnterAsync("input[data-testid=condition-key]", "quantity");
            await page.EnterAsync("input[data-testid=condition-value]", "3");
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Create inactive trigger" })).ToBeVisibleAsync();
            await dialog.GetByLabel("Active", new() { Exact = true }).CheckAsync();
            await Expect(dialog.GetByTestId("trigger-active-note")).ToContainTextAsync("it fires on every matching event");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "trigger-dialog.png"), FullPage = true });
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create active trigger" }).ClickAsync();
            await Expect(page.GetByTestId("trigger-dialog")).ToHaveCountAsync(0);
            var row = page.Locator("[data-testid=trigger-grid] tbody tr").Filter(new() { HasText = formatName });
            await Expect(row).ToContainTextAsync("Work order created");
            await Expect(row).ToContainTextAsync("quantity = 3");
            await Expect(row.GetByTestId("trigger-toggle")).ToBeCheckedAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "triggers.png"), FullPage = true });

            // A reload keeps the chosen part.
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("input[data-testid=trigger-part]")).ToHaveValueAsync("V-2001 · Ball valve DN25");
            await Expect(row).ToHaveCountAsync(1);

            // A work order of 3 valves is created (through the API, as the work orders page or an ERP does): the trigger fires.
            var number = $"WO-E2E-{tag}";
            await CreateWorkOrderAsync("admin@ac01.demo", "AC01", number, "V-2001", "PATH-MACH", 3);

            // The three generated serials are listed with their work order.
            await page.GotoAsync("/serialization/generated");
            await page.WaitForCircuitAsync();
            await PickAsync(page, "generated-part", "V-2001", "V-2001 · Ball valve DN25");
            var generated = page.Locator("[data-testid=generated-grid] tbody tr").Filter(new() { HasText = number });
            await Expect(generated).ToHaveCountAsync(3);
            foreach (var i in new[] { 1, 2, 3 })
            {
                await Expect(page.GetByTestId("generated-grid")).ToContainTextAsync($"X{tag}-{yymm}-000{i}");
            }
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "generated-serials.png"), FullPage = true });

            // The trigger has fired once; the admin deletes it after confirming.
            await page.GotoAsync("/serialization/triggers");
            await page.WaitForCircuitAsync();
            row = page.Locator("[data-testid=trigger-grid] tbody tr").Filter(new() { HasText = formatName });
            await Expect(row.GetByTestId("trigger-row-fired")).ToHaveTextAsync("1");
            await row.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(page.Locator("[data-testid=trigger-grid] tbody tr").Filter(new() { HasText = formatName })).ToHaveCountAsync(0);
        });

    [Fact]
    public Task A_viewer_sees_every_parts_triggers_in_words_and_the_statistics_of_a_part_but_no_way_to_change_them() =>
        app.JourneyAsync("serialization-triggers-read-only", async page =>
        {
            await page.SignInAsync("viewer@ma01.demo");
            await page.GotoAsync("/serialization/triggers");
            await page.WaitForCircuitAsync();
            // Before any choice every part's triggers are listed: the demo wallet has a manual batch trigger and an inactive operation one.
            var rows = page.Locator("[data-testid=trigger-grid] tbody tr");
            await Expect(rows.Filter(new() { HasText = "P-1002" }).Filter(new() { HasText = "Manual" })).ToHaveCountAsync(1);
            await PickAsync(page, "trigger-part", "P-1002", "P-1002 · Bifold wallet");
            await Expect(rows.Filter(new() { HasText = "Operation completed" })).ToHaveCountAsync(1);
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("trigger-stats")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("stat-total")).ToHaveTextAsync("2");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New trigger" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
            var toggles = page.Locator("input[data-testid=trigger-toggle]");
            await Expect(toggles).ToHaveCountAsync(2);
            foreach (var toggle in await toggles.AllAsync())
            {
                await Expect(toggle).ToBeDisabledAsync();
            }
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "triggers-read-only.png"), FullPage = true });
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
            await PickAsync(page, "filter-part", "P-1003", "P-1003 · Shoulder strap");
            await Expect(page.Locator("[data-testid=pending-grid]")).ToContainTextAsync("No placeholder is waiting");
            await page.GetByRole(AriaRole.Button, new() { Name = "New placeholder" }).ClickAsync();
            await Expect(page.Locator("[data-testid=pending-grid] tbody tr")).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Button, new() { Name = "New placeholder" }).ClickAsync();
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
            await page.GetByRole(AriaRole.Button, new() { Name = "Fail", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Reason").FillAsync("Strap torn at the keeper");
            await page.GetByRole(AriaRole.Button, new() { Name = "Mark failed" }).ClickAsync();
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
            await PickAsync(page, "receive-part", "P-1003", "P-1003 · Shoulder strap");
            foreach (var n in new[] { "1", "2" })
            {
                await page.EnterAsync("input[data-testid=receive-number]", $"VS-{tag}-{n}");
                await page.EnterAsync("input[data-testid=receive-vendor]", "Riri SA");
                await page.GetByRole(AriaRole.Button, new() { Name = "Receive", Exact = true }).ClickAsync();
                await Expect(page.GetByTestId("vendor-grid")).ToContainTextAsync($"VS-{tag}-{n}");
            }
            // The same number twice is refused in words.
            await page.EnterAsync("input[data-testid=receive-number]", $"VS-{tag}-1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Receive", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("receive-error")).ToContainTextAsync("already registered");

            var first = page.Locator("[data-testid=vendor-grid] tbody tr").Filter(new() { HasText = $"VS-{tag}-1" });
            await first.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Internal serial number (optional)").FillAsync($"INT-{tag}");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
            // Signed: the password the first time in the session, the meaning only afterwards.
            await page.GetByTestId("sign-password").FillAsync(Journeys.Password);
            await page.GetByTestId("sign-confirm").ClickAsync();
            await Expect(first).ToContainTextAsync("Accepted");
            await Expect(first).ToContainTextAsync($"INT-{tag}");

            var second = page.Locator("[data-testid=vendor-grid] tbody tr").Filter(new() { HasText = $"VS-{tag}-2" });
            await second.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
            var reject = page.GetByRole(AriaRole.Dialog);
            await reject.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
            await Expect(reject.GetByText("Rejection reason is required")).ToBeVisibleAsync();
            await reject.GetByLabel("Rejection reason").FillAsync("Label unreadable");
            await reject.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
            await Expect(page.GetByTestId("sign-password")).ToHaveCountAsync(0);
            await page.GetByTestId("sign-confirm").ClickAsync();
            await Expect(second).ToContainTextAsync("Rejected");

            // Filters go into the address (MudToggleGroup 9.14 renders its items as role=checkbox): the strap's pending ones only, and a reload keeps them.
            await PickAsync(page, "vendor-part", "P-1003", "P-1003 · Shoulder strap");
            await page.GetByTestId("vendor-status").GetByRole(AriaRole.Checkbox, new() { Name = "Pending" }).ClickAsync();
            await Expect(page.GetByTestId("vendor-grid")).Not.ToContainTextAsync($"VS-{tag}");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=PENDING"));
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("input[data-testid=vendor-part]")).ToHaveValueAsync("P-1003 · Shoulder strap");
            await Expect(page.Locator("[data-testid=vendor-row-status]").First).ToHaveTextAsync("Pending");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "vendor-serials.png"), FullPage = true });
        });

    private static Task PickAsync(IPage page, string testId, string typed, string option) =>
        page.PickAsync(page.Locator($"input[data-testid={testId}]"), typed, option);

    /// <summary>Opens a MudSelect and picks one of its options.</summary>
    private static async Task SelectAsync(IPage page, string testId, string option)
    {
        await page.Locator($"[data-testid={testId}]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option }).ClickAsync();
        await Expect(page.Locator($"input[data-testid={testId}]")).ToHaveValueAsync(option);
    }

    /// <summary>Creates a work order through the API with a bearer token, as an ERP would.</summary>
    private async Task CreateWorkOrderAsync(string email, string org, string number, string partNumber, string pathCode, int quantity)
    {
        Guid partId, pathId;
        await using (var db = OperatorDbFactory.Create(app.Services.GetRequiredService<DbContextOptions>(), DatabaseProvider.Sqlite, FixedUser.Nobody))
        {
            var orgId = await db.Organizations.Where(o => o.Code == org).Select(o => o.Id).SingleAsync();
            partId = await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId && p.Number == partNumber).Select(p => p.Id).SingleAsync();
            pathId = await db.Set<ProcessPath>().IgnoreQueryFilters().Where(p => p.OrganizationId == orgId && p.Code == pathCode).Select(p => p.Id).SingleAsync();
        }
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var session = await http.PostAsJsonAsync("/api/sessions", new { email, password = Journeys.Password });
        session.EnsureSuccessStatusCode();
        var token = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await http.PostAsJsonAsync("/api/work-orders", new { number, partId, pathId, quantity });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        // The trigger fires after the commit, from the outbox: wait until the app's dispatcher has done it.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            await using var db = OperatorDbFactory.Create(app.Services.GetRequiredService<DbContextOptions>(), DatabaseProvider.Sqlite, FixedUser.Nobody);
            var status = await db.Set<OutboxMessage>().IgnoreQueryFilters().Where(m => m.Subject == $"work order {number}").Select(m => m.Status).SingleOrDefaultAsync();
            if (status == OutboxStatus.Done) return;
            Assert.True(DateTime.UtcNow < deadline, $"The trigger event of {number} was not dispatched (status {status ?? "none"})");
            await Task.Delay(50);
        }
    }
}
