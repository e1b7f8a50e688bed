using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serials;

/// <summary>
/// Station work on one serial: certificates attached at its current step (shared/specs/cert-attachment.md), advance,
/// complete and scrap, for the API, the station and the pages alike.
/// <list type="bullet">
/// <item>A serial is addressed by its serial number (<c>SN-00001</c> or a signed public code, matched as given or in
/// upper case) or by its UUID. Another organization's serial is not found, exactly as if it did not exist.</item>
/// <item>Attach: the step is resolved here from the serial's current step index and its path's steps; the caller cannot
/// choose it. Checks in this order: the serial (404 <c>SerialNumber not found: {id}</c>), its path (404
/// <c>Path not found: {pathId}</c>), completed (400 <c>Serial is already completed, cannot attach cert</c>), cancelled (400),
/// the certificate (UUID or number; 404 <c>Certificate not found: {certId}</c>), then <c>userId</c>, which must be an
/// active user of the caller's organization (400). Scrapped serials keep their step and still accept attachments.
/// The same certificate at the same step is the existing record again (no new row, no second audit entry), also
/// under a race: the unique index (serial, certificate, step) decides and the loser answers with the winner's record.
/// Attaching is not refused by a quality hold: recording a certificate does not move material.</item>
/// <item>Advance (to the next step) and complete (at the last step) only for <c>in_progress</c> serials, and never
/// while an active quality hold names the serial, its work order or its batch (409 naming the holds). Each records step
/// events (completed for the step left, started for the next) in the step history.</item>
/// <item>Scrap (with a reason) an <c>in_progress</c> serial: status <c>scrapped</c>, the step index is kept. Holds do
/// not refuse scrapping: taking a held unit out of production is one way a hold ends.</item>
/// <item>Each write reads what it depends on (the unit's step and status, the blocking holds) inside its transaction,
/// after locking the unit (<see cref="SerialQueries"/>), so a concurrent move, attachment or hold is either seen or
/// waits for this write to commit.</item>
/// </list>
/// Batch create is <see cref="SerialBatchService"/>, the list <see cref="SerialListService"/>, one unit's view
/// <see cref="SerialDetailService"/>.
/// </summary>
public sealed class SerialService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller,
    IEnumerable<ISerialStepEvents> stepEvents, SerialUnitRead units, ISerialGuardProbe probe)
{
    public const string CompletedMessage = "Serial is already completed, cannot attach cert";
    public const string CancelledMessage = "Serial is cancelled, cannot attach cert";
    public const string StationForbidden = "Insufficient permissions: station work (attach certificates, advance, complete, scrap, create serials) needs the OPERATOR role or higher";

    public static Error SerialNotFound(string? id) => Error.NotFound($"SerialNumber not found: {id}", "Serial", id);
    public static Error PathNotFound(Guid pathId) => Error.NotFound($"Path not found: {pathId}", "ProcessPath", pathId.ToString());
    public static Error CertificateNotFound(string? certId) => Error.NotFound($"Certificate not found: {certId}", "Certificate", certId);

    /// <summary>For pages: whether the caller may do station work (the service checks it again).</summary>
    public bool CanWork => Policies.Allows(Policies.StationWork, caller.Role);

    // ---------------------------------------------------------------- attach

    public async Task<Result<AttachOutcome>> AttachAsync(string serialId, AttachCertRequest request, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        if (request.Check() is { } invalid) return invalid;
        var certId = request.CertId!.Trim();
        var userId = request.UserId!.Value;
        await using var db = factory.CreateDbContext();
        // The step is read under the unit's lock, in the transaction that records the attachment: a concurrent move
        // either committed before (the new step is read) or waits until this attachment has committed.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var serial = await SerialLookup.LockedAsync(db, serialId, ct);
        if (serial is null) return SerialNotFound(serialId);
        if (serial.PathId is not { } pathId)
        {
            return Error.Validation("id", $"Serial {serial.SerialNumber} is not on a process path, so there is no step to attach a certificate at");
        }
        if (serial.PathCode is not { } pathCode) return PathNotFound(pathId);
        if (serial.IsCompleted) return Error.Validation(CompletedMessage, new FieldIssue("id", CompletedMessage));
        if (serial.Status == SerialStatus.Cancelled) return Error.Validation(CancelledMessage, new FieldIssue("id", CancelledMessage));
        if (serial.StepId is not { } stepId)
        {
            return Error.Conflict($"Serial {serial.SerialNumber} is at step index {serial.CurrentStepIndex}, which path {pathCode} does not have");
        }
        var stepName = serial.StepName!;
        var cert = await CertificateService.FindAsync(db, certId, ct);
        if (cert is null) return CertificateNotFound(certId);
        var org = db.TenantId;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && (Guid?)u.OrganizationId == org).Select(u => new { u.IsActive }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return Error.Validation("userId", $"userId {userId} is not a user of your organization");
        }
        if (!user.IsActive)
        {
            return Error.Validation("userId", $"userId {userId} belongs to a deactivated user, who cannot attach certificates");
        }

        CertAttachmentDto Dto(CertAttachment a) => new(a.Id, serial.SerialNumber, a.CertificateId, a.StepId, a.AttachedAt, a.AttachedBy);
        AttachOutcome Outcome(CertAttachment a, bool created) => new(Dto(a), created, serial.SerialNumber, cert.Number, stepName);

        await probe.GuardReadAsync("attach", serial.Id, ct);
        var existing = await ExistingAttachmentAsync(db, serial.Id, cert.Id, stepId, ct);
        if (existing is not null) return Outcome(existing, false);

        var attachment = new CertAttachment
        {
            Id = Guid.NewGuid(), SerialId = serial.Id, CertificateId = cert.Id, StepId = stepId, AttachedBy = userId,
            AttachedAt = SerialLookup.Truncate(time.GetUtcNow().UtcDateTime),
        };
        try
        {
            db.Add(attachment);
            await audit.AppendAsync(db, SerialAudit.CertAttached, SerialAudit.SerialEntity, serial.Id.ToString(),
                after: SerialAudit.AttachedPayload(attachment.Id, userId, serial.Id, serial.SerialNumber, cert.Id, cert.Number, serial.WorkOrderId,
                    serial.WorkOrderNumber, pathId, pathCode, stepId, serial.CurrentStepIndex, stepName, attachment.AttachedAt, caller.UserId, caller.Email),
                ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Outcome(attachment, true);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // A concurrent identical request won the unique index; its record is the answer and its audit entry the only one.
            await using var fresh = factory.CreateDbContext();
            var winner = await ExistingAttachmentAsync(fresh, serial.Id, cert.Id, stepId, ct);
            if (winner is null) throw;
            return Outcome(winner, false);
        }
    }

    private static Task<CertAttachment?> ExistingAttachmentAsync(OperatorDb db, Guid serialId, Guid certId, Guid stepId, CancellationToken ct) =>
        db.Set<CertAttachment>().AsNoTracking().Where(a => a.SerialId == serialId && a.CertificateId == certId && a.StepId == stepId).SingleOrDefaultAsync(ct);

    // ---------------------------------------------------------------- advance, complete, scrap

    /// <summary>Moves an in-progress serial to the next step. <see cref="AdvanceSerialRequest.ExpectedStepId"/>: refuse if it has moved on meanwhile (a double tap).</summary>
    public async Task<Result<SerialDetailDto>> AdvanceAsync(string id, AdvanceSerialRequest request, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        var expectedStepId = request.ExpectedStepId;
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var serial = await SerialLookup.LockedAsync(db, id, ct);
        if (serial is null) return SerialNotFound(id);
        var steps = await MovableStepsAsync(db, serial, "advance", ct);
        if (!steps.IsSuccess) return steps.Error!;
        var index = serial.CurrentStepIndex;
        var current = steps.Value[index];
        if (expectedStepId is { } expected && expected != current.Id) return AlreadyMoved(serial, steps.Value, expected, current);
        if (index == steps.Value.Count - 1)
        {
            return Error.Conflict($"{serial.SerialNumber} is at its last step ({current.Name}): complete it instead of advancing");
        }
        if (await BlockedAsync(db, serial, "advance", ct) is { } blocked) return blocked;
        await probe.GuardReadAsync("advance", serial.Id, ct);

        var next = steps.Value[index + 1];
        var now = SerialLookup.Truncate(time.GetUtcNow().UtcDateTime);
        var changed = await db.Set<Serial>().Where(s => s.Id == serial.Id && s.Status == SerialStatus.InProgress && s.CurrentStepIndex == index)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.CurrentStepIndex, index + 1).SetProperty(s => s.UpdatedAt, now), ct);
        if (changed == 0) return await LostMoveAsync(db, serial, steps.Value, expectedStepId, ct);
        db.AddRange(Event(serial.Id, current, StepEvents.Completed, now), Event(serial.Id, next, StepEvents.Started, now));
        await audit.AppendAsync(db, SerialAudit.Advanced, SerialAudit.SerialEntity, serial.Id.ToString(),
            before: new { currentStepIndex = index }, after: SerialAudit.AdvancedPayload(caller.UserId, index, current.Name, index + 1, next.Name), ct: ct);
        await StepCompletedAsync(db, serial.Id, current, false, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await DetailAsync(db, serial.Id, ct))!;
    }

    /// <summary>Completes an in-progress serial at its last step: status completed, current step index -1.</summary>
    public Task<Result<SerialDetailDto>> CompleteAsync(string id, CancellationToken ct = default) => CompleteAsync(id, null, ct);

    /// <summary>As <see cref="CompleteAsync(string, CancellationToken)"/>; <paramref name="expectedStepId"/>: refuse if the serial is no longer at that step.</summary>
    public async Task<Result<SerialDetailDto>> CompleteAsync(string id, Guid? expectedStepId, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var serial = await SerialLookup.LockedAsync(db, id, ct);
        if (serial is null) return SerialNotFound(id);
        var steps = await MovableStepsAsync(db, serial, "complete", ct);
        if (!steps.IsSuccess) return steps.Error!;
        var index = serial.CurrentStepIndex;
        var current = steps.Value[index];
        if (expectedStepId is { } expected && expected != current.Id) return AlreadyMoved(serial, steps.Value, expected, current);
        if (index != steps.Value.Count - 1)
        {
            return Error.Conflict($"{serial.SerialNumber} is at {current.Name} (step {index + 1} of {steps.Value.Count}): advance it to the last step before completing");
        }
        if (await BlockedAsync(db, serial, "complete", ct) is { } blocked) return blocked;
        await probe.GuardReadAsync("complete", serial.Id, ct);

        var now = SerialLookup.Truncate(time.GetUtcNow().UtcDateTime);
        var changed = await db.Set<Serial>().Where(s => s.Id == serial.Id && s.Status == SerialStatus.InProgress && s.CurrentStepIndex == index)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SerialStatus.Completed)
                .SetProperty(s => s.CurrentStepIndex, Serial.CompletedStepIndex)
                .SetProperty(s => s.CompletedAt, now)
                .SetProperty(s => s.UpdatedAt, now), ct);
        if (changed == 0) return await LostMoveAsync(db, serial, steps.Value, expectedStepId, ct);
        db.Add(Event(serial.Id, current, StepEvents.Completed, now));
        await audit.AppendAsync(db, SerialAudit.Completed, SerialAudit.SerialEntity, serial.Id.ToString(),
            before: new { status = serial.Status, currentStepIndex = index }, after: SerialAudit.CompletedPayload(caller.UserId, index, current.Name, now), ct: ct);
        await StepCompletedAsync(db, serial.Id, current, true, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await DetailAsync(db, serial.Id, ct))!;
    }

    /// <summary>
    /// Scraps an in-progress serial. It keeps its current step index, so certificates can still be attached (the spec's
    /// unusual workflow). The reason is free text, a code of the organization's scrap reason list, or both: the code must
    /// be active, and a code that requires text (OTHER) needs the text too. The unit keeps the text (null when only a code
    /// was named) and the code; people read both as one line (<see cref="SerialAudit.ScrapNote"/>).
    /// </summary>
    public async Task<Result<SerialDetailDto>> ScrapAsync(string id, ScrapSerialRequest request, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        var issues = new List<FieldIssue>();
        var code = SerialRules.ScrapRequest(request.Reason, request.ReasonCode, issues);
        if (SerialRules.Failure(issues) is { } invalid) return invalid;
        var text = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        await using var db = factory.CreateDbContext();
        // The code is read in the scrap's transaction: a code an administrator deactivates meanwhile is either seen
        // inactive here or was still active when the unit was scrapped.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        ScrapReasonCode? reasonCode = null;
        if (code is not null)
        {
            reasonCode = await db.Set<ScrapReasonCode>().AsNoTracking().SingleOrDefaultAsync(c => c.Code == code, ct);
            if (reasonCode is null) return Error.Validation("reasonCode", $"reasonCode {code} is not a scrap reason of this organization");
            if (!reasonCode.Active) return Error.Validation("reasonCode", $"reasonCode {code} ({reasonCode.Label}) is no longer in use");
            if (SerialRules.ScrapCodeNeedsText(reasonCode.Code, reasonCode.Label, reasonCode.RequiresText, text) is { } needsText)
            {
                return Error.Validation(needsText.Field, needsText.Message);
            }
        }
        var serial = await SerialLookup.FindAsync(db, id, ct);
        if (serial is null) return SerialNotFound(id);
        if (serial.Status != SerialStatus.InProgress) return NotInProgress(serial, "scrap");

        var step = serial.StepId is { } stepId ? new StepRef(stepId, serial.CurrentStepIndex, serial.StepName!) : null;
        var now = SerialLookup.Truncate(time.GetUtcNow().UtcDateTime);
        var changed = await db.Set<Serial>().Where(s => s.Id == serial.Id && s.Status == SerialStatus.InProgress)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SerialStatus.Scrapped)
                .SetProperty(s => s.ScrapReason, text)
                .SetProperty(s => s.ScrapReasonCode, reasonCode == null ? null : reasonCode.Code)
                .SetProperty(s => s.ScrappedAt, now)
                .SetProperty(s => s.UpdatedAt, now), ct);
        if (changed == 0) return ChangedMeanwhile(serial);
        db.Add(Event(serial.Id, step ?? new StepRef(null, serial.CurrentStepIndex, ""), StepEvents.Scrapped, now,
            SerialAudit.ScrapNote(reasonCode?.Code, reasonCode?.Label, text)));
        var after = reasonCode is null
            ? SerialAudit.ScrappedPayload(caller.UserId, serial.CurrentStepIndex, step?.Name, text!, now)
            : SerialAudit.ScrappedPayload(caller.UserId, serial.CurrentStepIndex, step?.Name, text, now, reasonCode.Code, reasonCode.Label);
        await audit.AppendAsync(db, SerialAudit.Scrapped, SerialAudit.SerialEntity, serial.Id.ToString(), before: new { status = serial.Status }, after: after, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await DetailAsync(db, serial.Id, ct))!;
    }

    /// <summary>The path's steps of a serial that may move: in progress, on an existing path, at a step the path has.</summary>
    private static async Task<Result<IReadOnlyList<StepRef>>> MovableStepsAsync(OperatorDb db, SerialRef serial, string verb, CancellationToken ct)
    {
        if (serial.Status != SerialStatus.InProgress) return NotInProgress(serial, verb);
        if (serial.PathId is not { } pathId)
        {
            return Error.Conflict($"{serial.SerialNumber} is not on a process path, so it has no steps to {verb}");
        }
        var steps = await db.Set<ProcessStep>().AsNoTracking().Where(s => s.PathId == pathId).OrderBy(s => s.Sequence)
            .Select(s => new StepRef(s.Id, s.Sequence, s.Name, s.Code)).ToListAsync(ct);
        if (steps.Count == 0 && !await db.Set<ProcessPath>().AnyAsync(p => p.Id == pathId, ct)) return PathNotFound(pathId);
        if (serial.CurrentStepIndex < 0 || serial.CurrentStepIndex >= steps.Count)
        {
            return Error.Conflict($"{serial.SerialNumber} is at step index {serial.CurrentStepIndex}, which its path does not have");
        }
        return steps;
    }

    private static Error NotInProgress(SerialRef serial, string verb) => serial.Status switch
    {
        SerialStatus.Completed => Error.Conflict($"{serial.SerialNumber} is already completed and cannot {verb}"),
        SerialStatus.Scrapped => Error.Conflict(verb == "scrap" ? $"{serial.SerialNumber} is already scrapped" : $"{serial.SerialNumber} is scrapped and cannot {verb}"),
        SerialStatus.Cancelled => Error.Conflict($"{serial.SerialNumber} is cancelled and cannot {verb}"),
        _ => Error.Conflict($"{serial.SerialNumber} is {serial.Status} and cannot {verb}"),
    };

    /// <summary>
    /// The caller saw the serial at <paramref name="expected"/>, but it has moved on since: a second tap on the same
    /// button, or another station. Nothing is written; the words say it was already done, not that something failed.
    /// </summary>
    private static Error AlreadyMoved(SerialRef serial, IReadOnlyList<StepRef> steps, Guid expected, StepRef current)
    {
        var seen = steps.FirstOrDefault(s => s.Id == expected)?.Name;
        var from = seen is null ? "the step you saw" : seen;
        return Error.Conflict($"{serial.SerialNumber} was already moved: it is no longer at {from} but at {current.Name} (step {current.Sequence + 1} of {steps.Count}). Nothing new was recorded.");
    }

    /// <summary>
    /// The guarded update changed no row: another move committed between our read and our write (inside this
    /// transaction). With an expected step that is a double tap, answered as already moved; otherwise the generic conflict.
    /// </summary>
    private static async Task<Error> LostMoveAsync(OperatorDb db, SerialRef serial, IReadOnlyList<StepRef> steps, Guid? expectedStepId, CancellationToken ct)
    {
        if (expectedStepId is not { } expected) return ChangedMeanwhile(serial);
        var now = await db.Set<Serial>().AsNoTracking().Where(s => s.Id == serial.Id).Select(s => new { s.Status, s.CurrentStepIndex }).FirstOrDefaultAsync(ct);
        if (now is null) return ChangedMeanwhile(serial);
        if (now.Status == SerialStatus.Completed)
        {
            return Error.Conflict($"{serial.SerialNumber} was already completed. Nothing new was recorded.");
        }
        if (now.Status == SerialStatus.InProgress && now.CurrentStepIndex >= 0 && now.CurrentStepIndex < steps.Count)
        {
            return AlreadyMoved(serial, steps, expected, steps[now.CurrentStepIndex]);
        }
        return ChangedMeanwhile(serial);
    }

    private static Error ChangedMeanwhile(SerialRef serial) =>
        Error.Conflict($"{serial.SerialNumber} was changed at the same time by someone else; scan it again and retry");

    /// <summary>
    /// Tells the listeners (serialization's OPERATION_COMPLETE, QUALITY_CHECKPOINT and BATCH_COMPLETION triggers) that the serial finished the operation of
    /// <paramref name="step"/> (its step code, e.g. OP-020), inside the move's transaction: what they add (an outbox
    /// event) commits with the move and is carried out after it, never inside the request.
    /// </summary>
    private async Task StepCompletedAsync(OperatorDb db, Guid serialId, StepRef step, bool serialCompleted, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(step.Code)) return;
        foreach (var listener in stepEvents) await listener.StepCompletedAsync(db, new SerialStepCompleted(serialId, step.Id, step.Code, serialCompleted), ct);
    }

    /// <summary>
    /// 409 naming every active hold on the serial itself, its work order or its batch, read in the move's transaction after locking
    /// the rows a hold would name (<see cref="SerialQueries.LockHoldTargetsAsync"/>), so a hold committed before the read
    /// blocks the move and one created meanwhile commits after it.
    /// </summary>
    private static async Task<Error?> BlockedAsync(OperatorDb db, SerialRef serial, string verb, CancellationToken ct)
    {
        await SerialQueries.LockHoldTargetsAsync(db, serial.WorkOrderId, serial.BatchId, ct);
        // The unit's own holds too: the unit is already locked for update (LockedAsync), as a hold create naming it locks it.
        var blocking = await BlockingHolds.GetBlockingHoldsAsync(db, serial.Id, serial.WorkOrderId, serial.BatchId, ct);
        return blocking.Count == 0 ? null : BlockingHolds.Refusal(serial.SerialNumber, verb, blocking);
    }

    /// <summary>A step history entry by the caller.</summary>
    private SerialStepEvent Event(Guid serialId, StepRef step, string kind, DateTime at, string? note = null) => new()
    {
        Id = Guid.NewGuid(), SerialId = serialId, StepId = step.Id, StepIndex = step.Sequence, StepName = step.Name, Event = kind,
        UserId = caller.UserId, At = at, Note = note,
    };

    private Task<SerialDetailDto?> DetailAsync(OperatorDb db, Guid id, CancellationToken ct) =>
        units.ReadAsync(db, SerialUnitRead.Form.Id, "", "", id, ct);
}
