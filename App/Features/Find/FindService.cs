using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Find;

/// <summary>
/// What a number names in the caller's organization, whatever kind of record it is: a serial (its number or its signed
/// public code), a quality hold, a license plate, a work order, a batch, a certificate or a vendor's serial number. The
/// top bar's box, the results page and <c>GET /api/find</c> ask it.
/// </summary>
/// <remarks>
/// Every kind is looked up the way its own lookups do it: the number as typed, and in upper case (scanned and printed
/// numbers are upper case; public codes are normalized that way), or the record's UUID. Each lookup is an equality on the
/// kind's (organization, number) index or on its key, never a scan: an organization's millions of serials cost what
/// ten do. No partial matching: a part of a number would need a scan of every kind, and the lists do that already.
/// </remarks>
public sealed class FindService(IDbContextFactory<OperatorDb> factory)
{
    public const int MaxQueryLength = 200;

    /// <summary>Beyond this many records of one kind (only serials share numbers, during a uniqueness conflict) the list stops.</summary>
    public const int MaxPerKind = 20;

    public async Task<Result<FindResultDto>> FindAsync(FindRequest request, CancellationToken ct = default)
    {
        var term = request.Query?.Trim() ?? "";
        if (term.Length == 0) return Error.Validation("q", "Type or scan a number to find");
        if (term.Length > MaxQueryLength) return Error.Validation("q", $"A number is at most {MaxQueryLength} characters");
        if (term.Any(char.IsControl)) return Error.Validation("q", "A number must not contain control characters");

        var query = NumberLookup.Of(term);
        await using var db = factory.CreateDbContext();
        List<FindMatchDto> matches =
        [
            .. await SerialsAsync(db, query, ct),
            .. await HoldsAsync(db, query, ct),
            .. await PlatesAsync(db, query, ct),
            .. await WorkOrdersAsync(db, query, ct),
            .. await BatchesAsync(db, query, ct),
            .. await CertificatesAsync(db, query, ct),
        ];
        // An accepted vendor number that the unit still carries is that unit: it is listed once, as the serial.
        var units = matches.Where(m => m.Kind == FindKinds.Serial).Select(m => m.Id).ToHashSet();
        matches.AddRange((await VendorSerialsAsync(db, query, ct)).Where(v => v.Unit is not { } unit || !units.Contains(unit)).Select(v => v.Match));

        var ordered = matches.OrderByDescending(m => m.Exact).ThenBy(m => FindKinds.Rank(m.Kind)).ThenBy(m => m.Number, StringComparer.Ordinal).ThenBy(m => m.Id).ToList();
        return new FindResultDto(term, ordered);
    }

    private static async Task<List<FindMatchDto>> SerialsAsync(OperatorDb db, Lookup q, CancellationToken ct)
    {
        var rows = await NumberLookup.Rows(db.Set<Serial>().AsNoTracking(), s => s.Id, s => s.SerialNumber, q)
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Take(MaxPerKind)
            .Select(s => new { s.Id, s.SerialNumber, s.Status, s.Consumed, Part = s.Part!.Number, WorkOrder = s.WorkOrder != null ? s.WorkOrder.Number : null })
            .ToListAsync(ct);
        var shared = rows.GroupBy(r => r.SerialNumber).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var publicCode = SerialCodeFormat.TryParse(q.Term, out _, out _);
        return rows.Select(r =>
        {
            var status = r.Consumed && r.Status != SerialStatus.Scrapped && r.Status != SerialStatus.Cancelled ? "used in an assembly" : SerialView.StatusLabel(r.Status);
            var description = $"{(publicCode ? "Unit with this public code" : "Unit")} of part {r.Part}{(r.WorkOrder is null ? "" : $", work order {r.WorkOrder}")}, {status}"
                + (shared.Contains(r.SerialNumber) ? " (several units carry this number: an open uniqueness conflict)" : "");
            // Several units with one number: only the id tells them apart.
            var url = shared.Contains(r.SerialNumber) ? RecordLinks.Serial(r.Id.ToString(), r.Id) : RecordLinks.Serial(r.SerialNumber, r.Id);
            return new FindMatchDto(FindKinds.Serial, r.Id, r.SerialNumber, description, url, q.Exact(r.SerialNumber, r.Id));
        }).ToList();
    }

    private static async Task<List<FindMatchDto>> HoldsAsync(OperatorDb db, Lookup q, CancellationToken ct)
    {
        var rows = await NumberLookup.Rows(db.Set<QualityHold>().AsNoTracking(), h => h.Id, h => h.HoldNumber, q).Take(MaxPerKind)
            .Select(h => new { h.Id, h.HoldNumber, h.Status, h.Priority, h.HoldType, h.ItemsCount }).ToListAsync(ct);
        return rows.Select(h => new FindMatchDto(FindKinds.Hold, h.Id, h.HoldNumber,
            Invariant($"{HoldView.StatusLabel(h.Status)} {HoldView.PriorityLabel(h.Priority).ToLowerInvariant()} priority hold ({HoldTypes.Label(h.HoldType).ToLowerInvariant()}) on {h.ItemsCount} item(s)"),
            RecordLinks.Hold(h.Id), q.Exact(h.HoldNumber, h.Id))).ToList();
    }

    private static async Task<List<FindMatchDto>> PlatesAsync(OperatorDb db, Lookup q, CancellationToken ct)
    {
        var rows = await NumberLookup.Rows(db.Set<LicensePlate>().AsNoTracking(), p => p.Id, p => p.Number, q).Take(MaxPerKind)
            .Select(p => new { p.Id, p.Number, Part = p.Part!.Number, p.Quantity, p.Uom, Location = p.Location != null ? p.Location.Name : null, p.QaStatus })
            .ToListAsync(ct);
        return rows.Select(p => new FindMatchDto(FindKinds.LicensePlate, p.Id, p.Number,
            Invariant($"{p.Quantity:0.###} {p.Uom} of part {p.Part}{(p.Location is null ? "" : $" at {p.Location}")}, QA status {MasterDataLabels.QaStatusLabel(p.QaStatus).ToLowerInvariant()}"),
            RecordLinks.LicensePlate(p.Number, p.Id), q.Exact(p.Number, p.Id))).ToList();
    }

    private static async Task<List<FindMatchDto>> WorkOrdersAsync(OperatorDb db, Lookup q, CancellationToken ct)
    {
        var rows = await NumberLookup.Rows(db.Set<WorkOrder>().AsNoTracking(), w => w.Id, w => w.Number, q).Take(MaxPerKind)
            .Select(w => new { w.Id, w.Number, Part = w.Part!.Number, w.Quantity, w.Status }).ToListAsync(ct);
        return rows.Select(w => new FindMatchDto(FindKinds.WorkOrder, w.Id, w.Number,
            Invariant($"{w.Quantity} × part {w.Part}, {w.Status.Replace('_', ' ')}"), RecordLinks.WorkOrder(w.Id), q.Exact(w.Number, w.Id))).ToList();
    }

    private static async Task<List<FindMatchDto>> BatchesAsync(OperatorDb db, Lookup q, CancellationToken ct)
    {
        var rows = await NumberLookup.Rows(db.Set<Batch>().AsNoTracking(), b => b.Id, b => b.Number, q).Take(MaxPerKind)
            .Select(b => new { b.Id, b.Number, Part = b.Part!.Number, b.Quantity, b.Uom }).ToListAsync(ct);
        return rows.Select(b => new FindMatchDto(FindKinds.Batch, b.Id, b.Number,
            Invariant($"{b.Quantity:0.###} {b.Uom} of part {b.Part}"), RecordLinks.Batch(b.Number, b.Id), q.Exact(b.Number, b.Id))).ToList();
    }

    private static async Task<List<FindMatchDto>> CertificatesAsync(OperatorDb db, Lookup q, CancellationToken ct)
    {
        var rows = await NumberLookup.Rows(db.Set<Certificate>().AsNoTracking(), c => c.Id, c => c.Number, q).Take(MaxPerKind)
            .Select(c => new { c.Id, c.Number, c.Type, c.Issuer }).ToListAsync(ct);
        return rows.Select(c => new FindMatchDto(FindKinds.Certificate, c.Id, c.Number,
            $"{SerialView.TypeLabel(c.Type)} certificate from {c.Issuer}", RecordLinks.Certificate(c.Id), q.Exact(c.Number, c.Id))).ToList();
    }

    private sealed record VendorMatch(FindMatchDto Match, Guid? Unit);

    private static async Task<List<VendorMatch>> VendorSerialsAsync(OperatorDb db, Lookup q, CancellationToken ct)
    {
        var rows = await NumberLookup.Rows(db.Set<VendorSerial>().AsNoTracking(), v => v.Id, v => v.VendorSerialNumber, q).Take(MaxPerKind)
            .Select(v => new
            {
                v.Id, v.VendorSerialNumber, v.VendorName, v.PartId, v.Status, v.InternalSerialId,
                Part = db.Set<Part>().Where(p => p.Id == v.PartId).Select(p => p.Number).FirstOrDefault(),
                Unit = db.Set<Serial>().Where(s => s.Id == v.InternalSerialId).Select(s => s.SerialNumber).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(v =>
        {
            var accepted = v.InternalSerialId is { } unitId && v.Unit is not null;
            var description = $"From {v.VendorName} for part {v.Part}, " + (accepted ? $"accepted as unit {v.Unit}" : v.Status.ToLowerInvariant());
            var url = accepted ? RecordLinks.Serial(v.Unit!, v.InternalSerialId!.Value) : RecordLinks.VendorSerials(v.PartId, v.Status);
            return new VendorMatch(new FindMatchDto(FindKinds.VendorSerial, v.Id, v.VendorSerialNumber, description, url, q.Exact(v.VendorSerialNumber, v.Id)),
                accepted ? v.InternalSerialId : null);
        }).ToList();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
