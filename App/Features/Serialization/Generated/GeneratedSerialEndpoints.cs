using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using static Operator.Features.Serialization.WorkflowEndpoints;

namespace Operator.Features.Serialization;

/// <summary>Spec section 2: system-generated serials. Thin adapters over <see cref="GenerationService"/> and <see cref="TriggerService"/>.</summary>
public static class GeneratedSerialEndpoints
{
    public static RouteGroupBuilder MapGeneratedSerialEndpoints(this RouteGroupBuilder group)
    {
        var generated = group.MapGroup("/system-generated").WithTags("Serialization: system-generated serials");

        generated.MapPost("/generate", (JsonBody<GenerateSerialRequest> body, GenerationService s, CancellationToken ct) => s.GenerateAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("GenerateSystemSerial")
            .WithSummary("Generate one serial number from a serial format (or the plant's default numbering).")
            .WithDescription("""
                OPERATOR and up. partId: a part of the organization (404 Part). formatConfigId (optional): a serial format (404
                SerialFormat; inactive → 400); without it the plant numbers the unit (SN-00001, or the signed public code for
                publicly verifiable parts). context: flat object of strings, numbers, booleans; context.siteId is recorded and
                printed by {SITE}; context.workOrderId (optional) links the serial to a work order of the part. The number passes the
                uniqueness guard (409). A format whose {SEQ:n} would overflow answers 400 naming formatConfigId, and nothing is
                written. generatedBy is accepted; the audit trail records the signed-in caller. status is ACTIVE.
                """)
            .DocumentBody<GenerateSerialRequest>()
            .Produces<WorkflowEnvelope<GeneratedSerialDto>>(201).ProducesWorkflowErrors(400, 401, 403, 404, 409);

        generated.MapPost("/trigger", (JsonBody<FireTriggerRequest> body, TriggerService s, CancellationToken ct) => s.FireAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork)
            .WithName("TriggerSerialGeneration")
            .WithSummary("Fire the part's active triggers of an event type: generate serials or create placeholders.")
            .WithDescription("""
                OPERATOR and up. Every active trigger of the part with this triggerType whose conditions all equal the context's
                values (compared as text) fires, in creation order, in one transaction; an OPERATION_COMPLETE trigger with an
                operationCode fires only when context.operationCode is that code. SYSTEM_GENERATED triggers generate serials from
                their format; VENDOR and LATE_ASSIGNMENT triggers create PENDING placeholders. A trigger makes 1 unit per firing,
                in batch mode batchSize units (without batchSize: context.quantity, or the work order's quantity). triggerId and
                serialNumber are the first trigger and serial; serialNumbers, placeholderIds and firedTriggerIds list everything.
                status: GENERATED or PLACEHOLDERS_CREATED. No matching active trigger → 404 SerialTrigger (nothing written).
                """)
            .DocumentBody<FireTriggerRequest>()
            .Produces<WorkflowEnvelope<TriggerFiringDto>>().ProducesWorkflowErrors(400, 401, 403, 404, 409);

        generated.MapGet("/part/{partId}", (string partId, [AsParameters] GeneratedSerialListQueryString query, HttpContext http, GenerationService s) =>
                s.ListAsync(partId, query.Value, http.RequestAborted).AsArray(http))
            .WithName("ListGeneratedSerials")
            .WithSummary("System-generated serials of a part, newest first; paged, total in X-Total-Count.")
            .WithDescription("The spec's array. limit 1-500 (default 50), offset; workOrderId (optional) narrows to one work order.")
            .Produces<WorkflowEnvelope<IReadOnlyList<GeneratedSerialListItem>>>().ProducesWorkflowErrors(400, 401, 404);

        return group;
    }
}
