using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using static Operator.Features.Serialization.WorkflowEndpoints;

namespace Operator.Features.Serialization;

/// <summary>Spec section 1: vendor serials. Thin adapters over <see cref="VendorSerialService"/>.</summary>
public static class VendorSerialEndpoints
{
    public static RouteGroupBuilder MapVendorSerialEndpoints(this RouteGroupBuilder group)
    {
        var vendor = group.MapGroup("/vendor").WithTags("Serialization: vendor serials");

        vendor.MapPost("/receive", (JsonBody<ReceiveVendorSerialRequest> body, VendorSerialService s, CancellationToken ct) => s.ReceiveAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("ReceiveVendorSerial")
            .WithSummary("Receive and register a vendor-provided serial number (status PENDING).")
            .WithDescription("""
                OPERATOR and up. vendorSerialNumber (1-100) and vendorName (1-200) are trimmed; partId is a part of the caller's
                organization (404 Part); receivedDate (ISO 8601, optional) defaults to now and may not lie in the future. A vendor
                number already received from the same vendor (vendorName) for the part is a 409 CONFLICT; another vendor may use it.
                """)
            .DocumentBody<ReceiveVendorSerialRequest>()
            .Produces<WorkflowEnvelope<VendorSerialReceivedDto>>(201).ProducesWorkflowErrors(400, 401, 403, 404, 409);

        vendor.MapPost("/{vendorSerialId}/accept", (string vendorSerialId, JsonBody<AcceptVendorSerialRequest> body, VendorSerialService s, CancellationToken ct) =>
                s.AcceptAsync(vendorSerialId, body.Value, ct))
            .RequireAuthorization(Policies.QualityManage)
            .WithName("AcceptVendorSerial")
            .WithSummary("Accept a PENDING vendor serial: it becomes a serial of the plant (origin vendor).")
            .WithDescription("""
                QA_MANAGER, ADMIN. Body optional. The new serial's number is internalSerialId when given, else the vendor's number;
                it passes the uniqueness guard (409 when another live unit of the part carries it). Only a PENDING vendor serial
                can be accepted (409 otherwise). acceptedBy is accepted, but the audit trail records the signed-in caller. The
                answer adds serialId, the id of the serial created. signature (an extension) {"password", "meaning": "reviewed" |
                "approved" | "rejected" | "responsible", "comment"?}: required when the organization requires electronic signatures
                (400 VALIDATION_ERROR, field "signature", without it; 401 UNAUTHORIZED for a wrong password, which counts toward
                the account's lockout, or a locked account).
                """)
            .DocumentBody<AcceptVendorSerialRequest>()
            .Produces<WorkflowEnvelope<VendorSerialAcceptedDto>>().ProducesWorkflowErrors(400, 401, 403, 404, 409);

        vendor.MapPost("/{vendorSerialId}/reject", (string vendorSerialId, JsonBody<RejectVendorSerialRequest> body, VendorSerialService s, CancellationToken ct) =>
                s.RejectAsync(vendorSerialId, body.Value, ct))
            .RequireAuthorization(Policies.QualityManage)
            .WithName("RejectVendorSerial")
            .WithSummary("Reject a PENDING vendor serial with a reason.")
            .WithDescription("""
                QA_MANAGER, ADMIN. rejectionReason is required (1-500). Only a PENDING vendor serial can be rejected (409 otherwise).
                signature (an extension) as for accept, with a comment (required for a rejection).
                """)
            .DocumentBody<RejectVendorSerialRequest>()
            .Produces<WorkflowEnvelope<VendorSerialRejectedDto>>().ProducesWorkflowErrors(400, 401, 403, 404, 409);

        vendor.MapGet("/part/{partId}", (string partId, [AsParameters] VendorSerialListQueryString query, VendorSerialService s, CancellationToken ct) =>
                s.ListAsync(partId, query.Value, ct))
            .WithName("ListVendorSerialsForPart")
            .WithSummary("Vendor serials of a part, newest first, optionally by status; paged.")
            .WithDescription("status: PENDING, ACCEPTED or REJECTED. limit 1-500 (default 50), offset (default 0). data is {data, total, limit, offset}.")
            .Produces<WorkflowEnvelope<WorkflowPage<VendorSerialDto>>>().ProducesWorkflowErrors(400, 401, 404);

        vendor.MapGet("/part/{partId}/export", async Task<object> (string partId, [AsParameters] VendorSerialListQueryString query, string? format, VendorSerialService s, CancellationToken ct) =>
                (await s.ExportAsync(partId, query.Value, ct)).ToFile(format))
            .WithName("ExportVendorSerialsForPart")
            .WithSummary("A part's vendor serials as a file: the list's status filter and order (newest first), every row, streamed.")
            .WithExportDescription("""
                Every role, as the list. Same parameters as GET /vendor/part/{partId} (status; limit and offset are checked as there,
                then ignored); errors (400 VALIDATION_ERROR, 404 Part) answer in the envelope before the file starts. Columns: the
                list item's field names (the vendor serial object).
                """)
            .ProducesExport().ProducesWorkflowErrors(400, 401, 404);

        vendor.MapGet("/{vendorSerialId}", (string vendorSerialId, VendorSerialService s, CancellationToken ct) => s.GetAsync(vendorSerialId, ct))
            .WithName("GetVendorSerial")
            .WithSummary("One vendor serial: the spec's fields, then its part, decision and the internal serial number.")
            .Produces<WorkflowEnvelope<VendorSerialDto>>().ProducesWorkflowErrors(401, 404);

        return group;
    }
}
