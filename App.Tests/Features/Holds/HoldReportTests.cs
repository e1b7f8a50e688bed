using System.Net;
using System.Net.Http.Json;
using Operator.Features.Reports;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>The hold report PDF, read back with poppler's pdftotext (installed by test.sh).</summary>
public sealed class HoldReportTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private async Task<byte[]> ReportAsync(HttpClient client, string id)
    {
        var response = await client.GetAsync($"{HoldsKit.Path}/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        return bytes;
    }

    [Fact]
    public async Task The_report_shows_organization_facts_items_history_and_release()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var plate = await HoldsKit.NewPlateAsync(app);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var created = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Lp(plate.Id, 100, "kg", "Full batch affected"), HoldsKit.Wo(order.Id)]);
        var id = HoldsKit.Id(created);
        var number = created["hold"]!["hold_number"]!.GetValue<string>();

        var response = await inspector.GetAsync($"{HoldsKit.Path}/{id}/report.pdf");
        Assert.Equal($"{number}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var active = string.Join("\n", await Poppler.LayoutPagesAsync(await ReportAsync(inspector, id)));
        Assert.Contains("Maison Atelier Leatherworks", active);
        Assert.Contains($"Quality hold {number}", active);
        Assert.Contains(plate.Number, active);
        Assert.Contains(order.Number, active);
        Assert.Contains("Warehouse A", active);
        Assert.Contains("Ines Inspector", active);
        Assert.Contains("Failed metal detection test during production", active);
        Assert.Contains("The hold is active", active);
        Assert.Contains("Page 1 of 1", active);

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, id, "rework", "Re-inspect every bag")).StatusCode);
        var released = string.Join("\n", await Poppler.LayoutPagesAsync(await ReportAsync(inspector, id)));
        Assert.Contains("Released by", released);
        Assert.Contains("Max Manager (manager@ma01.demo)", released);
        Assert.Contains("Rework / retest (rework)", released);
        Assert.Contains("Re-inspect every bag", released);
        Assert.Contains("Released with disposition rework", released);
    }

    [Fact]
    public async Task A_hold_with_100_items_spans_pages_that_repeat_the_table_header()
    {
        var plates = new List<(Guid Id, string Number)>();
        for (var i = 0; i < 100; i++) plates.Add(await HoldsKit.NewPlateAsync(app));
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var created = await HoldsKit.CreateAsync(app, inspector,
            items: plates.Select((p, i) => HoldsKit.Lp(p.Id, i + 1, "kg", i % 10 == 0 ? "A longer note that wraps over more than one line of the notes column in the items table of the report" : null)));

        var pages = await Poppler.LayoutPagesAsync(await ReportAsync(inspector, HoldsKit.Id(created)));
        Assert.True(pages.Count >= 3, $"Expected several pages, got {pages.Count}");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Page {i + 1} of {pages.Count}", pages[i]);
            Assert.Contains("Maison Atelier Leatherworks", pages[i]);
        }
        var all = string.Join("\n", pages);
        Assert.All(plates, p => Assert.Contains(p.Number, all));
        // Every page that carries rows of a table carries that table's header row again.
        var itemPages = pages.Where(p => System.Text.RegularExpressions.Regex.IsMatch(p, @"License plate\s+LP-T[0-9A-F]{8}")).ToList();
        Assert.True(itemPages.Count >= 2, $"Items on {itemPages.Count} page(s)");
        Assert.All(itemPages, p => Assert.Matches(@"Type\s+Reference\s+Quantity\s+Location\s+Notes", p));
        var changePages = pages.Where(p => System.Text.RegularExpressions.Regex.IsMatch(p, @"LP-T[0-9A-F]{8}\s+pending\s+hold")).ToList();
        Assert.True(changePages.Count >= 2, $"Status changes on {changePages.Count} page(s)");
        Assert.All(changePages, p => Assert.Matches(@"License plate\s+From\s+To\s+Through\s+When\s+By", p));
    }

    [Fact]
    public void The_report_blocks_wrap_text_and_break_tables_across_pages()
    {
        using var report = new PdfReport("Block test", "Test organization", new DateTime(2025, 2, 9, 10, 30, 0, DateTimeKind.Utc));
        var lines = PdfReport.Wrap(report.Graphics, "word " + new string('x', 400), report.Regular, 200);
        Assert.True(lines.Count > 2);
        Assert.All(lines, l => Assert.True(report.Graphics.MeasureString(l, report.Regular).Width <= 200.01));
        Assert.Equal("word" + new string('x', 400), string.Concat(lines.Select(l => l.Replace(" ", ""))));
        Assert.Equal(["a", "", "b"], PdfReport.Wrap(report.Graphics, "a\n\nb", report.Regular, 200));

        report.Table([new("Col A"), new("Col B", 2)], Enumerable.Range(0, 200).Select(i => (IReadOnlyList<string?>)[$"row {i}", null]));
        Assert.True(report.PageCount >= 3);
        var bytes = report.ToBytes();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        Assert.Equal("2025-02-09 10:30 UTC", PdfReport.FormatTime(new DateTime(2025, 2, 9, 10, 30, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task The_browser_cookie_downloads_the_report()
    {
        // GET requests of the API accept the Identity cookie, so the detail page's "Download report" link works.
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, inspector));
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"{HoldsKit.Path}/{id}/report.pdf")).StatusCode);

        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await browser.GetStringAsync("/account/login"));
        var fields = page.QuerySelectorAll("form input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Append(new("Input.Email", DemoUsers.Viewer))
            .Append(new("Input.Password", Operator.Infrastructure.Data.DemoData.Password));
        var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.True(signIn.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.OK, $"{signIn.StatusCode}");

        var report = await browser.GetAsync($"{HoldsKit.Path}/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("application/pdf", report.Content.Headers.ContentType?.MediaType);
        // A write with the cookie alone is not authenticated (no cross-site request forgery on the API).
        Assert.Equal(HttpStatusCode.Unauthorized, (await HoldsKit.ReleaseAsync(browser, id)).StatusCode);
    }
}
