using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// <c>/api/serials</c> (shared/specs/cert-attachment.md plus what the station needs) and <c>/api/certificates</c>, in the
/// plain convention: the documented object on success, <c>{"error": "..."}</c> (with <c>details</c> naming fields) on failure.
/// Thin adapters over the serial services and <see cref="CertificateService"/>; bodies bind to typed requests (<see cref="JsonBody{T}"/>).
/// </summary>
public static class SerialsApi
{
    private const string Addressing = """
        The serial in the path is its serial number (e.g. "SN-00001", or a signed public code such as
        "MA01-HAT-BAG-20251109-00027-A9K2-X"; matched as given or in upper case) or its internal UUID. Another
        organization's serial answers 404 "SerialNumber not found: {id}", exactly like a missing one.
        """;

    public static IEndpointRouteBuilder MapSerialsApi(this IEndpointRouteBuilder app)
    {
        var serials = app.MapApiGroup("/api/serials", SerialsStyle.Instance).WithTags("Serials").RequireAuthorization(Policies.Read);
        serials.MapActiveScrapReasons();

        serials.MapGet("", ([AsParameters] SerialListQuery query, SerialListService s, CancellationToken ct) => s.ListAsync(query, ct))
            .WithName("ListSerials")
            .WithSummary("List serials, searched by serial number and filtered by part, work order and status.")
            .WithDescription("""
                Every role. search: part of the serial number, case-insensitive and literal (up to 200 characters); partId and
                workOrderId: UUIDs; status: in_progress, completed, scrapped or cancelled; limit 1-500 (default 50), offset >= 0.
                Ordered by serial number. Answers {"items", "total", "limit", "offset"}.
                """)
            .Produces<Page<SerialSummaryDto>>().Produces<SerialsErrorBody>(400);

        serials.MapGet("/export", ([AsParameters] SerialListQuery query, SerialListService s, string? format) => s.Export(query).ToFile(format))
            .WithName("ExportSerials")
            .WithSummary("The serials list as CSV: the list's filter (search, partId, workOrderId, status) and order, every row, streamed.")
            .WithExportDescription("""
                Every role. Same parameters as GET /api/serials; limit and offset are ignored. text/csv; charset=utf-8 as an
                attachment, one header line of the list item's field names, then one line per serial.
                """)
            .ProducesExport().Produces<SerialsErrorBody>(400);

        serials.MapPost("/batch", (JsonBody<BatchCreateSerialsRequest> body, SerialBatchService s, CancellationToken ct) => s.BatchCreateAsync(body.Value, ct))
            .WithIdempotency()
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(SerialService.StationForbidden).SucceedsWith(201)
            .WithName("BatchCreateSerials")
            .WithSummary("Batch create serials: N serials of a work order at the first step of its path, optionally each with a certificate attached there.")
            .WithDescription("""
                OPERATOR and up. Body {"workOrderId": UUID or number ("WO-00001"), "quantity": 1-10000, "certId"?: certificate UUID or
                number ("CERT-0001")}. Serial numbers come from the organization's numbering: SN-00001... or, for parts configured
                for public verification, signed public codes. Every serial starts in_progress at the first step of the work
                order's path, with a "started" step event; with certId each gets that certificate attached at that step. One
                transaction: on any failure nothing is written. The audit trail gets one "serials_created" entry (count, first
                and last number) and, with a certificate, one "cert_attached" entry summarizing the attachments (count, first and
                last serial, certificate, work order, path, step, user), both on the work order. A closed work order answers 409;
                the work order's quantity is a plan, not a cap. 404 "Work order not found: {id}" / "Certificate not found: {certId}".
                """)
            .DocumentBody<BatchCreateSerialsRequest>()
            .Produces<BatchCreateSerialsResponse>(201).Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404).Produces<SerialsErrorBody>(409);

        serials.MapGet("/{id}", (string id, SerialDetailService s, CancellationToken ct) => s.GetAsync(id, ct))
            .WithName("GetSerial")
            .WithSummary("One serial (lookup by serial number): path progress, certificates per step, blocking holds, step history and audit history.")
            .WithDescription(Addressing + """

                steps[].state is "done", "current", "next" (where an advance goes) or "pending"; a completed serial (currentStepIndex
                -1) has every step done. blockingHolds lists active quality holds on the serial's work order or batch: while there is
                one, advance and complete answer 409. history is the step history (started/completed/scrapped, by whom, when).
                """)
            .Produces<SerialDetailDto>().Produces<SerialsErrorBody>(404);

        serials.MapPost("/{id}/attach-cert", async (string id, JsonBody<AttachCertRequest> body, SerialService s, CancellationToken ct) =>
                (await s.AttachAsync(id, body.Value, ct)).Map(o => o.Attachment))
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(SerialService.StationForbidden)
            .WithName("AttachCertificate")
            .WithSummary("Attach Certificate: attach a certificate to a serial at its current process step (idempotent).")
            .WithDescription(Addressing + """

                OPERATOR and up. Body {"certId": certificate UUID or number ("CERT-0001"), "userId": UUID of an active user of the
                caller's organization}. The step is resolved server-side from the serial's currentStepIndex and its path's steps; it
                cannot be chosen. 200 with the CertAttachment {id, serialId (the serial number), certId (the certificate's UUID),
                stepId, attachedAt, attachedBy (the userId)}; the same certificate at the same step returns the existing record
                (also when identical requests race: a unique index on serial, certificate and step decides) and writes no second
                audit entry. The same certificate may be attached at other steps. Scrapped serials that were not completed keep
                their step and accept attachments; quality holds do not block attaching. Checked in this order: body (400, e.g.
                "certId is required", "userId must be a user id (UUID)"), serial (404 "SerialNumber not found: {id}"), path (404
                "Path not found: {pathId}"), completed (400 "Serial is already completed, cannot attach cert"), cancelled (400
                "Serial is cancelled, cannot attach cert"), certificate (404 "Certificate not found: {certId}", also for another
                organization's), userId (400 when not an active user of the caller's organization). The audit entry
                "cert_attached" records the user, serial, certificate, work order, path and step, and the authenticated caller.
                """)
            .DocumentBody<AttachCertRequest>()
            .Produces<CertAttachmentDto>().Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(401).Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404);

        serials.MapPost("/{id}/advance", (string id, JsonBody<AdvanceSerialRequest> body, SerialService s, CancellationToken ct) => s.AdvanceAsync(id, body.Value, ct))
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(SerialService.StationForbidden)
            .WithName("AdvanceSerial")
            .WithSummary("Advance an in-progress serial to the next step of its path.")
            .WithDescription(Addressing + """

                OPERATOR and up. Optional body {"expectedStepId": UUID}: refused (409) when the serial is no longer at that step, so a
                double tap never skips a step. Records "completed" for the step left and "started" for the next in the step history
                and a "serial_advanced" audit entry. 409 when the serial is at its last step (complete it instead), is completed,
                scrapped or cancelled, or when an active quality hold on its work order or batch blocks it (the message names the
                holds). Leaving a step completes its operation: the part's active OPERATION_COMPLETE serialization triggers for
                that step's code fire after the move is committed (their failure is logged, never undoes the move). Answers the
                serial as GET does.
                """)
            .DocumentBody<AdvanceSerialRequest>()
            .Produces<SerialDetailDto>().Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404).Produces<SerialsErrorBody>(409);

        serials.MapPost("/{id}/complete", (string id, SerialService s, CancellationToken ct) => s.CompleteAsync(id, ct))
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(SerialService.StationForbidden)
            .WithName("CompleteSerial")
            .WithSummary("Complete an in-progress serial at the last step: status completed, currentStepIndex -1.")
            .WithDescription(Addressing + """

                OPERATOR and up. No body. Records "completed" for the last step, sets completedAt and writes a "serial_completed"
                audit entry. 409 when the serial is not at its last step, is not in progress, or an active quality hold on its work
                order or batch blocks it (the message names the holds). A completed serial accepts no more certificates. The last
                step's operation is complete: the part's active OPERATION_COMPLETE triggers for its code fire, as on advance.
                """)
            .Produces<SerialDetailDto>().Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404).Produces<SerialsErrorBody>(409);

        serials.MapPost("/{id}/scrap", (string id, JsonBody<ScrapSerialRequest> body, SerialService s, CancellationToken ct) => s.ScrapAsync(id, body.Value, ct))
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(SerialService.StationForbidden)
            .WithName("ScrapSerial")
            .WithSummary("Scrap an in-progress serial with a reason; it keeps its current step.")
            .WithDescription(Addressing + """

                OPERATOR and up. Body {"reason": 3-500 characters}. Status becomes "scrapped", currentStepIndex is kept (so a
                certificate can still be attached, an unusual workflow), a "scrapped" step event with the reason and a
                "serial_scrapped" audit entry are written. Quality holds do not refuse scrapping. 409 when the serial is completed,
                already scrapped or cancelled.
                """)
            .DocumentBody<ScrapSerialRequest>()
            .Produces<SerialDetailDto>().Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404).Produces<SerialsErrorBody>(409);

        MapCertificates(app);
        return app;
    }

    private static void MapCertificates(IEndpointRouteBuilder app)
    {
        var certs = app.MapApiGroup("/api/certificates", PlainStyle.Instance).WithTags("Certificates").RequireAuthorization(Policies.Read);
        const string CertAddressing = "The certificate in the path is its UUID or its number (\"CERT-0001\"); another organization's answers 404 \"Certificate not found: {id}\".";

        certs.MapGet("", ([AsParameters] CertificateListQuery query, CertificateService s, CancellationToken ct) => s.ListAsync(query, ct))
            .WithName("ListCertificates")
            .WithSummary("List certificates, searched by number, issuer or description, optionally of one type.")
            .WithDescription("Every role. search up to 200 characters, case-insensitive and literal; type material or process; limit 1-500 (default 50), offset. Ordered by number.")
            .Produces<Page<CertificateDto>>().Produces<SerialsErrorBody>(400);

        certs.MapGet("/export", ([AsParameters] CertificateListQuery query, CertificateService s, string? format) => s.Export(query).ToFile(format))
            .WithName("ExportCertificates")
            .WithSummary("The certificates list as CSV: the list's search and type, every row, streamed.")
            .WithExportDescription("Every role. Same parameters as GET /api/certificates; limit and offset are ignored. text/csv; charset=utf-8 as an attachment.")
            .ProducesExport();

        certs.MapPost("", (JsonRecord<CreateCertificateRequest> request, CertificateService s, CancellationToken ct) => s.CreateAsync(request.Value, ct))
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(CertificateService.CreateForbidden).SucceedsWith(201)
            .WithName("CreateCertificate")
            .WithSummary("Create a material or process certificate; the number is drawn (CERT-0001) when not given.")
            .WithDescription("""
                OPERATOR and up (the people who receive material file its certificates). number: optional, at most 60 characters, not
                a UUID, unique in the organization (409); type: material or process; issuer: 1-200 characters; issuedAt: required;
                expiresAt: optional, not before issuedAt; description: up to 1000 characters. Upload the PDF with PUT /{id}/document.
                """)
            .Produces<CertificateDto>(201).Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(409);

        certs.MapGet("/{id}", (string id, CertificateService s, CancellationToken ct) => s.GetAsync(id, ct))
            .WithName("GetCertificate")
            .WithSummary("One certificate with where it is attached: the attachment count and the latest 50 attachments.")
            .WithDescription(CertAddressing + " Every attachment, paged: GET /{id}/attachments.")
            .Produces<CertificateDetailDto>().Produces<SerialsErrorBody>(404);

        certs.MapPost("/{id}/attach", (string id, JsonRecord<AttachToSerialsRequest> request, CertificateAttachService s, CancellationToken ct) => s.AttachAsync(id, request.Value, ct))
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(SerialService.StationForbidden)
            .WithName("AttachCertificateToSerials")
            .WithSummary("Attach one certificate to many serials in one call; each serial is answered as POST /api/serials/{id}/attach-cert would answer it.")
            .WithDescription(CertAddressing + """
                 OPERATOR and up. Body {"serialIds": [1 to 200 serial numbers or UUIDs], "userId": UUID of an active user of the
                caller's organization}. Each serial is attached at its current step in a transaction of its own, in the order
                given, so a refused serial leaves the others attached. 200 with {certId, certNumber, attached, alreadyAttached,
                refused, results: [{serialId (as given), outcome: "attached" | "already_attached" | "refused", attachment (the
                CertAttachment record, for attached and already_attached), status and error (for refused: the status and
                message the single attach answers, e.g. 404 "SerialNumber not found: SN-09999" or 400 "Serial is already
                completed, cannot attach cert")}]}. The whole call answers 400 for a bad body, 403 below OPERATOR and 404 when the
                certificate is not found; nothing is attached then.
                """)
            .Produces<AttachToSerialsResult>().Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404);

        certs.MapGet("/{id}/attachments", (string id, [AsParameters] ListQuery query, CertificateService s, CancellationToken ct) => s.AttachmentsAsync(id, query, ct))
            .WithName("ListCertificateAttachments")
            .WithSummary("Where a certificate is attached: serial, step, when and by whom, newest first, paged.")
            .WithDescription(CertAddressing + " limit 1-500 (default 50), offset. The search parameter is ignored.")
            .Produces<Page<CertificateUseDto>>().Produces<SerialsErrorBody>(404);

        certs.MapGet("/{id}/attachments/export", async Task<object> (string id, [AsParameters] ListQuery query, CertificateService s, string? format, CancellationToken ct) =>
                (await s.ExportAttachmentsAsync(id, query, ct)).ToFile(format))
            .WithName("ExportCertificateAttachments")
            .WithSummary("Where a certificate is attached, as a file: every attachment (serial, step, when and by whom), newest first, streamed.")
            .WithExportDescription(CertAddressing + " Every role. The columns are the attachment list item's field names; limit and offset are ignored.")
            .ProducesExport().Produces<SerialsErrorBody>(404);

        certs.MapPut("/{id}/document", (string id, string? fileName, HttpContext http, CertificateService s, CancellationToken ct) =>
            {
                // The API's 1 MB body limit does not suit scanned certificates: this endpoint alone takes up to 10 MB (plus one
                // byte, so the service sees an oversized body and answers in words instead of Kestrel cutting the connection).
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = CertificateService.MaxDocumentBytes + 1;
                }
                if (http.Request.ContentLength > CertificateService.MaxDocumentBytes)
                {
                    return Task.FromResult<Result<CertificateDto>>(new Error(ErrorKind.Other,
                        $"The certificate document is larger than {CertificateService.MaxDocumentBytes / 1024 / 1024} MB", []) { Status = StatusCodes.Status413PayloadTooLarge });
                }
                return s.UploadDocumentAsync(id, http.Request.Body, fileName, http.Request.ContentType, ct);
            })
            .RequireAuthorization(Policies.StationWork).ForbiddenWith(CertificateService.CreateForbidden)
            .WithName("UploadCertificateDocument")
            .WithSummary("Upload (or replace) the certificate's PDF document: the raw PDF as the body, at most 10 MB.")
            .WithDescription(CertAddressing + """
                 OPERATOR and up. Content-Type application/pdf (else 415); the body is the PDF itself (it must start with
                "%PDF-", else 400), 1 byte to 10 MB (else 413). Optional query fileName names the download (default "{number}.pdf").
                Answers the certificate with hasDocument, documentName, documentSize and documentSha256.
                """)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/pdf"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
                };
                return Task.CompletedTask;
            })
            .Produces<CertificateDto>().Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404)
            .Produces<SerialsErrorBody>(413).Produces<SerialsErrorBody>(415);

        certs.MapGet("/{id}/document", async Task<object> (string id, CertificateService s, CancellationToken ct) =>
            {
                var file = await s.GetDocumentAsync(id, ct);
                return file.IsSuccess ? Results.File(file.Value.Content, file.Value.ContentType, file.Value.FileName) : file;
            })
            .WithName("DownloadCertificateDocument")
            .WithSummary("Download the certificate's PDF document.")
            .WithDescription(CertAddressing + " 404 \"Certificate {number} has no document\" when none was uploaded.")
            .Produces(200, contentType: "application/pdf").Produces<SerialsErrorBody>(404);
    }
}

/// <summary>The plain convention's error body, for the OpenAPI document.</summary>
/// <param name="Error">What went wrong, in words (the spec's messages word for word where it has them).</param>
/// <param name="Details">The fields concerned, when the request was invalid.</param>
public sealed record SerialsErrorBody(string Error, IReadOnlyList<SerialsErrorDetail>? Details = null);

public sealed record SerialsErrorDetail(string Field, string Message);
