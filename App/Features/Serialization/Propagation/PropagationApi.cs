using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Serialization;

/// <summary>
/// Spec section 4 (propagation and lineage) on the <c>/api/v1/serialization</c> group: thin adapters over
/// <see cref="PropagationService"/> and <see cref="LineageService"/>. Serial ids are the serial's UUID.
/// </summary>
public static class PropagationApi
{
    private const string Tag = "Serialization: propagation and lineage";

    public static RouteGroupBuilder MapPropagationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/propagation/pass-through", (JsonBody<PassThroughRequest> body, PropagationService s, CancellationToken ct) =>
                s.PassThroughAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("RecordPassThroughPropagation").WithTags(Tag)
            .WithSummary("Record that a serial passed through an operation (no new unit).")
            .WithDescription("""
                OPERATOR, QA_INSPECTOR, QA_MANAGER, ADMIN. sourceSerialId: the serial's UUID (404 NOT_FOUND, resourceType
                SerialNumber, for an unknown id or one of another organization). operationCode 1-40 characters; routingSequence
                an integer 0-1000000 (required); workCenterId up to 50 characters; quantity > 0 (default 1). createdBy is
                accepted and ignored: the signed-in caller is recorded. A used (consumed), scrapped or cancelled serial is a
                409 CONFLICT. Answers 201 with status RECORDED; the link's id is also its group id.
                """)
            .DocumentBody<PassThroughRequest>().Produces<PassThroughResponse>(201);

        group.MapPost("/propagation/split", (JsonBody<SplitRequest> body, PropagationService s, CancellationToken ct) =>
                s.SplitAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("RecordSplitPropagation").WithTags(Tag)
            .WithSummary("Record a split: one serial became several (one link per target, one transaction).")
            .WithDescription("""
                targetSerialIds: 1-500 serial UUIDs, each once and none equal to sourceSerialId (400 VALIDATION_ERROR "Invalid
                input data" naming the entry). quantity (default 1) is recorded on each link. A target that already is the
                source or one of its ancestors would make a serial its own ancestor: 409 CONFLICT. Any refusal writes nothing.
                Answers 201 with one object per link, sharing groupId. The source is not consumed by a split.
                """)
            .DocumentBody<SplitRequest>().Produces<IReadOnlyList<SplitLinkResponse>>(201);

        group.MapPost("/propagation/merge", (JsonBody<MergeRequest> body, PropagationService s, CancellationToken ct) =>
                s.MergeAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("RecordMergePropagation").WithTags(Tag)
            .WithSummary("Record a merge: several serials went into one; the sources become \"used\".")
            .WithDescription("""
                sourceSerialIds: 1-500 serial UUIDs, each once, none equal to targetSerialId. Each source gets a link to the
                target and is consumed (public status "used"); all in one transaction, or nothing. id is the merge's group id,
                quantity the sum of the links' quantities (quantity per source, default 1). Serials of another organization
                answer 404 as if they did not exist; a cycle is a 409 CONFLICT.
                """)
            .DocumentBody<MergeRequest>().Produces<MergeResponse>(201);

        group.MapPost("/propagation/transformation", (JsonBody<TransformationRequest> body, PropagationService s, CancellationToken ct) =>
                s.TransformAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("RecordTransformationPropagation").WithTags(Tag)
            .WithSummary("Record a transformation: one or more serials were transformed into another; the sources become \"used\".")
            .WithDescription("""
                Like merge, with propagationType TRANSFORMATION: sourceSerialIds (or sourceSerialId for one source, not both)
                → targetSerialId. Sources are consumed (public status "used"). Same validation, 404 and 409 rules as merge.
                """)
            .DocumentBody<TransformationRequest>().Produces<MergeResponse>(201);

        group.MapGet("/propagation/lineage/{serialId}", (string serialId, LineageService s, CancellationToken ct) => s.GetLineageAsync(serialId, ct))
            .WithName("GetSerialLineage").WithTags(Tag)
            .WithSummary("A serial's ancestors, descendants (to any depth) and propagation history.")
            .WithDescription("""
                Computed in the database by recursive queries. Each ancestor/descendant: id, serialNumber, partId, partNumber,
                status (active, used, scrapped, cancelled), depth (links away from the serial; the shortest when several
                paths lead there), parentId (the unit one level closer to the serial) and the link that joins them (linkId,
                linkType, operationCode, routingSequence, performedAt). Ordered by depth, then serial number.
                propagationHistory: the links the serial itself is source or target of, oldest first. The walk stops 500
                levels away (a guard against cycles in data written around the API).
                """)
            .Produces<LineageDto>();

        group.MapGet("/propagation/lineage/{serialId}/report.pdf", async Task<object> (string serialId, LineageService s, CancellationToken ct) =>
            {
                var report = await s.GetReportAsync(serialId, ct);
                return report.IsSuccess ? Results.File(report.Value.Content, "application/pdf", report.Value.FileName) : report;
            })
            .WithName("GetSerialLineageReport").WithTags(Tag)
            .WithSummary("The lineage report as PDF: the unit, its tree in both directions, the certificate roll-up and holds.")
            .WithDescription("Errors answer in the envelope (404 NOT_FOUND for an unknown serial); success is the PDF file.")
            .Produces(200, contentType: "application/pdf");

        group.MapGet("/propagation/history/{partId}", (string partId, [AsParameters] PropagationHistoryQuery query, LineageService s, CancellationToken ct) =>
                s.GetHistoryAsync(partId, query, ct))
            .WithName("GetPropagationHistory").WithTags(Tag)
            .WithSummary("Propagations of a part's serials, newest first; filter by operationCode and propagationType.")
            .WithDescription("""
                A propagation belongs to the part of its source serial. propagationType: PASS_THROUGH, SPLIT, MERGE or
                TRANSFORMATION (case-sensitive). limit 1-500 (default 50), offset 0 or more. Unknown part: 404 (resourceType Part).
                """)
            .Produces<IReadOnlyList<PropagationRecordDto>>();

        group.MapGet("/propagation/history/{partId}/export", async Task<object> (string partId, [AsParameters] PropagationHistoryQuery query, string? format, LineageService s, CancellationToken ct) =>
                (await s.ExportHistoryAsync(partId, query, ct)).ToFile(format))
            .WithName("ExportPropagationHistory").WithTags(Tag)
            .WithSummary("A part's propagation history as a file: the history's filters and order (newest first), every row, streamed.")
            .WithExportDescription("""
                Every role, as the list. Same parameters as GET /propagation/history/{partId} (operationCode, propagationType; limit
                and offset are checked as there, then ignored); errors (400 VALIDATION_ERROR, 404 Part) answer in the envelope
                before the file starts. Columns: the history item's field names.
                """)
            .ProducesExport().ProducesWorkflowErrors(400, 401, 404);

        group.MapGet("/propagation/statistics/{partId}", (string partId, LineageService s, CancellationToken ct) => s.GetStatisticsAsync(partId, ct))
            .WithName("GetPropagationStatistics").WithTags(Tag)
            .WithSummary("Propagation counts of a part by type and operation, and the average genealogy depth.")
            .WithDescription("""
                totalPropagations: links whose source is a serial of the part; byType: all four types (0 included);
                byOperation: per operation code. averageDepth: for the part's serials that came out of a propagation (the
                1,000 most recent), the longest chain of links back to a serial nothing went into, averaged (two decimals).
                """)
            .Produces<PropagationStatisticsDto>();

        return group;
    }
}
