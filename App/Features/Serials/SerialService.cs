using System.Text.Json;
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
/// Serials moving along their process path, and certificates attached at the current step
/// (shared/specs/cert-attachment.md), for the API, the station and the pages alike.
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
/// while an active quality hold names the serial's work order or batch (409 naming the holds). Each records step
/// events (completed for the step left, started for the next) in the step history.</item>
/// <item>Scrap (with a reason) an <c>in_progress</c> serial: status <c>scrapped</c>, the step index is kept. Holds do
/// not refuse scrapping: taking a held unit out of production is one way a hold ends.</item>
/// <item>Batch create: N serials of a work order at the first step of its path, numbered by <see cref="SerialNumbering"/>,
/// optionally each with a certificate attached at that step, in one transaction.</item>
/// </list>
/// </summary>
public sealed class SerialService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller,
    HoldService holds, SerialNumbering numbering, IEnumerable<ISerialStepEvents> stepEvents, SerialUnitRead units)
{
    public const string CompletedMessage = "Serial is already completed, cannot attach cert";
    public const string CancelledMessage = "Serial is cancelled, cannot attach cert";
    public const string StationForbidden = "Insufficient permissions: station work (attach certificates, advance, complete, scrap, create serials) needs the OPERATOR role or higher";

    public static Error SerialNotFound(string? id) => Error.NotFound($"SerialNumber not found: {id}", "Serial", id);
    public static Error PathNotFound(Guid pathId) => Error.NotFound($"Path not found: {pathId}", "ProcessPath", pathId.ToString());
    public static Error CertificateNotFound(string? certId) => Error.NotFound($"Certificate not found: {certId}", "Certificate", certId);

    /// <summary>For pages: whether the caller may do station work (the service checks it again).</summary>
    public bool CanWork => Policies.Allows(Policies.StationWork, caller.Role);

    // ---------------------------------------------------------------- read

    public async Task<Result<Page<SerialSummaryDto>>> ListAsync(SerialListQuery query, CancellationToken ct = default)
    {
        var paging = new ListQuery(query.Search, query.Limit, query.Offset);
        var issues = paging.Validate()?.Issues.ToList() ?? [];
        Guid? partId = null, workOrderId = null;
        if (!string.IsNullOrWhiteSpace(query.PartId))
        {
            if (Guid.TryParse(query.PartId.Trim(), out var p)) partId = p;
            else issues.Add(new FieldIssue("partId", "partId must be a part id (UUID)"));
        }
        if (!string.IsNullOrWhiteSpace(query.WorkOrderId))
        {
            if (Guid.TryParse(query.WorkOrderId.Trim(), out var w)) workOrderId = w;
            else issues.Add(new FieldIssue("workOrderId", "workOrderId must be a work order id (UUID)"));
        }
        if (query.Search is { } text && text.Any(char.IsControl)) issues.Add(new FieldIssue("search", "search must not contain control characters"));
        var status = string.IsNullOrWhiteSpace(query.Status) ? null : query.Status.Trim();
        if (status is not null && !SerialStatus.All.Contains(status))
        {
            issues.Add(new FieldIssue("status", $"status must be one of {string.Join(", ", SerialStatus.All)}"));
        }
        if (issues.Count > 0)
        {
            return Error.Validation(string.Join("; ", issues.Select(i => i.Message)), issues);
        }

        await using var db = factory.CreateDbContext();
        var rows = db.Set<Serial>().AsNoTracking();
        if (partId is { } pid) rows = rows.Where(s => s.PartId == pid);
        if (workOrderId is { } wid) rows = rows.Where(s => s.WorkOrderId == wid);
        if (status is not null) rows = rows.Where(s => s.Status == status);
        if (paging.Term is { } term)
        {
            // Case-insensitive and literal on both providers (lower() and instr/strpos, no LIKE wildcards).
            var lower = term.ToLowerInvariant();
            rows = rows.Where(s => s.SerialNumber.ToLower().Contains(lower));
        }
        var steps = db.Set<ProcessStep>();
        return await rows.OrderBy(s => s.SerialNumber).ThenBy(s => s.Id)
            .Select(s => new SerialSummaryDto(s.Id, s.SerialNumber, s.Status, s.PartId, s.Part!.Number, s.Part.Name, s.WorkOrderId,
                s.WorkOrder != null ? s.WorkOrder.Number : null, s.PathId, s.Path != null ? s.Path.Code : null, s.CurrentStepIndex,
                steps.Count(st => st.PathId == s.PathId),
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Name).FirstOrDefault(),
                s.CreatedAt, s.CompletedAt))
            .ToPageAsync(paging, ct);
    }

    /// <summary>The unit as the station and the serial page show it: path progress, certificates per step, blocking holds, history.</summary>
    public async Task<Result<SerialDetailDto>> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var detail = Addressing(id) is { } by ? await units.ReadAsync(db, by.Form, by.Term, by.Upper, by.Uuid, ct) : null;
        return detail is null ? SerialNotFound(id) : detail;
    }

    // ---------------------------------------------------------------- attach

    public async Task<Result<AttachOutcome>> AttachAsync(string serialId, JsonElement body, CancellationToken ct = default)
    {
        var input = SerialRequests.Attach(body);
        if (!input.IsSuccess) return input.Error!;
        return await AttachAsync(serialId, input.Value.CertId, input.Value.UserId, ct);
    }

    public async Task<Result<AttachOutcome>> AttachAsync(string serialId, string certId, Guid userId, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        await using var db = factory.CreateDbContext();
        var serial = await FindAsync(db, serialId, ct);
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

        var existing = await ExistingAttachmentAsync(db, serial.Id, cert.Id, stepId, ct);
        if (existing is not null) return Outcome(existing, false);

        var attachment = new CertAttachment
        {
            Id = Guid.NewGuid(), SerialId = serial.Id, CertificateId = cert.Id, StepId = stepId, AttachedBy = userId,
            AttachedAt = Truncate(time.GetUtcNow().UtcDateTime),
        };
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
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

    public async Task<Result<SerialDetailDto>> AdvanceAsync(string id, JsonElement? body, CancellationToken ct = default)
    {
        var input = SerialRequests.Advance(body);
        if (!input.IsSuccess) return input.Error!;
        return await AdvanceAsync(id, input.Value, ct);
    }

    /// <summary>Moves an in-progress serial to the next step. <paramref name="expectedStepId"/>: refuse if it has moved on meanwhile (a double tap).</summary>
    public async Task<Result<SerialDetailDto>> AdvanceAsync(string id, Guid? expectedStepId, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        await using var db = factory.CreateDbContext();
        var serial = await FindAsync(db, id, ct);
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
        if (await BlockedAsync(serial, "advance", ct) is { } blocked) return blocked;

        var next = steps.Value[index + 1];
        var now = Truncate(time.GetUtcNow().UtcDateTime);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Set<Serial>().Where(s => s.Id == serial.Id && s.Status == SerialStatus.InProgress && s.CurrentStepIndex == index)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.CurrentStepIndex, index + 1).SetProperty(s => s.UpdatedAt, now), ct);
        if (changed == 0) return await LostMoveAsync(db, serial, steps.Value, expectedStepId, ct);
        db.AddRange(Event(serial.Id, current, StepEvents.Completed, now), Event(serial.Id, next, StepEvents.Started, now));
        await audit.AppendAsync(db, SerialAudit.Advanced, SerialAudit.SerialEntity, serial.Id.ToString(),
            before: new { currentStepIndex = index }, after: SerialAudit.AdvancedPayload(caller.UserId, index, current.Name, index + 1, next.Name), ct: ct);
        await StepCompletedAsync(db, serial.Id, current, ct);
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
        var serial = await FindAsync(db, id, ct);
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
        if (await BlockedAsync(serial, "complete", ct) is { } blocked) return blocked;

        var now = Truncate(time.GetUtcNow().UtcDateTime);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
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
        await StepCompletedAsync(db, serial.Id, current, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await DetailAsync(db, serial.Id, ct))!;
    }

    public async Task<Result<SerialDetailDto>> ScrapAsync(string id, JsonElement body, CancellationToken ct = default)
    {
        var reason = SerialRequests.Scrap(body);
        if (!reason.IsSuccess) return reason.Error!;
        return await ScrapAsync(id, reason.Value, ct);
    }

    /// <summary>Scraps an in-progress serial. It keeps its current step index, so certificates can still be attached (the spec's unusual workflow).</summary>
    public async Task<Result<SerialDetailDto>> ScrapAsync(string id, string? reason, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        var valid = SerialRequests.ScrapReason(reason);
        if (!valid.IsSuccess) return valid.Error!;
        await using var db = factory.CreateDbContext();
        var serial = await FindAsync(db, id, ct);
        if (serial is null) return SerialNotFound(id);
        if (serial.Status != SerialStatus.InProgress) return NotInProgress(serial, "scrap");

        var step = serial.StepId is { } stepId ? new StepRef(stepId, serial.CurrentStepIndex, serial.StepName!) : null;
        var now = Truncate(time.GetUtcNow().UtcDateTime);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Set<Serial>().Where(s => s.Id == serial.Id && s.Status == SerialStatus.InProgress)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SerialStatus.Scrapped)
                .SetProperty(s => s.ScrapReason, valid.Value)
                .SetProperty(s => s.ScrappedAt, now)
                .SetProperty(s => s.UpdatedAt, now), ct);
        if (changed == 0) return ChangedMeanwhile(serial);
        db.Add(Event(serial.Id, step ?? new StepRef(null, serial.CurrentStepIndex, ""), StepEvents.Scrapped, now, valid.Value));
        await audit.AppendAsync(db, SerialAudit.Scrapped, SerialAudit.SerialEntity, serial.Id.ToString(),
            before: new { status = serial.Status }, after: SerialAudit.ScrappedPayload(caller.UserId, serial.CurrentStepIndex, step?.Name, valid.Value, now), ct: ct);
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
    /// Tells the listeners (serialization's OPERATION_COMPLETE triggers) that the serial finished the operation of
    /// <paramref name="step"/> (its step code, e.g. OP-020), inside the move's transaction: what they add (an outbox
    /// event) commits with the move and is carried out after it, never inside the request.
    /// </summary>
    private async Task StepCompletedAsync(OperatorDb db, Guid serialId, StepRef step, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(step.Code)) return;
        foreach (var listener in stepEvents) await listener.StepCompletedAsync(db, serialId, step.Code, ct);
    }

    /// <summary>409 naming every active hold on the serial's work order or batch.</summary>
    private async Task<Error?> BlockedAsync(SerialRef serial, string verb, CancellationToken ct)
    {
        var blocking = await holds.GetBlockingHoldsAsync(serial.WorkOrderId, serial.BatchId, ct);
        if (blocking.Count == 0) return null;
        var list = string.Join(", ", blocking.Select(h => $"{h.HoldNumber} ({HoldTypes.Label(h.HoldType).ToLowerInvariant()} on {h.ReferenceDisplay})"));
        var noun = blocking.Count == 1 ? "quality hold" : "quality holds";
        return Error.Conflict($"{serial.SerialNumber} cannot {verb}: blocked by {noun} {list}. It may move again once released.");
    }

    /// <summary>A step history entry by the caller.</summary>
    private SerialStepEvent Event(Guid serialId, StepRef step, string kind, DateTime at, string? note = null) => new()
    {
        Id = Guid.NewGuid(), SerialId = serialId, StepId = step.Id, StepIndex = step.Sequence, StepName = step.Name, Event = kind,
        UserId = caller.UserId, At = at, Note = note,
    };

    // ---------------------------------------------------------------- batch create

    public async Task<Result<BatchCreateSerialsResponse>> BatchCreateAsync(JsonElement body, CancellationToken ct = default)
    {
        var input = SerialRequests.Batch(body);
        if (!input.IsSuccess) return input.Error!;
        return await BatchCreateAsync(input.Value.WorkOrder, input.Value.Quantity, input.Value.CertId, ct);
    }

    /// <summary>
    /// Creates <paramref name="quantity"/> serials of the work order at the first step of its path, each with
    /// <paramref name="certId"/> attached at that step when given, and their "started" step events, in one transaction:
    /// all or nothing. The audit trail gets one <c>serials_created</c> entry (count, first and last number, certificate)
    /// and, with a certificate, one <c>cert_attached</c> entry that summarizes the attachments (count, first and last
    /// serial, certificate, work order, path, step, user), both on the work order; 10,000 entries for 10,000 units
    /// would say nothing more. A work order's quantity is a plan, not a cap: overruns are allowed. The rows are written
    /// by <see cref="BulkInsert"/> (10,000 serials with a certificate: 30,000 rows) in the same transaction as the audit entries.
    /// </summary>
    public async Task<Result<BatchCreateSerialsResponse>> BatchCreateAsync(string workOrderId, int quantity, string? certId, CancellationToken ct = default)
    {
        if (!CanWork) return Error.Forbidden(StationForbidden);
        if (quantity is < 1 or > SerialRequests.MaxBatchQuantity)
        {
            return Error.Validation("quantity", $"quantity must be from 1 to {SerialRequests.MaxBatchQuantity:N0}, got {quantity}");
        }
        await using var db = factory.CreateDbContext();
        var reference = workOrderId.Trim();
        var byId = Guid.TryParse(reference, out var woGuid);
        var upper = reference.ToUpperInvariant();
        var order = await db.Set<WorkOrder>().AsNoTracking()
            .Where(w => byId ? w.Id == woGuid : w.Number == reference || w.Number == upper)
            .Select(w => new { w.Id, w.Number, w.Status, w.PathId, PathCode = w.Path!.Code, w.Part })
            .FirstOrDefaultAsync(ct);
        if (order is null) return Error.NotFound($"Work order not found: {workOrderId}", "WorkOrder", workOrderId);
        if (order.Status == WorkOrderStatus.Closed) return Error.Conflict($"Work order {order.Number} is closed: no new serials can be created for it");
        var first = await db.Set<ProcessStep>().AsNoTracking().Where(s => s.PathId == order.PathId).OrderBy(s => s.Sequence)
            .Select(s => new StepRef(s.Id, s.Sequence, s.Name)).FirstOrDefaultAsync(ct);
        if (first is null) return Error.Conflict($"Path {order.PathCode} of work order {order.Number} has no steps");
        CertificateRef? cert = null;
        if (certId is not null)
        {
            cert = await CertificateService.FindAsync(db, certId, ct);
            if (cert is null) return CertificateNotFound(certId);
        }
        var part = order.Part!;
        var userId = caller.UserId ?? throw new InvalidOperationException("Creating serials needs a signed-in user.");
        var now = Truncate(time.GetUtcNow().UtcDateTime);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var numbers = await numbering.NextAsync(db, part, quantity, ct);
        if (!numbers.IsSuccess) return numbers.Error!;

        var org = db.TenantId!.Value;
        var serials = new List<Serial>(quantity);
        var events = new List<SerialStepEvent>(quantity);
        var attachments = new List<CertAttachment>(cert is null ? 0 : quantity);
        // Time-ordered ids (UUID version 7): each of the three tables keeps its rows in B-trees keyed by id (and events
        // and attachments by serial id), so random ids would scatter 10,000 inserts across indexes of millions of
        // entries; ordered ones land together at the right edge.
        foreach (var number in numbers.Value)
        {
            var serial = new Serial
            {
                Id = Guid.CreateVersion7(), OrganizationId = org, SerialNumber = number, PartId = part.Id, WorkOrderId = order.Id, PathId = order.PathId,
                CurrentStepIndex = first.Sequence, Status = SerialStatus.InProgress, Origin = SerialOrigins.AutoJob, CreatedBy = userId, CreatedAt = now, UpdatedAt = now,
            };
            serials.Add(serial);
            events.Add(new SerialStepEvent
            {
                Id = Guid.CreateVersion7(), OrganizationId = org, SerialId = serial.Id, StepId = first.Id, StepIndex = first.Sequence, StepName = first.Name,
                Event = StepEvents.Started, UserId = userId, At = now,
            });
            if (cert is not null)
            {
                attachments.Add(new CertAttachment
                {
                    Id = Guid.CreateVersion7(), OrganizationId = org, SerialId = serial.Id, CertificateId = cert.Id, StepId = first.Id!.Value, AttachedBy = userId, AttachedAt = now,
                });
            }
        }
        // Up to 30,000 rows: written by the model-driven bulk path in this transaction (SaveChanges is several times too slow).
        await BulkInsert.WriteAsync(db, serials, ct);
        await BulkInsert.WriteAsync(db, events, ct);
        await BulkInsert.WriteAsync(db, attachments, ct);

        var firstNumber = serials[0].SerialNumber;
        var lastNumber = serials[^1].SerialNumber;
        await audit.AppendAsync(db, SerialAudit.SerialsCreated, SerialAudit.WorkOrderEntity, order.Id.ToString(), after: new
        {
            userId, workOrderId = order.Id, workOrderNumber = order.Number, partId = part.Id, partNumber = part.Number, pathId = order.PathId,
            pathCode = order.PathCode, stepId = first.Id, stepName = first.Name, count = quantity, firstSerialNumber = firstNumber,
            lastSerialNumber = lastNumber, certificateId = cert?.Id, certificateNumber = cert?.Number,
        }, ct: ct);
        if (cert is not null)
        {
            await audit.AppendAsync(db, SerialAudit.CertAttached, SerialAudit.WorkOrderEntity, order.Id.ToString(), after: new
            {
                userId, count = quantity, firstSerialNumber = firstNumber, lastSerialNumber = lastNumber, certificateId = cert.Id,
                certificateNumber = cert.Number, workOrderId = order.Id, workOrderNumber = order.Number, pathId = order.PathId, pathCode = order.PathCode,
                stepId = first.Id, stepIndex = first.Sequence, stepName = first.Name, attachedAt = now, recordedBy = caller.UserId, recordedByEmail = caller.Email,
            }, ct: ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        return new BatchCreateSerialsResponse(order.Id, order.Number, part.Id, part.Number, order.PathId, order.PathCode, first.Id!.Value, first.Name, quantity,
            firstNumber, lastNumber, cert?.Id, cert?.Number, serials.Select(s => new CreatedSerialDto(s.Id, s.SerialNumber)).ToList());
    }

    // ---------------------------------------------------------------- lookups

    /// <summary>A serial as the write operations need it, with its path and current step resolved in the same query.</summary>
    internal sealed record SerialRef(Guid Id, string SerialNumber, string Status, int CurrentStepIndex, Guid PartId, Guid? WorkOrderId, string? WorkOrderNumber,
        Guid? BatchId, Guid? PathId, string? PathCode, Guid? StepId, string? StepName)
    {
        public bool IsCompleted => Status == SerialStatus.Completed || CurrentStepIndex == Serial.CompletedStepIndex;
    }

    internal sealed record StepRef(Guid? Id, int Sequence, string Name, string? Code = null);

    /// <summary>
    /// The serials of the caller's organization that <paramref name="id"/> names, best first: by UUID, or by serial
    /// number as given or in upper case (public codes are normalized that way). Numbers are not unique until the
    /// uniqueness feature resolves a conflict, so the UUID wins, then a live unit over a cancelled one, then the exact
    /// spelling, then the oldest. Null when the text cannot be a serial: nothing that long or with control characters
    /// is one (and PostgreSQL refuses NUL in text). One indexed query whatever the form. The unit view's read
    /// (<see cref="SerialUnitRead"/>) states the same rule in SQL: change both together.
    /// </summary>
    private static IQueryable<Serial>? Matching(OperatorDb db, string? id)
    {
        var term = id?.Trim() ?? "";
        if (term.Length is 0 or > 100 || term.Any(char.IsControl)) return null;
        var upper = term.ToUpperInvariant();
        var serials = db.Set<Serial>().AsNoTracking();
        var matching = Guid.TryParse(term, out var uuid)
            ? serials.Where(s => s.Id == uuid || s.SerialNumber == term || s.SerialNumber == upper)
            : upper == term ? serials.Where(s => s.SerialNumber == term) : serials.Where(s => s.SerialNumber == term || s.SerialNumber == upper);
        return matching.OrderBy(s => s.Id == uuid ? 0 : 1).ThenBy(s => s.Status == SerialStatus.Cancelled ? 1 : 0)
            .ThenBy(s => s.SerialNumber == term ? 0 : 1).ThenBy(s => s.CreatedAt);
    }

    /// <summary>
    /// <see cref="Matching"/>'s rule for the unit view's read (<see cref="SerialUnitRead"/>): which form the text has, the
    /// text trimmed, in upper case and as a UUID (empty when it is not one). Null when the text cannot be a serial.
    /// </summary>
    private static (SerialUnitRead.Form Form, string Term, string Upper, Guid Uuid)? Addressing(string? id)
    {
        var term = id?.Trim() ?? "";
        if (term.Length is 0 or > 100 || term.Any(char.IsControl)) return null;
        var upper = term.ToUpperInvariant();
        var form = Guid.TryParse(term, out var uuid) ? SerialUnitRead.Form.IdOrNumber
            : upper == term ? SerialUnitRead.Form.Number : SerialUnitRead.Form.NumberOrUpper;
        return (form, term, upper, uuid);
    }

    internal static async Task<SerialRef?> FindAsync(OperatorDb db, string? id, CancellationToken ct)
    {
        if (Matching(db, id) is not { } matching) return null;
        var steps = db.Set<ProcessStep>();
        return await matching.Select(s => new SerialRef(
                s.Id, s.SerialNumber, s.Status, s.CurrentStepIndex, s.PartId, s.WorkOrderId, s.WorkOrder != null ? s.WorkOrder.Number : null, s.BatchId, s.PathId,
                s.Path != null ? s.Path.Code : null,
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => (Guid?)st.Id).FirstOrDefault(),
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Name).FirstOrDefault()))
            .FirstOrDefaultAsync(ct);
    }

    private Task<SerialDetailDto?> DetailAsync(OperatorDb db, Guid id, CancellationToken ct) =>
        units.ReadAsync(db, SerialUnitRead.Form.Id, "", "", id, ct);

    /// <summary>Microsecond precision survives both providers, so a stored time reads back exactly as answered.</summary>
    internal static DateTime Truncate(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
}
