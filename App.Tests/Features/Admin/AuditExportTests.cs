using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Admin;
using Operator.Features.Holds;
using Operator.Features.Reports;
using Operator.Tests.Features.Serials;
using Operator.Tests.Features.Reports;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Admin;

/// <summary>
/// The audit trail export of a serial, hold, certificate or user (issue 16) as PDF and CSV: the entries (who, when, what,
/// before and after), the organization's hash-chain verification and this record's own check printed on it, "broken"
/// after an entry is tampered with, who may export what, and another organization's records not found.
/// </summary>
public abstract class AuditExportTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private static string Url(string type, string id, string format) => $"/api/audit/{type}/{Uri.EscapeDataString(id)}/export.{format}";

    private async Task<string> ScrappedSerialAsync()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serial)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.ScrapAsync(client, serial, "Strap cut, \"deep\", at the edge")).StatusCode);
        return serial;
    }

    private static async Task<string> PdfTextAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        return (await Poppler.TextAsync(await response.Content.ReadAsByteArrayAsync())).Replace("\n", " ");
    }

    private static async Task<List<string[]>> CsvAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return CsvTableTests.Parse(Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public async Task A_serials_trail_exports_as_pdf_with_who_what_before_after_and_the_chain_verification()
    {
        var serial = await ScrappedSerialAsync();
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var id = await SerialsKit.SerialIdAsync(app, serial);
        foreach (var reference in new[] { serial, id.ToString() })
        {
            var text = await PdfTextAsync(await viewer.GetAsync(Url("serial", reference, "pdf")));
            Assert.Contains($"Audit trail of serial {serial}", text);
            Assert.Contains("Organization's chain: intact: all", text);
            Assert.Contains("This record's entries: intact: 2 entries check out", text);
            Assert.Contains("serial_advanced", text);
            Assert.Contains("serial_scrapped", text);
            Assert.Contains(DemoUsers.Operator, text);
            Assert.Contains("in_progress", text);
        }
    }

    [Fact]
    public async Task The_csv_has_the_checks_first_then_one_rfc4180_record_per_entry()
    {
        var serial = await ScrappedSerialAsync();
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var response = await viewer.GetAsync(Url("serial", serial, "csv"));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\r\n", raw);
        Assert.All(Enumerable.Range(0, raw.Length).Where(i => raw[i] == '\n'), i => Assert.Equal('\r', raw[i - 1]));
        var records = await CsvAsync(await viewer.GetAsync(Url("serial", serial, "csv")));
        Assert.All(records, r => Assert.Equal(10, r.Length));
        Assert.Equal(new[] { "Audit trail of", $"serial {serial}" }, records[0][..2]);
        Assert.Equal("Hash chain", records[4][0]);
        Assert.StartsWith("intact: all ", records[4][1]);
        Assert.Equal(new[] { "This record's entries", "intact: 2 entries check out" }, records[5][..2]);
        var header = records.FindIndex(r => r[0] == "sequence");
        Assert.Equal(["sequence", "at_utc", "user", "action", "record_type", "record_id", "before", "after", "hash", "check"], records[header]);
        var entries = records[(header + 1)..];
        var audit = await SerialsKit.AuditAsync(app, serial);
        Assert.Equal(audit.Select(a => a.Sequence.ToString()), entries.Select(e => e[0]));
        Assert.Equal(["serial_advanced", "serial_scrapped"], entries.Select(e => e[3]));
        Assert.All(entries, e => Assert.Equal(DemoUsers.Operator, e[2]));
        Assert.All(entries, e => Assert.Equal("intact", e[9]));
        // The JSON of after, quotes and commas included, comes back whole from the quoted field.
        Assert.Equal(audit.Last().After, entries.Last()[7]);
    }

    [Fact]
    public async Task A_tampered_entry_shows_broken_on_both_exports_until_it_is_put_back()
    {
        var serial = await ScrappedSerialAsync();
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var entry = (await SerialsKit.AuditAsync(app, serial, "serial_scrapped")).Single();
        await SetAfterAsync(entry.Id, """{"status":"in_progress"}""");
        try
        {
            var text = await PdfTextAsync(await viewer.GetAsync(Url("serial", serial, "pdf")));
            Assert.Contains($"Organization's chain: BROKEN at entry #{entry.Sequence}: the entry's content was changed after it was written", text);
            Assert.Contains($"This record's entries: BROKEN: entry #{entry.Sequence}", text);
            var records = await CsvAsync(await viewer.GetAsync(Url("serial", serial, "csv")));
            Assert.StartsWith($"BROKEN at entry #{entry.Sequence}", records[4][1]);
            Assert.Equal("broken: the entry's content was changed after it was written", records.Single(r => r[0] == entry.Sequence.ToString())[9]);
        }
        finally
        {
            await SetAfterAsync(entry.Id, entry.After);
        }
        Assert.Contains("Organization's chain: intact", await PdfTextAsync(await viewer.GetAsync(Url("serial", serial, "pdf"))));
    }

    [Fact]
    public async Task Every_role_exports_serials_holds_and_certificates_but_only_an_admin_exports_a_user()
    {
        var serial = await ScrappedSerialAsync();
        var org = await app.OrganizationIdAsync("MA01");
        Guid hold;
        await using (var db = app.RawDb())
        {
            hold = await db.Set<QualityHold>().IgnoreQueryFilters().Where(h => h.OrganizationId == org).OrderBy(h => h.HoldNumber).Select(h => h.Id).FirstAsync();
        }
        foreach (var email in DemoUsers.All)
        {
            var client = await app.ClientForAsync(email);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("serial", serial, "csv"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("hold", hold.ToString(), "pdf"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("certificate", "CERT-0001", "csv"))).StatusCode);
            var user = await client.GetAsync(Url("user", (await SerialsKit.UserIdAsync(app, DemoUsers.Operator)).ToString(), "csv"));
            if (email == DemoUsers.Admin) continue;
            Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
            await Golden.AssertBodyAsync(user, $$"""{"error":"{{AuditExportService.UsersForbidden}}"}""");
        }

        // A user's trail: what was done to the account and what the user did (the operator's scrap among it).
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var operatorId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        var records = await CsvAsync(await admin.GetAsync(Url("user", operatorId.ToString(), "csv")));
        Assert.Contains(records, r => r[3] == "serial_scrapped" && r[2] == DemoUsers.Operator);

        // Another organization's records are not found; an unknown type neither; no sign-in, no export.
        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Url("serial", (await SerialsKit.SerialIdAsync(app, serial)).ToString(), "pdf"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Url("hold", hold.ToString(), "csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Url("user", operatorId.ToString(), "csv"))).StatusCode);
        var unknown = await admin.GetAsync(Url("widget", "x", "csv"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Golden.AssertBodyAsync(unknown, """{"error":"Unknown record type 'widget': one of serial, hold, certificate, user"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(Url("serial", serial, "pdf"))).StatusCode);
        // The rest of the audit API stays ADMIN's.
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/audit/verify")).StatusCode);
    }

    private async Task SetAfterAsync(Guid entryId, string? after)
    {
        // Straight to the table, past the context's append-only guard: what a person with database access could do.
        await using var db = app.RawDb();
        await db.AuditEntries.IgnoreQueryFilters().Where(a => a.Id == entryId).ExecuteUpdateAsync(s => s.SetProperty(a => a.After, after));
    }
}

public sealed class SqliteAuditExportTests(OperatorFactory app) : AuditExportTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresAuditExportTests(PostgresOperatorFactory app) : AuditExportTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
