using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Serials;

/// <summary>The scrap reason list's endpoints: administered under the organization, read beside the scrap endpoint.</summary>
public static class ScrapReasonsApi
{
    /// <summary>Under <c>/api/admin/organization</c> (ADMIN, plain convention).</summary>
    public static RouteGroupBuilder MapScrapReasonCodes(this RouteGroupBuilder organization)
    {
        organization.MapGet("/scrap-reasons", (ScrapReasonService s, CancellationToken ct) => s.ListAsync(false, ct))
            .WithName("ListScrapReasonCodes").WithSummary("The organization's scrap reason codes, active and inactive, in the station's order.")
            .Produces<IReadOnlyList<ScrapReasonCodeDto>>();
        organization.MapPost("/scrap-reasons", (JsonRecord<CreateScrapReasonRequest> r, ScrapReasonService s, CancellationToken ct) => s.CreateAsync(r.Value, ct))
            .SucceedsWith(201)
            .WithName("CreateScrapReasonCode").WithSummary("Add a scrap reason code to the organization's list.")
            .WithDescription("""
                ADMIN. Body {"code": 2-32 of A-Z, 0-9 and _ starting with a letter (stored in upper case), "label": 1-100 characters,
                "requiresText": optional boolean}. 409 when the code exists already (codes are never deleted; reactivate it instead).
                Writes a "scrap_reason_code_created" audit entry. Answers the code (201).
                """)
            .Produces<ScrapReasonCodeDto>(201).Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(409);
        organization.MapPut("/scrap-reasons/{code}", (string code, JsonRecord<UpdateScrapReasonRequest> r, ScrapReasonService s, CancellationToken ct) =>
                s.UpdateAsync(code, r.Value, ct))
            .WithName("UpdateScrapReasonCode").WithSummary("Relabel a scrap reason code, take it out of use or back, or change whether it needs text.")
            .WithDescription("""
                ADMIN. Body {"label"?, "active"?, "requiresText"?}: the fields given change. An inactive code is no longer offered
                and a scrap naming it is refused; serials scrapped with it keep it. Codes are never deleted. Writes a
                "scrap_reason_code_updated" audit entry (before/after) when something changed.
                """)
            .Produces<ScrapReasonCodeDto>().Produces<SerialsErrorBody>(400).Produces<SerialsErrorBody>(404);
        return organization;
    }

    /// <summary>Under <c>/api/serials</c> (every role): what a scrap may name.</summary>
    public static RouteGroupBuilder MapActiveScrapReasons(this RouteGroupBuilder serials)
    {
        serials.MapGet("/scrap-reasons", (ScrapReasonService s, CancellationToken ct) => s.ListAsync(true, ct))
            .WithName("ListActiveScrapReasons")
            .WithSummary("The organization's active scrap reason codes, for the reasonCode of POST /api/serials/{id}/scrap.")
            .Produces<IReadOnlyList<ScrapReasonCodeDto>>();
        return serials;
    }
}
