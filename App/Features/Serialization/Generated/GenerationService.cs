using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;

/// <summary>POST /system-generated/generate.</summary>

/// <summary>The spec's 2.1 answer.</summary>
public sealed record GeneratedSerialDto(Guid Id, string SerialNumber, Guid PartId, Guid? FormatConfigId, string Status, DateTime GeneratedAt);

/// <summary>One row of GET /system-generated/part/{partId}: the spec's four fields, then where the serial came from.</summary>
public sealed record GeneratedSerialListItem(
    Guid Id, string SerialNumber, string Status, DateTime GeneratedAt, Guid? FormatConfigId, Guid? TriggerId, Guid? WorkOrderId, string? WorkOrderNumber, string? SiteId);

/// <summary>A work order named by an event or request, with what generated serials inherit from it.</summary>
internal sealed record WorkOrderRef(Guid Id, string Number, Guid PartId, Guid PathId, int Quantity);

/// <summary>What to generate, for whom, inside the caller's transaction.</summary>
internal sealed record GenerationPlan(Part Part, SerialFormat? Format, int Count, string? SiteId, WorkOrderRef? WorkOrder, Guid? TriggerId, Guid? ActorId);

/// <summary>
/// System-generated serials (spec section 2). A generated serial is an ordinary <see cref="Serial"/> (origin
/// <c>generated</c>, with its format and trigger): in progress at step 0 of its work order's path when it has a work
/// order, else without a path. Every number passes the uniqueness guard before it enters. Without
/// <c>formatConfigId</c> the plant's default numbering is used (<c>SN-00001</c>, or the signed public code for
/// publicly verifiable parts). <c>context.siteId</c> is recorded on the serial and printed by <c>{SITE}</c>;
/// <c>context.workOrderId</c>, when given, must be a work order of the part and links the serial to it.
/// </summary>
public sealed class GenerationService(
    IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller,
    SerialFormatService formats, SerialUniquenessGuard guard)
{
    public const int MaxBatch = 10_000;

    /// <summary>Above this many serials a firing writes them with <see cref="BulkInsert"/> rather than SaveChanges.</summary>
    private const int BulkThreshold = 200;
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public bool CanGenerate => Policies.Allows(Policies.StationWork, caller.Role);

    public async Task<Result<GeneratedSerialDto>> GenerateAsync(GenerateSerialRequest request, CancellationToken ct = default)
    {
        if (!CanGenerate) return WorkflowErrors.Forbidden();
        var checks = new Checks();
        var (partId, formatId) = request.Check(checks);
        var context = request.Context ?? new Dictionary<string, string>();
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        var siteId = SiteOf(context);
        if (siteId is { Length: > 50 }) return WorkflowErrors.Invalid("context.siteId", "String must contain at most 50 character(s)");

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var part = await db.Set<Part>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == partId, ct);
        if (part is null) return WorkflowErrors.NotFound("Part", partId.ToString());
        SerialFormat? format = null;
        if (formatId is { } fid)
        {
            format = await db.Set<SerialFormat>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == fid, ct);
            if (format is null) return WorkflowErrors.NotFound("SerialFormat", fid.ToString());
        }
        var workOrder = await WorkOrderFromContextAsync(db, context, part, ct);
        if (!workOrder.IsSuccess) return workOrder.Error!;

        var generated = await GenerateInAsync(db, new GenerationPlan(part, format, 1, siteId, workOrder.Value, null, caller.UserId), ct);
        if (!generated.IsSuccess) return generated.Error!;
        var serial = generated.Value[0];
        await audit.AppendAsync(db, "serial_generated", "serial", serial.Id.ToString(), after: new
        {
            serial.SerialNumber, serial.PartId, formatConfigId = serial.FormatId, serial.Origin, serial.WorkOrderId, serial.SiteId, context,
        }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new GeneratedSerialDto(serial.Id, serial.SerialNumber, serial.PartId, serial.FormatId, PublicStatus(serial.Status, serial.Consumed), serial.CreatedAt);
    }

    /// <summary>
    /// Draws, checks and adds the serials of one plan (see <see cref="DrawAsync"/>, <see cref="EnsureAllUniqueAsync"/>,
    /// <see cref="AddSerials"/>), in that order: counters, then the uniqueness lock, then (by the caller) the audit entry,
    /// the lock order every writer keeps.
    /// </summary>
    internal async Task<Result<List<Serial>>> GenerateInAsync(OperatorDb db, GenerationPlan plan, CancellationToken ct)
    {
        var drawn = await DrawAsync(db, plan, ct);
        if (!drawn.IsSuccess) return drawn.Error!;
        var unique = await EnsureAllUniqueAsync(db, drawn.Value, plan.Part.Id, plan.SiteId, ct);
        if (!unique.IsSuccess) return unique.Error!;
        return await AddSerialsAsync(db, plan, drawn.Value, ct);
    }

    /// <summary>The plan's numbers, from one counter update for the whole batch (inside the caller's transaction).</summary>
    internal async Task<Result<IReadOnlyList<string>>> DrawAsync(OperatorDb db, GenerationPlan plan, CancellationToken ct)
    {
        if (plan.Count is < 1 or > MaxBatch)
        {
            return WorkflowErrors.Invalid("batchSize", $"A firing generates 1 to {MaxBatch} serials; {plan.Count} were asked for");
        }
        return await formats.DrawInAsync(db, plan.Format, plan.Part, plan.Count, plan.SiteId, ct);
    }

    /// <summary>
    /// Runs the numbers through the uniqueness guard. A large batch would cost the guard's queries once per number, so
    /// under the guard's own lock one query first finds which numbers anybody holds at all (a live serial or a
    /// uniqueness registration, the guard's only claimants); a number nobody holds cannot collide, and the guard
    /// decides the others. Numbers repeated within the batch are refused too.
    /// </summary>
    internal async Task<Result<Unit>> EnsureAllUniqueAsync(OperatorDb db, IReadOnlyList<string> numbers, Guid partId, string? siteId, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var number in numbers)
        {
            if (!seen.Add(number)) return Error.Conflict($"Serial number {number} would be generated twice in one firing");
        }
        IEnumerable<string> toCheck = numbers;
        if (numbers.Count > GuardEachUpTo)
        {
            var org = db.TenantId ?? throw new InvalidOperationException("Generation needs an organization.");
            await UniquenessRules.LockAsync(db, org, ct);
            // One JSON array parameter (EF 10 would otherwise expand 10,000 values into as many SQL parameters, and
            // compile a new query for each batch size).
            var list = numbers.ToArray();
            var held = new HashSet<string>(await db.Set<Serial>().AsNoTracking()
                .Where(s => EF.Parameter(list).Contains(s.SerialNumber) && s.Status != SerialStatus.Cancelled).Select(s => s.SerialNumber).ToListAsync(ct), StringComparer.Ordinal);
            held.UnionWith(await db.Set<UniquenessRegistration>().AsNoTracking()
                .Where(r => EF.Parameter(list).Contains(r.SerialNumber)).Select(r => r.SerialNumber).ToListAsync(ct));
            toCheck = numbers.Where(held.Contains);
        }
        foreach (var number in toCheck)
        {
            var unique = await guard.EnsureUniqueAsync(db, number, partId, siteId, ct);
            if (!unique.IsSuccess) return unique.Error!;
        }
        return Unit.Value;
    }

    /// <summary>Batches up to this size go through the guard number by number.</summary>
    internal const int GuardEachUpTo = 20;

    /// <summary>
    /// Adds the serials: a few to the context (saved with the caller's SaveChanges, change detection off), a large batch
    /// written at once by <see cref="BulkInsert"/> inside the caller's transaction (a rollback removes it too).
    /// </summary>
    internal async Task<List<Serial>> AddSerialsAsync(OperatorDb db, GenerationPlan plan, IReadOnlyList<string> numbers, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var serials = new List<Serial>(numbers.Count);
        foreach (var number in numbers)
        {
            serials.Add(new Serial
            {
                // Time-ordered (UUID version 7): a batch of new ids lands together at the end of the id index.
                Id = Guid.CreateVersion7(),
                OrganizationId = plan.Part.OrganizationId,
                SerialNumber = number,
                PartId = plan.Part.Id,
                WorkOrderId = plan.WorkOrder?.Id,
                PathId = plan.WorkOrder?.PathId,
                CurrentStepIndex = 0,
                Status = SerialStatus.InProgress,
                Origin = SerialOrigins.Generated,
                Scope = SerialScopes.Piece,
                SiteId = plan.SiteId,
                FormatId = plan.Format?.Id,
                TriggerId = plan.TriggerId,
                CreatedBy = plan.ActorId,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }
        await SerialDayTallies.AddAsync(db, serials, ct);
        // Small batches go through SaveChanges like everything else; large ones are written without the change tracker.
        if (serials.Count > BulkThreshold)
        {
            await BulkInsert.WriteAsync(db, serials, ct);
            return serials;
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Set<Serial>().AddRange(serials);
        return serials;
    }

    // ---------------------------------------------------------------- reads

    public async Task<Result<WorkflowPage<GeneratedSerialListItem>>> ListAsync(string partId, GeneratedSerialListQuery query, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(partId, "Part");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        query.Check(checks);
        var paging = query.Page;
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        var id = parsed.Value;
        if (!await db.Set<Part>().AnyAsync(p => p.Id == id, ct)) return WorkflowErrors.NotFound("Part", partId);
        var rows = db.Set<Serial>().AsNoTracking().Where(s => s.PartId == id && s.Origin == SerialOrigins.Generated);
        if (query.WorkOrderId is { } wo) rows = rows.Where(s => s.WorkOrderId == wo);
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.SerialNumber).ThenBy(s => s.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(s => new { s.Id, s.SerialNumber, s.Status, s.Consumed, s.CreatedAt, s.FormatId, s.TriggerId, s.WorkOrderId, WorkOrderNumber = s.WorkOrder != null ? s.WorkOrder.Number : null, s.SiteId })
            .ToListAsync(ct);
        return new WorkflowPage<GeneratedSerialListItem>(
            page.Select(s => new GeneratedSerialListItem(s.Id, s.SerialNumber, PublicStatus(s.Status, s.Consumed), s.CreatedAt, s.FormatId, s.TriggerId, s.WorkOrderId, s.WorkOrderNumber, s.SiteId)).ToList(),
            total, paging.Limit, paging.Offset);
    }

    /// <summary>For pages: a part's generated serials, optionally of one work order.</summary>
    public Task<Result<WorkflowPage<GeneratedSerialListItem>>> ListAsync(Guid partId, Guid? workOrderId, PageParams page, CancellationToken ct = default) =>
        ListAsync(partId.ToString(), new GeneratedSerialListQuery(page, workOrderId), ct);

    // ---------------------------------------------------------------- shared

    /// <summary>The spec's upper-case serial status: ACTIVE (in progress or completed), USED, SCRAPPED, CANCELLED.</summary>
    public static string PublicStatus(string status, bool consumed) => SerialStatus.Public(status, consumed).ToUpperInvariant();

    internal static string? SiteOf(IReadOnlyDictionary<string, string> context) =>
        context.TryGetValue("siteId", out var site) && site.Trim().Length > 0 ? site.Trim() : null;

    /// <summary>
    /// <c>context.workOrderId</c>: absent → none; a UUID of a work order of the part → that work order; otherwise
    /// NOT_FOUND (WorkOrder) or a VALIDATION_ERROR when the work order makes another part.
    /// </summary>
    internal static async Task<Result<WorkOrderRef?>> WorkOrderFromContextAsync(OperatorDb db, IReadOnlyDictionary<string, string> context, Part part, CancellationToken ct)
    {
        if (!context.TryGetValue("workOrderId", out var text)) return Result<WorkOrderRef?>.Ok(null);
        if (!Guid.TryParseExact(text, "D", out var id)) return WorkflowErrors.NotFound("WorkOrder", text);
        var order = await db.Set<WorkOrder>().AsNoTracking().Where(w => w.Id == id)
            .Select(w => new WorkOrderRef(w.Id, w.Number, w.PartId, w.PathId, w.Quantity)).SingleOrDefaultAsync(ct);
        if (order is null) return WorkflowErrors.NotFound("WorkOrder", text);
        if (order.PartId != part.Id)
        {
            return WorkflowErrors.Invalid("context.workOrderId", $"Work order {order.Number} makes another part than {part.Number}");
        }
        return order;
    }
}
