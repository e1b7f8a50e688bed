using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.Serials;
using Operator.Features.Station;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Station;

/// <summary>
/// The station page with bunit over the real services, as the operator uses it: scans arrive from the browser's scan
/// handler (app.js calls ScanFromBrowser once per Enter), buttons are tapped. What the banner, the buttons and the
/// speaker say is asserted, and what the database then holds.
/// </summary>
public sealed class StationPageTests(OperatorFactory app) : SerialsPageTest, IClassFixture<OperatorFactory>
{
    private async Task<(IRenderedComponent<StationPage> Page, HttpClient Client)> OpenAsync()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        await SignInAsync(app, DemoUsers.Operator);
        return (Render<StationPage>(), client);
    }

    private static Task ScanAsync(IRenderedComponent<StationPage> page, string code) => page.InvokeAsync(() => page.Instance.ScanFromBrowser(code));

    private static string Banner(IRenderedComponent<StationPage> page, string attribute = "data-kind") =>
        page.Find("[data-testid='scan-banner']").GetAttribute(attribute) ?? "";

    private IReadOnlyList<string> Tones() =>
        JSInterop.Invocations.Where(i => i.Identifier == "operator.station.tone").Select(i => (string)i.Arguments[0]!).ToList();

    private static async Task<int> StepIndexAsync(HttpClient client, string serial) =>
        (await SerialsKit.GetAsync(client, serial))["currentStepIndex"]!.GetValue<int>();

    [Fact]
    public async Task The_scan_field_is_wired_to_the_browser_scan_queue_and_keeps_the_focus()
    {
        var (page, _) = await OpenAsync();
        var attach = JSInterop.VerifyInvoke("operator.station.attach");
        Assert.Equal("station-scan", attach.Arguments[0]);
        // Focus comes back without selecting the field's text (selecting made the next key replace what a scanner had typed).
        Assert.Equal("station-scan", JSInterop.VerifyInvoke("operator.station.focus").Arguments[0]);
        JSInterop.VerifyNotInvoke("operator.focus");
        // The server never writes the field: a value rendered into it would overwrite keys typed meanwhile.
        var field = page.Find("[data-testid='scan-input']");
        Assert.False(field.HasAttribute("value"));
        Assert.Equal("No unit on the station. Scan a serial number to begin.", Text(page, "no-unit"));
    }

    [Fact]
    public async Task A_unit_scan_shows_it_in_green_then_a_certificate_is_attached_once_with_the_right_tones()
    {
        var (page, client) = await OpenAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);

        await ScanAsync(page, serial.ToLowerInvariant());
        Assert.Equal("unit", Banner(page));
        Assert.Equal("go", Banner(page, "data-colour"));
        Assert.Equal(serial, Text(page, "unit-serial"));
        Assert.Equal("Cutting", Text(page, "unit-current-step"));
        Assert.Equal("Advance to Skiving", Text(page, "advance-unit"));
        Assert.False(page.Find("[data-testid='advance-unit']").HasAttribute("disabled"));

        await ScanAsync(page, "CERT-0003");
        Assert.Equal("ok", Banner(page));
        Assert.Equal($"Certificate CERT-0003 attached to {serial} at Cutting.", Text(page, "scan-message"));
        Assert.Equal("CERT-0003", Text(page, "unit-cert"));

        await ScanAsync(page, "CERT-0003");
        Assert.Equal("duplicate", Banner(page));
        Assert.Equal("Already recorded", Text(page, "scan-title"));
        Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));

        await ScanAsync(page, "#!garbage!#");
        Assert.Equal("rejected", Banner(page));
        Assert.Equal("alert", page.Find("[data-testid='scan-banner']").GetAttribute("role"));
        Assert.Equal(serial, Text(page, "unit-serial"));

        Assert.Equal([StationSignal.ToneRecorded, StationSignal.ToneRecorded, StationSignal.ToneAlready, StationSignal.ToneRefused], Tones());
    }

    [Fact]
    public async Task A_burst_of_scans_is_queued_and_recorded_whole_in_order()
    {
        var (page, client) = await OpenAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);

        // As a scanner sends them: the next arrives while the previous is still being recorded.
        var burst = new[] { serial, "CERT-0002", "CERT-0003", "CERT-0004" }.Select(code => ScanAsync(page, code)).ToList();
        await Task.WhenAll(burst);

        page.WaitForAssertion(() => Assert.Equal(
            ["CERT-0004", "CERT-0003", "CERT-0002", serial],
            page.FindAll("[data-testid='scan-log-code']").Select(e => e.TextContent)));
        Assert.All(page.FindAll("[data-testid='scan-log-entry']").Take(3), e => Assert.Equal("ok", e.GetAttribute("data-kind")));
        var attached = (await SerialsKit.AttachmentsAsync(app, serial)).Count;
        Assert.Equal(3, attached);
    }

    [Fact]
    public async Task Advance_moves_one_step_and_a_double_tap_still_moves_only_one()
    {
        var (page, client) = await OpenAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        await ScanAsync(page, serial);

        // Two taps on the button as rendered, the second before the first is answered.
        var advance = page.Find("[data-testid='advance-unit']");
        advance.Click();
        var second = page.Find("[data-testid='advance-unit']");
        Assert.True(second.HasAttribute("disabled"), "the button is disabled while the move is in flight");
        await page.InvokeAsync(() => second.Click());

        page.WaitForAssertion(() => Assert.Equal("Moved to Skiving", Text(page, "scan-title")), TimeSpan.FromSeconds(10));
        Assert.Equal("Skiving", Text(page, "unit-current-step"));
        // Just after the move the buttons still refuse taps (the second tap of a slower double tap lands here)...
        Assert.True(page.Find("[data-testid='advance-unit']").HasAttribute("disabled"));
        page.Find("[data-testid='advance-unit']").Click();
        // ...and then accept the next deliberate tap.
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid='advance-unit']").HasAttribute("disabled")), TimeSpan.FromSeconds(5));
        Assert.Equal(1, await StepIndexAsync(client, serial));
        Assert.Equal("Advance to Stitching", Text(page, "advance-unit"));
        Assert.Equal(1, (await SerialsKit.AuditAsync(app, serial, SerialAudit.Advanced)).Count);
    }

    [Fact]
    public async Task A_held_unit_is_red_with_its_hold_numbers_and_cannot_be_advanced_or_completed()
    {
        var (page, client) = await OpenAsync();
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var serial = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 1))["serials"]![0]!["serialNumber"]!.GetValue<string>();
        var hold = await Holds.HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), items: [Holds.HoldsKit.Wo(order.Id)]);
        var number = hold["hold"]!["hold_number"]!.GetValue<string>();

        await ScanAsync(page, serial);
        Assert.Equal("held", Banner(page));
        Assert.Equal("stop", Banner(page, "data-colour"));
        Assert.Equal($"{serial} is on hold", Text(page, "scan-title"));
        Assert.Contains(number, Text(page, "scan-message"));
        Assert.Contains(number, Text(page, "unit-hold"));
        Assert.True(page.Find("[data-testid='advance-unit']").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid='complete-unit']").HasAttribute("disabled"));
        Assert.Contains($"On hold ({number})", Text(page, "advance-reason"));
        Assert.Contains($"On hold ({number})", Text(page, "complete-reason"));
        // Scrapping is how a held unit may leave production: still offered.
        Assert.False(page.Find("[data-testid='scrap-unit']").HasAttribute("disabled"));
        Assert.Equal([StationSignal.ToneRefused], Tones());
    }

    [Fact]
    public async Task Scrapped_and_completed_units_are_amber_in_words_with_the_moves_disabled()
    {
        var (page, client) = await OpenAsync();
        var scrapped = await SerialsKit.NewSerialAsync(app, client);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, scrapped)).StatusCode);
        var completed = await SerialsKit.NewSerialAsync(app, client, pathCode: "PATH-SLG");
        await SerialsKit.AdvanceToLastStepAsync(client, completed);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await SerialsKit.CompleteAsync(client, completed)).StatusCode);

        await ScanAsync(page, scrapped);
        Assert.Equal("closed", Banner(page));
        Assert.Equal("attention", Banner(page, "data-colour"));
        Assert.Equal($"{scrapped} is scrapped", Text(page, "scan-title"));
        Assert.Contains("Dropped on the floor, frame bent", Text(page, "scan-message"));
        Assert.Equal("Scrapped units do not move.", Text(page, "advance-reason"));
        Assert.True(page.Find("[data-testid='advance-unit']").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid='scrap-unit']").HasAttribute("disabled"));

        await ScanAsync(page, completed);
        Assert.Equal("closed", Banner(page));
        Assert.Equal($"{completed} is completed", Text(page, "scan-title"));
        Assert.Equal("Completed units do not move.", Text(page, "complete-reason"));
        Assert.True(page.Find("[data-testid='complete-unit']").HasAttribute("disabled"));
        Assert.Equal([StationSignal.ToneAlready, StationSignal.ToneAlready], Tones());
    }

    [Fact]
    public async Task At_the_last_step_advance_is_disabled_with_the_reason_and_complete_finishes_the_unit()
    {
        var (page, client) = await OpenAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client, pathCode: "PATH-SLG");
        await SerialsKit.AdvanceToLastStepAsync(client, serial);
        await ScanAsync(page, serial);
        Assert.Equal("Finishing is the last step: complete the unit instead.", Text(page, "advance-reason"));
        Assert.True(page.Find("[data-testid='advance-unit']").HasAttribute("disabled"));

        page.Find("[data-testid='complete-unit']").Click();
        page.WaitForAssertion(() => Assert.Equal($"{serial} is completed after Finishing.", Text(page, "scan-message")), TimeSpan.FromSeconds(10));
        Assert.Equal("completed", Text(page, "unit-status"));
        Assert.Equal("completed", (await SerialsKit.GetAsync(client, serial))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scrap_asks_for_a_reason_in_a_dialog_and_shows_the_rule_next_to_the_field()
    {
        var (_, client) = await OpenAsync();
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<StationPage>();
        await ScanAsync(page, serial);

        page.Find("[data-testid='scrap-unit']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='scrap-dialog']")));
        dialogs.Find("[data-testid='scrap-confirm']").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("A scrap reason of at least 3 characters is required", Text(dialogs, "field-error-reason")));
        dialogs.Find("textarea").Input("Handle torn during stitching");
        dialogs.Find("[data-testid='scrap-confirm']").Click();

        page.WaitForAssertion(() => Assert.Equal("Scrapped", Text(page, "scan-title")), TimeSpan.FromSeconds(10));
        Assert.Empty(dialogs.FindAll("[data-testid='scrap-dialog']"));
        Assert.Equal("scrapped", (await SerialsKit.GetAsync(client, serial))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_mute_toggle_is_remembered_by_the_browser_and_says_its_state_in_words()
    {
        JSInterop.Setup<bool>("operator.station.muted").SetResult(false);
        JSInterop.Setup<bool>("operator.station.setMuted", true).SetResult(true);
        var (page, _) = await OpenAsync();
        Assert.Equal("Sound on", Text(page, "station-mute"));
        page.Find("[data-testid='station-mute']").Click();
        page.WaitForAssertion(() => Assert.Equal("Sound off", Text(page, "station-mute")));
        Assert.Equal("true", page.Find("[data-testid='station-mute']").GetAttribute("aria-pressed"));
        Assert.Equal(true, JSInterop.VerifyInvoke("operator.station.setMuted").Arguments[0]);
    }
}
