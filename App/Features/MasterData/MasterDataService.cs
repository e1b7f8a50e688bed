using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Reports;
using Operator.Features.Verification;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.MasterData;

/// <summary>
/// Parts, process paths, work orders, locations, license plates and batches: the rows the other features refer to.
/// Lists are searched by number/code/name, paged, and always filtered to the caller's organization by the context.
/// </summary>
public sealed class MasterDataService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time,
    IEnumerable<Serialization.IWorkOrderEvents> workOrderEvents, Serials.SerialNumbering numbering)
{
    // ---- parts ----

    private static readonly Expression<Func<Part, PartDto>> PartProjection = p =>
        new PartDto(p.Id, p.Number, p.Sku, p.Name, p.Description, p.Uom, p.ProductionType, p.PubliclyVerifiable, p.CreatedAt);

    private static readonly Func<Part, PartDto> ToDto = PartProjection.Compile();

    // What SerialCodeFormat.IsSku accepts, in words.
    private const string SkuRule = "2-12 upper-case letters and digits";

    // Sort keys are the JSON names of the DTO's fields, so ?sort= names what the caller sees.
    private static readonly SortKeys<Part> PartSorts = new SortKeys<Part>()
        .Add("number", p => p.Number).Add("sku", p => p.Sku).Add("name", p => p.Name).Add("uom", p => p.Uom).Add("createdAt", p => p.CreatedAt);

    public Task<Result<Page<PartDto>>> ListPartsAsync(ListQuery query, CancellationToken ct = default) =>
        ListAsync(query, db => db.Set<Part>(), p => p.Number, PartSorts, term => p => p.Number.ToLower().Contains(term) || p.Name.ToLower().Contains(term) || p.Sku.ToLower().Contains(term),
            PartProjection, ct);

    public Task<Result<PartDto>> GetPartAsync(Guid id, CancellationToken ct = default) =>
        GetAsync(db => db.Set<Part>().Where(p => p.Id == id).Select(PartProjection), "Part", id, ct);

    public async Task<Result<PartDto>> CreatePartAsync(CreatePartRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var number = checks.Text(P("number"), request.Number, 1, 40);
        var sku = checks.Text(P("sku"), request.Sku, 2, 12);
        // Every SKU must be able to appear in a public code, so a part can be made verifiable later without renaming it.
        if (sku is not null && !SerialCodeFormat.IsSku(sku))
        {
            checks.Add(P("sku"), $"SKU must be {SkuRule}");
        }
        var name = checks.Text(P("name"), request.Name, 1, 200);
        var description = checks.OptionalText(P("description"), request.Description, 1000);
        var uom = checks.Text(P("uom"), request.Uom ?? "ea", 1, 20);
        // The SKU was checked just above by the same rule the public code uses.
        var (productionType, verifiable) = CheckVerification(checks, request.ProductionType, request.PubliclyVerifiable ?? false);
        if (checks.Failed) return checks.ToError("Invalid part");

        await using var db = factory.CreateDbContext();
        if (verifiable && await CannotSignAsync(db, productionType, ct) is { } noSecret) return noSecret;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var part = new Part
        {
            Number = number!, Sku = sku!, Name = name!, Description = description, Uom = uom!, ProductionType = productionType, PubliclyVerifiable = verifiable,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return await CommitNewAsync(db, tx, part, "part", part.Id, $"Part {number} or SKU {sku} already exists", () => ToDto(part), ct);
    }

    /// <summary>
    /// Sets whether a part's serials get signed public codes, and its production type (HAT/OEM). Publicly verifiable needs
    /// a production type and a SKU that fits a public code (<see cref="SerialCodeFormat.IsSku"/>), and the organization
    /// needs a signing secret in configuration (else 409, as <see cref="Serials.SerialNumbering"/> would answer at the
    /// first serial). The change applies to serials numbered from now on: existing serials keep their numbers (SN-00001
    /// stays SN-00001, a signed code stays as printed). Turning verification off withdraws the part's existing codes from
    /// public verification (they answer "not found") until it is turned on again. An unchanged setting writes no audit entry.
    /// </summary>
    public async Task<Result<PartDto>> SetPartVerificationAsync(Guid id, UpdatePartVerificationRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        if (request.PubliclyVerifiable is null)
        {
            checks.Add(new FieldIssue(P("publiclyVerifiable"), "Required", "invalid_type",
                new Dictionary<string, object?> { ["expected"] = "boolean", ["received"] = "undefined" }));
        }
        var (productionType, verifiable) = CheckVerification(checks, request.ProductionType, request.PubliclyVerifiable ?? false);
        if (checks.Failed) return checks.ToError("Invalid verification settings");

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var part = await db.Set<Part>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (part is null) return Error.NotFound($"Part not found: {id}", "Part", id.ToString());
        // Parts created through the API always have such a SKU; older or imported ones may not.
        if (verifiable && !SerialCodeFormat.IsSku(part.Sku))
        {
            return Error.Validation("Invalid verification settings",
                new FieldIssue(P("publiclyVerifiable"), $"SKU {part.Sku} cannot appear in a public code (it must be {SkuRule})"));
        }
        if (verifiable && await CannotSignAsync(db, productionType, ct) is { } noSecret) return noSecret;

        if (part.PubliclyVerifiable == verifiable && part.ProductionType == productionType) return ToDto(part);
        var before = new { publiclyVerifiable = part.PubliclyVerifiable, productionType = part.ProductionType };
        part.PubliclyVerifiable = verifiable;
        part.ProductionType = productionType;
        await audit.AppendAsync(db, "part_verification_changed", "part", part.Id.ToString(), before,
            new { publiclyVerifiable = verifiable, productionType }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ToDto(part);
    }

    /// <summary>
    /// The request side of the verification rule, shared by create and update: production type HAT/OEM (case-insensitive,
    /// the long names hatthasilpa/oem too) or null; publicly verifiable needs a production type. Returns the stored
    /// production type (HAT/OEM) and the flag.
    /// </summary>
    private static (string? ProductionType, bool Verifiable) CheckVerification(Checks checks, string? productionType, bool verifiable)
    {
        string? type = null;
        if (productionType is not null)
        {
            var given = productionType.Trim();
            if (ProductionTypes.IsCode(given.ToUpperInvariant())) type = given.ToUpperInvariant();
            else if (ProductionTypes.TryFromLongName(given, out var code)) type = code;
            else checks.Add(P("productionType"), $"Production type must be {ProductionTypes.Hatthasilpa} (hatthasilpa), {ProductionTypes.Oem} or null", "invalid_enum_value");
        }
        if (verifiable && productionType is null)
        {
            checks.Add(P("productionType"), "A publicly verifiable part needs a production type (HAT or OEM): it is part of every public code");
        }
        return (type, verifiable);
    }

    /// <summary>
    /// A 409 when the part's serials could not be numbered (<see cref="Serials.SerialNumbering.CanSign"/>): the production
    /// type is checked with the request, so what is left is the organization's signing secret.
    /// </summary>
    private async Task<Error?> CannotSignAsync(OperatorDb db, string? productionType, CancellationToken ct)
    {
        var orgCode = await db.Organizations.Where(o => o.Id == db.TenantId).Select(o => o.Code).SingleAsync(ct);
        return numbering.CanSign(orgCode, productionType)
            ? null
            : Error.Conflict($"Organization {orgCode} has no verification secret configured (Verification:Keys:{orgCode}), so public codes cannot be signed");
    }

    // ---- process paths ----

    private static readonly SortKeys<ProcessPath> PathSorts = new SortKeys<ProcessPath>().Add("code", p => p.Code).Add("name", p => p.Name);

    public Task<Result<Page<PathDto>>> ListPathsAsync(ListQuery query, CancellationToken ct = default) =>
        ListAsync(query, db => db.Set<ProcessPath>(), p => p.Code, PathSorts, term => p => p.Code.ToLower().Contains(term) || p.Name.ToLower().Contains(term),
            PathProjection, ct);

    public Task<Result<PathDto>> GetPathAsync(Guid id, CancellationToken ct = default) =>
        GetAsync(db => db.Set<ProcessPath>().Where(p => p.Id == id).Select(PathProjection), "ProcessPath", id, ct);

    private static readonly Expression<Func<ProcessPath, PathDto>> PathProjection = p =>
        new PathDto(p.Id, p.Code, p.Name, p.PartId, p.Steps.OrderBy(s => s.Sequence).Select(s => new StepDto(s.Id, s.Sequence, s.Code, s.Name, s.IsQualityCheckpoint)).ToList());

    public async Task<Result<PathDto>> CreatePathAsync(CreatePathRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var code = checks.Text(P("code"), request.Code, 1, 40);
        var name = checks.Text(P("name"), request.Name, 1, 200);
        if (request.Steps is not { Count: > 0 and <= 50 })
        {
            checks.Add(P("steps"), "A path needs between 1 and 50 steps", request.Steps is null ? "invalid_type" : "too_small");
        }
        var steps = new List<ProcessStep>();
        for (var i = 0; i < (request.Steps?.Count ?? 0); i++)
        {
            var s = request.Steps![i];
            var stepCode = checks.Text(P("steps", i, "code"), s?.Code, 1, 40);
            var stepName = checks.Text(P("steps", i, "name"), s?.Name, 1, 200);
            steps.Add(new ProcessStep { Sequence = i, Code = stepCode ?? "", Name = stepName ?? "", IsQualityCheckpoint = s?.IsQualityCheckpoint ?? false });
        }
        if (checks.Failed) return checks.ToError("Invalid process path");
        if (request.PartId is { } partId && !await ExistsAsync<Part>(partId, ct))
        {
            return Error.NotFound($"Part not found: {partId}", "Part", partId.ToString());
        }

        var path = new ProcessPath { Code = code!, Name = name!, PartId = request.PartId, Steps = steps, CreatedAt = time.GetUtcNow().UtcDateTime };
        return await SaveNewAsync(path, "process_path", path.Id, $"Process path {code} already exists",
            () => new PathDto(path.Id, path.Code, path.Name, path.PartId, steps.Select(s => new StepDto(s.Id, s.Sequence, s.Code, s.Name, s.IsQualityCheckpoint)).ToList()), ct);
    }

    /// <summary>
    /// Sets or clears the quality-checkpoint flag of one step of an existing path. Only completions from now on follow
    /// it: the move that completes the step reads the flag in its own transaction (<c>SerializationEvents</c>), so units
    /// already past the step are not touched and the next completion fires QUALITY_CHECKPOINT, or no longer does. An
    /// unchanged flag writes no audit entry.
    /// </summary>
    public async Task<Result<PathDto>> SetStepCheckpointAsync(Guid pathId, Guid stepId, UpdateStepRequest request, CancellationToken ct = default)
    {
        if (request.IsQualityCheckpoint is not { } checkpoint)
        {
            return Error.Validation("Invalid process step", new FieldIssue(P("isQualityCheckpoint"), "Required", "invalid_type",
                new Dictionary<string, object?> { ["expected"] = "boolean", ["received"] = "undefined" }));
        }

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The change decides itself, under the row's lock: of two requests setting the same value, one writes and is
        // audited, the other finds nothing to change.
        var changed = await db.Set<ProcessStep>()
            .Where(s => s.Id == stepId && s.PathId == pathId && s.IsQualityCheckpoint != checkpoint)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IsQualityCheckpoint, checkpoint), ct);
        var step = await db.Set<ProcessStep>().AsNoTracking().Where(s => s.Id == stepId && s.PathId == pathId)
            .Select(s => new { s.Id, s.Sequence, s.Code, PathCode = db.Set<ProcessPath>().Where(p => p.Id == s.PathId).Select(p => p.Code).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        if (step is null)
        {
            return await db.Set<ProcessPath>().AnyAsync(p => p.Id == pathId, ct)
                ? Error.NotFound($"ProcessStep not found: {stepId}", "ProcessStep", stepId.ToString())
                : Error.NotFound($"ProcessPath not found: {pathId}", "ProcessPath", pathId.ToString());
        }
        if (changed > 0)
        {
            await audit.AppendAsync(db, "process_step_checkpoint_changed", "process_step", step.Id.ToString(),
                new { isQualityCheckpoint = !checkpoint },
                new { isQualityCheckpoint = checkpoint, pathId, pathCode = step.PathCode, stepSequence = step.Sequence, stepCode = step.Code }, ct: ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return await db.Set<ProcessPath>().AsNoTracking().Where(p => p.Id == pathId).Select(PathProjection).SingleAsync(ct);
    }

    // ---- work orders ----

    private static readonly SortKeys<WorkOrder> WorkOrderSorts = new SortKeys<WorkOrder>()
        .Add("number", w => w.Number).Add("partNumber", w => w.Part!.Number).Add("pathCode", w => w.Path!.Code).Add("quantity", w => w.Quantity)
        .Add("status", w => w.Status).Add("dueAt", w => w.DueAt).Add("createdAt", w => w.CreatedAt);

    public Task<Result<Page<WorkOrderDto>>> ListWorkOrdersAsync(ListQuery query, CancellationToken ct = default) =>
        ListAsync(query, db => db.Set<WorkOrder>(), w => w.Number, WorkOrderSorts, term => w => w.Number.ToLower().Contains(term) || w.Part!.Number.ToLower().Contains(term),
            WorkOrderProjection, ct);

    public Task<Result<WorkOrderDto>> GetWorkOrderAsync(Guid id, CancellationToken ct = default) =>
        GetAsync(db => db.Set<WorkOrder>().Where(w => w.Id == id).Select(WorkOrderProjection), "WorkOrder", id, ct);

    private static readonly Expression<Func<WorkOrder, WorkOrderDto>> WorkOrderProjection = w =>
        new WorkOrderDto(w.Id, w.Number, w.PartId, w.Part!.Number, w.Part.Name, w.PathId, w.Path!.Code, w.Quantity, w.Status, w.DueAt, w.CreatedAt);

    public async Task<Result<WorkOrderDto>> CreateWorkOrderAsync(CreateWorkOrderRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var number = checks.OptionalText(P("number"), request.Number, 40);
        var partId = checks.Id(P("partId"), request.PartId);
        var pathId = checks.Id(P("pathId"), request.PathId);
        var quantity = checks.Range(P("quantity"), request.Quantity, 1, 1_000_000, required: true);
        if (checks.Failed) return checks.ToError("Invalid work order");

        await using var db = factory.CreateDbContext();
        var part = await db.Set<Part>().Where(p => p.Id == partId).Select(p => new { p.Number, p.Name }).SingleOrDefaultAsync(ct);
        if (part is null) return Error.NotFound($"Part not found: {partId}", "Part", partId.ToString());
        var pathCode = await db.Set<ProcessPath>().Where(p => p.Id == pathId).Select(p => p.Code).SingleOrDefaultAsync(ct);
        if (pathCode is null) return Error.NotFound($"Path not found: {pathId}", "ProcessPath", pathId.ToString());

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var order = new WorkOrder
        {
            Number = string.IsNullOrEmpty(number) ? $"WO-{await db.NextAsync(db.TenantId!.Value, "wo", 1, ct):D5}" : number,
            PartId = partId!.Value, PathId = pathId!.Value, Quantity = quantity!.Value, DueAt = request.DueAt, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var dto = new WorkOrderDto(order.Id, order.Number, order.PartId, part.Number, part.Name, order.PathId, pathCode, order.Quantity, order.Status, order.DueAt, order.CreatedAt);
        // In the creation's transaction: serialization writes the part's WORK_ORDER_CREATE event to the outbox, fired after the commit.
        foreach (var events in workOrderEvents) await events.WorkOrderCreatedAsync(db, dto, ct);
        return await CommitNewAsync(db, tx, order, "work_order", order.Id, $"Work order {order.Number} already exists", () => dto, ct);
    }

    // ---- locations ----

    public Task<Result<Page<LocationDto>>> ListLocationsAsync(ListQuery query, CancellationToken ct = default) =>
        ListAsync(query, db => db.Set<Location>(), l => l.Code, null, term => l => l.Code.ToLower().Contains(term) || l.Name.ToLower().Contains(term),
            l => new LocationDto(l.Id, l.Code, l.Name), ct);

    public async Task<Result<LocationDto>> CreateLocationAsync(CreateLocationRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var code = checks.Text(P("code"), request.Code, 1, 40);
        var name = checks.Text(P("name"), request.Name, 1, 200);
        if (checks.Failed) return checks.ToError("Invalid location");
        var location = new Location { Code = code!, Name = name! };
        return await SaveNewAsync(location, "location", location.Id, $"Location {code} already exists", () => new LocationDto(location.Id, location.Code, location.Name), ct);
    }

    // ---- license plates ----

    private static readonly SortKeys<LicensePlate> LicensePlateSorts = new SortKeys<LicensePlate>()
        .Add("number", l => l.Number).Add("partNumber", l => l.Part!.Number).Add("quantity", l => l.Quantity)
        .Add("locationName", l => l.Location != null ? l.Location.Name : null).Add("qaStatus", l => l.QaStatus).Add("createdAt", l => l.CreatedAt);

    public Task<Result<Page<LicensePlateDto>>> ListLicensePlatesAsync(ListQuery query, CancellationToken ct = default) =>
        ListAsync(query, db => db.Set<LicensePlate>(), l => l.Number, LicensePlateSorts, term => l => l.Number.ToLower().Contains(term) || l.Part!.Number.ToLower().Contains(term),
            LicensePlateProjection, ct);

    public Task<Result<LicensePlateDto>> GetLicensePlateAsync(Guid id, CancellationToken ct = default) =>
        GetAsync(db => db.Set<LicensePlate>().Where(l => l.Id == id).Select(LicensePlateProjection), "LicensePlate", id, ct);

    private static readonly Expression<Func<LicensePlate, LicensePlateDto>> LicensePlateProjection = l =>
        new LicensePlateDto(l.Id, l.Number, l.PartId, l.Part!.Number, l.Quantity, l.Uom, l.LocationId, l.Location != null ? l.Location.Name : null, l.QaStatus, l.CreatedAt);

    public async Task<Result<LicensePlateDto>> CreateLicensePlateAsync(CreateLicensePlateRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var number = checks.OptionalText(P("number"), request.Number, 40);
        var partId = checks.Id(P("partId"), request.PartId);
        var quantity = checks.Positive(P("quantity"), request.Quantity, required: true);
        var uom = checks.Text(P("uom"), request.Uom, 1, 20);
        if (checks.Failed) return checks.ToError("Invalid license plate");

        await using var db = factory.CreateDbContext();
        var partNumber = await db.Set<Part>().Where(p => p.Id == partId).Select(p => p.Number).SingleOrDefaultAsync(ct);
        if (partNumber is null) return Error.NotFound($"Part not found: {partId}", "Part", partId.ToString());
        string? locationName = null;
        if (request.LocationId is { } locationId)
        {
            locationName = await db.Set<Location>().Where(l => l.Id == locationId).Select(l => l.Name).SingleOrDefaultAsync(ct);
            if (locationName is null) return Error.NotFound($"Location not found: {locationId}", "Location", locationId.ToString());
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var plate = new LicensePlate
        {
            Number = string.IsNullOrEmpty(number) ? $"LP-{await db.NextAsync(db.TenantId!.Value, "lp", 1, ct):D5}" : number,
            PartId = partId!.Value, Quantity = quantity!.Value, Uom = uom!, LocationId = request.LocationId, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return await CommitNewAsync(db, tx, plate, "license_plate", plate.Id, $"License plate {plate.Number} already exists",
            () => new LicensePlateDto(plate.Id, plate.Number, plate.PartId, partNumber, plate.Quantity, plate.Uom, plate.LocationId, locationName, plate.QaStatus, plate.CreatedAt), ct);
    }

    // ---- batches ----

    private static readonly SortKeys<Batch> BatchSorts = new SortKeys<Batch>()
        .Add("number", b => b.Number).Add("partNumber", b => b.Part!.Number).Add("quantity", b => b.Quantity)
        .Add("producedAt", b => b.ProducedAt).Add("createdAt", b => b.CreatedAt);

    public Task<Result<Page<BatchDto>>> ListBatchesAsync(ListQuery query, CancellationToken ct = default) =>
        ListAsync(query, db => db.Set<Batch>(), b => b.Number, BatchSorts, term => b => b.Number.ToLower().Contains(term) || b.Part!.Number.ToLower().Contains(term),
            BatchProjection, ct);

    public Task<Result<BatchDto>> GetBatchAsync(Guid id, CancellationToken ct = default) =>
        GetAsync(db => db.Set<Batch>().Where(b => b.Id == id).Select(BatchProjection), "Batch", id, ct);

    private static readonly Expression<Func<Batch, BatchDto>> BatchProjection = b =>
        new BatchDto(b.Id, b.Number, b.PartId, b.Part!.Number, b.Quantity, b.Uom, b.ProducedAt, b.CreatedAt);

    public async Task<Result<BatchDto>> CreateBatchAsync(CreateBatchRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var number = checks.OptionalText(P("number"), request.Number, 40);
        var partId = checks.Id(P("partId"), request.PartId);
        var quantity = checks.Positive(P("quantity"), request.Quantity, required: true);
        var uom = checks.Text(P("uom"), request.Uom, 1, 20);
        if (checks.Failed) return checks.ToError("Invalid batch");

        await using var db = factory.CreateDbContext();
        var partNumber = await db.Set<Part>().Where(p => p.Id == partId).Select(p => p.Number).SingleOrDefaultAsync(ct);
        if (partNumber is null) return Error.NotFound($"Part not found: {partId}", "Part", partId.ToString());

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = new Batch
        {
            Number = string.IsNullOrEmpty(number) ? $"B-{await db.NextAsync(db.TenantId!.Value, "batch", 1, ct):D5}" : number,
            PartId = partId!.Value, Quantity = quantity!.Value, Uom = uom!, ProducedAt = request.ProducedAt, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return await CommitNewAsync(db, tx, batch, "batch", batch.Id, $"Batch {batch.Number} already exists",
            () => new BatchDto(batch.Id, batch.Number, batch.PartId, partNumber, batch.Quantity, batch.Uom, batch.ProducedAt, batch.CreatedAt), ct);
    }

    // ---- shared steps ----

    private async Task<Result<Page<TDto>>> ListAsync<TEntity, TDto>(ListQuery query, Func<OperatorDb, IQueryable<TEntity>> source,
        Expression<Func<TEntity, string>> orderBy, SortKeys<TEntity>? sorts, Func<string, Expression<Func<TEntity, bool>>> search,
        Expression<Func<TEntity, TDto>> projection, CancellationToken ct) where TEntity : class
    {
        if (query.Validate(sorts?.Names) is { } invalid) return invalid;
        await using var db = factory.CreateDbContext();
        var rows = source(db).AsNoTracking();
        if (query.Term is { } term)
        {
            // Case-insensitive and literal on both providers (lower() and instr/strpos; no LIKE wildcards to escape).
            rows = rows.Where(search(term.ToLowerInvariant()));
        }
        var ordered = sorts is null ? rows.OrderBy(orderBy) : sorts.Apply(rows, query, orderBy);
        return await ordered.Select(projection).ToPageAsync(query, ct);
    }

    // ---- exports: the lists' filter, sort and order without the page, streamed ----

    public static readonly ExportColumns<PartDto> PartColumns = ExportColumns<PartDto>.FromProperties();
    public static readonly ExportColumns<WorkOrderDto> WorkOrderColumns = ExportColumns<WorkOrderDto>.FromProperties();
    public static readonly ExportColumns<LicensePlateDto> LicensePlateColumns = ExportColumns<LicensePlateDto>.FromProperties();
    public static readonly ExportColumns<BatchDto> BatchColumns = ExportColumns<BatchDto>.FromProperties();

    /// <summary>A path's steps do not fit one cell as objects: the export lists their codes in order.</summary>
    public static readonly ExportColumns<PathDto> PathColumns = new(
        ("id", p => p.Id), ("code", p => p.Code), ("name", p => p.Name), ("partId", p => p.PartId), ("stepCount", p => p.Steps.Count),
        ("steps", p => string.Join(" > ", p.Steps.Select(st => st.Code))));

    public Result<CsvExport> ExportParts(ListQuery query) =>
        Export(query, "parts", PartColumns, db => db.Set<Part>(), p => p.Number, PartSorts, term => p => p.Number.ToLower().Contains(term) || p.Name.ToLower().Contains(term) || p.Sku.ToLower().Contains(term), PartProjection);

    public Result<CsvExport> ExportPaths(ListQuery query) =>
        Export(query, "paths", PathColumns, db => db.Set<ProcessPath>(), p => p.Code, PathSorts, term => p => p.Code.ToLower().Contains(term) || p.Name.ToLower().Contains(term), PathProjection);

    public Result<CsvExport> ExportWorkOrders(ListQuery query) =>
        Export(query, "work-orders", WorkOrderColumns, db => db.Set<WorkOrder>(), w => w.Number, WorkOrderSorts, term => w => w.Number.ToLower().Contains(term) || w.Part!.Number.ToLower().Contains(term), WorkOrderProjection);

    public Result<CsvExport> ExportLicensePlates(ListQuery query) =>
        Export(query, "license-plates", LicensePlateColumns, db => db.Set<LicensePlate>(), l => l.Number, LicensePlateSorts, term => l => l.Number.ToLower().Contains(term) || l.Part!.Number.ToLower().Contains(term), LicensePlateProjection);

    public Result<CsvExport> ExportBatches(ListQuery query) =>
        Export(query, "batches", BatchColumns, db => db.Set<Batch>(), b => b.Number, BatchSorts, term => b => b.Number.ToLower().Contains(term) || b.Part!.Number.ToLower().Contains(term), BatchProjection);

    private Result<CsvExport> Export<TEntity, TDto>(ListQuery query, string list, ExportColumns<TDto> columns, Func<OperatorDb, IQueryable<TEntity>> source,
        Expression<Func<TEntity, string>> orderBy, SortKeys<TEntity>? sorts, Func<string, Expression<Func<TEntity, bool>>> search,
        Expression<Func<TEntity, TDto>> projection) where TEntity : class
    {
        var unpaged = query with { Limit = null, Offset = null };
        if (unpaged.Validate(sorts?.Names) is { } invalid) return invalid;
        return columns.Export(ExportFiles.Name(list, time), Rows());

        async IAsyncEnumerable<TDto> Rows([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            await using var db = factory.CreateDbContext();
            var rows = source(db).AsNoTracking();
            if (unpaged.Term is { } term) rows = rows.Where(search(term.ToLowerInvariant()));
            var ordered = sorts is null ? rows.OrderBy(orderBy) : sorts.Apply(rows, unpaged, orderBy);
            await foreach (var row in ordered.Select(projection).AsAsyncEnumerable().WithCancellation(ct)) yield return row;
        }
    }

    private async Task<Result<TDto>> GetAsync<TDto>(Func<OperatorDb, IQueryable<TDto>> query, string type, Guid id, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var found = await query(db).SingleOrDefaultAsync(ct);
        return found is null ? Error.NotFound($"{type} not found: {id}", type, id.ToString()) : found;
    }

    private async Task<bool> ExistsAsync<TEntity>(Guid id, CancellationToken ct) where TEntity : class
    {
        await using var db = factory.CreateDbContext();
        return await db.Set<TEntity>().AnyAsync(e => EF.Property<Guid>(e, "Id") == id, ct);
    }

    private async Task<Result<TDto>> SaveNewAsync<TEntity, TDto>(TEntity entity, string kind, Guid id, string conflict, Func<TDto> dto, CancellationToken ct) where TEntity : class
    {
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        return await CommitNewAsync(db, tx, entity, kind, id, conflict, dto, ct);
    }

    /// <summary>Inserts the row with its audit entry in one transaction; a unique index that says no is a conflict.</summary>
    private async Task<Result<TDto>> CommitNewAsync<TEntity, TDto>(OperatorDb db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, TEntity entity,
        string kind, Guid id, string conflict, Func<TDto> dto, CancellationToken ct) where TEntity : class
    {
        db.Add(entity);
        var result = dto();
        await audit.AppendAsync(db, $"{kind}_created", kind, id.ToString(), after: result, ct: ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Error.Conflict(conflict);
        }
    }
}
