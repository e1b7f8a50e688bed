using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;
using Operator.Infrastructure.Tenancy;
using static Operator.Features.Holds.HoldRows;

namespace Operator.Features.Holds;

/// <summary>
/// The commands of quality holds (shared/specs/quality-holds.md), for the API and the pages alike.
/// <list type="bullet">
/// <item>Create: the request rules of <see cref="HoldValidation"/>; each reference must exist in the caller's organization
/// (else 404 "License plate not found" / "Work order not found" / "Batch not found"); the number
/// <c>QH-YYYYMMDD-NNNN</c> (UTC day of held_at) comes from a per-organization, per-day counter drawn inside the
/// transaction; every license plate held gets <c>qa_status = hold</c>. Hold, items, plate changes and the audit
/// entries are one transaction: a failure leaves nothing behind.</item>
/// <item>Release (active only, else 409): QA_INSPECTOR may release only holds they created, QA_MANAGER and ADMIN any.
/// The disposition decides each held license plate's QA status: release → passed, rework → pending (it goes back
/// to await QA after rework/retest), scrap → scrap, return → rejected (it failed QA and goes back to the supplier).
/// A plate that another active hold still holds stays on hold.</item>
/// <item>Dispose (soft delete; QA_MANAGER and ADMIN; active or released, else 409): the hold is archived as
/// <c>disposed</c>. Disposing an active hold withdraws it: its plates return to the status they had before it
/// (or pending when that was another hold's "hold" that has since ended), unless another active hold still holds them.</item>
/// </list>
/// A plate's status is decided under its row lock (<see cref="HoldQueries"/>), taken before it or the other holds on it are
/// read, so a create and a release (or two releases) on one plate never decide from what the other has not committed.
/// Another organization's hold or reference is not found, exactly as if it did not exist.
/// Release and disposal are signed decisions (<see cref="SignatureService"/>): when the organization requires signatures
/// the request carries one, its password is checked before the transaction, and the signature is saved with the
/// decision, named by its audit entry.
/// </summary>
public sealed class HoldCommands(
    IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller, IHoldRaceProbe probe, SignatureService signatures)
{
    public const string CreateForbidden = "Insufficient permissions to create quality holds";
    public const string ReleaseForbidden = "Insufficient permissions to release quality holds";
    public const string ReleaseOwnOnly = "Insufficient permissions: a QA inspector may release only the quality holds they created";
    public const string DisposeForbidden = "Insufficient permissions to delete quality holds";

    // ---------------------------------------------------------------- permissions (for pages; the commands enforce them too)

    public bool CanCreate => Policies.Allows(Policies.HoldWrite, caller.Role);

    public bool CanRelease(HoldDto hold) =>
        hold.Status == HoldStatuses.Active && Policies.Allows(Policies.HoldWrite, caller.Role) && MayRelease(hold.CreatedBy);

    public bool CanDispose(HoldDto hold) => hold.Status != HoldStatuses.Disposed && Policies.Allows(Policies.QualityManage, caller.Role);

    /// <summary>The release rule beyond the role check: whose holds the caller may release (the one place it is written).</summary>
    private bool MayRelease(Guid createdBy) => Policies.Allows(Policies.ReleaseAnyHold, caller.Role) || createdBy == caller.UserId;

    // ---------------------------------------------------------------- create

    public async Task<Result<HoldResponse>> CreateAsync(CreateHoldRequest request, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.HoldWrite, caller.Role)) return Error.Forbidden(CreateForbidden);
        var valid = HoldValidation.Create(request);
        if (!valid.IsSuccess) return valid.Error!;

        await using var db = factory.CreateDbContext();
        var actor = await ActorAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await CreateInAsync(db, actor, valid.Value, time.GetUtcNow().UtcDateTime, ct);
        if (!created.IsSuccess) return created.Error!;
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The counter makes this unreachable; a unique index that still says no is answered, not thrown.
            return Error.Conflict("A quality hold with this number already exists; try again");
        }
        return created.Value;
    }

    /// <summary>
    /// Adds a hold to <paramref name="db"/> inside the caller's open transaction (not saved). Shared by
    /// <see cref="CreateAsync"/> and the demo seed.
    /// </summary>
    internal async Task<Result<HoldResponse>> CreateInAsync(OperatorDb db, HoldActor actor, ValidHold input, DateTime heldAt, CancellationToken ct)
    {
        var org = actor.OrganizationId;
        var lpIds = IdsOf(input, ReferenceTypes.LicensePlate);
        var woIds = IdsOf(input, ReferenceTypes.WorkOrder);
        var batchIds = IdsOf(input, ReferenceTypes.Batch);
        // Serials are named by number or id: found first (unlocked), then locked with the rest and kept as locked.
        var units = await HoldSerials.ResolveAsync(db, org, input.Items, ct);
        if (!units.IsSuccess) return units.Error!;
        // Before the plates' statuses are read: see HoldQueries.
        await HoldQueries.LockReferencesAsync(db, units.Value.Ids, lpIds, woIds, batchIds, ct);

        // By id, then kept only when they are the organization's: an id is unique, and SQLite without statistics (a new database before its first analysis) would
        // otherwise read the references through the organization index, i.e. all of the organization's plates.
        var plates = lpIds.Count == 0 ? [] : (await db.Set<LicensePlate>().IgnoreQueryFilters().Where(l => lpIds.Contains(l.Id)).Include(l => l.Location).ToListAsync(ct))
            .Where(l => l.OrganizationId == org).ToDictionary(l => l.Id);
        var orders = woIds.Count == 0 ? [] : (await db.Set<WorkOrder>().IgnoreQueryFilters().Where(w => woIds.Contains(w.Id)).AsNoTracking().Select(w => new { w.Id, w.OrganizationId, w.Number }).ToListAsync(ct))
            .Where(w => w.OrganizationId == org).ToDictionary(w => w.Id, w => w.Number);
        var batches = batchIds.Count == 0 ? [] : (await db.Set<Batch>().IgnoreQueryFilters().Where(b => batchIds.Contains(b.Id)).AsNoTracking().Select(b => new { b.Id, b.OrganizationId, b.Number }).ToListAsync(ct))
            .Where(b => b.OrganizationId == org).ToDictionary(b => b.Id, b => b.Number);

        foreach (var item in input.Items)
        {
            var found = item.ReferenceType switch
            {
                ReferenceTypes.LicensePlate => plates.ContainsKey(item.ReferenceId),
                ReferenceTypes.WorkOrder => orders.ContainsKey(item.ReferenceId),
                ReferenceTypes.Serial => true,
                _ => batches.ContainsKey(item.ReferenceId),
            };
            if (!found)
            {
                return item.ReferenceType switch
                {
                    ReferenceTypes.LicensePlate => Error.NotFound("License plate not found", "LicensePlate", item.ReferenceId.ToString()),
                    ReferenceTypes.WorkOrder => Error.NotFound("Work order not found", "WorkOrder", item.ReferenceId.ToString()),
                    _ => Error.NotFound("Batch not found", "Batch", item.ReferenceId.ToString()),
                };
            }
        }

        var day = heldAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var sequence = await db.NextAsync(org, $"hold:{day}", 1, ct);
        var hold = new QualityHold
        {
            Id = Guid.NewGuid(),
            OrganizationId = org,
            HoldNumber = $"QH-{day}-{sequence:D4}",
            Status = HoldStatuses.Active,
            Priority = input.Priority,
            PriorityRank = HoldPriorities.Rank(input.Priority),
            HoldType = input.HoldType,
            Reason = input.Reason,
            ItemsCount = input.Items.Count,
            HeldById = actor.UserId,
            HeldAt = heldAt,
            CreatedById = actor.UserId,
            CreatedAt = heldAt,
            UpdatedById = actor.UserId,
            UpdatedAt = heldAt,
        };

        var lpUpdates = new List<LpUpdateDto>();
        foreach (var item in input.Items)
        {
            var row = new QualityHoldItem
            {
                Id = Guid.NewGuid(), OrganizationId = org, HoldId = hold.Id, Sequence = item.Index,
                ReferenceType = item.ReferenceType, ReferenceId = units.Value.IdOf(item), ReferenceDisplay = "",
                QuantityHeld = item.QuantityHeld, Uom = item.Uom, Notes = item.Notes,
            };
            switch (item.ReferenceType)
            {
                case ReferenceTypes.LicensePlate:
                    var plate = plates[item.ReferenceId];
                    row.ReferenceDisplay = plate.Number;
                    row.LocationId = plate.LocationId;
                    row.LocationName = plate.Location?.Name;
                    row.QaStatusBefore = plate.QaStatus;
                    lpUpdates.Add(new LpUpdateDto(plate.Id, plate.Number, plate.QaStatus, QaStatuses.Hold));
                    plate.QaStatus = QaStatuses.Hold;
                    break;
                case ReferenceTypes.WorkOrder:
                    row.ReferenceDisplay = orders[item.ReferenceId];
                    break;
                case ReferenceTypes.Serial:
                    row.ReferenceDisplay = units.Value.NumberOf(item);
                    break;
                default:
                    row.ReferenceDisplay = batches[item.ReferenceId];
                    break;
            }
            hold.Items.Add(row);
        }
        db.Add(hold);
        await HoldTallies.MoveAsync(db, hold, null, HoldStatuses.Active, ct);

        var response = new HoldResponse(ToDto(hold, actor, null), hold.Items.Select(ToDto).ToList(), lpUpdates);
        await audit.AppendAsync(db, HoldAudit.ActionCreated, HoldAudit.EntityType, hold.Id.ToString(), before: null, after: new
        {
            hold_number = hold.HoldNumber,
            status = hold.Status,
            priority = hold.Priority,
            hold_type = hold.HoldType,
            reason = hold.Reason,
            items = response.Items.Select(i => new { i.ReferenceType, i.ReferenceId, i.ReferenceDisplay, i.QuantityHeld, i.Uom }),
            lp_updates = lpUpdates,
        }, organizationId: org, ct: ct);
        await AuditPlatesAsync(db, org, hold.HoldNumber, lpUpdates, ct);
        return response;
    }

    // ---------------------------------------------------------------- release

    public Task<Result<HoldResponse>> ReleaseAsync(Guid id, ReleaseHoldRequest request, CancellationToken ct = default) =>
        ReleaseAsync(id.ToString(), request, ct);

    /// <summary>The API's release: an id that is no UUID names no hold (after the permission and the body are checked, as for any id).</summary>
    public async Task<Result<HoldResponse>> ReleaseAsync(string id, ReleaseHoldRequest request, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.HoldWrite, caller.Role)) return Error.Forbidden(ReleaseForbidden);
        var valid = HoldValidation.Release(request);
        if (!valid.IsSuccess) return valid.Error!;
        var perItem = HoldValidation.ItemDispositions(request);
        if (!perItem.IsSuccess) return perItem.Error!;
        if (!Guid.TryParse(id, out var holdId)) return NotFound(id);
        // Before the transaction: the password check may count a failed access, which SQLite could not write beside it.
        var signer = await signatures.AuthenticateAsync(request.Signature, rejection: false, HoldValidation.InvalidData, ct);
        if (!signer.IsSuccess) return signer.Error!;

        await using var db = factory.CreateDbContext();
        var actor = await ActorAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hold = await db.Set<QualityHold>().Include(h => h.Items).SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null) return NotFound(id);
        if (!MayRelease(hold.CreatedById)) return Error.Forbidden(ReleaseOwnOnly);

        var released = await ReleaseInAsync(db, actor, hold, valid.Value.Disposition, valid.Value.ReleaseNotes, Now(), ct, perItem.Value, signer.Value);
        if (!released.IsSuccess) return released.Error!;
        return await CommitChangeAsync(db, tx, released.Value, ct);
    }

    internal async Task<Result<HoldResponse>> ReleaseInAsync(OperatorDb db, HoldActor actor, QualityHold hold, string disposition, string? notes, DateTime now, CancellationToken ct,
        IReadOnlyDictionary<Guid, string>? perItem = null, Signer? signer = null)
    {
        if (hold.Status == HoldStatuses.Released) return Error.Conflict("Quality hold is already released");
        if (hold.Status == HoldStatuses.Disposed) return Error.Conflict("Quality hold is disposed and can no longer be released");
        if (HoldItemDispositions.Unknown(hold, perItem) is { } unknown) return unknown;

        string DispositionOf(QualityHoldItem item) => perItem?.GetValueOrDefault(item.Id) ?? disposition;
        var lpUpdates = await SetPlateStatusesAsync(db, actor.OrganizationId, hold, item => HoldItemDispositions.QaStatus(DispositionOf(item)), ct);
        foreach (var item in hold.Items) item.Disposition = DispositionOf(item);

        await HoldTallies.MoveAsync(db, hold, hold.Status, HoldStatuses.Released, ct);
        hold.Status = HoldStatuses.Released;
        hold.Disposition = disposition;
        hold.ReleaseNotes = notes;
        hold.ReleasedById = actor.UserId;
        hold.ReleasedAt = now;
        Touch(hold, actor, now);
        var signature = Sign(db, signer, hold, HoldAudit.ActionReleased, now);

        await audit.AppendAsync(db, HoldAudit.ActionReleased, HoldAudit.EntityType, hold.Id.ToString(),
            before: new { status = HoldStatuses.Active },
            after: HoldItemDispositions.Differing(hold) is { } differing
                ? new { hold_number = hold.HoldNumber, status = hold.Status, disposition, release_notes = notes, lp_updates = lpUpdates, item_dispositions = differing, signature_id = signature?.Id }
                : (object)new { hold_number = hold.HoldNumber, status = hold.Status, disposition, release_notes = notes, lp_updates = lpUpdates, signature_id = signature?.Id },
            organizationId: actor.OrganizationId, ct: ct);
        await AuditPlatesAsync(db, actor.OrganizationId, hold.HoldNumber, lpUpdates, ct);

        var releasedBy = new HoldUserDto(actor.UserId, actor.Name, actor.Email);
        var heldBy = await UserAsync(db, hold.HeldById, ct);
        return new HoldResponse(ToDto(hold, heldBy, releasedBy), hold.Items.OrderBy(i => i.Sequence).Select(ToDto).ToList(), lpUpdates,
            HoldItemDispositions.Differing(hold));
    }

    // ---------------------------------------------------------------- dispose (DELETE)

    public Task<Result<Unit>> DisposeAsync(Guid id, DisposeHoldRequest request, CancellationToken ct = default) => DisposeAsync(id.ToString(), request, ct);

    /// <summary>The API's disposal: an id that is no UUID names no hold.</summary>
    public async Task<Result<Unit>> DisposeAsync(string id, DisposeHoldRequest request, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.QualityManage, caller.Role)) return Error.Forbidden(DisposeForbidden);
        if (!Guid.TryParse(id, out var holdId)) return NotFound(id);
        var signer = await signatures.AuthenticateAsync(request.Signature, rejection: false, HoldValidation.InvalidData, ct);
        if (!signer.IsSuccess) return signer.Error!;

        await using var db = factory.CreateDbContext();
        var actor = await ActorAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hold = await db.Set<QualityHold>().Include(h => h.Items).SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null) return NotFound(id);
        var disposed = await DisposeInAsync(db, actor, hold, Now(), ct, signer.Value);
        if (!disposed.IsSuccess) return disposed.Error!;
        return await CommitChangeAsync(db, tx, Unit.Value, ct);
    }

    internal async Task<Result<IReadOnlyList<LpUpdateDto>>> DisposeInAsync(OperatorDb db, HoldActor actor, QualityHold hold, DateTime now, CancellationToken ct,
        Signer? signer = null)
    {
        if (hold.Status == HoldStatuses.Disposed) return Error.Conflict("Quality hold is already disposed");
        var before = hold.Status;
        // Withdrawing an active hold gives its plates back the status they had before it; a released hold's plates
        // already carry its disposition and are left alone.
        IReadOnlyList<LpUpdateDto> lpUpdates = before == HoldStatuses.Active
            ? await SetPlateStatusesAsync(db, actor.OrganizationId, hold, item => item.QaStatusBefore is null or QaStatuses.Hold ? QaStatuses.Pending : item.QaStatusBefore, ct)
            : [];

        await HoldTallies.MoveAsync(db, hold, before, HoldStatuses.Disposed, ct);
        hold.Status = HoldStatuses.Disposed;
        hold.DisposedById = actor.UserId;
        hold.DisposedAt = now;
        Touch(hold, actor, now);
        var signature = Sign(db, signer, hold, HoldAudit.ActionDisposed, now);

        await audit.AppendAsync(db, HoldAudit.ActionDisposed, HoldAudit.EntityType, hold.Id.ToString(),
            before: new { status = before },
            after: new { hold_number = hold.HoldNumber, status = hold.Status, lp_updates = lpUpdates, signature_id = signature?.Id },
            organizationId: actor.OrganizationId, ct: ct);
        await AuditPlatesAsync(db, actor.OrganizationId, hold.HoldNumber, lpUpdates, ct);
        return Result<IReadOnlyList<LpUpdateDto>>.Ok(lpUpdates);
    }

    // ---------------------------------------------------------------- shared steps

    /// <summary>The decision's time, to the microsecond both providers keep, so a signature's hash recomputes from the stored hold.</summary>
    private DateTime Now() => ElectronicSignature.Truncate(time.GetUtcNow().UtcDateTime);

    private ElectronicSignature? Sign(OperatorDb db, Signer? signer, QualityHold hold, string action, DateTime now) =>
        signer is null ? null : signatures.Record(db, signer, HoldAudit.EntityType, hold.Id.ToString(), action, HoldSignatures.Content(hold, action), now);

    private static List<Guid> IdsOf(ValidHold input, string type) =>
        input.Items.Where(i => i.ReferenceType == type).Select(i => i.ReferenceId).Distinct().ToList();

    private async Task<HoldActor> ActorAsync(OperatorDb db, CancellationToken ct)
    {
        var org = db.TenantId ?? throw new InvalidOperationException("A hold operation needs a signed-in user of an organization.");
        var userId = caller.UserId ?? throw new InvalidOperationException("A hold operation needs a signed-in user.");
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(ct);
        return new HoldActor(org, userId, user?.DisplayName ?? caller.DisplayName ?? "", user?.Email ?? caller.Email ?? "");
    }

    /// <summary>
    /// Sets the QA status of every license plate of the hold to <paramref name="target"/>'s answer, except plates another
    /// active hold still holds, which stay on hold. Records the outcome on the item and returns the changes. The plates
    /// are locked first, so the other holds and the plates' statuses are read as committed by whoever held them before.
    /// </summary>
    private async Task<List<LpUpdateDto>> SetPlateStatusesAsync(OperatorDb db, Guid org, QualityHold hold, Func<QualityHoldItem, string> target, CancellationToken ct)
    {
        var items = hold.Items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate).OrderBy(i => i.Sequence).ToList();
        if (items.Count == 0) return [];
        var ids = items.Select(i => i.ReferenceId).ToList();
        await HoldQueries.LockPlatesAsync(db, ids, ct);
        var stillHeld = await Rows<QualityHoldItem>(db, org)
            .Where(i => i.ReferenceType == ReferenceTypes.LicensePlate && ids.Contains(i.ReferenceId) && i.HoldId != hold.Id)
            .Join(Rows<QualityHold>(db, org).Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id, (i, h) => i.ReferenceId)
            .Distinct().ToListAsync(ct);
        await probe.ReachedAsync(HoldRacePoint.PlatesChecked, hold.Id, ct);
        var plates = (await db.Set<LicensePlate>().IgnoreQueryFilters().Where(l => ids.Contains(l.Id)).ToListAsync(ct)).Where(l => l.OrganizationId == org).ToDictionary(l => l.Id);

        var updates = new List<LpUpdateDto>();
        foreach (var item in items)
        {
            if (!plates.TryGetValue(item.ReferenceId, out var plate)) continue;
            var next = stillHeld.Contains(plate.Id) ? QaStatuses.Hold : target(item);
            updates.Add(new LpUpdateDto(plate.Id, plate.Number, plate.QaStatus, next));
            plate.QaStatus = next;
            item.QaStatusAfter = next;
        }
        return updates;
    }

    private async Task AuditPlatesAsync(OperatorDb db, Guid org, string holdNumber, IEnumerable<LpUpdateDto> updates, CancellationToken ct)
    {
        foreach (var u in updates.Where(u => u.PreviousStatus != u.NewStatus))
        {
            await audit.AppendAsync(db, HoldAudit.ActionLpStatus, "license_plate", u.LpId.ToString(),
                before: new { qa_status = u.PreviousStatus }, after: new { qa_status = u.NewStatus, hold_number = holdNumber }, organizationId: org, ct: ct);
        }
    }

    private static void Touch(QualityHold hold, HoldActor actor, DateTime now)
    {
        hold.UpdatedById = actor.UserId;
        hold.UpdatedAt = now;
        hold.Version++;
    }

    private static async Task<Result<T>> CommitChangeAsync<T>(OperatorDb db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, T value, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return value;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another release or disposal of the same hold committed first.
            return Error.Conflict("Quality hold was changed at the same time by someone else; reload it and try again");
        }
    }
}
