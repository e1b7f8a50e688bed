using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Operator.E2E.Support;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>The lineage explorer: from a merged unit to what went into it and back, and the printed lineage with its certificates.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LineageJourneys(AppServer app)
{
    [Fact]
    public Task A_viewer_opens_a_merged_unit_follows_an_ancestor_and_downloads_the_report_with_every_certificate() =>
        app.JourneyAsync("lineage", async page =>
        {
            // Two panels merged into a bag, each unit with a certificate of its own, recorded through the API as a station system would.
            var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            var (panelA, panelB, bag) = ($"LJ-{tag}-A", $"LJ-{tag}-B", $"LJ-{tag}-BAG");
            var ids = await UnitsAsync(panelA, panelB, bag);
            var certs = new[] { await AttachAsync(ids[0], tag, "A"), await AttachAsync(ids[1], tag, "B"), await AttachAsync(ids[2], tag, "C") };
            await MergeAsync(ids[0], ids[1], ids[2]);

            await page.SignInAsync("viewer@ma01.demo");
            await page.GotoAsync("/lineage");
            await page.WaitForCircuitAsync();
            // A prefix lists the units whose number starts with it (it once ended the page); an unknown number says so.
            var search = page.GetByLabel("Serial number");
            await search.FillAsync($"LJ-{tag}-");
            await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
            await Expect(page.GetByTestId("lineage-match")).ToHaveTextAsync([panelA, panelB, bag]);
            await search.FillAsync($"LJ-{tag}-ZZ");
            await search.PressAsync("Enter");
            await Expect(page.GetByTestId("lineage-search-message")).ToHaveTextAsync($"No unit matches LJ-{tag}-ZZ.");
            await Expect(page.GetByTestId("lineage-match")).ToHaveCountAsync(0);

            await search.FillAsync(bag.ToLowerInvariant());
            await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
            await Expect(page.Locator("[data-testid=lineage-unit]")).ToHaveTextAsync(bag);
            Assert.EndsWith($"/lineage/{ids[2]}", page.Url);

            // What went into the bag: both panels, merged at the operation, each with its certificate.
            var ancestors = page.Locator("[data-testid=lineage-ancestors] [data-testid=lineage-node]");
            await Expect(ancestors).ToHaveCountAsync(2);
            await Expect(ancestors.Locator("[data-testid=lineage-node-link]")).ToHaveTextAsync([panelA, panelB]);
            await Expect(ancestors.First).ToContainTextAsync("Merged at OP-ASSEMBLY");
            await Expect(ancestors.Locator("[data-testid=lineage-node-cert]")).ToHaveTextAsync([certs[0], certs[1]]);
            await Expect(page.Locator("[data-testid=lineage-unit-cert]")).ToContainTextAsync(certs[2]);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "lineage-explorer.png"), FullPage = true });

            // Switch direction: only where it went (nowhere yet).
            await page.GetByTestId("lineage-direction").GetByRole(AriaRole.Checkbox, new() { Name = "Where did this go" }).ClickAsync();
            await Expect(page.Locator("[data-testid=lineage-ancestors]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=lineage-descendants]")).ToContainTextAsync("not recorded as having gone into any other unit");
            await page.GetByTestId("lineage-direction").GetByRole(AriaRole.Checkbox, new() { Name = "What went into this" }).ClickAsync();
            await Expect(page.Locator("[data-testid=lineage-descendants]")).ToHaveCountAsync(0);
            await Expect(ancestors).ToHaveCountAsync(2);
            await page.GetByTestId("lineage-direction").GetByRole(AriaRole.Checkbox, new() { Name = "Both directions" }).ClickAsync();

            // Follow a panel: it went into the bag.
            await ancestors.Locator("[data-testid=lineage-node-link]").GetByText(panelA).ClickAsync();
            await Expect(page.Locator("[data-testid=lineage-unit]")).ToHaveTextAsync(panelA);
            await Expect(page.Locator("[data-testid=lineage-status]")).ToHaveTextAsync("Used");
            var descendants = page.Locator("[data-testid=lineage-descendants] [data-testid=lineage-node]");
            await Expect(descendants).ToHaveCountAsync(1);
            await Expect(descendants.Locator("[data-testid=lineage-node-link]")).ToHaveTextAsync(bag);

            // The panel's report: the panel's and the bag's certificates.
            var panelText = await DownloadTextAsync(page, $"lineage-{panelA}.pdf");
            Assert.Contains(certs[0], panelText);
            Assert.Contains(certs[2], panelText);
            Assert.Contains(bag, panelText);

            // Back to the bag through its link, and its report: every certificate along the tree.
            await descendants.Locator("[data-testid=lineage-node-link]").ClickAsync();
            await Expect(page.Locator("[data-testid=lineage-unit]")).ToHaveTextAsync(bag);
            var bagText = await DownloadTextAsync(page, $"lineage-{bag}.pdf");
            foreach (var cert in certs) Assert.Contains(cert, bagText);
            Assert.Contains(panelA, bagText);
            Assert.Contains(panelB, bagText);
            Assert.Contains("Certificate roll-up", bagText);
        });

    [Fact]
    public Task A_manager_compares_two_claimants_of_one_number_side_by_side_and_retires_one() =>
        app.JourneyAsync("uniqueness-conflict", async page =>
        {
            // Two units of one part carry the same number; registering it records the conflict, as a station system would.
            var number = $"UQJ-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
            var ids = await UnitsAsync(number, number);
            var part = await PartOfAsync(ids[0]);
            using (var http = await BearerAsync("operator@ma01.demo"))
            {
                var register = await http.PostAsJsonAsync("/api/v1/serialization/uniqueness/register",
                    new { serialNumber = number, partId = part, scope = new[] { "PART_TYPE" }, serialId = ids[0] });
                var text = await register.Content.ReadAsStringAsync();
                Assert.True(register.IsSuccessStatusCode, text);
                Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("data").GetProperty("hasConflict").GetBoolean(), text);
            }

            await page.SignInAsync("manager@ma01.demo");
            await page.GotoAsync("/uniqueness");
            await page.WaitForCircuitAsync();
            await page.GetByPlaceholder("Search serial number").FillAsync(number);
            var link = page.Locator("[data-testid=conflict-link]", new() { HasTextString = number });
            await Expect(link).ToHaveCountAsync(1);
            await link.ClickAsync();

            // Side by side: both units, their part and status; retiring needs a choice and a reason.
            var detail = page.Locator("[data-testid=conflict-detail]");
            await Expect(detail).ToContainTextAsync(number);
            var claimants = page.Locator("[data-testid=claimant]");
            await Expect(claimants).ToHaveCountAsync(2);
            foreach (var claimant in await claimants.AllAsync())
            {
                await Expect(claimant.Locator("[data-testid=claimant-title]")).ToHaveTextAsync("Unit");
                await Expect(claimant.Locator("[data-testid=claimant-status]")).ToHaveTextAsync("active");
            }
            await Expect(page.Locator("[data-testid=resolve-retire]")).ToBeDisabledAsync();
            await claimants.Nth(1).Locator("[data-testid=retire-choice]").ClickAsync();
            await Expect(claimants.Nth(1).Locator("[data-testid=retire-choice]")).ToContainTextAsync("Will be retired");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "uniqueness-conflict.png"), FullPage = true });
            await page.GetByLabel("Reason").FillAsync("Second label printed twice");
            await page.GetByRole(AriaRole.Button, new() { Name = "Retire selected" }).ClickAsync();
            // The resolution is signed: the first signing of the session asks for the password.
            await page.GetByTestId("sign-password").FillAsync(Journeys.Password);
            await page.GetByTestId("sign-confirm").ClickAsync();
            await Expect(detail).ToHaveCountAsync(0);
            await Expect(link).ToHaveCountAsync(0);

            // Exactly one of the two was retired (cancelled, with the reason); the other keeps the number.
            await using var db = Db();
            var states = await db.Set<Serial>().IgnoreQueryFilters().Where(s => ids.Contains(s.Id)).Select(s => new { s.Status, s.CancelReason }).ToListAsync();
            Assert.Single(states, s => s.Status == SerialStatus.InProgress);
            var retired = Assert.Single(states, s => s.Status == SerialStatus.Cancelled);
            Assert.Contains("Second label printed twice", retired.CancelReason);
        });

    private async Task<Guid> PartOfAsync(Guid serial)
    {
        await using var db = Db();
        return await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == serial).Select(s => s.PartId).SingleAsync();
    }

    private async Task<HttpClient> BearerAsync(string email)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var session = await http.PostAsJsonAsync("/api/sessions", new { email, password = Journeys.Password });
        session.EnsureSuccessStatusCode();
        var token = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private OperatorDb Db() => OperatorDbFactory.Create(app.Services.GetRequiredService<DbContextOptions>(), DatabaseProvider.Sqlite, FixedUser.Nobody);

    private async Task<List<Guid>> UnitsAsync(params string[] numbers)
    {
        await using var db = Db();
        var org = await db.Organizations.Where(o => o.Code == "MA01").Select(o => o.Id).SingleAsync();
        var part = await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == org).OrderBy(p => p.Number).Select(p => p.Id).FirstAsync();
        var units = numbers.Select(n => new Serial
        {
            Id = Guid.NewGuid(), OrganizationId = org, SerialNumber = n, PartId = part, Origin = SerialOrigins.Manual, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        }).ToList();
        db.AddRange(units);
        await db.SaveChangesAsync();
        return units.Select(u => u.Id).ToList();
    }

    private async Task<string> AttachAsync(Guid serial, string tag, string suffix)
    {
        await using var db = Db();
        var org = await db.Organizations.Where(o => o.Code == "MA01").Select(o => o.Id).SingleAsync();
        var step = await db.Set<ProcessStep>().IgnoreQueryFilters().Where(s => s.OrganizationId == org).OrderBy(s => s.Sequence).FirstAsync();
        var cert = new Certificate { OrganizationId = org, Number = $"LJC-{tag}-{suffix}", Type = CertificateTypes.Material, Issuer = "Tannery Rossi", IssuedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow };
        db.Add(cert);
        db.Add(new CertAttachment { OrganizationId = org, SerialId = serial, CertificateId = cert.Id, StepId = step.Id, AttachedBy = Guid.NewGuid(), AttachedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return cert.Number;
    }

    /// <summary>The merge through the API with a bearer token, as a station system records it.</summary>
    private async Task MergeAsync(Guid a, Guid b, Guid target)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var session = await http.PostAsJsonAsync("/api/sessions", new { email = "operator@ma01.demo", password = Journeys.Password });
        session.EnsureSuccessStatusCode();
        var token = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var merge = await http.PostAsJsonAsync("/api/v1/serialization/propagation/merge",
            new { sourceSerialIds = new[] { a, b }, operationCode = "OP-ASSEMBLY", routingSequence = 40, targetSerialId = target });
        Assert.True(merge.IsSuccessStatusCode, await merge.Content.ReadAsStringAsync());
    }

    /// <summary>Clicks "Download report", saves the PDF the browser downloads and returns its text (pdftotext).</summary>
    private static async Task<string> DownloadTextAsync(IPage page, string expectedName)
    {
        var done = new TaskCompletionSource<IDownload>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDownload(object? sender, IDownload d) => done.TrySetResult(d);
        void OnPage(object? sender, IPage opened) => opened.Download += OnDownload;
        page.Download += OnDownload;
        page.Context.Page += OnPage;
        IDownload download;
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Download report" }).ClickAsync();
            download = await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            page.Download -= OnDownload;
            page.Context.Page -= OnPage;
        }
        Assert.Equal(expectedName, download.SuggestedFilename);
        var file = Path.Combine(AppServer.Artifacts, expectedName);
        await download.SaveAsAsync(file);
        return await PdfText.FromFileAsync(file);
    }
}
