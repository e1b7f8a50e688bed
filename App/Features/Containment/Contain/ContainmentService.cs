using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Containment;

/// <summary>
/// Containment: one decision that puts everything a suspect thing reaches on one quality hold.
/// <list type="bullet">
/// <item>Preview: how many units, work orders, batches and license plates were named, how many a containment would hold,
/// and which are already named by an active hold (and by which). Nothing is written.</item>
/// <item>Contain: one hold (quarantine by default, or recall) over every target no active hold names yet, its reason
/// naming the origin; created exactly as <c>POST /api/quality/holds</c> creates one (number, plates to <c>hold</c>, tallies,
/// <c>hold_created</c> audit entry) plus one <c>containment</c> audit entry with the origin and the counts, all in one
/// transaction: a failure anywhere leaves nothing behind. The targets are locked before "already held" is read, as a hold
/// create locks them, so two containments of one unit never both hold it, nor does either miss a hold committed first.</item>
/// <item>"Already held" means named directly by an active hold. A unit only blocked through its work order or batch is
/// still held on its own: releasing that other hold must not end the containment.</item>
/// <item>Up to <see cref="MaxTargets"/> targets, beyond the contract's 100 items per hold: containment is not the contract's
/// request, and an impact reaches thousands of units. QA_MANAGER and ADMIN only (<see cref="Policies.QualityManage"/>): it
/// holds whole genealogies at once.</item>
/// </list>
/// Releasing the hold is the holds feature's release (one disposition, or one per item).
/// </summary>
public sealed class ContainmentService(IDbContextFactory<OperatorDb> factory, HoldCommands holds, AuditTrail audit, TimeProvider time, ICurrentUser caller,
    IContainmentProbe probe)
{
    public const int MaxTargets = 10_000;
    public const string Forbidden = "Insufficient permissions: containment needs the QA_MANAGER or ADMIN role";
    public const string InvalidData = "Invalid containment request";
    public const string NothingToHold = "Every target is already held by an active quality hold: nothing to contain";
    public const int ReasonMax = 300;
    public const int DescriptionMax = 500;
    public static readonly IReadOnlyList<string> HoldTypes = [Holds.HoldTypes.Quarantine, Holds.HoldTypes.Recall];

    public bool CanContain => Policies.Allows(Policies.QualityManage, caller.Role);

    public async Task<Result<ContainmentPreviewDto>> PreviewAsync(ContainRequest request, CancellationToken ct = default)
    {
        if (!CanContain) return Error.Forbidden(Forbidden);
        var checks = new Checks();
        var targets = Targets(checks, request);
        if (checks.Failed) return checks.ToError(InvalidData);
        await using var db = factory.CreateDbContext();
        var found = await FindAsync(db, targets!, ct);
        if (!found.IsSuccess) return found.Error!;
        var held = await AlreadyHeldAsync(db, found.Value, ct);
        return Preview(found.Value, held);
    }

    public async Task<Result<ContainmentDto>> ContainAsync(ContainRequest request, CancellationToken ct = default)
    {
        if (!CanContain) return Error.Forbidden(Forbidden);
        var checks = new Checks();
        var origin = Origin(checks, request.Origin);
        var holdType = request.HoldType is null ? Holds.HoldTypes.Quarantine : checks.OneOf(P("holdType"), request.HoldType, HoldTypes);
        var priority = request.Priority is null ? HoldPriorities.High : checks.OneOf(P("priority"), request.Priority, HoldPriorities.All);
        var extra = checks.OptionalText(P("reason"), request.Reason, ReasonMax);
        var targets = Targets(checks, request);
        if (checks.Failed) return checks.ToError(InvalidData);

        await using var db = factory.CreateDbContext();
        var org = db.TenantId ?? throw new InvalidOperationException("Containment needs a signed-in user of an organization.");
        var userId = caller.UserId ?? throw new InvalidOperationException("Containment needs a signed-in user.");
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(ct);
        var actor = new HoldActor(org, userId, user?.DisplayName ?? caller.DisplayName ?? "", user?.Email ?? caller.Email ?? "");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var found = await FindAsync(db, targets!, ct);
        if (!found.IsSuccess) return found.Error!;
        var t = found.Value;
        // Locked as a hold create locks them, before "already held" is read: see the class summary.
        await HoldQueries.LockReferencesAsync(db, [.. t.Serials.Keys], [.. t.Plates.Keys], [.. t.Orders.Keys], [.. t.Batches.Keys], ct);
        var held = await AlreadyHeldAsync(db, t, ct);
        var heldKeys = held.Select(h => (h.ReferenceType, h.ReferenceId)).ToHashSet();

        var items = new List<ValidHoldItem>();
        void Add(string type, IEnumerable<Guid> ids)
        {
            foreach (var id in ids.Where(id => !heldKeys.Contains((type, id))))
            {
                items.Add(type == ReferenceTypes.Serial
                    ? new ValidHoldItem(items.Count, type, Guid.Empty, null, null, null, id.ToString())
                    : new ValidHoldItem(items.Count, type, id, null, null, null));
            }
        }
        // In the order the request named them (all found above).
        Add(ReferenceTypes.Serial, targets!.Serials);
        Add(ReferenceTypes.WorkOrder, targets.Orders);
        Add(ReferenceTypes.Batch, targets.Batches);
        Add(ReferenceTypes.LicensePlate, targets.Plates);
        if (items.Count == 0) return Error.Conflict(NothingToHold);

        var reason = Cut($"Containment of {ContainmentOrigins.Label(origin!.Type!).ToLowerInvariant()} {origin.Number}" + (extra is { Length: > 0 } ? $": {extra}" : ""), HoldValidation.ReasonMax);
        var created = await holds.CreateInAsync(db, actor, new ValidHold(reason, holdType!, priority!, items), time.GetUtcNow().UtcDateTime, ct);
        if (!created.IsSuccess) return created.Error!;
        var hold = created.Value.Hold;
        int Count(string type) => items.Count(i => i.ReferenceType == type);
        var result = new ContainmentDto(hold.Id, hold.HoldNumber, hold.HoldType, hold.Priority, hold.Reason, origin, items.Count,
            Count(ReferenceTypes.Serial), Count(ReferenceTypes.WorkOrder), Count(ReferenceTypes.Batch), Count(ReferenceTypes.LicensePlate), held);

        await audit.AppendAsync(db, HoldAudit.ActionContainment, HoldAudit.EntityType, hold.Id.ToString(), before: null, after: new
        {
            hold_number = hold.HoldNumber,
            origin = new { type = origin.Type, number = origin.Number, description = origin.Description },
            units = result.Units,
            work_orders = result.WorkOrders,
            batches = result.Batches,
            license_plates = result.LicensePlates,
            already_held = held.Select(h => new { reference_type = h.ReferenceType, reference_id = h.ReferenceId, reference_display = h.ReferenceDisplay,
                holds = h.Holds.Select(x => x.HoldNumber) }),
        }, organizationId: org, ct: ct);
        await db.SaveChangesAsync(ct);
        await probe.SavedAsync(hold.Id, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>The containment a hold came from, for its details page: null for a hold created any other way.</summary>
    public async Task<ContainmentOriginView?> OriginOfAsync(Guid holdId, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var entityId = holdId.ToString();
        var entry = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == HoldAudit.EntityType && a.EntityId == entityId && a.Action == HoldAudit.ActionContainment)
            .Select(a => new { a.After, a.At, a.UserEmail }).FirstOrDefaultAsync(ct);
        if (entry?.After is null) return null;
        var after = System.Text.Json.JsonSerializer.Deserialize<ContainmentEntry>(entry.After, EntryJson);
        if (after?.Origin is not { } origin) return null;
        return new ContainmentOriginView(origin.Type ?? "", origin.Number ?? "", origin.Description, after.Units, after.AlreadyHeld?.Count ?? 0, entry.At, entry.UserEmail);
    }

    private static readonly System.Text.Json.JsonSerializerOptions EntryJson = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The part of a containment audit entry's "after" that the hold's page shows.</summary>
    private sealed record ContainmentEntry(
        ContainmentOrigin? Origin,
        int Units,
        [property: System.Text.Json.Serialization.JsonPropertyName("already_held")] List<System.Text.Json.Nodes.JsonNode?>? AlreadyHeld);

    // ---------------------------------------------------------------- request rules

    private static ContainmentOrigin? Origin(Checks checks, ContainmentOrigin? origin)
    {
        if (origin is null)
        {
            checks.Add(P("origin"), "Required", "invalid_type");
            return null;
        }
        var type = checks.OneOf(P("origin", "type"), origin.Type, ContainmentOrigins.All);
        var number = checks.Text(P("origin", "number"), origin.Number, 1, 100);
        var description = checks.OptionalText(P("origin", "description"), origin.Description, DescriptionMax);
        return type is null || number is null ? null : new ContainmentOrigin(type, number, string.IsNullOrEmpty(description) ? null : description);
    }

    private sealed record TargetIds(IReadOnlyList<Guid> Serials, IReadOnlyList<Guid> Orders, IReadOnlyList<Guid> Batches, IReadOnlyList<Guid> Plates);

    private static TargetIds? Targets(Checks checks, ContainRequest request)
    {
        // Repeats are one target: an impact may reach one unit along two paths.
        static IReadOnlyList<Guid> Distinct(IReadOnlyList<Guid>? ids) => ids is null ? [] : ids.Distinct().ToList();
        var ids = new TargetIds(Distinct(request.SerialIds), Distinct(request.WorkOrderIds), Distinct(request.BatchIds), Distinct(request.LicensePlateIds));
        var total = ids.Serials.Count + ids.Orders.Count + ids.Batches.Count + ids.Plates.Count;
        if (total == 0) checks.Add(P("serialIds"), "Name at least one unit, work order, batch or license plate to contain", "too_small");
        else if (total > MaxTargets) checks.Add(P("serialIds"), $"A containment holds at most {MaxTargets} targets; this one names {total}", "too_big");
        return ids;
    }

    // ---------------------------------------------------------------- reads

    private sealed record Found(
        IReadOnlyDictionary<Guid, string> Serials, IReadOnlyDictionary<Guid, string> Orders,
        IReadOnlyDictionary<Guid, string> Batches, IReadOnlyDictionary<Guid, string> Plates);

    /// <summary>The targets in the caller's organization, with their numbers; the first one that is not is a 404, as a missing one.</summary>
    private static async Task<Result<Found>> FindAsync(OperatorDb db, TargetIds ids, CancellationToken ct)
    {
        var serials = await NumbersAsync(ids.Serials, chunk => db.Set<Serial>().AsNoTracking().Where(x => chunk.Contains(x.Id)).Select(x => new { x.Id, Number = x.SerialNumber })
            .ToDictionaryAsync(x => x.Id, x => x.Number, ct));
        if (Missing(ids.Serials, serials) is { } s) return Error.NotFound($"Serial not found: {s}", "Serial", s.ToString());
        var orders = await NumbersAsync(ids.Orders, chunk => db.Set<WorkOrder>().AsNoTracking().Where(x => chunk.Contains(x.Id)).Select(x => new { x.Id, x.Number })
            .ToDictionaryAsync(x => x.Id, x => x.Number, ct));
        if (Missing(ids.Orders, orders) is { } w) return Error.NotFound($"Work order not found: {w}", "WorkOrder", w.ToString());
        var batches = await NumbersAsync(ids.Batches, chunk => db.Set<Batch>().AsNoTracking().Where(x => chunk.Contains(x.Id)).Select(x => new { x.Id, x.Number })
            .ToDictionaryAsync(x => x.Id, x => x.Number, ct));
        if (Missing(ids.Batches, batches) is { } b) return Error.NotFound($"Batch not found: {b}", "Batch", b.ToString());
        var plates = await NumbersAsync(ids.Plates, chunk => db.Set<LicensePlate>().AsNoTracking().Where(x => chunk.Contains(x.Id)).Select(x => new { x.Id, x.Number })
            .ToDictionaryAsync(x => x.Id, x => x.Number, ct));
        if (Missing(ids.Plates, plates) is { } l) return Error.NotFound($"License plate not found: {l}", "LicensePlate", l.ToString());
        return new Found(serials, orders, batches, plates);
    }

    /// <summary>Reads in chunks, so a containment of thousands of units stays within every provider's parameter limits.</summary>
    private static async Task<Dictionary<Guid, string>> NumbersAsync(IReadOnlyList<Guid> ids, Func<List<Guid>, Task<Dictionary<Guid, string>>> read)
    {
        var map = new Dictionary<Guid, string>();
        foreach (var chunk in ids.Chunk(1000))
        {
            foreach (var (id, number) in await read([.. chunk])) map[id] = number;
        }
        return map;
    }

    private static Guid? Missing(IReadOnlyList<Guid> ids, IReadOnlyDictionary<Guid, string> found) =>
        ids.Where(id => !found.ContainsKey(id)).Select(id => (Guid?)id).FirstOrDefault();

    /// <summary>The targets an active hold names directly, each with those holds (most urgent first), in the order of the kinds.</summary>
    private static async Task<IReadOnlyList<AlreadyHeldDto>> AlreadyHeldAsync(OperatorDb db, Found t, CancellationToken ct)
    {
        var rows = new List<(string Type, Guid Id, ContainmentHoldRef Hold, int Rank, DateTime HeldAt)>();
        async Task ReadAsync(string type, IEnumerable<Guid> ids)
        {
            foreach (var chunk in ids.Chunk(1000))
            {
                var list = chunk.ToList();
                var found = await db.Set<QualityHoldItem>().AsNoTracking()
                    .Where(i => i.ReferenceType == type && list.Contains(i.ReferenceId))
                    .Join(db.Set<QualityHold>().Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id,
                        (i, h) => new { i.ReferenceId, h.Id, h.HoldNumber, h.HoldType, h.Priority, h.PriorityRank, h.HeldAt })
                    .ToListAsync(ct);
                rows.AddRange(found.Select(f => (type, f.ReferenceId, new ContainmentHoldRef(f.Id, f.HoldNumber, f.HoldType, f.Priority), f.PriorityRank, f.HeldAt)));
            }
        }
        await ReadAsync(ReferenceTypes.Serial, t.Serials.Keys);
        await ReadAsync(ReferenceTypes.WorkOrder, t.Orders.Keys);
        await ReadAsync(ReferenceTypes.Batch, t.Batches.Keys);
        await ReadAsync(ReferenceTypes.LicensePlate, t.Plates.Keys);
        string Display(string type, Guid id) => type switch
        {
            ReferenceTypes.Serial => t.Serials[id],
            ReferenceTypes.WorkOrder => t.Orders[id],
            ReferenceTypes.Batch => t.Batches[id],
            _ => t.Plates[id],
        };
        string[] kinds = [ReferenceTypes.Serial, ReferenceTypes.WorkOrder, ReferenceTypes.Batch, ReferenceTypes.LicensePlate];
        return rows.GroupBy(r => (r.Type, r.Id))
            .OrderBy(g => Array.IndexOf(kinds, g.Key.Type)).ThenBy(g => Display(g.Key.Type, g.Key.Id), StringComparer.Ordinal)
            .Select(g => new AlreadyHeldDto(g.Key.Type, g.Key.Id, Display(g.Key.Type, g.Key.Id),
                g.OrderByDescending(r => r.Rank).ThenBy(r => r.HeldAt).Select(r => r.Hold).DistinctBy(h => h.HoldId).ToList()))
            .ToList();
    }

    private static ContainmentPreviewDto Preview(Found t, IReadOnlyList<AlreadyHeldDto> held)
    {
        ContainmentCount Count(string type, int targets)
        {
            var already = held.Count(h => h.ReferenceType == type);
            return new ContainmentCount(targets, targets - already, already);
        }
        return new ContainmentPreviewDto(Count(ReferenceTypes.Serial, t.Serials.Count), Count(ReferenceTypes.WorkOrder, t.Orders.Count),
            Count(ReferenceTypes.Batch, t.Batches.Count), Count(ReferenceTypes.LicensePlate, t.Plates.Count), held);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>
/// A test seam: called after a containment's rows were sent to the database and before its transaction commits. A test
/// throws here to prove that nothing of a containment survives a failure at its last moment. The app registers
/// <see cref="NoContainmentProbe"/>.
/// </summary>
public interface IContainmentProbe
{
    ValueTask SavedAsync(Guid holdId, CancellationToken ct);
}

public sealed class NoContainmentProbe : IContainmentProbe
{
    public ValueTask SavedAsync(Guid holdId, CancellationToken ct) => ValueTask.CompletedTask;
}
