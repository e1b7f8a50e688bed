using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;

namespace Operator.Features.Holds;

/// <summary><c>/api/quality/holds</c> (shared/specs/quality-holds.md): thin adapters over the hold classes (<see cref="HoldCommands"/>, <see cref="HoldList"/>, <see cref="HoldDetails"/>).</summary>
public static class HoldsApi
{
    public static IEndpointRouteBuilder MapHoldsApi(this IEndpointRouteBuilder app)
    {
        var holds = app.MapApiGroup("/api/quality/holds", HoldsStyle.Instance).WithTags("Quality holds").RequireAuthorization(Policies.Read);

        holds.MapPost("", (JsonBody<CreateHoldRequest> body, HoldCommands s, CancellationToken ct) => s.CreateAsync(body.Value, ct))
            .WithIdempotency()
            .RequireAuthorization(Policies.HoldWrite).ForbiddenWith(HoldCommands.CreateForbidden).SucceedsWith(201)
            .WithName("CreateQualityHold")
            .WithSummary("Create a quality hold on license plates, work orders and batches.")
            .WithDescription("""
                QA_INSPECTOR, QA_MANAGER, ADMIN. reason is trimmed and 10-500 characters; hold_type and priority (default medium)
                are case-sensitive enums; items holds 1-100 references, no two with the same reference_type and reference_id;
                reference_id is a UUID v4 of a license plate (lp), work order (wo) or batch of the caller's organization
                (404 "License plate not found" / "Work order not found" / "Batch not found"); quantity_held > 0; uom <= 20 and
                notes <= 500 characters. The number is QH-YYYYMMDD-NNNN (UTC day, per organization). Every license plate held
                gets qa_status "hold" (lp_updates). Errors: {"error", "details": [{code, path, message, ...bounds}]}.
                """)
            .DocumentBody<CreateHoldRequest>()
            .Produces<HoldResponse>(201).Produces<HoldsErrorBody>(400).Produces<HoldsErrorBody>(401).Produces<HoldsErrorBody>(403).Produces<HoldsErrorBody>(404);

        holds.MapGet("", ([AsParameters] HoldListQueryString query, HoldList s, CancellationToken ct) => s.ListAsync(query.Value, ct))
            .WithName("ListQualityHolds")
            .WithSummary("List quality holds with filters, search, sorting, paging and aging.")
            .WithDescription("""
                Every role. status, priority, hold_type: comma lists. from/to: ISO 8601, inclusive (a date alone covers its whole
                UTC day). search: hold number or reason, case-insensitive, up to 500 characters. limit 1-100 (default 20), offset
                0-1,000,000. sort: held_at, hold_number, priority (by severity), status, hold_type, items_count or updated_at,
                optionally followed by ASC or DESC (default held_at DESC). reason is cut to 100 characters (ending in "..." when
                cut). aging_hours: whole hours since held_at (for a released or disposed hold, until it was closed).
                aging_status from the priority's threshold (low 72 h, medium 48 h, high 24 h, critical 12 h): normal below it,
                warning from it, critical from twice it.
                """)
            .Produces<ListHoldsResponse>().Produces<HoldsErrorBody>(400).Produces<HoldsErrorBody>(401);

        holds.MapGet("/export", ([AsParameters] HoldListQueryString query, HoldList s, string? format) => s.Export(query.Value).ToFile(format))
            .WithName("ExportQualityHolds")
            .WithSummary("The holds list as CSV: the list's filters, search and sort, every row, streamed.")
            .WithExportDescription("""
                Every role. Same parameters as GET /api/quality/holds; limit and offset are ignored. text/csv; charset=utf-8 as an
                attachment: a header line of the list item's field names (held_by.id, held_by.name, held_by.email for the user),
                then one line per hold.
                """)
            .ProducesExport().Produces<HoldsErrorBody>(400).Produces<HoldsErrorBody>(401);

        holds.MapGet("/{id}", (string id, HoldDetails s, CancellationToken ct) => s.GetAsync(id, ct))
            .WithName("GetQualityHold")
            .WithSummary("One quality hold with its aging, items, license plate status changes and audit history.")
            .Produces<HoldDetailDto>().Produces<HoldsErrorBody>(404);

        holds.MapPatch("/{id}/release", (string id, JsonBody<ReleaseHoldRequest> body, HoldCommands s, CancellationToken ct) => s.ReleaseAsync(id, body.Value, ct))
            .RequireAuthorization(Policies.HoldWrite).ForbiddenWith(HoldCommands.ReleaseForbidden)
            .WithName("ReleaseQualityHold")
            .WithSummary("Release an active hold with a disposition: release→passed, rework→pending, scrap→scrap, return→rejected.")
            .WithDescription("""
                Body {"disposition": "release" | "rework" | "scrap" | "return", "release_notes"?: string up to 1000 characters,
                "signature"?: {"password", "meaning": "reviewed" | "approved" | "rejected" | "responsible", "comment"?}}. The signature
                (an extension) is required when the organization requires electronic signatures (400 at path ["signature"] without it;
                401 {"error"} for a wrong password, which counts toward the account's lockout, or a locked account).
                QA_MANAGER and ADMIN release any hold; a QA_INSPECTOR only the holds they created (403). Each license plate of
                the hold gets the QA status of the disposition: release → passed, rework → pending (awaits QA again after
                rework/retest), scrap → scrap, return → rejected (returned to the supplier); a plate another active hold still
                holds stays "hold". 409 when the hold is not active (already released, or disposed). Answers like create.
                """)
            .DocumentBody<ReleaseHoldRequest>()
            .Produces<HoldResponse>().Produces<HoldsErrorBody>(400).Produces<HoldsErrorBody>(401).Produces<HoldsErrorBody>(403).Produces<HoldsErrorBody>(404).Produces<HoldsErrorBody>(409);

        holds.MapDelete("/{id}", (string id, JsonBody<DisposeHoldRequest> body, HoldCommands s, CancellationToken ct) => s.DisposeAsync(id, body.Value, ct))
            .RequireAuthorization(Policies.QualityManage).ForbiddenWith(HoldCommands.DisposeForbidden).SucceedsWith(204)
            .WithName("DisposeQualityHold")
            .WithSummary("Soft-delete a hold: its status becomes disposed (archived). QA_MANAGER and ADMIN.")
            .WithDescription("""
                An active or released hold becomes "disposed"; the record stays, with its history. Disposing an active hold
                withdraws it: its license plates return to the QA status they had before it (pending if that was another
                hold's "hold" that has ended) unless another active hold still holds them. 409 when already disposed.
                Optional body (an extension) {"signature": {"password", "meaning", "comment"?}}: required when the organization
                requires electronic signatures, answered like release's signature.
                """)
            .DocumentBody<DisposeHoldRequest>()
            .Produces(204).Produces<HoldsErrorBody>(400).Produces<HoldsErrorBody>(401).Produces<HoldsErrorBody>(403).Produces<HoldsErrorBody>(404).Produces<HoldsErrorBody>(409);

        holds.MapGet("/{id}/report.pdf", async Task<object> (string id, HoldDetails s, CancellationToken ct) =>
            {
                var report = await s.GetReportAsync(id, ct);
                return report.IsSuccess ? Results.File(report.Value.Content, "application/pdf", report.Value.FileName) : report;
            })
            .WithName("QualityHoldReport")
            .WithSummary("The hold report as PDF: organization, facts, items, license plate changes, release and history.")
            .Produces(200, contentType: "application/pdf").Produces<HoldsErrorBody>(404);

        return app;
    }
}

public static class HoldsFeature
{
    public static IServiceCollection AddHoldsFeature(this IServiceCollection services) => services
        .AddScoped<HoldCommands>()
        .AddScoped<HoldList>()
        .AddScoped<HoldDetails>()
        .AddScoped<HoldLookup>()
        .AddScoped<BlockingHolds>()
        .AddScoped<HoldDashboard>()
        .AddSingleton<ISignedRecords, HoldSignatures>()
        .AddSingleton<IHoldRaceProbe, NoHoldRaceProbe>()
        .AddScoped<IDemoSeed, HoldsDemoSeed>()
        .AddSingleton<HoldSearchIndex>()
        .AddSingleton<ISchemaExtension, HoldSearchCleanup>();
}
