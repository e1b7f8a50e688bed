using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;

/// <summary>A trigger: the spec's 6.1/6.3 fields first, then its whole configuration and firing record.</summary>
public sealed record TriggerDto(
    Guid Id, Guid PartId, string TriggerType, string AssignmentType, bool IsActive, DateTime CreatedAt,
    Guid? FormatConfigId, string? OperationCode, bool IsConditional, IReadOnlyDictionary<string, string> Conditions, bool BatchMode, int? BatchSize,
    long FiredCount, DateTime? LastFiredAt, DateTime UpdatedAt);

/// <summary>A row of the triggers page: the trigger with its part.</summary>
public sealed record TriggerListItem(TriggerDto Trigger, string PartNumber, string PartName);

public sealed record TriggerEnabledDto(Guid Id, bool IsActive, DateTime EnabledAt);

public sealed record TriggerDisabledDto(Guid Id, bool IsActive, DateTime DisabledAt);

/// <summary>The spec's 6.8 answer (every known type listed, 0 when none), then the firing record.</summary>
public sealed record TriggerStatisticsDto(
    int TotalTriggers, int ActiveTriggers, IReadOnlyDictionary<string, int> ByTriggerType, IReadOnlyDictionary<string, int> ByAssignmentType,
    int WithConditions, int BatchEnabled, long TotalFired, DateTime? LastFiredAt);

/// <summary>
/// The spec's 2.2 answer: the first trigger that fired and the first serial it generated, then everything the event
/// made: every serial number, every placeholder, every trigger that fired. Status GENERATED when serials were
/// generated, PLACEHOLDERS_CREATED when the matching triggers only create placeholders (VENDOR, LATE_ASSIGNMENT).
/// </summary>
public sealed record TriggerFiringDto(
    Guid TriggerId, string? SerialNumber, string TriggerType, string Status, IReadOnlyList<string> SerialNumbers, IReadOnlyList<Guid> PlaceholderIds,
    IReadOnlyList<Guid> FiredTriggerIds);

/// <summary>
/// Trigger configuration (spec section 6) and firing (spec 2.2 and the app's own events).
/// <list type="bullet">
/// <item>An event (type, part, context) fires every active trigger of that type and part whose conditions match, in
/// creation order, in one transaction. A conditional trigger matches when every condition key is in the context with
/// the same value, compared as text (<c>5</c> and <c>"5"</c> match; <c>5.0</c> and <c>5</c> do not). An
/// OPERATION_COMPLETE trigger with an operationCode fires only for that operation (context.operationCode).</item>
/// <item>SYSTEM_GENERATED generates serials from the trigger's format (the plant's default numbering without one);
/// VENDOR and LATE_ASSIGNMENT create PENDING placeholders (quantity 1 each) at the trigger's operation code, waiting
/// for a vendor or late number.</item>
/// <item>Per firing a trigger makes 1 unit, or in batch mode batchSize units; a batch trigger without batchSize makes
/// the event's quantity (context.quantity; for a work order its quantity). At most 10,000 per firing. The counter is
/// drawn once per batch and the batch is saved at once with one audit entry.</item>
/// <item>context.workOrderId links what is made to the work order (its path, step 0); context.siteId is recorded on
/// serials and printed by {SITE}.</item>
/// </list>
/// createdBy/updatedBy/enabledBy/... in bodies are accepted, but the audit trail records the signed-in caller.
/// </summary>
public sealed class TriggerService(
    IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller,
    GenerationService generation, PlaceholderService placeholders)
{
    public const string AuditType = "serial_trigger";
    public const int MaxConditions = 20;
    public const string StatusGenerated = "GENERATED";
    public const string StatusPlaceholders = "PLACEHOLDERS_CREATED";

    public bool CanEdit => Policies.Allows(Policies.Admin, caller.Role);
    public bool CanFire => Policies.Allows(Policies.StationWork, caller.Role);

    // ---------------------------------------------------------------- create / update / delete

    public async Task<Result<TriggerDto>> CreateAsync(CreateTriggerRequest request, CancellationToken ct = default)
    {
        if (!CanEdit) return WorkflowErrors.Forbidden();
        var checks = new Checks();
        var (partId, triggerType, assignment, formatId, operation) = request.Check(checks);
        var conditions = request.Conditions;
        var batchMode = request.BatchMode ?? false;
        var batchSize = request.BatchSize;
        var active = request.IsActive ?? true;
        var isConditional = request.IsConditional ?? conditions is { Count: > 0 };
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.Set<Part>().AnyAsync(p => p.Id == partId, ct)) return WorkflowErrors.NotFound("Part", partId.ToString());
        var formatCheck = await CheckFormatAsync(db, formatId, ct);
        if (formatCheck is not null) return formatCheck;

        var now = Now;
        var trigger = new SerialTrigger
        {
            PartId = partId!.Value, TriggerType = triggerType!, AssignmentType = assignment!, FormatId = formatId, OperationCode = operation,
            IsConditional = isConditional, Conditions = Serialize(conditions), BatchMode = batchMode, BatchSize = batchSize, IsActive = active,
            CreatedBy = caller.UserId, CreatedAt = now, UpdatedBy = caller.UserId, UpdatedAt = now,
        };
        db.Add(trigger);
        var dto = ToDto(trigger);
        await audit.AppendAsync(db, "trigger_created", AuditType, trigger.Id.ToString(), after: dto, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return dto;
    }

    /// <summary>For pages: every field of the form is sent (nulls included), so clearing a field clears it.</summary>
    public Task<Result<TriggerDto>> UpdateAsync(Guid id, UpdateTriggerRequest request, CancellationToken ct = default) =>
        UpdateAsync(id.ToString(), request, ct);

    public async Task<Result<TriggerDto>> UpdateAsync(string id, UpdateTriggerRequest request, CancellationToken ct = default)
    {
        if (!CanEdit) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "SerialTrigger");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        var (triggerType, assignment, formatId, operation) = request.Check(checks);
        var conditional = request.IsConditional;
        var conditions = request.Conditions;
        var batchMode = request.BatchMode;
        var batchSize = request.BatchSize;
        var active = request.IsActive;
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var trigger = await db.Set<SerialTrigger>().SingleOrDefaultAsync(t => t.Id == parsed.Value, ct);
        if (trigger is null) return WorkflowErrors.NotFound("SerialTrigger", id);
        var before = ToDto(trigger);

        if (triggerType is not null) trigger.TriggerType = triggerType;
        if (assignment is not null) trigger.AssignmentType = assignment;
        if (request.Has("formatConfigId")) trigger.FormatId = formatId;
        if (request.Has("operationCode")) trigger.OperationCode = operation;
        if (request.Has("conditions")) trigger.Conditions = Serialize(conditions);
        if (conditional is { } c) trigger.IsConditional = c;
        else if (request.Has("conditions")) trigger.IsConditional = conditions is { Count: > 0 };
        if (batchMode is { } b) trigger.BatchMode = b;
        if (request.Has("batchSize")) trigger.BatchSize = batchSize;
        if (active is { } a) trigger.IsActive = a;
        CheckConditions(checks, trigger.IsConditional, Deserialize(trigger.Conditions));
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        if (request.Has("formatConfigId"))
        {
            var formatCheck = await CheckFormatAsync(db, formatId, ct);
            if (formatCheck is not null) return formatCheck;
        }

        trigger.UpdatedBy = caller.UserId;
        trigger.UpdatedAt = Now;
        var dto = ToDto(trigger);
        await audit.AppendAsync(db, "trigger_updated", AuditType, trigger.Id.ToString(), before, dto, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return dto;
    }

    public Task<Result<TriggerEnabledDto>> EnableAsync(string id, EnableTriggerRequest request, CancellationToken ct = default) =>
        SetActiveAsync(id, request.Check, true, (t, at) => new TriggerEnabledDto(t.Id, t.IsActive, at), ct);

    public Task<Result<TriggerDisabledDto>> DisableAsync(string id, DisableTriggerRequest request, CancellationToken ct = default) =>
        SetActiveAsync(id, request.Check, false, (t, at) => new TriggerDisabledDto(t.Id, t.IsActive, at), ct);

    public Task<Result<TriggerEnabledDto>> EnableAsync(Guid id, CancellationToken ct = default) => EnableAsync(id.ToString(), new EnableTriggerRequest(), ct);

    public Task<Result<TriggerDisabledDto>> DisableAsync(Guid id, CancellationToken ct = default) => DisableAsync(id.ToString(), new DisableTriggerRequest(), ct);

    /// <summary>Enabling an enabled trigger (or disabling a disabled one) changes nothing and answers its state.</summary>
    private async Task<Result<T>> SetActiveAsync<T>(string id, Action<Checks> rule, bool active, Func<SerialTrigger, DateTime, T> answer, CancellationToken ct)
    {
        if (!CanEdit) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "SerialTrigger");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        rule(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var trigger = await db.Set<SerialTrigger>().SingleOrDefaultAsync(t => t.Id == parsed.Value, ct);
        if (trigger is null) return WorkflowErrors.NotFound("SerialTrigger", id);
        var now = Now;
        if (trigger.IsActive == active) return answer(trigger, trigger.UpdatedAt);
        trigger.IsActive = active;
        trigger.UpdatedBy = caller.UserId;
        trigger.UpdatedAt = now;
        await audit.AppendAsync(db, active ? "trigger_enabled" : "trigger_disabled", AuditType, trigger.Id.ToString(),
            before: new { isActive = !active }, after: new { isActive = active }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return answer(trigger, now);
    }

    public Task<Result<Unit>> DeleteAsync(Guid id, CancellationToken ct = default) => DeleteAsync(id.ToString(), new DeleteTriggerRequest(), ct);

    /// <summary>Deletes the configuration; serials it generated keep their trigger id as history.</summary>
    public async Task<Result<Unit>> DeleteAsync(string id, DeleteTriggerRequest request, CancellationToken ct = default)
    {
        if (!CanEdit) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "SerialTrigger");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        request.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var trigger = await db.Set<SerialTrigger>().SingleOrDefaultAsync(t => t.Id == parsed.Value, ct);
        if (trigger is null) return WorkflowErrors.NotFound("SerialTrigger", id);
        db.Remove(trigger);
        await audit.AppendAsync(db, "trigger_deleted", AuditType, trigger.Id.ToString(), before: ToDto(trigger), ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Unit.Value;
    }

    // ---------------------------------------------------------------- reads

    public async Task<Result<TriggerDto>> GetAsync(string id, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(id, "SerialTrigger");
        if (!parsed.IsSuccess) return parsed.Error!;
        await using var db = factory.CreateDbContext();
        var trigger = await db.Set<SerialTrigger>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == parsed.Value, ct);
        return trigger is null ? WorkflowErrors.NotFound("SerialTrigger", id) : ToDto(trigger);
    }

    public async Task<Result<WorkflowPage<TriggerDto>>> ListAsync(string partId, PageParams page, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(partId, "Part");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        page.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        await using var db = factory.CreateDbContext();
        var pid = parsed.Value;
        if (!await db.Set<Part>().AnyAsync(p => p.Id == pid, ct)) return WorkflowErrors.NotFound("Part", partId);
        var rows = db.Set<SerialTrigger>().AsNoTracking().Where(t => t.PartId == pid);
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return new WorkflowPage<TriggerDto>(list.Select(ToDto).ToList(), total, page.Limit, page.Offset);
    }

    /// <summary>
    /// The triggers page: one part's triggers, or every part's when <paramref name="partId"/> is null (so the page is
    /// never blank before a choice), each with its part's number and name; by part number, then oldest first.
    /// </summary>
    public async Task<Result<WorkflowPage<TriggerListItem>>> ListItemsAsync(Guid? partId, PageParams page, CancellationToken ct = default)
    {
        var checks = new Checks();
        page.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        await using var db = factory.CreateDbContext();
        if (partId is { } only && !await db.Set<Part>().AnyAsync(p => p.Id == only, ct)) return WorkflowErrors.NotFound("Part", only.ToString());
        var rows = from t in db.Set<SerialTrigger>().AsNoTracking()
                   join p in db.Set<Part>() on t.PartId equals p.Id
                   where partId == null || t.PartId == partId
                   select new { Trigger = t, PartNumber = p.Number, PartName = p.Name };
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderBy(r => r.PartNumber).ThenBy(r => r.Trigger.CreatedAt).ThenBy(r => r.Trigger.Id)
            .Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return new WorkflowPage<TriggerListItem>(list.Select(r => new TriggerListItem(ToDto(r.Trigger), r.PartNumber, r.PartName)).ToList(),
            total, page.Limit, page.Offset);
    }

    public async Task<Result<TriggerStatisticsDto>> StatisticsAsync(string partId, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(partId, "Part");
        if (!parsed.IsSuccess) return parsed.Error!;
        await using var db = factory.CreateDbContext();
        var pid = parsed.Value;
        if (!await db.Set<Part>().AnyAsync(p => p.Id == pid, ct)) return WorkflowErrors.NotFound("Part", partId);
        var rows = await db.Set<SerialTrigger>().AsNoTracking().Where(t => t.PartId == pid)
            .Select(t => new { t.TriggerType, t.AssignmentType, t.IsActive, t.IsConditional, t.Conditions, t.BatchMode, t.FiredCount, t.LastFiredAt })
            .ToListAsync(ct);
        return new TriggerStatisticsDto(
            rows.Count, rows.Count(r => r.IsActive),
            TriggerTypes.All.Where(t => TriggerTypes.Documented.Contains(t) || rows.Any(r => r.TriggerType == t))
                .ToDictionary(t => t, t => rows.Count(r => r.TriggerType == t)),
            AssignmentTypes.All.ToDictionary(a => a, a => rows.Count(r => r.AssignmentType == a)),
            rows.Count(r => r.IsConditional && Deserialize(r.Conditions).Count > 0),
            rows.Count(r => r.BatchMode),
            rows.Sum(r => r.FiredCount),
            rows.Max(r => r.LastFiredAt));
    }

    public Task<Result<TriggerStatisticsDto>> StatisticsAsync(Guid partId, CancellationToken ct = default) => StatisticsAsync(partId.ToString(), ct);

    // ---------------------------------------------------------------- firing

    /// <summary>POST /system-generated/trigger. No active trigger matching the event is a 404 (SerialTrigger).</summary>
    public async Task<Result<TriggerFiringDto>> FireAsync(FireTriggerRequest request, CancellationToken ct = default)
    {
        if (!CanFire) return WorkflowErrors.Forbidden();
        var checks = new Checks();
        var (partId, triggerType) = request.Check(checks);
        var context = request.Context ?? new Dictionary<string, string>();
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        var fired = await FireEventAsync(partId!.Value, triggerType!, context, ct);
        if (!fired.IsSuccess) return fired.Error!;
        return fired.Value is { } firing
            ? firing
            : Error.NotFound($"No active {triggerType} trigger of this part matches the event", "SerialTrigger", partId.ToString());
    }

    /// <summary>
    /// Fires every matching trigger of an event in one transaction of its own. Null when none matched (nothing
    /// written). The app's own events (work order created, operation completed) come through here from the outbox, with
    /// <paramref name="eventId"/>: the firing records it in the same transaction (unique), so an event fires at most once.
    /// </summary>
    public async Task<Result<TriggerFiringDto?>> FireEventAsync(Guid partId, string triggerType, IReadOnlyDictionary<string, string> context, CancellationToken ct = default,
        Guid? eventId = null)
    {
        var siteId = GenerationService.SiteOf(context);
        if (siteId is { Length: > 50 }) return WorkflowErrors.Invalid("context.siteId", "String must contain at most 50 character(s)");
        int? quantity = null;
        if (context.TryGetValue("quantity", out var q))
        {
            if (!int.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return WorkflowErrors.Invalid("context.quantity", "quantity must be a whole number of 1 or more");
            }
            quantity = n;
        }

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var part = await db.Set<Part>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == partId, ct);
        if (part is null) return WorkflowErrors.NotFound("Part", partId.ToString());
        var candidates = await db.Set<SerialTrigger>().AsNoTracking()
            .Where(t => t.PartId == partId && t.TriggerType == triggerType && t.IsActive)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ct);
        context.TryGetValue("operationCode", out var operationCode);
        var matched = candidates.Where(t => Matches(t, context, operationCode)).ToList();
        if (matched.Count == 0) return Result<TriggerFiringDto?>.Ok(null);

        var workOrder = await GenerationService.WorkOrderFromContextAsync(db, context, part, ct);
        if (!workOrder.IsSuccess) return workOrder.Error!;
        var now = Now;

        // Lock order, kept by every writer: number counters (here sorted by format, so two firings never wait on each
        // other's counters crosswise), then the uniqueness lock, then the audit chain, then the trigger rows.
        var plans = new List<(SerialTrigger Trigger, int Count, GenerationPlan? Plan)>();
        foreach (var trigger in matched)
        {
            var count = trigger.BatchMode ? trigger.BatchSize ?? quantity ?? workOrder.Value?.Quantity ?? 1 : 1;
            if (count > GenerationService.MaxBatch)
            {
                return WorkflowErrors.Invalid("context.quantity", $"A {triggerType} trigger of this part would make {count} units; at most {GenerationService.MaxBatch} per firing");
            }
            GenerationPlan? plan = null;
            if (trigger.AssignmentType == AssignmentTypes.SystemGenerated)
            {
                SerialFormat? format = null;
                if (trigger.FormatId is { } fid)
                {
                    format = await db.Set<SerialFormat>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == fid, ct);
                    if (format is null) return WorkflowErrors.NotFound("SerialFormat", fid.ToString());
                }
                plan = new GenerationPlan(part, format, count, siteId, workOrder.Value, trigger.Id, caller.UserId);
            }
            plans.Add((trigger, count, plan));
        }
        var drawn = new Dictionary<Guid, IReadOnlyList<string>>();
        foreach (var (trigger, _, plan) in plans.Where(p => p.Plan is not null).OrderBy(p => p.Plan!.Format?.Id ?? Guid.Empty))
        {
            var numbersOf = await generation.DrawAsync(db, plan!, ct);
            if (!numbersOf.IsSuccess) return numbersOf.Error!;
            drawn[trigger.Id] = numbersOf.Value;
        }
        var numbers = plans.Where(p => drawn.ContainsKey(p.Trigger.Id)).SelectMany(p => drawn[p.Trigger.Id]).ToList();
        if (numbers.Count > 0)
        {
            var unique = await generation.EnsureAllUniqueAsync(db, numbers, part.Id, siteId, ct);
            if (!unique.IsSuccess) return unique.Error!;
        }

        var placeholderIds = new List<Guid>();
        foreach (var (trigger, count, plan) in plans)
        {
            IReadOnlyList<string> made = [];
            var placeholdersMade = 0;
            if (plan is not null)
            {
                made = drawn[trigger.Id];
                await generation.AddSerialsAsync(db, plan, made, ct);
            }
            else
            {
                var rows = await placeholders.CreateInAsync(db, part, workOrder.Value?.Id, trigger.OperationCode ?? operationCode, Enumerable.Repeat(1, count).ToList(), ct, trigger.Id);
                placeholderIds.AddRange(rows.Select(r => r.Id));
                placeholdersMade = rows.Count;
            }
            // One entry per firing, however large the batch: the serials carry the trigger id for the details.
            await audit.AppendAsync(db, "trigger_fired", AuditType, trigger.Id.ToString(), after: new
            {
                triggerType, trigger.AssignmentType, partId, workOrderId = workOrder.Value?.Id, context,
                serialsGenerated = made.Count, firstSerialNumber = made.Count > 0 ? made[0] : null, lastSerialNumber = made.Count > 0 ? made[^1] : null,
                placeholdersCreated = placeholdersMade,
            }, ct: ct);
        }
        foreach (var trigger in matched)
        {
            await db.Set<SerialTrigger>().Where(t => t.Id == trigger.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.FiredCount, t => t.FiredCount + 1).SetProperty(t => t.LastFiredAt, now), ct);
        }
        if (eventId is { } fromOutbox) db.Add(new TriggerEventFiring { EventId = fromOutbox, FiredAt = now, SerialsGenerated = numbers.Count, PlaceholdersCreated = placeholderIds.Count });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new TriggerFiringDto(matched[0].Id, numbers.Count > 0 ? numbers[0] : null, triggerType,
            numbers.Count > 0 ? StatusGenerated : StatusPlaceholders, numbers, placeholderIds, matched.Select(t => t.Id).ToList());
    }

    /// <summary>Conditions all equal the context's values (as text); an OPERATION_COMPLETE or QUALITY_CHECKPOINT trigger's operation code must be the event's.</summary>
    public static bool Matches(SerialTrigger trigger, IReadOnlyDictionary<string, string> context, string? operationCode)
    {
        if (trigger.TriggerType is TriggerTypes.OperationComplete or TriggerTypes.QualityCheckpoint && trigger.OperationCode is { } code && code != operationCode) return false;
        if (!trigger.IsConditional) return true;
        foreach (var (key, value) in Deserialize(trigger.Conditions))
        {
            if (!context.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    internal static void CheckConditions(Checks checks, bool isConditional, IReadOnlyDictionary<string, string>? conditions)
    {
        // Conditions that were refused entry by entry need no second message.
        if (checks.Issues.Any(i => i.Path.Count > 0 && Equals(i.Path[0], "conditions"))) return;
        if (isConditional && conditions is not { Count: > 0 })
        {
            checks.Add(Checks.P("conditions"), "A conditional trigger needs at least one condition (key and value)");
        }
    }

    private static async Task<Error?> CheckFormatAsync(OperatorDb db, Guid? formatId, CancellationToken ct)
    {
        if (formatId is not { } fid) return null;
        var format = await db.Set<SerialFormat>().AsNoTracking().Where(x => x.Id == fid).Select(x => new { x.Name, x.IsActive }).SingleOrDefaultAsync(ct);
        if (format is null) return WorkflowErrors.NotFound("SerialFormat", fid.ToString());
        return format.IsActive ? null : WorkflowErrors.Invalid("formatConfigId", $"Serial format {format.Name} is inactive");
    }

    private static string? Serialize(IReadOnlyDictionary<string, string>? conditions) =>
        conditions is { Count: > 0 } ? new JsonObject(conditions.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)JsonValue.Create(c.Value)))).ToJsonString() : null;

    public static IReadOnlyDictionary<string, string> Deserialize(string? conditions) =>
        string.IsNullOrEmpty(conditions) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(conditions) ?? [];

    public static TriggerDto ToDto(SerialTrigger t) => new(
        t.Id, t.PartId, t.TriggerType, t.AssignmentType, t.IsActive, t.CreatedAt, t.FormatId, t.OperationCode, t.IsConditional,
        Deserialize(t.Conditions), t.BatchMode, t.BatchSize, t.FiredCount, t.LastFiredAt, t.UpdatedAt);
}
