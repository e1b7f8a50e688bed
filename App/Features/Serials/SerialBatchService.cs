using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serials;

/// <summary>Batch create (<c>POST /api/serials/batch</c>, the batch page): N serials of a work order at the first step of its path.</summary>
public sealed class SerialBatchService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller, SerialNumbering numbering)
{
    /// <summary>
    /// Creates <paramref name="quantity"/> serials of the work order at the first step of its path, each with
    /// <paramref name="certId"/> attached at that step when given, and their "started" step events, in one transaction:
    /// all or nothing. The audit trail gets one <c>serials_created</c> entry (count, first and last number, certificate)
    /// and, with a certificate, one <c>cert_attached</c> entry that summarizes the attachments (count, first and last
    /// serial, certificate, work order, path, step, user), both on the work order; 10,000 entries for 10,000 units
    /// would say nothing more. A work order's quantity is a plan, not a cap: overruns are allowed. The rows are written
    /// by <see cref="BulkInsert"/> (10,000 serials with a certificate: 30,000 rows) in the same transaction as the audit entries.
    /// </summary>
    public async Task<Result<BatchCreateSerialsResponse>> BatchCreateAsync(BatchCreateSerialsRequest request, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.StationWork, caller.Role)) return Error.Forbidden(SerialService.StationForbidden);
        if (request.Check() is { } invalid) return invalid;
        var workOrderId = request.WorkOrderId!.Trim();
        var quantity = request.Quantity!.Value;
        var certId = request.CertId?.Trim();
        await using var db = factory.CreateDbContext();
        var reference = workOrderId;
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
            if (cert is null) return SerialService.CertificateNotFound(certId);
        }
        var part = order.Part!;
        var userId = caller.UserId ?? throw new InvalidOperationException("Creating serials needs a signed-in user.");
        var now = SerialLookup.Truncate(time.GetUtcNow().UtcDateTime);

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
        await SerialDayTallies.AddAsync(db, serials, ct);
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
}
