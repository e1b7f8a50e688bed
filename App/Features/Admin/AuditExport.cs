using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.Reports;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using PdfSharp.Drawing;

namespace Operator.Features.Admin;

/// <summary>One audit entry of an export, with whether its own hash and its link to the entry before it still check out.</summary>
public sealed record AuditExportEntry(long Sequence, DateTime At, string? UserEmail, string Action, string EntityType, string EntityId, string? Before, string? After,
    string Hash, string? Problem);

/// <summary>
/// A record's audit trail and the two checks printed on it: the organization's whole hash chain (<see cref="AuditTrail.VerifyAsync"/>)
/// and this record's own entries.
/// </summary>
public sealed record AuditTrailExport(string RecordType, Guid RecordId, string RecordName, string OrganizationCode, string OrganizationName, DateTime GeneratedAt,
    IReadOnlyList<AuditExportEntry> Entries, int TotalEntries, AuditVerification Chain)
{
    public bool RecordIntact => Entries.All(e => e.Problem is null);

    public string ChainText => Chain.Intact
        ? $"intact: all {Chain.EntriesChecked.ToString(CultureInfo.InvariantCulture)} entries of the organization's trail check out"
        : $"BROKEN at entry #{Chain.BrokenAtSequence?.ToString(CultureInfo.InvariantCulture)}: {Chain.Problem}";

    public string RecordText => RecordIntact
        ? $"intact: {Entries.Count.ToString(CultureInfo.InvariantCulture)} entr{(Entries.Count == 1 ? "y" : "ies")} check out"
        : $"BROKEN: {string.Join("; ", Entries.Where(e => e.Problem is not null).Select(e => $"entry #{e.Sequence.ToString(CultureInfo.InvariantCulture)}: {e.Problem}"))}";
}

public sealed record AuditExportFile(byte[] Content, string FileName, string ContentType);

/// <summary>
/// The audit trail of one serial, hold, certificate or user as PDF and CSV (issue 16), with the hash-chain check on it.
/// Everyone of the organization reads the trail of a serial, hold or certificate; a user's trail (what was done to the
/// account and everything the user did) is for administrators only. A record of another organization is not found.
/// </summary>
public sealed class AuditExportService(IDbContextFactory<OperatorDb> factory, ICurrentUser caller, TimeProvider time)
{
    public static readonly IReadOnlyList<string> RecordTypes = ["serial", "hold", "certificate", "user"];

    /// <summary>More entries than this are cut, and the export says so: a document of a hundred thousand rows helps nobody.</summary>
    public const int MaxEntries = 10_000;

    public const string UsersForbidden = "Only an administrator exports a user's audit trail";

    public async Task<Result<AuditTrailExport>> GetAsync(string recordType, string id, CancellationToken ct = default)
    {
        if (caller.OrganizationId is not { } organizationId) return Error.Forbidden("No organization");
        var type = recordType.Trim().ToLowerInvariant();
        if (!RecordTypes.Contains(type)) return Error.NotFound($"Unknown record type '{recordType}': one of {string.Join(", ", RecordTypes)}", "RecordType", recordType);
        if (type == "user" && !Policies.Allows(Policies.Admin, caller.Role)) return Error.Forbidden(UsersForbidden);

        await using var db = factory.CreateDbContext();
        var record = await FindAsync(db, type, id, ct);
        if (record is null) return Error.NotFound($"{char.ToUpperInvariant(type[0])}{type[1..]} not found: {id}", type, id);
        var (recordId, name) = record.Value;
        var key = recordId.ToString();

        var entries = db.AuditEntries.AsNoTracking();
        entries = type switch
        {
            // Every serial entry is written as "serial" now; uniqueness resolutions written before that fix say "Serial",
            // and a hash-chained entry cannot be rewritten, so the old spelling stays readable here.
            "serial" => entries.Where(a => (a.EntityType == SerialAudit.SerialEntity || a.EntityType == SerialAudit.LegacySerialEntity) && a.EntityId == key),
            "hold" => entries.Where(a => a.EntityType == HoldAudit.EntityType && a.EntityId == key),
            "certificate" => entries.Where(a => a.EntityType == SerialAudit.CertificateEntity && a.EntityId == key),
            _ => entries.Where(a => (a.EntityType == "user" && a.EntityId == key) || a.UserId == recordId),
        };
        var total = await entries.CountAsync(ct);
        var rows = await entries.OrderBy(a => a.Sequence).Take(MaxEntries).ToListAsync(ct);

        // Each entry's predecessor, to check the link; the first entry's predecessor is the genesis hash.
        var previous = rows.Select(r => r.Sequence - 1).Where(s => s > 0).Distinct().ToList();
        var hashes = await db.AuditEntries.AsNoTracking().Where(a => previous.Contains(a.Sequence))
            .Select(a => new { a.Sequence, a.Hash }).ToDictionaryAsync(a => a.Sequence, a => a.Hash, ct);
        var list = rows.Select(r => new AuditExportEntry(r.Sequence, r.At, r.UserEmail, r.Action, r.EntityType, r.EntityId, r.Before, r.After, r.Hash,
            Check(r, hashes))).ToList();

        var chain = await AuditTrail.VerifyAsync(db, organizationId, ct);
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => new { o.Code, o.Name }).SingleAsync(ct);
        return new AuditTrailExport(type, recordId, name, org.Code, org.Name, time.GetUtcNow().UtcDateTime, list, total, chain);
    }

    public async Task<Result<AuditExportFile>> PdfAsync(string recordType, string id, CancellationToken ct = default)
    {
        var export = await GetAsync(recordType, id, ct);
        if (!export.IsSuccess) return export.Error!;
        return new AuditExportFile(AuditExportPdf.Render(export.Value), FileName(export.Value, "pdf"), "application/pdf");
    }

    public async Task<Result<AuditExportFile>> CsvAsync(string recordType, string id, CancellationToken ct = default)
    {
        var export = await GetAsync(recordType, id, ct);
        if (!export.IsSuccess) return export.Error!;
        return new AuditExportFile(Csv(export.Value), FileName(export.Value, "csv"), CsvTable.ContentType);
    }

    /// <summary>
    /// The facts first (record, organization, time, the two checks), an empty record, then the entries under a header row;
    /// every record has the header's ten fields.
    /// </summary>
    public static byte[] Csv(AuditTrailExport e)
    {
        var csv = new CsvTable(10);
        csv.Row("Audit trail of", $"{e.RecordType} {e.RecordName}");
        csv.Row("Record id", e.RecordId.ToString());
        csv.Row("Organization", $"{e.OrganizationCode} {e.OrganizationName}");
        csv.Row("Generated (UTC)", Time(e.GeneratedAt));
        csv.Row("Hash chain", e.ChainText);
        csv.Row("This record's entries", e.RecordText);
        if (e.TotalEntries > e.Entries.Count) csv.Row("Entries", $"the first {e.Entries.Count} of {e.TotalEntries}");
        csv.Row();
        csv.Row("sequence", "at_utc", "user", "action", "record_type", "record_id", "before", "after", "hash", "check");
        foreach (var a in e.Entries)
        {
            csv.Row(a.Sequence, Time(a.At), a.UserEmail, a.Action, a.EntityType, a.EntityId, a.Before, a.After, a.Hash,
                a.Problem is null ? "intact" : $"broken: {a.Problem}");
        }
        return csv.ToBytes();
    }

    private static string? Check(AuditEntry entry, IReadOnlyDictionary<long, string> hashes)
    {
        if (AuditTrail.ComputeHash(entry) != entry.Hash) return "the entry's content was changed after it was written";
        var expected = entry.Sequence == 1 ? AuditTrail.Genesis : hashes.GetValueOrDefault(entry.Sequence - 1);
        if (expected is null) return $"entry #{entry.Sequence - 1}, the one before it, is missing";
        return entry.PreviousHash == expected ? null : "the link to the previous entry does not match";
    }

    private static async Task<(Guid Id, string Name)?> FindAsync(OperatorDb db, string type, string id, CancellationToken ct)
    {
        var term = id.Trim();
        switch (type)
        {
            case "serial":
                return await SerialLookup.FindAsync(db, term, ct) is { } serial ? (serial.Id, serial.SerialNumber) : null;
            case "certificate":
                return await CertificateService.FindAsync(db, term, ct) is { } cert ? (cert.Id, cert.Number) : null;
            case "hold":
            {
                var holds = db.Set<QualityHold>().AsNoTracking();
                var hold = Guid.TryParse(term, out var holdId)
                    ? await holds.Where(h => h.Id == holdId).Select(h => new { h.Id, h.HoldNumber }).SingleOrDefaultAsync(ct)
                    : await holds.Where(h => h.HoldNumber == term.ToUpperInvariant()).Select(h => new { h.Id, h.HoldNumber }).SingleOrDefaultAsync(ct);
                return hold is null ? null : (hold.Id, hold.HoldNumber);
            }
            default:
            {
                // Users are not tenant rows of the filter: the organization is named here.
                if (!Guid.TryParse(term, out var userId)) return null;
                var organizationId = db.TenantId;
                var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.OrganizationId == organizationId)
                    .Select(u => new { u.Id, u.Email }).SingleOrDefaultAsync(ct);
                return user is null ? null : (user.Id, user.Email ?? user.Id.ToString());
            }
        }
    }

    private static string FileName(AuditTrailExport e, string extension)
    {
        var name = new string(e.RecordName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '_').ToArray());
        return $"audit-{e.RecordType}-{name}.{extension}";
    }

    internal static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The PDF of an audit trail export: the checks in words (red when broken), then one table row per entry.</summary>
public static class AuditExportPdf
{
    // A value longer than this is cut in the PDF (the CSV has it whole): one entry must not fill pages.
    private const int MaxValue = 1_500;

    public static byte[] Render(AuditTrailExport e)
    {
        using var pdf = new PdfReport("Audit trail export", $"{e.OrganizationName} ({e.OrganizationCode})", e.GeneratedAt, $"Audit trail of {e.RecordType} {e.RecordName}");
        pdf.Title($"Audit trail of {e.RecordType} {e.RecordName}");
        pdf.Facts(
        [
            ("Record", $"{e.RecordType} {e.RecordName}"),
            ("Record id", e.RecordId.ToString()),
            ("Entries", e.TotalEntries > e.Entries.Count ? $"the first {e.Entries.Count} of {e.TotalEntries}" : e.Entries.Count.ToString(CultureInfo.InvariantCulture)),
        ]);
        pdf.Heading("Hash-chain verification");
        var broken = new XSolidBrush(XColor.FromArgb(0xB0, 0x1E, 0x1E));
        pdf.Paragraph($"Organization's chain: {e.ChainText}", pdf.Bold, e.Chain.Intact ? XBrushes.DarkGreen : broken);
        pdf.Paragraph($"This record's entries: {e.RecordText}", pdf.Bold, e.RecordIntact ? XBrushes.DarkGreen : broken);
        pdf.Paragraph("Each entry carries the hash of the entry before it in the organization's trail; changing, removing or reordering an entry breaks the chain from there on.",
            pdf.Small, XBrushes.DimGray);

        pdf.Heading("Entries");
        pdf.Table(
            [new("#", 0.4, AlignRight: true), new("When (UTC)", 1.0), new("Who, what", 2.0), new("Before", 1.7), new("After", 2.5), new("Check", 0.8)],
            e.Entries.Select(a => (IReadOnlyList<string?>)
            [
                a.Sequence.ToString(CultureInfo.InvariantCulture), PdfReport.FormatTime(a.At),
                $"{a.UserEmail ?? "(system)"}\n{a.Action}{(e.RecordType == "user" ? $" ({a.EntityType})" : "")}",
                Clip(a.Before), Clip(a.After), a.Problem is null ? "intact" : $"BROKEN: {a.Problem}",
            ]),
            "No audit entries name this record.");
        return pdf.ToBytes();
    }

    private static string Clip(string? value)
    {
        var text = Readable(value);
        return text.Length <= MaxValue ? text : text[..MaxValue] + " … (cut here; the CSV export has it whole)";
    }

    /// <summary>A JSON object as one "name: value" line per member, which wraps and reads better than JSON; anything else as stored.</summary>
    private static string Readable(string? json)
    {
        if (json is null) return "";
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(json) is not System.Text.Json.Nodes.JsonObject members) return json;
            return string.Join('\n', members.Select(m => $"{m.Key}: {m.Value switch
            {
                null => "null",
                System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
                var other => other.ToJsonString(),
            }}"));
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }
}
