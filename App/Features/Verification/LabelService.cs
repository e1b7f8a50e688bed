using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Verification;

/// <summary>Body of <c>POST /api/labels</c>: the serial numbers to label, e.g. the ones a batch create just returned.</summary>
public sealed record LabelsRequest(IReadOnlyList<string?>? SerialNumbers);

/// <summary>A rendered label sheet.</summary>
public sealed record LabelSheetFile(byte[] Content, string FileName, int Labels, int WithQrCode);

/// <summary>
/// Label sheets (<see cref="LabelSheet"/>) for serials of the caller's organization: one serial, a work order's
/// serials, or a list of serial numbers.
/// </summary>
/// <remarks>
/// A serial gets a QR code of its public verify URL only when a customer scanning it would be told "genuine": its
/// number is a signed public code of its own organization (format, check character and signature pass), its part is
/// publicly verifiable and its visibility is public. Every other serial (SN-00001 numbers, private or
/// non-verifiable ones) still gets a label with its number, marked "not publicly verifiable" and without a QR code,
/// so one sheet covers a whole work order. Scrapped and cancelled units are labelled like the others (a reprint is a
/// record); the verify page says "not active" for them.
/// </remarks>
public sealed class LabelService(IDbContextFactory<OperatorDb> dbs, SerialCodeVerifier codes, IOptions<PublicVerificationOptions> options, TimeProvider time)
{
    public const int MaxSerialsPerRequest = 1000;
    public const int MaxSerialNumberLength = 100;

    public async Task<Result<LabelSheetFile>> ForSerialAsync(string number, CancellationToken ct = default)
    {
        await using var db = dbs.CreateDbContext();
        var trimmed = number.Trim();
        var serials = await LoadAsync(db, db.Set<Serial>().Where(s => s.SerialNumber == trimmed), ct);
        if (serials.Count == 0)
        {
            return Error.NotFound("Serial not found", "Serial", number);
        }
        return await RenderAsync(db, serials.Take(1).ToList(), $"labels-{FileSafe(trimmed)}.pdf", ct);
    }

    /// <summary>Every serial of the work order, by its id or its number (WO-00001), in the order they were created.</summary>
    public async Task<Result<LabelSheetFile>> ForWorkOrderAsync(string idOrNumber, CancellationToken ct = default)
    {
        await using var db = dbs.CreateDbContext();
        var key = idOrNumber.Trim();
        var orders = db.Set<WorkOrder>().AsNoTracking();
        var order = Guid.TryParse(key, out var id)
            ? await orders.Where(w => w.Id == id).Select(w => new { w.Id, w.Number }).FirstOrDefaultAsync(ct)
            : await orders.Where(w => w.Number == key).Select(w => new { w.Id, w.Number }).FirstOrDefaultAsync(ct);
        if (order is null)
        {
            return Error.NotFound("Work order not found", "WorkOrder", idOrNumber);
        }
        var serials = await LoadAsync(db, db.Set<Serial>().Where(s => s.WorkOrderId == order.Id), ct);
        if (serials.Count == 0)
        {
            return Error.Conflict($"Work order {order.Number} has no serials to label yet");
        }
        return await RenderAsync(db, serials, $"labels-{FileSafe(order.Number)}.pdf", ct);
    }

    /// <summary>The listed serials, in the order given (duplicates once). 1-1000 numbers; any unknown one is a 404 naming it.</summary>
    public async Task<Result<LabelSheetFile>> ForSerialsAsync(LabelsRequest? request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var list = request?.SerialNumbers;
        if (list is null)
        {
            checks.Add(["serialNumbers"], "serialNumbers is required: a list of serial numbers");
        }
        else if (list.Count is 0 or > MaxSerialsPerRequest)
        {
            checks.Add(["serialNumbers"], $"serialNumbers must hold 1 to {MaxSerialsPerRequest} serial numbers");
        }
        else
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(list[i]) || list[i]!.Trim().Length > MaxSerialNumberLength)
                {
                    checks.Add(["serialNumbers", i], $"Each serial number must be 1 to {MaxSerialNumberLength} characters");
                }
            }
        }
        if (checks.Failed)
        {
            return checks.ToError(checks.Issues[0].Message);
        }

        var wanted = list!.Select(n => n!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        await using var db = dbs.CreateDbContext();
        var found = await LoadAsync(db, db.Set<Serial>().Where(s => wanted.Contains(s.SerialNumber)), ct);
        var byNumber = found.GroupBy(s => s.SerialNumber, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var missing = wanted.Where(n => !byNumber.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            var named = string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? $" and {missing.Count - 10} more" : "");
            return Error.NotFound($"Serial not found: {named}", "Serial", missing[0]);
        }
        return await RenderAsync(db, wanted.Select(n => byNumber[n]).ToList(), "labels.pdf", ct);
    }

    private static Task<List<SerialRow>> LoadAsync(OperatorDb db, IQueryable<Serial> serials, CancellationToken ct) =>
        serials.AsNoTracking()
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.SerialNumber)
            .Select(s => new SerialRow(s.SerialNumber, s.Visibility, s.Part!.Name, s.Part.Sku, s.Part.PubliclyVerifiable))
            .ToListAsync(ct);

    private async Task<Result<LabelSheetFile>> RenderAsync(OperatorDb db, List<SerialRow> serials, string fileName, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == db.TenantId).Select(o => new { o.Code, o.Name }).SingleAsync(ct);
        var labels = serials.Select(s => new LabelItem(
                s.SerialNumber, s.PartName, s.Sku,
                HasPublicCode(s, org.Code) ? options.Value.VerifyUrl(codes.Check(s.SerialNumber).Normalized!) : null))
            .ToList();
        var pdf = LabelSheet.Render(labels, org.Name, time.GetUtcNow().UtcDateTime);
        return new LabelSheetFile(pdf, fileName, labels.Count, labels.Count(l => l.VerifyUrl is not null));
    }

    /// <summary>Whether the verify page would answer "genuine" for this serial's number (status aside).</summary>
    private bool HasPublicCode(SerialRow serial, string orgCode)
    {
        if (!serial.PubliclyVerifiable || serial.Visibility != SerialVisibility.Public) return false;
        var check = codes.Check(serial.SerialNumber);
        return check.IsOk && check.Parts.OrgCode == orgCode && check.Normalized == serial.SerialNumber;
    }

    private static string FileSafe(string text) =>
        new(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(80).ToArray());

    private sealed record SerialRow(string SerialNumber, string Visibility, string PartName, string Sku, bool PubliclyVerifiable);
}
