using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using static Operator.Features.Serialization.WorkflowEndpoints;

namespace Operator.Features.Serialization;

/// <summary>Spec section 3: late assignment. Thin adapters over <see cref="PlaceholderService"/>.</summary>
public static class LateAssignmentEndpoints
{
    public static RouteGroupBuilder MapLateAssignmentEndpoints(this RouteGroupBuilder group)
    {
        var late = group.MapGroup("/late-assignment").WithTags("Serialization: late assignment");

        late.MapPost("/placeholder", (JsonBody<CreatePlaceholderRequest> body, PlaceholderService s, CancellationToken ct) => s.CreateAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("CreatePlaceholder")
            .WithSummary("Create a PENDING placeholder for a unit to be serialized later.")
            .WithDescription("""
                OPERATOR and up. partId (404 Part); workOrderId optional, a work order of the part (404 WorkOrder); operationCode
                optional (1-40), the operation where the number will be applied; quantity 1-1,000,000 (default 1; more than 1 is
                serialized as one batch-scope serial). createdBy is accepted; the audit trail records the signed-in caller.
                """)
            .DocumentBody<CreatePlaceholderRequest>()
            .Produces<WorkflowEnvelope<PlaceholderCreatedDto>>(201).ProducesWorkflowErrors(400, 401, 403, 404);

        late.MapPost("/placeholder/{placeholderId}/assign", (string placeholderId, JsonBody<AssignPlaceholderRequest> body, PlaceholderService s, CancellationToken ct) =>
                s.AssignAsync(placeholderId, body.Value, ct))
            .RequireAuthorization(Policies.StationWork)
            .WithName("AssignPlaceholderSerial")
            .WithSummary("Assign a serial number to a PENDING placeholder: the unit becomes a serial (origin late_assignment).")
            .WithDescription("""
                OPERATOR and up. serialNumber 1-100 printable characters without spaces; it passes the uniqueness guard (409 when a
                live unit of the part carries it). The serial gets the placeholder's work order and path, at the step whose code is
                the placeholder's operation code (else step 0). A SERIALIZED or FAILED placeholder answers 409. The answer adds
                serialId.
                """)
            .DocumentBody<AssignPlaceholderRequest>()
            .Produces<WorkflowEnvelope<PlaceholderAssignedDto>>().ProducesWorkflowErrors(400, 401, 403, 404, 409);

        late.MapPost("/placeholder/{placeholderId}/fail", (string placeholderId, JsonBody<FailPlaceholderRequest> body, PlaceholderService s, CancellationToken ct) =>
                s.FailAsync(placeholderId, body.Value, ct))
            .RequireAuthorization(Policies.StationWork)
            .WithName("FailPlaceholder")
            .WithSummary("Mark a PENDING placeholder FAILED (no serial assigned); a reason is required.")
            .WithDescription("OPERATOR and up. reason 1-500. A SERIALIZED or FAILED placeholder answers 409.")
            .DocumentBody<FailPlaceholderRequest>()
            .Produces<WorkflowEnvelope<PlaceholderFailedDto>>().ProducesWorkflowErrors(400, 401, 403, 404, 409);

        late.MapGet("/pending", ([AsParameters] PendingPlaceholderQueryString query, HttpContext http, PlaceholderService s) =>
                s.PendingAsync(query.Value, http.RequestAborted).AsArray(http))
            .WithName("ListPendingPlaceholders")
            .WithSummary("PENDING placeholders, oldest first; optionally by part, work order and operation; paged, total in X-Total-Count.")
            .Produces<WorkflowEnvelope<IReadOnlyList<PendingPlaceholderDto>>>().ProducesWorkflowErrors(400, 401);

        late.MapGet("/pending/export", ([AsParameters] PendingPlaceholderQueryString query, string? format, PlaceholderService s) =>
                s.ExportPending(query.Value).ToFile(format))
            .WithName("ExportPendingPlaceholders")
            .WithSummary("PENDING placeholders as a file: the list's filters and order (oldest first), every row, streamed.")
            .WithExportDescription("""
                Every role, as the list. Same parameters as GET /late-assignment/pending (partId, workOrderId, operationCode; limit
                and offset are checked as there, then ignored); a bad filter is a 400 VALIDATION_ERROR in the envelope before the
                file starts. Columns: the list item's field names.
                """)
            .ProducesExport().ProducesWorkflowErrors(400, 401);

        late.MapGet("/statistics/{partId}", (string partId, PlaceholderService s, CancellationToken ct) => s.StatisticsAsync(partId, ct))
            .WithName("LateAssignmentStatistics")
            .WithSummary("Late assignment statistics of a part.")
            .WithDescription("""
                successRate = serialized / (serialized + failed) × 100 with one decimal (0 while none is decided);
                averageTimeToSerialization = mean hours from creation to assignment, one decimal (0 while none is serialized).
                """)
            .Produces<WorkflowEnvelope<PlaceholderStatisticsDto>>().ProducesWorkflowErrors(401, 404);

        return group;
    }
}
