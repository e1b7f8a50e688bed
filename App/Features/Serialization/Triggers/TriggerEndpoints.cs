using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using static Operator.Features.Serialization.WorkflowEndpoints;

namespace Operator.Features.Serialization;

/// <summary>Spec section 6: trigger configuration. Thin adapters over <see cref="TriggerService"/>.</summary>
public static class TriggerEndpoints
{
    public static RouteGroupBuilder MapTriggerEndpoints(this RouteGroupBuilder group)
    {
        var triggers = group.MapGroup("/triggers").WithTags("Serialization: triggers");

        triggers.MapPost("", (JsonBody<CreateTriggerRequest> body, TriggerService s, CancellationToken ct) => s.CreateAsync(body.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201)
            .WithName("CreateSerialTrigger")
            .WithSummary("Create a trigger: when an event of a part serializes it, and how.")
            .WithDescription("""
                ADMIN. triggerType: MATERIAL_RECEIPT, WORK_ORDER_CREATE, OPERATION_COMPLETE, MANUAL, BATCH_COMPLETION,
                QUALITY_CHECKPOINT. assignmentType: SYSTEM_GENERATED
                (generate from formatConfigId, or the default numbering), VENDOR or LATE_ASSIGNMENT (create PENDING placeholders).
                operationCode: for OPERATION_COMPLETE and QUALITY_CHECKPOINT the operation that fires it (none = any), and the
                placeholders' operation. The app fires WORK_ORDER_CREATE when a work order is created, OPERATION_COMPLETE (with
                the step's code) when a serial leaves a step or completes its last one at the station or through /api/serials,
                QUALITY_CHECKPOINT (same context) when that step is marked as a quality checkpoint on its path, and
                BATCH_COMPLETION (context workOrderId/workOrderNumber and/or batchId/batchNumber of what finished, partId,
                quantity = its completed units) when the last unit in progress of a work order or batch completes.
                conditions: flat object; every key must equal the event context's value (compared as text). isConditional defaults
                to whether conditions are given; true needs at least one condition. batchMode/batchSize (1-10,000): units per
                firing. isActive defaults to true. The answer is the whole trigger (the spec's fields first).
                """)
            .DocumentBody<CreateTriggerRequest>()
            .Produces<WorkflowEnvelope<TriggerDto>>(201).ProducesWorkflowErrors(400, 401, 403, 404);

        triggers.MapPatch("/{triggerId}", (string triggerId, JsonBody<UpdateTriggerRequest> body, TriggerService s, CancellationToken ct) => s.UpdateAsync(triggerId, body.Value, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("UpdateSerialTrigger")
            .WithSummary("Update a trigger: the fields present change; null clears formatConfigId, operationCode, conditions, batchSize.")
            .WithDescription("ADMIN. partId cannot change (400). The answer is the whole trigger, including id, isActive, batchSize and updatedAt.")
            .DocumentBody<UpdateTriggerRequest>()
            .Produces<WorkflowEnvelope<TriggerDto>>().ProducesWorkflowErrors(400, 401, 403, 404);

        triggers.MapGet("/part/{partId}", (string partId, [AsParameters] PageQueryString query, HttpContext http, TriggerService s) =>
                s.ListAsync(partId, query.Value, http.RequestAborted).AsArray(http))
            .WithName("ListSerialTriggersForPart")
            .WithSummary("Triggers of a part, oldest first; paged, total in X-Total-Count.")
            .Produces<WorkflowEnvelope<IReadOnlyList<TriggerDto>>>().ProducesWorkflowErrors(400, 401, 404);

        triggers.MapGet("/statistics/{partId}", (string partId, TriggerService s, CancellationToken ct) => s.StatisticsAsync(partId, ct))
            .WithName("SerialTriggerStatistics")
            .WithSummary("Trigger statistics of a part: counts by type and assignment (every type listed), conditional, batch, firings.")
            .Produces<WorkflowEnvelope<TriggerStatisticsDto>>().ProducesWorkflowErrors(401, 404);

        triggers.MapGet("/{triggerId}", (string triggerId, TriggerService s, CancellationToken ct) => s.GetAsync(triggerId, ct))
            .WithName("GetSerialTrigger")
            .WithSummary("One trigger.")
            .Produces<WorkflowEnvelope<TriggerDto>>().ProducesWorkflowErrors(401, 404);

        triggers.MapPost("/{triggerId}/enable", (string triggerId, JsonBody<EnableTriggerRequest> body, TriggerService s, CancellationToken ct) => s.EnableAsync(triggerId, body.Value, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("EnableSerialTrigger")
            .WithSummary("Enable a trigger (an enabled one stays as it is). Body optional: {enabledBy}.")
            .DocumentBody<EnableTriggerRequest>()
            .Produces<WorkflowEnvelope<TriggerEnabledDto>>().ProducesWorkflowErrors(400, 401, 403, 404);

        triggers.MapPost("/{triggerId}/disable", (string triggerId, JsonBody<DisableTriggerRequest> body, TriggerService s, CancellationToken ct) => s.DisableAsync(triggerId, body.Value, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("DisableSerialTrigger")
            .WithSummary("Disable a trigger (a disabled one stays as it is). Body optional: {disabledBy}.")
            .DocumentBody<DisableTriggerRequest>()
            .Produces<WorkflowEnvelope<TriggerDisabledDto>>().ProducesWorkflowErrors(400, 401, 403, 404);

        triggers.MapDelete("/{triggerId}", (string triggerId, JsonBody<DeleteTriggerRequest> body, TriggerService s, CancellationToken ct) => s.DeleteAsync(triggerId, body.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(204)
            .WithName("DeleteSerialTrigger")
            .WithSummary("Delete a trigger configuration: 204 No Content. Body optional: {deletedBy}.")
            .Produces(204).ProducesWorkflowErrors(400, 401, 403, 404);

        return group;
    }
}

