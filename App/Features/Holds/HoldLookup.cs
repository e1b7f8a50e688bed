using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>The new-hold page's scan field and picker: what a typed or scanned number names in the caller's organization.</summary>
public sealed class HoldLookup(IDbContextFactory<OperatorDb> factory)
{
    /// <summary>
    /// What a typed or scanned number names in the caller's organization: a license plate, a work order, a batch or a
    /// serial (exact number first, then ignoring case; a UUID is looked up as an id).
    /// </summary>
    public async Task<Result<ResolvedReference>> ResolveReferenceAsync(string? text, CancellationToken ct = default)
    {
        var term = text?.Trim() ?? "";
        if (term.Length is 0 or > 100) return Error.Validation("number", "Type or scan a license plate, work order or batch number");
        await using var db = factory.CreateDbContext();
        var byId = Guid.TryParse(term, out var id);
        var upper = term.ToUpperInvariant();

        var plate = await db.Set<LicensePlate>().AsNoTracking()
            .Where(l => byId ? l.Id == id : l.Number == term || l.Number == upper)
            .Select(l => new { l.Id, l.Number, Part = l.Part!.Number, l.Quantity, l.Uom, Location = l.Location != null ? l.Location.Name : null, l.QaStatus })
            .FirstOrDefaultAsync(ct);
        if (plate is not null)
        {
            return new ResolvedReference(ReferenceTypes.LicensePlate, plate.Id, plate.Number,
                $"License plate · {plate.Part} · {HoldValidation.Invariant(plate.Quantity)} {plate.Uom}{(plate.Location is null ? "" : " · " + plate.Location)} · QA {plate.QaStatus}",
                plate.Quantity, plate.Uom, plate.Location, plate.QaStatus);
        }
        var order = await db.Set<WorkOrder>().AsNoTracking()
            .Where(w => byId ? w.Id == id : w.Number == term || w.Number == upper)
            .Select(w => new { w.Id, w.Number, Part = w.Part!.Number, w.Quantity, w.Status }).FirstOrDefaultAsync(ct);
        if (order is not null)
        {
            return new ResolvedReference(ReferenceTypes.WorkOrder, order.Id, order.Number,
                $"Work order · {order.Part} · {order.Quantity} units · {order.Status}", null, null, null, null);
        }
        var batch = await db.Set<Batch>().AsNoTracking()
            .Where(b => byId ? b.Id == id : b.Number == term || b.Number == upper)
            .Select(b => new { b.Id, b.Number, Part = b.Part!.Number, b.Quantity, b.Uom }).FirstOrDefaultAsync(ct);
        if (batch is not null)
        {
            return new ResolvedReference(ReferenceTypes.Batch, batch.Id, batch.Number,
                $"Batch · {batch.Part} · {HoldValidation.Invariant(batch.Quantity)} {batch.Uom}", batch.Quantity, batch.Uom, null, null);
        }
        // Last, so a plate, order or batch number that is also some unit's serial number keeps meaning what it meant.
        var serial = await SerialLookup.FindAsync(db, term, ct);
        if (serial is not null)
        {
            return new ResolvedReference(ReferenceTypes.Serial, serial.Id, serial.SerialNumber,
                $"Serial · {serial.Status.Replace('_', ' ')}{(serial.WorkOrderNumber is null ? "" : " · " + serial.WorkOrderNumber)}{(serial.StepName is null ? "" : " · at " + serial.StepName)}",
                null, null, null, null);
        }
        return Error.NotFound($"No license plate, work order, batch or serial has the number {term}", "Reference", term);
    }

    /// <summary>The most a reference search returns per kind: the picker asks for more by typing more of the number.</summary>
    public const int ReferenceSearchLimit = 10;

    /// <summary>
    /// License plates, work orders and batches whose number contains the text (any case), for the new-hold picker:
    /// a server-side search, so an organization with tens of thousands of plates finds each of them, and the
    /// token lets a newer keystroke cancel the older search.
    /// </summary>
    public async Task<IReadOnlyList<ResolvedReference>> SearchReferencesAsync(string? text, int limitPerKind = ReferenceSearchLimit, CancellationToken ct = default)
    {
        var term = text?.Trim().ToUpperInvariant() ?? "";
        if (term.Length is 0 or > 100 || term.Contains('\0')) return [];
        var take = Math.Clamp(limitPerKind, 1, 50);
        await using var db = factory.CreateDbContext();
        var plates = await db.Set<LicensePlate>().AsNoTracking()
            .Where(l => l.Number.Contains(term)).OrderBy(l => l.Number).Take(take)
            .Select(l => new { l.Id, l.Number, Part = l.Part!.Number, l.Quantity, l.Uom, Location = l.Location != null ? l.Location.Name : null, l.QaStatus })
            .ToListAsync(ct);
        var orders = await db.Set<WorkOrder>().AsNoTracking()
            .Where(w => w.Number.Contains(term)).OrderBy(w => w.Number).Take(take)
            .Select(w => new { w.Id, w.Number, Part = w.Part!.Number, w.Quantity, w.Status }).ToListAsync(ct);
        var batches = await db.Set<Batch>().AsNoTracking()
            .Where(b => b.Number.Contains(term)).OrderBy(b => b.Number).Take(take)
            .Select(b => new { b.Id, b.Number, Part = b.Part!.Number, b.Quantity, b.Uom }).ToListAsync(ct);
        return
        [
            .. plates.Select(p => new ResolvedReference(ReferenceTypes.LicensePlate, p.Id, p.Number,
                $"License plate · {p.Part} · {HoldValidation.Invariant(p.Quantity)} {p.Uom}{(p.Location is null ? "" : " · " + p.Location)} · QA {p.QaStatus}",
                p.Quantity, p.Uom, p.Location, p.QaStatus)),
            .. orders.Select(o => new ResolvedReference(ReferenceTypes.WorkOrder, o.Id, o.Number,
                $"Work order · {o.Part} · {o.Quantity} units · {o.Status}", null, null, null, null)),
            .. batches.Select(b => new ResolvedReference(ReferenceTypes.Batch, b.Id, b.Number,
                $"Batch · {b.Part} · {HoldValidation.Invariant(b.Quantity)} {b.Uom}", b.Quantity, b.Uom, null, null)),
        ];
    }
}
