using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;

namespace Operator.Features.MasterData;

/// <summary>Plain-convention endpoints for the master data: read for every role, create for ADMIN.</summary>
public static class MasterDataApi
{
    public static IEndpointRouteBuilder MapMasterDataApi(this IEndpointRouteBuilder app)
    {
        var parts = app.MapApiGroup("/api/parts", PlainStyle.Instance).WithTags("Parts").RequireAuthorization(Policies.Read);
        parts.MapGet("", ([AsParameters] ListQuery q, MasterDataService s, CancellationToken ct) => s.ListPartsAsync(q, ct))
            .WithName("ListParts").WithSummary("List parts, searched by number, SKU or name.").Produces<Page<PartDto>>();
        parts.MapGet("/export", ([AsParameters] ListQuery q, MasterDataService s, string? format) => s.ExportParts(q).ToFile(format))
            .WithName("ExportParts")
            .WithSummary("The parts list as a file: the list's search and sort, every row, streamed.")
            .WithExportDescription("Every role. Same parameters as GET /api/parts; limit and offset are ignored. A header line of the list item's field names, then one line per item: parts.")
            .ProducesExport();
        parts.MapGet("/{id:guid}", (Guid id, MasterDataService s, CancellationToken ct) => s.GetPartAsync(id, ct))
            .WithName("GetPart").WithSummary("One part.").Produces<PartDto>();
        parts.MapPost("", (JsonRecord<CreatePartRequest> r, MasterDataService s, CancellationToken ct) => s.CreatePartAsync(r.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201).WithName("CreatePart").WithSummary("Create a part.")
            .WithDescription("""
                ADMIN. Body {"number", "sku" (2-12 upper-case letters and digits: it appears in public codes), "name", "description"?,
                "uom"? (default "ea"), "productionType"?: "HAT" | "OEM" | null (case-insensitive; "hatthasilpa"/"oem" accepted),
                "publiclyVerifiable"?: bool (default false; true needs a production type and a verification secret of the
                organization in configuration, else 409)}. 409 when the number or SKU exists.
                """)
            .Produces<PartDto>(201);
        parts.MapPut("/{id:guid}/verification", (Guid id, JsonRecord<UpdatePartVerificationRequest> r, MasterDataService s, CancellationToken ct) => s.SetPartVerificationAsync(id, r.Value, ct))
            .RequireAuthorization(Policies.Admin).WithName("SetPartVerification")
            .WithSummary("Set whether a part's serials get signed public codes, and its production type.")
            .WithDescription("""
                ADMIN. Body {"publiclyVerifiable": bool (required), "productionType": "HAT" | "OEM" | null (case-insensitive;
                "hatthasilpa"/"oem" accepted)}; both are replaced. Publicly verifiable needs a production type (400 naming
                productionType) and a SKU that fits a public code, 2-12 upper-case letters and digits (400 naming
                publiclyVerifiable); the organization needs a verification secret in configuration (409). Only serials numbered
                after the change are affected: existing serials keep their numbers (SN-00001 stays SN-00001, a printed code stays
                valid while the part stays verifiable). Turning verification off withdraws the part's existing codes from public
                verification (they answer "not found") until it is turned on again. Writes a "part_verification_changed" audit
                entry (before/after) when something changed. 404 for an unknown part or one of another organization.
                """)
            .Produces<PartDto>();

        var paths = app.MapApiGroup("/api/paths", PlainStyle.Instance).WithTags("Process paths").RequireAuthorization(Policies.Read);
        paths.MapGet("", ([AsParameters] ListQuery q, MasterDataService s, CancellationToken ct) => s.ListPathsAsync(q, ct))
            .WithName("ListPaths").WithSummary("List process paths with their ordered steps.").Produces<Page<PathDto>>();
        paths.MapGet("/export", ([AsParameters] ListQuery q, MasterDataService s, string? format) => s.ExportPaths(q).ToFile(format))
            .WithName("ExportProcessPaths")
            .WithSummary("The process paths list as a file: the list's search and sort, every row, streamed.")
            .WithExportDescription("Every role. Same parameters as GET /api/paths; limit and offset are ignored. A header line of the list item's field names, then one line per item: process paths (steps as their codes in order, 'CUT > WELD', with stepCount).")
            .ProducesExport();
        paths.MapGet("/{id:guid}", (Guid id, MasterDataService s, CancellationToken ct) => s.GetPathAsync(id, ct))
            .WithName("GetPath").WithSummary("One process path with its steps.").Produces<PathDto>();
        paths.MapPost("", (JsonRecord<CreatePathRequest> r, MasterDataService s, CancellationToken ct) => s.CreatePathAsync(r.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201).WithName("CreatePath").WithSummary("Create a process path; steps are ordered as given.").Produces<PathDto>(201);
        paths.MapPut("/{id:guid}/steps/{stepId:guid}", (Guid id, Guid stepId, JsonRecord<UpdateStepRequest> r, MasterDataService s, CancellationToken ct) =>
                s.SetStepCheckpointAsync(id, stepId, r.Value, ct))
            .RequireAuthorization(Policies.Admin).WithName("SetStepCheckpoint")
            .WithSummary("Mark or unmark one step of a path as a quality checkpoint.")
            .WithDescription("""
                ADMIN. Body {"isQualityCheckpoint": bool (required)}. Answers the path with its steps. Completing a checkpoint
                step raises the part's QUALITY_CHECKPOINT triggers: the flag applies from the next completion of the step on,
                units already past it are not affected. Writes a "process_step_checkpoint_changed" audit entry when the flag
                changed. 404 for an unknown path, a step that is not one of the path's, or either of another organization.
                """)
            .Produces<PathDto>();

        var orders = app.MapApiGroup("/api/work-orders", PlainStyle.Instance).WithTags("Work orders").RequireAuthorization(Policies.Read);
        orders.MapGet("", ([AsParameters] ListQuery q, MasterDataService s, CancellationToken ct) => s.ListWorkOrdersAsync(q, ct))
            .WithName("ListWorkOrders").WithSummary("List work orders, searched by number or part number.").Produces<Page<WorkOrderDto>>();
        orders.MapGet("/export", ([AsParameters] ListQuery q, MasterDataService s, string? format) => s.ExportWorkOrders(q).ToFile(format))
            .WithName("ExportWorkOrders")
            .WithSummary("The work orders list as a file: the list's search and sort, every row, streamed.")
            .WithExportDescription("Every role. Same parameters as GET /api/work-orders; limit and offset are ignored. A header line of the list item's field names, then one line per item: work orders.")
            .ProducesExport();
        orders.MapGet("/{id:guid}", (Guid id, WorkOrderProgressService s, CancellationToken ct) => s.GetAsync(id, ct))
            .WithName("GetWorkOrder").WithSummary("One work order with its progress: planned, in progress by step, completed, and scrapped and cancelled counted apart.")
            .WithDescription("""
                The list's fields, then progress {planned (the quantity), serials (units made: in progress, completed or scrapped),
                notStarted (planned minus made, never below 0), inProgress, steps: [{stepId, sequence, code, name, inProgress}] for
                every step of the order's path in order, completed, scrapped, cancelled}. A scrapped unit counts only as scrapped.
                """)
            .Produces<WorkOrderDetailDto>();
        orders.MapPost("", (JsonRecord<CreateWorkOrderRequest> r, MasterDataService s, CancellationToken ct) => s.CreateWorkOrderAsync(r.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201).WithName("CreateWorkOrder").WithSummary("Create a work order; the number is drawn (WO-00001) when not given.").Produces<WorkOrderDto>(201);

        var locations = app.MapApiGroup("/api/locations", PlainStyle.Instance).WithTags("Locations").RequireAuthorization(Policies.Read);
        locations.MapGet("", ([AsParameters] ListQuery q, MasterDataService s, CancellationToken ct) => s.ListLocationsAsync(q, ct))
            .WithName("ListLocations").WithSummary("List storage locations.").Produces<Page<LocationDto>>();
        locations.MapPost("", (JsonRecord<CreateLocationRequest> r, MasterDataService s, CancellationToken ct) => s.CreateLocationAsync(r.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201).WithName("CreateLocation").WithSummary("Create a location.").Produces<LocationDto>(201);

        var plates = app.MapApiGroup("/api/license-plates", PlainStyle.Instance).WithTags("License plates").RequireAuthorization(Policies.Read);
        plates.MapGet("", ([AsParameters] ListQuery q, MasterDataService s, CancellationToken ct) => s.ListLicensePlatesAsync(q, ct))
            .WithName("ListLicensePlates").WithSummary("List license plates with their QA status.").Produces<Page<LicensePlateDto>>();
        plates.MapGet("/export", ([AsParameters] ListQuery q, MasterDataService s, string? format) => s.ExportLicensePlates(q).ToFile(format))
            .WithName("ExportLicensePlates")
            .WithSummary("The license plates list as a file: the list's search and sort, every row, streamed.")
            .WithExportDescription("Every role. Same parameters as GET /api/license-plates; limit and offset are ignored. A header line of the list item's field names, then one line per item: license plates.")
            .ProducesExport();
        plates.MapGet("/{id:guid}", (Guid id, MasterDataService s, CancellationToken ct) => s.GetLicensePlateAsync(id, ct))
            .WithName("GetLicensePlate").WithSummary("One license plate.").Produces<LicensePlateDto>();
        plates.MapPost("", (JsonRecord<CreateLicensePlateRequest> r, MasterDataService s, CancellationToken ct) => s.CreateLicensePlateAsync(r.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201).WithName("CreateLicensePlate").WithSummary("Create a license plate (QA status pending); the number is drawn (LP-00001) when not given.").Produces<LicensePlateDto>(201);

        var batches = app.MapApiGroup("/api/batches", PlainStyle.Instance).WithTags("Batches").RequireAuthorization(Policies.Read);
        batches.MapGet("", ([AsParameters] ListQuery q, MasterDataService s, CancellationToken ct) => s.ListBatchesAsync(q, ct))
            .WithName("ListBatches").WithSummary("List production batches.").Produces<Page<BatchDto>>();
        batches.MapGet("/export", ([AsParameters] ListQuery q, MasterDataService s, string? format) => s.ExportBatches(q).ToFile(format))
            .WithName("ExportBatches")
            .WithSummary("The batches list as a file: the list's search and sort, every row, streamed.")
            .WithExportDescription("Every role. Same parameters as GET /api/batches; limit and offset are ignored. A header line of the list item's field names, then one line per item: batches.")
            .ProducesExport();
        batches.MapGet("/{id:guid}", (Guid id, MasterDataService s, CancellationToken ct) => s.GetBatchAsync(id, ct))
            .WithName("GetBatch").WithSummary("One batch.").Produces<BatchDto>();
        batches.MapPost("", (JsonRecord<CreateBatchRequest> r, MasterDataService s, CancellationToken ct) => s.CreateBatchAsync(r.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201).WithName("CreateBatch").WithSummary("Create a batch; the number is drawn (B-00001) when not given.").Produces<BatchDto>(201);

        return app;
    }
}

public static class MasterDataFeature
{
    public static IServiceCollection AddMasterDataFeature(this IServiceCollection services) => services
        .AddScoped<MasterDataService>()
        .AddScoped<WorkOrderProgressService>()
        .AddScoped<IDemoSeed, MasterDataDemoSeed>();
}
