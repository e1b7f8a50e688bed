using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serials;
using Operator.Features.Station;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Station;

/// <summary>
/// The station's scan rules through <see cref="StationService"/> (the page is a thin adapter: its interactions are in
/// StationPageTests, typing and clicking in a browser in App.E2E/StationJourneys.cs), and the serial and certificate
/// pages rendered with bunit over the real services.
/// </summary>
public sealed class StationTests(OperatorFactory app) : SerialsPageTest, IClassFixture<OperatorFactory>
{
    private Task<T> AsOperator<T>(Func<StationService, Task<T>> work) =>
        app.AsUserAsync(DemoUsers.Operator, sp => work(sp.GetRequiredService<StationService>()));

    [Fact]
    public async Task A_serial_scan_loads_the_unit_then_a_certificate_scan_attaches_it_once()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);

        var unit = await AsOperator(s => s.ScanAsync($"  {serial.ToLowerInvariant()} ", null));
        Assert.Equal(ScanKind.Unit, unit.Kind);
        Assert.Equal(serial, unit.Title);
        Assert.Contains("at Cutting, step 1 of 5", unit.Message);
        Assert.Equal(serial, unit.Unit!.SerialNumber);

        var attached = await AsOperator(s => s.ScanAsync("cert-0003", unit.Unit));
        Assert.Equal(ScanKind.Recorded, attached.Kind);
        Assert.Equal($"Certificate CERT-0003 attached to {serial} at Cutting.", attached.Message);
        Assert.Equal("CERT-0003", Assert.Single(attached.Unit!.Steps[0].Attachments).CertNumber);

        var again = await AsOperator(s => s.ScanAsync("CERT-0003", attached.Unit));
        Assert.Equal(ScanKind.AlreadyRecorded, again.Kind);
        Assert.Equal($"Certificate CERT-0003 was already attached to {serial} at Cutting. Nothing new was recorded.", again.Message);
        Assert.Single(await SerialsKit.AttachmentsAsync(app, serial));
        var record = (await SerialsKit.AttachmentsAsync(app, serial))[0];
        Assert.Equal(await SerialsKit.UserIdAsync(app, DemoUsers.Operator), record.AttachedBy);
    }

    [Fact]
    public async Task The_buttons_advance_complete_and_refuse_a_certificate_on_the_completed_unit()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client, pathCode: "PATH-SLG");
        var unit = (await AsOperator(s => s.ScanAsync(serial, null))).Unit!;
        for (var i = 0; i < 2; i++)
        {
            var moved = await AsOperator(s => s.AdvanceAsync(unit));
            Assert.Equal(ScanKind.Recorded, moved.Kind);
            unit = moved.Unit!;
        }
        Assert.True(unit.AtLastStep);
        var completed = await AsOperator(s => s.CompleteAsync(unit));
        Assert.Equal(ScanKind.Recorded, completed.Kind);
        Assert.Equal($"{serial} is completed after Finishing.", completed.Message);

        var refused = await AsOperator(s => s.ScanAsync("CERT-0001", completed.Unit));
        Assert.Equal(ScanKind.Rejected, refused.Kind);
        Assert.Equal("Serial is already completed, cannot attach cert", refused.Message);
        Assert.Equal(serial, refused.Unit!.SerialNumber);
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));
    }

    [Fact]
    public async Task A_second_move_from_the_unit_as_first_shown_is_already_moved_not_a_second_step()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client, pathCode: "PATH-SLG");
        var seen = (await AsOperator(s => s.ScanAsync(serial, null))).Unit!;

        var first = await AsOperator(s => s.AdvanceAsync(seen));
        Assert.Equal(ScanKind.Recorded, first.Kind);
        // The same tap again (the unit as it was shown when the tap began): refused inside the move, in amber words.
        var second = await AsOperator(s => s.AdvanceAsync(seen));
        Assert.Equal(ScanKind.AlreadyRecorded, second.Kind);
        Assert.Equal("Already moved", second.Title);
        Assert.StartsWith($"{serial} was already moved: it is no longer at ", second.Message);
        Assert.Equal(1, second.Unit!.CurrentStepIndex);
        Assert.Equal(1, (await SerialsKit.GetAsync(client, serial))["currentStepIndex"]!.GetValue<int>());

        // Two taps at once: exactly one wins, whichever it is.
        var both = await Task.WhenAll(AsOperator(s => s.AdvanceAsync(first.Unit!)), AsOperator(s => s.AdvanceAsync(first.Unit!)));
        Assert.Single(both, r => r.Kind == ScanKind.Recorded);
        Assert.Single(both, r => r.Kind == ScanKind.AlreadyRecorded);
        Assert.Equal(2, (await SerialsKit.GetAsync(client, serial))["currentStepIndex"]!.GetValue<int>());

        // Complete carries the step too: a second complete of the unit as shown is "already", not an error.
        var last = both.Single(r => r.Kind == ScanKind.Recorded).Unit!;
        Assert.True(last.AtLastStep);
        Assert.Equal(ScanKind.Recorded, (await AsOperator(s => s.CompleteAsync(last))).Kind);
        var again = await AsOperator(s => s.CompleteAsync(last));
        Assert.Equal(ScanKind.AlreadyRecorded, again.Kind);
        Assert.Equal("completed", again.Unit!.Status);
    }

    [Fact]
    public async Task Scrap_needs_a_reason_and_garbage_or_out_of_order_scans_are_rejected_in_words()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var before = await SerialsKit.CountsAsync(app);

        var certFirst = await AsOperator(s => s.ScanAsync("CERT-0002", null));
        Assert.Equal(ScanKind.Rejected, certFirst.Kind);
        Assert.Equal("CERT-0002 is a certificate. Scan the unit's serial number first, then the certificate.", certFirst.Message);

        var unit = (await AsOperator(s => s.ScanAsync(serial, null))).Unit!;
        foreach (var garbage in new[] { "", "   ", "%%%", "' OR 1=1 --", new string('x', 5000), "SN-\u0000-1", "🙂" })
        {
            var rejected = await AsOperator(s => s.ScanAsync(garbage, unit));
            Assert.Equal(ScanKind.Rejected, rejected.Kind);
            Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
            Assert.True(rejected.Message.Length < 200, rejected.Message);
            Assert.Equal(serial, rejected.Unit?.SerialNumber);
        }
        Assert.Equal("Unknown code \"%%%\": no serial or certificate of your organization has this number.", (await AsOperator(s => s.ScanAsync("%%%", unit))).Message);

        var noReason = await AsOperator(s => s.ScrapAsync(unit, " "));
        Assert.Equal(ScanKind.Rejected, noReason.Kind);
        Assert.Equal("A scrap reason of at least 3 characters is required", noReason.Message);
        Assert.Equal(before, await SerialsKit.CountsAsync(app));

        var scrapped = await AsOperator(s => s.ScrapAsync(unit, "Leather tore at the handle"));
        Assert.Equal(ScanKind.Recorded, scrapped.Kind);
        Assert.Equal("scrapped", scrapped.Unit!.Status);
        // Scrapped, not completed: a certificate is still accepted (the spec's unusual workflow).
        Assert.Equal(ScanKind.Recorded, (await AsOperator(s => s.ScanAsync("CERT-0002", scrapped.Unit))).Kind);
    }

    [Fact]
    public async Task A_unit_on_hold_is_shown_with_its_holds_and_advance_is_rejected_naming_them()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var order = await SerialsKit.NewWorkOrderAsync(app);
        var serial = (await SerialsKit.BatchAsync(client, order.Id.ToString(), 1))["serials"]![0]!["serialNumber"]!.GetValue<string>();
        var hold = await Holds.HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), items: [Holds.HoldsKit.Wo(order.Id)]);
        var number = hold["hold"]!["hold_number"]!.GetValue<string>();

        var unit = await AsOperator(s => s.ScanAsync(serial, null));
        Assert.Contains($"ON HOLD ({number})", unit.Message);
        Assert.Equal(number, Assert.Single(unit.Unit!.BlockingHolds).HoldNumber);
        var refused = await AsOperator(s => s.AdvanceAsync(unit.Unit!));
        Assert.Equal(ScanKind.Rejected, refused.Kind);
        Assert.Contains($"blocked by quality hold {number}", refused.Message);
    }

    [Fact]
    public async Task Another_organizations_serial_or_certificate_is_unknown_at_the_station()
    {
        var admin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var theirs = await SerialsKit.NewSerialAsync(app, admin, org: "AC01");
        var theirId = await SerialsKit.SerialIdAsync(app, theirs, "AC01");
        var theirCert = await SerialsKit.CertIdAsync(app, "CERT-0001", "AC01");
        Assert.Equal(ScanKind.Rejected, (await AsOperator(s => s.ScanAsync(theirId.ToString(), null))).Kind);
        Assert.Equal(ScanKind.Rejected, (await AsOperator(s => s.ScanAsync(theirCert.ToString(), null))).Kind);
    }

    // ---------------------------------------------------------------- pages (bunit over the real services)

    [Fact]
    public async Task The_serial_page_shows_progress_certificates_by_step_history_and_audit()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client, certId: "CERT-0004");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serial)).StatusCode);
        await SerialsKit.AttachAsync(client, serial, "CERT-0006", await SerialsKit.UserIdAsync(app, DemoUsers.Operator));

        await SignInAsync(app, DemoUsers.Viewer);
        var page = Render<SerialDetailPage>(p => p.Add(x => x.Number, serial));
        page.WaitForAssertion(() => Assert.Equal(serial, Text(page, "serial-number")));
        Assert.Equal("in progress", Text(page, "serial-status"));
        var steps = page.FindAll("[data-testid='unit-step']");
        Assert.Equal(5, steps.Count);
        Assert.Equal(["done", "current", "next", "pending", "pending"], steps.Select(s => s.GetAttribute("data-state")));
        Assert.Contains("CERT-0004", steps[0].TextContent);
        Assert.Contains("CERT-0006", steps[1].TextContent);
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Started", Text(page, "serial-history"));
            Assert.Contains("Oskar Operator", Text(page, "serial-history"));
            Assert.Contains("Certificate CERT-0006 attached at Skiving", Text(page, "serial-audit"));
        });
        // Every time shown is a <time> in the browser's zone with the UTC time as its tooltip.
        Assert.NotEmpty(page.FindAll("[data-testid='serial-history'] time[datetime]"));
        // A viewer gets no link to the station, but can print the unit's label.
        Assert.Empty(page.FindAll("[data-testid='open-station']"));
        var label = page.Find("[data-testid='serial-label']").GetAttribute("href");
        Assert.Equal($"/api/labels/serials/{Uri.EscapeDataString(serial)}.pdf", label);
        var sheet = await client.GetAsync(label);
        Assert.Equal(System.Net.HttpStatusCode.OK, sheet.StatusCode);
        Assert.Equal("application/pdf", sheet.Content.Headers.ContentType?.MediaType);

        var missing = Render<SerialDetailPage>(p => p.Add(x => x.Number, "SN-55555"));
        missing.WaitForAssertion(() => Assert.Contains("SN-55555", Text(missing, "serial-not-found")));
    }

    [Fact]
    public async Task An_operator_gets_the_station_link_on_a_serial_in_progress()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        await SignInAsync(app, DemoUsers.Operator);
        var page = Render<SerialDetailPage>(p => p.Add(x => x.Number, serial));
        page.WaitForAssertion(() => Assert.Equal($"/station?serial={serial}", page.Find("[data-testid='open-station']").GetAttribute("href")));
    }

    [Fact]
    public async Task The_certificate_page_shows_facts_and_no_upload_to_a_viewer()
    {
        await SignInAsync(app, DemoUsers.Viewer);
        var page = Render<CertificateDetailPage>(p => p.Add(x => x.Id, "CERT-0001"));
        page.WaitForAssertion(() => Assert.Equal("Certificate CERT-0001", Text(page, "cert-title")));
        Assert.Equal("Material", Text(page, "cert-type-value"));
        Assert.Empty(page.FindAll("[data-testid='cert-upload']"));
        var missing = Render<CertificateDetailPage>(p => p.Add(x => x.Id, "CERT-7777"));
        missing.WaitForAssertion(() => Assert.Contains("CERT-7777", Text(missing, "cert-not-found")));
    }

    [Fact]
    public async Task The_certificate_page_offers_the_upload_to_station_roles()
    {
        await SignInAsync(app, DemoUsers.Operator);
        var page = Render<CertificateDetailPage>(p => p.Add(x => x.Id, "CERT-0001"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='cert-upload']")));
    }
}
