using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Find;

/// <summary>
/// The detail pages of license plates, batches and work orders: a record's facts by number (or id), the holds naming it,
/// its units and its audit history. Each read goes through an index: the record's (organization, number) index, the hold
/// items' (organization, reference type, reference id) index, the units' work order or batch index and the audit
/// entries' (organization, entity type, entity id) index.
/// </summary>
public sealed class RecordDetails(IDbContextFactory<OperatorDb> factory)
{
    public const int MaxPageSize = 100;

    public async Task<Result<LicensePlateRecordDto>> LicensePlateAsync(string? numberOrId, CancellationToken ct = default)
    {
        if (Key(numberOrId) is not { } q) return NotFound("License plate", numberOrId);
        await using var db = factory.CreateDbContext();
        var rows = await NumberLookup.Rows(db.Set<LicensePlate>().AsNoTracking(), p => p.Id, p => p.Number, q)
            .Select(p => new
            {
                p.Id, p.Number, p.PartId, Part = p.Part!.Number, PartName = p.Part.Name, p.Quantity, p.Uom,
                LocationCode = p.Location != null ? p.Location.Code : null, LocationName = p.Location != null ? p.Location.Name : null, p.QaStatus, p.CreatedAt,
            })
            .ToListAsync(ct);
        var plate = rows.OrderByDescending(r => q.Exact(r.Number, r.Id)).FirstOrDefault();
        if (plate is null) return NotFound("License plate", numberOrId);
        var holds = await HoldsAsync(db, ReferenceTypes.LicensePlate, plate.Id, ct);
        return new LicensePlateRecordDto(plate.Id, plate.Number, plate.PartId, plate.Part, plate.PartName, plate.Quantity, plate.Uom, plate.LocationCode,
            plate.LocationName, plate.QaStatus, Utc(plate.CreatedAt), holds);
    }

    public async Task<Result<BatchRecordDto>> BatchAsync(string? numberOrId, CancellationToken ct = default)
    {
        if (Key(numberOrId) is not { } q) return NotFound("Batch", numberOrId);
        await using var db = factory.CreateDbContext();
        var rows = await NumberLookup.Rows(db.Set<Batch>().AsNoTracking(), b => b.Id, b => b.Number, q)
            .Select(b => new { b.Id, b.Number, b.PartId, Part = b.Part!.Number, PartName = b.Part.Name, b.Quantity, b.Uom, b.ProducedAt, b.CreatedAt })
            .ToListAsync(ct);
        var batch = rows.OrderByDescending(r => q.Exact(r.Number, r.Id)).FirstOrDefault();
        if (batch is null) return NotFound("Batch", numberOrId);
        var units = await db.Set<Serial>().CountAsync(s => s.BatchId == batch.Id, ct);
        var holds = await HoldsAsync(db, ReferenceTypes.Batch, batch.Id, ct);
        return new BatchRecordDto(batch.Id, batch.Number, batch.PartId, batch.Part, batch.PartName, batch.Quantity, batch.Uom,
            batch.ProducedAt is { } produced ? Utc(produced) : null, Utc(batch.CreatedAt), units, holds);
    }

    /// <summary>The holds naming a record of the caller's organization (<paramref name="referenceType"/> as hold items name it).</summary>
    public async Task<IReadOnlyList<RecordHoldDto>> HoldsAsync(string referenceType, Guid id, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        return await HoldsAsync(db, referenceType, id, ct);
    }

    /// <summary>
    /// The units of a work order or batch of the caller's organization, by serial number, one page at a time (a work order
    /// may have thousands).
    /// </summary>
    public async Task<Page<RecordUnitDto>> UnitsAsync(UnitOwner owner, Guid id, int offset, int limit, CancellationToken ct = default)
    {
        var (skip, take) = (Math.Max(0, offset), Math.Clamp(limit, 1, MaxPageSize));
        await using var db = factory.CreateDbContext();
        var serials = db.Set<Serial>().AsNoTracking();
        var mine = owner == UnitOwner.WorkOrder ? serials.Where(s => s.WorkOrderId == id) : serials.Where(s => s.BatchId == id);
        var total = await mine.CountAsync(ct);
        var steps = db.Set<ProcessStep>();
        var items = await mine.OrderBy(s => s.SerialNumber).ThenBy(s => s.Id).Skip(skip).Take(take)
            .Select(s => new RecordUnitDto(s.Id, s.SerialNumber, s.Status, s.Consumed, s.Part!.Number,
                s.WorkOrder != null ? s.WorkOrder.Number : null, s.Batch != null ? s.Batch.Number : null, s.CurrentStepIndex,
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Name).FirstOrDefault(),
                s.CreatedAt))
            .ToListAsync(ct);
        return new Page<RecordUnitDto>(items.Select(u => u with { CreatedAt = Utc(u.CreatedAt) }).ToList(), total, take, skip);
    }

    /// <summary>The audit entries of one record (<paramref name="entityType"/> as the audit trail names it), newest first, one page at a time.</summary>
    public async Task<Page<RecordHistoryDto>> HistoryAsync(string entityType, Guid id, int offset, int limit, CancellationToken ct = default)
    {
        var (skip, take) = (Math.Max(0, offset), Math.Clamp(limit, 1, MaxPageSize));
        var entityId = id.ToString();
        await using var db = factory.CreateDbContext();
        var entries = db.AuditEntries.AsNoTracking().Where(a => a.EntityType == entityType && a.EntityId == entityId);
        var total = await entries.CountAsync(ct);
        var rows = await entries.OrderByDescending(a => a.Sequence).Skip(skip).Take(take)
            .Select(a => new { a.Sequence, a.At, a.UserEmail, a.Action, a.Before, a.After }).ToListAsync(ct);
        return new Page<RecordHistoryDto>(
            rows.Select(a => new RecordHistoryDto(a.Sequence, Utc(a.At), a.UserEmail, a.Action, Summarize(a.Action, a.Before, a.After))).ToList(), total, take, skip);
    }

    private static async Task<IReadOnlyList<RecordHoldDto>> HoldsAsync(OperatorDb db, string referenceType, Guid id, CancellationToken ct)
    {
        var rows = await (
                from i in db.Set<QualityHoldItem>().AsNoTracking()
                where i.ReferenceType == referenceType && i.ReferenceId == id
                join h in db.Set<QualityHold>() on i.HoldId equals h.Id
                select new RecordHoldDto(h.Id, h.HoldNumber, h.Status, h.Priority, h.HoldType, h.Reason, h.HeldAt, h.ReleasedAt, h.Disposition,
                    i.QuantityHeld, i.Uom, i.QaStatusBefore, i.QaStatusAfter))
            .ToListAsync(ct);
        return rows.Select(h => h with { HeldAt = Utc(h.HeldAt), ReleasedAt = h.ReleasedAt is { } r ? Utc(r) : null })
            .OrderByDescending(h => h.Status == HoldStatuses.Active).ThenByDescending(h => h.HeldAt).ThenBy(h => h.HoldNumber, StringComparer.Ordinal).ToList();
    }

    /// <summary>One line for a record's history, from the values the entry recorded.</summary>
    public static string Summarize(string action, string? before, string? after)
    {
        var was = Parse(before);
        var now = Parse(after);
        string? Text(JsonElement root, string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;
        if (action.EndsWith("_created", StringComparison.Ordinal) && action != SerialAudit.SerialsCreated && action != SerialAudit.CertificateCreated)
        {
            return "Created";
        }
        return action switch
        {
            HoldAudit.ActionLpStatus => $"QA status {Text(was, "qa_status")} → {Text(now, "qa_status")}"
                + (Text(now, "hold_number") is { } hold ? $" by hold {hold}" : ""),
            SerialAudit.SerialsCreated => string.Format(CultureInfo.InvariantCulture, "{0} unit(s) created from {1} at {2}",
                Text(now, "count"), Text(now, "firstSerialNumber"), Text(now, "stepName")),
            _ => SerialAudit.Summarize(action, after),
        };
    }

    private static JsonElement Parse(string? json)
    {
        if (json is null) return default;
        try
        {
            return JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            // An entry whose values are not JSON still gets its action's words.
            return default;
        }
    }

    private static Lookup? Key(string? numberOrId)
    {
        var term = numberOrId?.Trim() ?? "";
        return term.Length is 0 or > FindService.MaxQueryLength || term.Any(char.IsControl) ? null : NumberLookup.Of(term);
    }

    private static Error NotFound(string label, string? number) => Error.NotFound($"{label} not found: {number}", label.Replace(" ", ""), number);

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);
}
