using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Reports;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;




/// <summary>The spec's 3.1 answer (its fields first), then where the unit waits.</summary>
public sealed record PlaceholderCreatedDto(Guid Id, Guid PartId, string Status, int Quantity, DateTime CreatedAt, Guid? WorkOrderId, string? OperationCode);

/// <summary>The spec's 3.2 answer, then the id of the serial that was created.</summary>
public sealed record PlaceholderAssignedDto(Guid Id, string Status, string SerialNumber, DateTime AssignedAt, Guid SerialId);

/// <summary>The spec's 3.3 answer, then when.</summary>
public sealed record PlaceholderFailedDto(Guid Id, string Status, string FailureReason, DateTime FailedAt);

/// <summary>One pending placeholder (the spec's 3.4 fields first), with what the station screen shows.</summary>
public sealed record PendingPlaceholderDto(
    Guid Id, Guid PartId, string Status, DateTime CreatedAt, int Quantity, Guid? WorkOrderId, string? WorkOrderNumber, string? OperationCode, string PartNumber);

/// <summary>The spec's 3.5 answer.</summary>
public sealed record PlaceholderStatisticsDto(int TotalPending, int TotalSerialized, int TotalFailed, double SuccessRate, double AverageTimeToSerialization);

/// <summary>
/// Late assignment (spec section 3): a unit (or a quantity of units) waits as a PENDING placeholder until it gets its
/// number at an operation. PENDING → SERIALIZED (assign: the number passes the uniqueness guard and becomes an
/// ordinary <see cref="Serial"/> of origin <c>late_assignment</c>) or PENDING → FAILED (a reason is required).
/// A SERIALIZED or FAILED placeholder is final: assigning or failing it again is a 409.
/// <list type="bullet">
/// <item>The serial gets the placeholder's work order and that work order's path, standing at the step whose code is the
/// placeholder's operation code (the operation where the number is applied), else at step 0. A placeholder of
/// quantity &gt; 1 is serialized as one batch-scope serial.</item>
/// <item>Statistics: successRate = serialized / (serialized + failed) × 100, one decimal, 0 while none is decided;
/// averageTimeToSerialization = mean hours from creation to assignment, one decimal, 0 while none is serialized.</item>
/// </list>
/// createdBy/assignedBy/failedBy in bodies are accepted, but the audit trail records the signed-in caller.
/// </summary>
public sealed class PlaceholderService(
    IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller, SerialUniquenessGuard guard)
{
    public const string AuditType = "placeholder";
    public const int MaxQuantity = 1_000_000;
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public bool CanWork => Policies.Allows(Policies.StationWork, caller.Role);

    // ---------------------------------------------------------------- create

    public async Task<Result<PlaceholderCreatedDto>> CreateAsync(CreatePlaceholderRequest request, CancellationToken ct = default)
    {
        if (!CanWork) return WorkflowErrors.Forbidden();
        var checks = new Checks();
        var (partId, workOrderId, operation, quantity) = request.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var part = await db.Set<Part>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == partId, ct);
        if (part is null) return WorkflowErrors.NotFound("Part", partId.ToString());
        WorkOrderRef? order = null;
        if (workOrderId is { } wid)
        {
            var found = await GenerationService.WorkOrderFromContextAsync(db, new Dictionary<string, string> { ["workOrderId"] = wid.ToString() }, part, ct);
            if (!found.IsSuccess)
            {
                return found.Error!.Kind == ErrorKind.Validation ? WorkflowErrors.Invalid("workOrderId", found.Error.Issues[0].Message) : found.Error;
            }
            order = found.Value;
        }
        var created = await CreateInAsync(db, part, order?.Id, operation, [quantity], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var p = created[0];
        return new PlaceholderCreatedDto(p.Id, p.PartId, p.Status, p.Quantity, p.CreatedAt, p.WorkOrderId, p.OperationCode);
    }

    /// <summary>Adds PENDING placeholders (one per quantity given) with one audit entry each, or one for a batch of more than 10.</summary>
    internal async Task<List<Placeholder>> CreateInAsync(OperatorDb db, Part part, Guid? workOrderId, string? operationCode, IReadOnlyList<int> quantities, CancellationToken ct,
        Guid? triggerId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = quantities.Select(q => new Placeholder
        {
            Id = Guid.NewGuid(), OrganizationId = part.OrganizationId, PartId = part.Id, WorkOrderId = workOrderId, OperationCode = operationCode,
            Quantity = q, Status = PlaceholderStatus.Pending, CreatedBy = caller.UserId, CreatedAt = now,
        }).ToList();
        db.Set<Placeholder>().AddRange(rows);
        if (rows.Count <= 10)
        {
            foreach (var p in rows)
            {
                await audit.AppendAsync(db, "placeholder_created", AuditType, p.Id.ToString(),
                    after: new { p.PartId, p.WorkOrderId, p.OperationCode, p.Quantity, p.Status, triggerId }, ct: ct);
            }
        }
        else
        {
            await audit.AppendAsync(db, "placeholders_created", "serial_trigger", (triggerId ?? Guid.Empty).ToString(),
                after: new { partId = part.Id, workOrderId, operationCode, count = rows.Count, firstId = rows[0].Id, lastId = rows[^1].Id }, ct: ct);
        }
        return rows;
    }

    // ---------------------------------------------------------------- assign / fail

    public Task<Result<PlaceholderAssignedDto>> AssignAsync(Guid id, AssignPlaceholderRequest request, CancellationToken ct = default) =>
        AssignAsync(id.ToString(), request, ct);

    public async Task<Result<PlaceholderAssignedDto>> AssignAsync(string id, AssignPlaceholderRequest request, CancellationToken ct = default)
    {
        if (!CanWork) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "Placeholder");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        var number = request.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pid = parsed.Value;
        if (!await ClaimAsync(db, pid, PlaceholderStatus.Serialized, ct)) return await RefusalAsync(db, id, pid, "assigned a serial number", ct);
        var row = await db.Set<Placeholder>().SingleAsync(p => p.Id == pid, ct);

        var unique = await guard.EnsureUniqueAsync(db, number!, row.PartId, null, ct);
        if (!unique.IsSuccess) return unique.Error!;

        Guid? pathId = null;
        var stepIndex = 0;
        if (row.WorkOrderId is { } wo)
        {
            // The work order's path and the position of the placeholder's operation on it (the number of steps before the
            // first step with that code; 0 when the path has no such step), in one query.
            var code = row.OperationCode;
            var steps = db.Set<ProcessStep>();
            var place = await db.Set<WorkOrder>().Where(w => w.Id == wo).Select(w => new
            {
                PathId = (Guid?)w.PathId,
                Index = code == null ? 0 : steps.Count(s => s.PathId == w.PathId
                    && s.Sequence < steps.Where(x => x.PathId == w.PathId && x.Code == code).Min(x => (int?)x.Sequence)),
            }).SingleOrDefaultAsync(ct);
            pathId = place?.PathId;
            stepIndex = place?.Index ?? 0;
        }
        var serial = new Serial
        {
            SerialNumber = number!, PartId = row.PartId, OrganizationId = row.OrganizationId, WorkOrderId = row.WorkOrderId, PathId = pathId,
            CurrentStepIndex = stepIndex, Status = SerialStatus.InProgress, Origin = SerialOrigins.LateAssignment,
            Scope = row.Quantity > 1 ? SerialScopes.Batch : SerialScopes.Piece, CreatedBy = caller.UserId, CreatedAt = now, UpdatedAt = now,
        };
        db.Add(serial);
        await SerialDayTallies.AddAsync(db, serial, ct);
        row.SerialNumber = number;
        row.SerialId = serial.Id;
        row.AssignedBy = caller.UserId;
        row.AssignedAt = now;
        await audit.AppendAsync(db, "placeholder_serialized", AuditType, row.Id.ToString(),
            before: new { status = PlaceholderStatus.Pending }, after: new { status = PlaceholderStatus.Serialized, serialNumber = number, serialId = serial.Id }, ct: ct);
        await audit.AppendAsync(db, "serial_created", "serial", serial.Id.ToString(),
            after: new { serial.SerialNumber, serial.PartId, serial.Origin, serial.WorkOrderId, serial.CurrentStepIndex, placeholderId = row.Id, row.OperationCode }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new PlaceholderAssignedDto(row.Id, PlaceholderStatus.Serialized, number!, now, serial.Id);
    }

    public Task<Result<PlaceholderFailedDto>> FailAsync(Guid id, FailPlaceholderRequest request, CancellationToken ct = default) =>
        FailAsync(id.ToString(), request, ct);

    public async Task<Result<PlaceholderFailedDto>> FailAsync(string id, FailPlaceholderRequest request, CancellationToken ct = default)
    {
        if (!CanWork) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "Placeholder");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        var reason = request.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pid = parsed.Value;
        if (!await ClaimAsync(db, pid, PlaceholderStatus.Failed, ct)) return await RefusalAsync(db, id, pid, "failed", ct);
        var row = await db.Set<Placeholder>().SingleAsync(p => p.Id == pid, ct);
        row.FailureReason = reason;
        row.FailedBy = caller.UserId;
        row.FailedAt = now;
        await audit.AppendAsync(db, "placeholder_failed", AuditType, row.Id.ToString(),
            before: new { status = PlaceholderStatus.Pending }, after: new { status = PlaceholderStatus.Failed, failureReason = reason }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new PlaceholderFailedDto(row.Id, PlaceholderStatus.Failed, reason!, now);
    }

    /// <summary>PENDING → <paramref name="status"/> as one conditional UPDATE, so of two concurrent decisions one wins.</summary>
    private static async Task<bool> ClaimAsync(OperatorDb db, Guid id, string status, CancellationToken ct) =>
        await db.Set<Placeholder>().Where(p => p.Id == id && p.Status == PlaceholderStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, status), ct) == 1;

    private static async Task<Error> RefusalAsync(OperatorDb db, string rawId, Guid id, string verb, CancellationToken ct)
    {
        var status = await db.Set<Placeholder>().Where(p => p.Id == id).Select(p => p.Status).SingleOrDefaultAsync(ct);
        return status is null
            ? WorkflowErrors.NotFound("Placeholder", rawId)
            : Error.Conflict($"Placeholder is {status}: only a PENDING placeholder can be {verb}");
    }

    // ---------------------------------------------------------------- reads

    /// <summary>
    /// GET /late-assignment/pending, oldest first (first come, first serialized), optionally for one part, work order
    /// or operation.
    /// </summary>
    public async Task<Result<WorkflowPage<PendingPlaceholderDto>>> PendingAsync(PendingPlaceholderQuery query, CancellationToken ct = default)
    {
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        var paging = query.Page;

        await using var db = factory.CreateDbContext();
        var rows = PendingRows(db, query);
        var total = await rows.CountAsync(ct);
        var page = await Pending(db, rows.Skip(paging.Offset).Take(paging.Limit)).ToListAsync(ct);
        return new WorkflowPage<PendingPlaceholderDto>(page, total, paging.Limit, paging.Offset);
    }

    public static readonly ExportColumns<PendingPlaceholderDto> PendingColumns = ExportColumns<PendingPlaceholderDto>.FromProperties();

    /// <summary>
    /// <c>GET /late-assignment/pending/export</c>: every placeholder the pending list shows for the filter, oldest first,
    /// streamed. The filter is checked as the list checks it (paging too) before the file starts; paging is then ignored.
    /// </summary>
    public Result<CsvExport> ExportPending(PendingPlaceholderQuery query)
    {
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        return PendingColumns.Export(ExportFiles.Name("pending-placeholders", time), ExportPendingRows(query));
    }

    private async IAsyncEnumerable<PendingPlaceholderDto> ExportPendingRows(PendingPlaceholderQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        await foreach (var row in Pending(db, PendingRows(db, query)).AsAsyncEnumerable().WithCancellation(ct)) yield return row;
    }

    /// <summary>The pending list's placeholders for the filter, oldest first.</summary>
    private static IQueryable<Placeholder> PendingRows(OperatorDb db, PendingPlaceholderQuery query)
    {
        var rows = db.Set<Placeholder>().AsNoTracking().Where(p => p.Status == PlaceholderStatus.Pending);
        if (query.PartId is { } pid) rows = rows.Where(p => p.PartId == pid);
        if (query.WorkOrderId is { } wid) rows = rows.Where(p => p.WorkOrderId == wid);
        if (query.OperationCode is { Length: > 0 } operationCode) rows = rows.Where(p => p.OperationCode == operationCode);
        return rows.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id);
    }

    /// <summary>The list items of <paramref name="rows"/>, with the work order's and part's numbers read in the same query.</summary>
    private static IQueryable<PendingPlaceholderDto> Pending(OperatorDb db, IQueryable<Placeholder> rows) =>
        rows.Select(p => new PendingPlaceholderDto(p.Id, p.PartId, p.Status, p.CreatedAt, p.Quantity, p.WorkOrderId,
            db.Set<WorkOrder>().Where(w => w.Id == p.WorkOrderId).Select(w => w.Number).FirstOrDefault(), p.OperationCode,
            db.Set<Part>().Where(x => x.Id == p.PartId).Select(x => x.Number).FirstOrDefault() ?? ""));

    public async Task<Result<PlaceholderStatisticsDto>> StatisticsAsync(string partId, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(partId, "Part");
        if (!parsed.IsSuccess) return parsed.Error!;
        await using var db = factory.CreateDbContext();
        var pid = parsed.Value;
        if (!await db.Set<Part>().AnyAsync(p => p.Id == pid, ct)) return WorkflowErrors.NotFound("Part", partId);
        var counts = await db.Set<Placeholder>().AsNoTracking().Where(p => p.PartId == pid).GroupBy(p => p.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(string status) => counts.FirstOrDefault(c => c.Status == status)?.Count ?? 0;
        var serialized = Count(PlaceholderStatus.Serialized);
        var failed = Count(PlaceholderStatus.Failed);
        // Durations are summed in memory from two timestamps per row: date arithmetic differs between the providers.
        var durations = await db.Set<Placeholder>().AsNoTracking().Where(p => p.PartId == pid && p.Status == PlaceholderStatus.Serialized && p.AssignedAt != null)
            .Select(p => new { p.CreatedAt, p.AssignedAt }).ToListAsync(ct);
        var average = durations.Count == 0 ? 0 : durations.Average(d => (d.AssignedAt!.Value - d.CreatedAt).TotalHours);
        var rate = serialized + failed == 0 ? 0 : serialized * 100.0 / (serialized + failed);
        return new PlaceholderStatisticsDto(Count(PlaceholderStatus.Pending), serialized, failed,
            Math.Round(rate, 1, MidpointRounding.AwayFromZero), Math.Round(average, 1, MidpointRounding.AwayFromZero));
    }

    public Task<Result<PlaceholderStatisticsDto>> StatisticsAsync(Guid partId, CancellationToken ct = default) => StatisticsAsync(partId.ToString(), ct);
}
