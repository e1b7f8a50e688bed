using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Serialization;

/// <summary>Spec section 5 (serial uniqueness) on the <c>/api/v1/serialization</c> group: thin adapters over <see cref="UniquenessService"/>.</summary>
public static class UniquenessApi
{
    private const string Tag = "Serialization: uniqueness";

    public static RouteGroupBuilder MapUniquenessEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/uniqueness/check", (JsonBody<UniquenessCheckRequest> body, UniquenessService s, CancellationToken ct) =>
                s.CheckAsync(body.Value, ct))
            .WithName("CheckSerialUniqueness").WithTags(Tag)
            .WithSummary("Could a unit of this part take this serial number? Checked in the given scopes; nothing is written.")
            .WithDescription("""
                Every role. scope (left out: every scope): a non-empty list of SITE (no other unit at the same site; needs siteId to compare, units
                without a known site never collide), ENTERPRISE (no other unit of any part in the organization) and PART_TYPE
                (no other unit of the same part). A registration that asks for a scope counts in that scope too, whatever the
                caller asks. Cancelled units hold no number. conflictingSerialIds: the ids of the claimants (a serial's id,
                or the registration's id for a number registered without a unit); conflictType null, DUPLICATE_SERIAL or
                DUPLICATE_REGISTRATION. partId: a part of the caller's organization (404 NOT_FOUND, resourceType Part).
                """)
            .DocumentBody<UniquenessCheckRequest>().Produces<UniquenessCheckResponse>();

        group.MapPost("/uniqueness/register", (JsonBody<UniquenessRegisterRequest> body, UniquenessService s, CancellationToken ct) =>
                s.RegisterAsync(body.Value, ct))
            .RequireAuthorization(Policies.StationWork).SucceedsWith(201)
            .WithName("RegisterSerialUniqueness").WithTags(Tag)
            .WithSummary("Register a serial number for uniqueness tracking in the given scopes; a collision opens a pending conflict.")
            .WithDescription("""
                OPERATOR, QA_INSPECTOR, QA_MANAGER, ADMIN. scope left out: SITE and PART_TYPE. The registration belongs to serialId (optional, must carry this number
                and part) or else to the one live unit of the part with this number; with none, the number itself is registered
                and holds it like a unit would. Registering the same unit again updates its scopes. On a collision the answer
                is 201 with hasConflict true and the number's pending conflict for the part (conflictId) lists every claimant;
                concurrent registrations of one number are serialized: one wins, the others get the conflict.
                """)
            .DocumentBody<UniquenessRegisterRequest>().Produces<UniquenessRegisterResponse>(201);

        group.MapPost("/uniqueness/conflict/resolve", (JsonBody<ResolveConflictRequest> body, UniquenessService s, CancellationToken ct) =>
                s.ResolveAsync(body.Value, ct))
            .RequireAuthorization(Policies.QualityManage)
            .WithName("ResolveUniquenessConflict").WithTags(Tag)
            .WithSummary("Resolve the pending conflict of a serial number and part: RETIRE one claimant, KEEP_BOTH or MARK_INVALID.")
            .WithDescription("""
                QA_MANAGER, ADMIN. conflictResolution RETIRE (retiredSerialId: one of the conflict's conflictingSerialIds; a
                serial becomes cancelled with the reason, a number registered without a unit is withdrawn) or KEEP_BOTH (nothing
                is cancelled; these claimants stop conflicting with each other) or MARK_INVALID (every claimant is cancelled with
                the reason "Invalid duplicate serial number" or withdrawn; nobody keeps the number). resolutionReason 1-500 characters (required).
                resolvedBy is accepted and ignored: the caller is recorded. No pending conflict for the number and part: 404
                NOT_FOUND (resourceType UniquenessConflict). hasConflict true when claimants that still collide remain (a new
                pending conflict, pendingConflictId). signature (an extension) {"password", "meaning", "comment"?}: required when the
                organization requires electronic signatures (400 VALIDATION_ERROR, field "signature", without it; 401 UNAUTHORIZED
                for a wrong password, which counts toward the account's lockout, or a locked account).
                """)
            .DocumentBody<ResolveConflictRequest>().Produces<ResolveConflictResponse>();

        group.MapGet("/uniqueness/report/{serialNumber}/{partId}", (string serialNumber, string partId, UniquenessService s, CancellationToken ct) =>
                s.ReportAsync(serialNumber, partId, ct))
            .WithName("GetUniquenessReport").WithTags(Tag)
            .WithSummary("Whether a serial number is unique now in each scope, and who else claims it.")
            .WithDescription("""
                isSiteUnique / isEnterpriseUnique / isPartTypeUnique are factual (whatever scopes were registered): no two
                claimants at one site involving this part, one claimant in the organization, at most one of this part.
                totalConflicts counts the conflicts recorded for the number and part (pending and resolved), pendingConflicts
                the open ones; conflictingSerials lists the claimants that break a flag, with the scopes.
                """)
            .Produces<UniquenessReportDto>();

        group.MapGet("/uniqueness/conflicts/pending", ([AsParameters] PendingConflictsQuery query, UniquenessService s, CancellationToken ct) =>
                s.PendingAsync(query, ct))
            .WithName("ListPendingUniquenessConflicts").WithTags(Tag)
            .WithSummary("Open uniqueness conflicts, oldest first; partId filters by part.")
            .WithDescription("limit 1-500 (default 50), offset 0 or more. An unknown partId is a 404 (resourceType Part).")
            .Produces<IReadOnlyList<PendingConflictDto>>();

        group.MapGet("/uniqueness/conflicts/pending/export", async Task<object> ([AsParameters] PendingConflictsQuery query, string? format, UniquenessService s, CancellationToken ct) =>
                (await s.ExportPendingAsync(query, ct)).ToFile(format))
            .WithName("ExportPendingUniquenessConflicts").WithTags(Tag)
            .WithSummary("Open uniqueness conflicts as a file: the list's part filter and order (oldest first), every row, streamed.")
            .WithExportDescription("""
                Every role, as the list. Same parameters as GET /uniqueness/conflicts/pending (partId; limit and offset are checked
                as there, then ignored); errors (400 VALIDATION_ERROR, 404 Part) answer in the envelope before the file starts.
                Columns: the list item's field names; conflictingSerialIds and conflictingScopes are JSON arrays in one cell.
                """)
            .ProducesExport().ProducesWorkflowErrors(400, 401, 404);

        group.MapGet("/uniqueness/statistics/{partId}", (string partId, UniquenessService s, CancellationToken ct) => s.StatisticsAsync(partId, ct))
            .WithName("GetUniquenessStatistics").WithTags(Tag)
            .WithSummary("Uniqueness statistics of a part.")
            .WithDescription("""
                totalUniqueSerials: distinct numbers carried by the part's live units and registrations; serialsWithConflicts:
                distinct numbers of the part that have had a conflict (pending or resolved); resolvedConflicts: resolved
                conflicts of the part; conflictRate: serialsWithConflicts as a percentage of totalUniqueSerials (two decimals).
                """)
            .Produces<UniquenessStatisticsDto>();

        return group;
    }
}
