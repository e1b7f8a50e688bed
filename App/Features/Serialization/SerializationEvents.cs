using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serialization;

/// <summary>
/// Told by master data while it creates a work order, inside the creation's transaction. Defined here so master data
/// needs no knowledge of triggers; registered by <see cref="SerializationFeature"/>.
/// </summary>
public interface IWorkOrderEvents
{
    /// <summary>Adds what follows the new work order to <paramref name="db"/>, before its SaveChanges, so it commits with it.</summary>
    Task WorkOrderCreatedAsync(OperatorDb db, WorkOrderDto order, CancellationToken ct = default);
}

/// <summary>
/// The app's own events that fire serialization triggers: a work order was created (WORK_ORDER_CREATE, context
/// <c>{workOrderId, workOrderNumber, partId, quantity}</c>) and an operation was completed at the station
/// (OPERATION_COMPLETE, context <c>{serialId, serialNumber, workOrderId, workOrderNumber, partId, operationCode}</c>;
/// QUALITY_CHECKPOINT, same context, when the step is a quality checkpoint; BATCH_COMPLETION when the last open unit
/// of a work order or batch completes).
/// The events are written to the outbox in the change's transaction (<see cref="TriggerOutbox"/>) and fired after the
/// commit by the outbox dispatcher, so a crash cannot lose them and the station never waits for a batch trigger. A
/// trigger that cannot fire (a format with no numbers left, say) is retried and then listed as failed for admins; it
/// never fails the work order or the move.
/// </summary>
public sealed class SerializationEvents(TriggerService triggers, IDbContextFactory<OperatorDb> factory, TimeProvider time, ILogger<SerializationEvents> log)
    : IWorkOrderEvents, ISerialStepEvents
{
    public async Task WorkOrderCreatedAsync(OperatorDb db, WorkOrderDto order, CancellationToken ct = default) =>
        await TriggerOutbox.AddAsync(db, order.PartId, TriggerTypes.WorkOrderCreate, TriggerOutbox.WorkOrderContext(order), $"work order {order.Number}",
            time.GetUtcNow().UtcDateTime, ct);

    /// <summary>
    /// The station (or the serials API) moves a serial past a step, in the move's transaction: its OPERATION_COMPLETE
    /// event, QUALITY_CHECKPOINT when the path marks the step as a quality checkpoint (same context), and
    /// BATCH_COMPLETION when the move completed the last open unit of its work order or batch.
    /// </summary>
    public async Task StepCompletedAsync(OperatorDb db, SerialStepCompleted step, CancellationToken ct = default)
    {
        var serial = await db.Set<Serial>().AsNoTracking().Where(s => s.Id == step.SerialId)
            .Select(s => new
            {
                s.Id, s.SerialNumber, s.PartId, s.WorkOrderId, WorkOrderNumber = s.WorkOrder != null ? s.WorkOrder.Number : null,
                s.BatchId, BatchNumber = s.Batch != null ? s.Batch.Number : null,
            })
            .SingleAsync(ct);
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["serialId"] = serial.Id.ToString(),
            ["serialNumber"] = serial.SerialNumber,
            ["partId"] = serial.PartId.ToString(),
            ["operationCode"] = step.OperationCode,
        };
        if (serial.WorkOrderId is { } wo)
        {
            context["workOrderId"] = wo.ToString();
            context["workOrderNumber"] = serial.WorkOrderNumber ?? "";
        }
        var now = time.GetUtcNow().UtcDateTime;
        await TriggerOutbox.AddAsync(db, serial.PartId, TriggerTypes.OperationComplete, context,
            $"operation {step.OperationCode} of serial {serial.SerialNumber}", now, ct);
        if (step.StepId is { } stepId && await db.Set<ProcessStep>().AnyAsync(s => s.Id == stepId && s.IsQualityCheckpoint, ct))
        {
            await TriggerOutbox.AddAsync(db, serial.PartId, TriggerTypes.QualityCheckpoint, context,
                $"quality checkpoint {step.OperationCode} of serial {serial.SerialNumber}", now, ct);
        }
        if (step.SerialCompleted)
        {
            await GroupCompletedAsync(db, serial.PartId, serial.WorkOrderId, serial.WorkOrderNumber, serial.BatchId, serial.BatchNumber, now, ct);
        }
    }

    /// <summary>
    /// BATCH_COMPLETION when no unit of the serial's work order (or batch) is left in progress. Context: the id and
    /// number of the work order and/or batch that just finished, the part, and quantity = its completed units.
    /// </summary>
    private static async Task GroupCompletedAsync(OperatorDb db, Guid partId, Guid? workOrderId, string? workOrderNumber, Guid? batchId, string? batchNumber,
        DateTime now, CancellationToken ct)
    {
        if (workOrderId is null && batchId is null) return;
        // Most parts have no such trigger: then the counts below are not worth running.
        if (!await db.Set<SerialTrigger>().AnyAsync(t => t.PartId == partId && t.TriggerType == TriggerTypes.BatchCompletion && t.IsActive, ct)) return;
        // The move's audit entry already holds the organization's audit-chain lock until commit, so completions pass
        // here one at a time and each sees the ones committed before it: exactly one finds nothing left open.
        var units = db.Set<Serial>().AsNoTracking();
        var orderDone = workOrderId is { } wo && !await units.AnyAsync(s => s.WorkOrderId == wo && s.Status == SerialStatus.InProgress, ct);
        var batchDone = batchId is { } b && !await units.AnyAsync(s => s.BatchId == b && s.Status == SerialStatus.InProgress, ct);
        if (!orderDone && !batchDone) return;

        var context = new Dictionary<string, string>(StringComparer.Ordinal) { ["partId"] = partId.ToString() };
        if (orderDone)
        {
            context["workOrderId"] = workOrderId!.Value.ToString();
            context["workOrderNumber"] = workOrderNumber ?? "";
        }
        if (batchDone)
        {
            context["batchId"] = batchId!.Value.ToString();
            context["batchNumber"] = batchNumber ?? "";
        }
        var completed = orderDone
            ? await units.CountAsync(s => s.WorkOrderId == workOrderId && s.Status == SerialStatus.Completed, ct)
            : await units.CountAsync(s => s.BatchId == batchId && s.Status == SerialStatus.Completed, ct);
        context["quantity"] = completed.ToString(CultureInfo.InvariantCulture);
        var subject = orderDone ? $"work order {workOrderNumber} completed" : $"batch {batchNumber} completed";
        await TriggerOutbox.AddAsync(db, partId, TriggerTypes.BatchCompletion, context, subject, now, ct);
    }

    /// <summary>
    /// The station completed <paramref name="operationCode"/> (the step's code, e.g. OP-020) on a serial. Fires the
    /// part's OPERATION_COMPLETE triggers for that operation now, in a transaction of its own (the station's moves go
    /// through the outbox instead: <see cref="StepCompletedAsync"/>).
    /// </summary>
    public async Task<Result<TriggerFiringDto?>> OperationCompletedAsync(Guid serialId, string operationCode, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var serial = await db.Set<Serial>().AsNoTracking().Where(s => s.Id == serialId)
            .Select(s => new
            {
                s.Id, s.SerialNumber, s.PartId, s.WorkOrderId, WorkOrderNumber = s.WorkOrder != null ? s.WorkOrder.Number : null,
                Armed = db.Set<SerialTrigger>().Any(t => t.PartId == s.PartId && t.TriggerType == TriggerTypes.OperationComplete && t.IsActive),
            })
            .SingleOrDefaultAsync(ct);
        if (serial is null) return WorkflowErrors.NotFound("Serial", serialId.ToString());
        // Every advance at the station comes through here: without an active trigger there is nothing to open a write
        // transaction for.
        if (!serial.Armed) return Result<TriggerFiringDto?>.Ok(null);
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["serialId"] = serial.Id.ToString(),
            ["serialNumber"] = serial.SerialNumber,
            ["partId"] = serial.PartId.ToString(),
            ["operationCode"] = operationCode,
        };
        if (serial.WorkOrderId is { } wo)
        {
            context["workOrderId"] = wo.ToString();
            context["workOrderNumber"] = serial.WorkOrderNumber ?? "";
        }
        return await FireSafelyAsync(serial.PartId, TriggerTypes.OperationComplete, context, $"operation {operationCode} of serial {serial.SerialNumber}", ct);
    }

    /// <summary>An operation completed for a whole work order (no single serial): fires like <see cref="OperationCompletedAsync"/>.</summary>
    public async Task<Result<TriggerFiringDto?>> OperationCompletedForWorkOrderAsync(Guid workOrderId, string operationCode, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var order = await db.Set<WorkOrder>().AsNoTracking().Where(w => w.Id == workOrderId).Select(w => new { w.Id, w.Number, w.PartId }).SingleOrDefaultAsync(ct);
        if (order is null) return WorkflowErrors.NotFound("WorkOrder", workOrderId.ToString());
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["workOrderId"] = order.Id.ToString(),
            ["workOrderNumber"] = order.Number,
            ["partId"] = order.PartId.ToString(),
            ["operationCode"] = operationCode,
        };
        return await FireSafelyAsync(order.PartId, TriggerTypes.OperationComplete, context, $"operation {operationCode} of work order {order.Number}", ct);
    }

    private async Task<Result<TriggerFiringDto?>> FireSafelyAsync(Guid partId, string type, IReadOnlyDictionary<string, string> context, string what, CancellationToken ct)
    {
        try
        {
            var fired = await triggers.FireEventAsync(partId, type, context, ct);
            if (!fired.IsSuccess)
            {
                log.LogWarning("{TriggerType} triggers for {What} did not fire: {Reason}", type, what, WorkflowErrors.ForPeople(fired.Error!));
            }
            else if (fired.Value is { } firing)
            {
                log.LogInformation("{TriggerType} for {What} fired {Triggers} trigger(s): {Serials} serial(s), {Placeholders} placeholder(s)",
                    type, what, firing.FiredTriggerIds.Count, firing.SerialNumbers.Count, firing.PlaceholderIds.Count);
            }
            return fired;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The work order or step is committed; a broken trigger must not turn its success into an error.
            log.LogError(e, "{TriggerType} triggers for {What} failed", type, what);
            return new Error(ErrorKind.Other, "The serialization triggers of this event failed", []) { Status = 500 };
        }
    }
}
