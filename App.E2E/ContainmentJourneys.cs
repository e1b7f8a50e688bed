using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Operator.E2E.Support;
using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>Issue 16's journey: a suspect material certificate, its impact over three levels, one containment, the station stopped, the recall report, a signed release.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContainmentJourneys(AppServer app)
{
    [Fact]
    public Task A_manager_contains_what_a_suspect_certificate_reaches_the_station_is_stopped_and_the_release_is_signed_on_the_report() =>
        app.JourneyAsync("containment", async page =>
        {
            // Three levels: component C1 (carrying the certificate) and C2 merged into subassembly S; S and X merged into product P.
            var order = await Seed.NewWorkOrderAsync(app);
            var numbers = await Seed.NewSerialsAsync(app, 5, order);
            var (c1, c2, s, x, p) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
            var ids = await IdsAsync(numbers);
            var cert = await AttachCertificateAsync(ids[c1]);
            await MergeAsync([ids[c1], ids[c2]], ids[s]);
            await MergeAsync([ids[s], ids[x]], ids[p]);

            // The manager finds the certificate bad and asks what it reaches.
            await page.SignInAsync("manager@ma01.demo");
            await page.GotoAsync($"/certificates/{cert.Id}");
            await page.WaitForCircuitAsync();
            await page.GetByTestId("cert-suspect").ClickAsync();
            await page.WaitForCircuitAsync();
            var units = page.GetByTestId("impact-unit-link");
            // Forward C1, S and P; backward also C2 and X, which went into the same assemblies but do not carry the certificate.
            await Expect(page.GetByTestId("impact-count-units")).ToHaveTextAsync("Units: 3");
            await Expect(units).ToHaveCountAsync(3);
            foreach (var number in new[] { c1, s, p }) await Expect(page.GetByTestId("impact-grid")).ToContainTextAsync(number);
            await Expect(page.GetByTestId("impact-grid")).Not.ToContainTextAsync(c2);

            // Contain: the preview says what one hold stops, then the hold is made.
            await page.GetByTestId("impact-contain").ClickAsync();
            var dialog = page.GetByTestId("contain-dialog");
            await Expect(dialog.GetByTestId("contain-units").Locator("td").Nth(2)).ToHaveTextAsync("3");
            await page.GetByTestId("contain-confirm").ClickAsync();
            var holdLink = page.GetByTestId("impact-contained-hold");
            await Expect(holdLink).ToHaveTextAsync(new Regex("^QH-"));
            var holdNumber = (await holdLink.TextContentAsync())!.Trim();
            await Expect(page.GetByTestId("impact-unit-hold")).ToHaveCountAsync(3);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "containment-impact.png"), FullPage = true });

            // The recall report lists every unit and the hold now on them.
            var recall = await page.APIRequest.GetAsync((await page.GetByTestId("impact-pdf").GetAttributeAsync("href"))!);
            Assert.Equal(200, recall.Status);
            var recallText = await PdfText.FromBytesAsync(await recall.BodyAsync());
            await File.WriteAllTextAsync(Path.Combine(AppServer.Artifacts, "containment-recall.txt"), recallText);
            foreach (var number in new[] { c1, s, p }) Assert.Contains(number, recallText);
            Assert.Contains(cert.Number, recallText);
            Assert.Contains(holdNumber, recallText);

            // At the station the contained product cannot move; X, of the same work order, still can.
            var station = await page.Context.NewPageAsync();
            await station.GotoAsync("/station");
            await station.WaitForCircuitAsync();
            await Expect(station.GetByTestId("scan-input")).ToHaveAttributeAsync("data-attached", "1");
            await station.GetByTestId("scan-input").FillAsync(p);
            await station.GetByTestId("scan-input").PressAsync("Enter");
            await Expect(station.GetByTestId("scan-banner")).ToHaveAttributeAsync("data-kind", "held");
            await Expect(station.GetByTestId("advance-unit")).ToBeDisabledAsync();
            await Expect(station.GetByTestId("advance-reason")).ToContainTextAsync(holdNumber);
            await station.GetByTestId("scan-input").FillAsync(x);
            await station.GetByTestId("scan-input").PressAsync("Enter");
            await Expect(station.GetByTestId("unit-serial")).ToHaveTextAsync(x);
            await Expect(station.GetByTestId("advance-unit")).ToBeEnabledAsync();
            await station.CloseAsync();

            // The release is signed (password on the first signing of the session) and the signature is printed on the hold report.
            await holdLink.ClickAsync();
            await Expect(page.GetByTestId("hold-status")).ToHaveTextAsync("Active");
            await page.GetByRole(AriaRole.Button, new() { Name = "Release hold", Exact = true }).ClickAsync();
            var release = page.GetByRole(AriaRole.Dialog);
            await release.GetByText("Release to operations", new() { Exact = true }).ClickAsync();
            await release.GetByRole(AriaRole.Button, new() { Name = "Release hold", Exact = true }).ClickAsync();
            await page.GetByTestId("sign-password").FillAsync(Journeys.Password);
            await page.GetByTestId("sign-confirm").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("hold-status")).ToHaveTextAsync("Released");

            var report = await page.APIRequest.GetAsync((await page.GetByRole(AriaRole.Link, new() { Name = "Download report", Exact = true }).GetAttributeAsync("href"))!);
            Assert.Equal(200, report.Status);
            var reportText = await PdfText.FromBytesAsync(await report.BodyAsync());
            Assert.Contains(holdNumber, reportText);
            Assert.Contains("Electronic signatures", reportText);
            Assert.Contains("manager@ma01.demo", reportText);
            Assert.Contains(cert.Number, reportText);
        });

    private OperatorDb Db() => OperatorDbFactory.Create(app.Services.GetRequiredService<DbContextOptions>(), DatabaseProvider.Sqlite, Operator.Infrastructure.Tenancy.FixedUser.Nobody);

    private async Task<Dictionary<string, Guid>> IdsAsync(IReadOnlyList<string> numbers)
    {
        await using var db = Db();
        return await db.Set<Serial>().IgnoreQueryFilters().Where(u => numbers.Contains(u.SerialNumber)).ToDictionaryAsync(u => u.SerialNumber, u => u.Id);
    }

    /// <summary>A material certificate of MA01 attached to the unit at the path's first step.</summary>
    private async Task<Certificate> AttachCertificateAsync(Guid unit)
    {
        await using var db = Db();
        var serial = await db.Set<Serial>().IgnoreQueryFilters().SingleAsync(u => u.Id == unit);
        var step = await db.Set<ProcessStep>().IgnoreQueryFilters().Where(st => st.PathId == serial.PathId).OrderBy(st => st.Sequence).FirstAsync();
        var cert = new Certificate
        {
            OrganizationId = serial.OrganizationId, Number = $"CERT-CJ-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}", Type = CertificateTypes.Material,
            Issuer = "Tannery Rossi", IssuedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow,
        };
        db.Add(cert);
        db.Add(new CertAttachment { OrganizationId = serial.OrganizationId, SerialId = unit, CertificateId = cert.Id, StepId = step.Id, AttachedBy = Guid.NewGuid(), AttachedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return cert;
    }

    /// <summary>A merge recorded through the propagation service as the operator, as the station or an API caller records it.</summary>
    private async Task MergeAsync(Guid[] sources, Guid target)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await Seed.SignInAsync(scope.ServiceProvider, "operator@ma01.demo");
        var merged = await scope.ServiceProvider.GetRequiredService<PropagationService>()
            .MergeAsync(new MergeRequest([.. sources.Select(id => (string?)id.ToString())], "OP-ASSEMBLY", 40, target.ToString()));
        Assert.True(merged.IsSuccess, merged.Error?.Message);
    }
}
