using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Admin;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Holds;

/// <summary>Who acts on a hold: the organization, and the user recorded as held_by / released_by / updated_by.</summary>
public sealed record HoldActor(Guid OrganizationId, Guid UserId, string Name, string Email);

/// <summary>
/// Every rule of quality holds (shared/specs/quality-holds.md), for the API and the pages alike.
/// <list type="bullet">
/// <item>Create: the request rules of <see cref="HoldValidation"/>; each reference must exist in the caller's organization
/// (else 404 "License plate not found" / "Work order not found" / "Batch not found"); the number
/// <c>QH-YYYYMMDD-NNNN</c> (UTC day of held_at) comes from a per-organization, per-day counter drawn inside the
/// transaction; every license plate held gets <c>qa_status = hold</c>. Hold, items, plate changes and the audit
/// entries are one transaction: a failure leaves nothing behind.</item>
/// <item>Release (active only, else 409): QA_INSPECTOR may release only holds they created, QA_MANAGER and ADMIN any.
/// The disposition decides each held license plate's QA status: release → passed, rework → pending (it goes back
/// to await QA after rework/retest), scrap → scrap, return → rejected (it failed QA and goes back to the supplier).
/// A plate that another active hold still holds stays on hold.</item>
/// <item>Dispose (soft delete; QA_MANAGER and ADMIN; active or released, else 409): the hold is archived as
/// <c>disposed</c>. Disposing an active hold withdraws it: its plates return to the status they had before it
/// (or pending when that was another hold's "hold" that has since ended), unless another active hold still holds them.</item>
/// <item>Aging: see <see cref="HoldAging"/>.</item>
/// </list>
/// Another organization's hold or reference is not found, exactly as if it did not exist.
/// </summary>
public sealed class HoldService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller, HoldSearchIndex searchIndex)
{
    public const string AuditEntityType = "quality_hold";
    public const string ActionCreated = "hold_created";
    public const string ActionReleased = "hold_released";
    public const string ActionDisposed = "hold_disposed";
    public const string ActionLpStatus = "qa_status_changed";

    public const string NotFoundMessage = "Quality hold not found";
    public const string CreateForbidden = "Insufficient permissions to create quality holds";
    public const string ReleaseForbidden = "Insufficient permissions to release quality holds";
    public const string ReleaseOwnOnly = "Insufficient permissions: a QA inspector may release only the quality holds they created";
    public const string DisposeForbidden = "Insufficient permissions to delete quality holds";

    /// <summary>Pages' typed requests go through the JSON rules, so both doors say the same words.</summary>
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    // ---------------------------------------------------------------- permissions (for pages; the service enforces them too)

    public bool CanCreate => Policies.Allows(Policies.HoldWrite, caller.Role);

    public bool CanRelease(HoldDto hold) =>
        hold.Status == HoldStatuses.Active && Policies.Allows(Policies.HoldWrite, caller.Role) &&
        (Policies.Allows(Policies.ReleaseAnyHold, caller.Role) || hold.CreatedBy == caller.UserId);

    public bool CanDispose(HoldDto hold) => hold.Status != HoldStatuses.Disposed && Policies.Allows(Policies.QualityManage, caller.Role);

    // ---------------------------------------------------------------- create

    public Task<Result<HoldResponse>> CreateAsync(CreateHoldRequest request, CancellationToken ct = default) =>
        CreateAsync(JsonSerializer.SerializeToElement(request, RequestJson), ct);

    public async Task<Result<HoldResponse>> CreateAsync(JsonElement body, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.HoldWrite, caller.Role)) return Error.Forbidden(CreateForbidden);
        var valid = HoldValidation.Create(body);
        if (!valid.IsSuccess) return valid.Error!;

        await using var db = factory.CreateDbContext();
        var actor = await ActorAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await CreateInAsync(db, actor, valid.Value, time.GetUtcNow().UtcDateTime, ct);
        if (!created.IsSuccess) return created.Error!;
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The counter makes this unreachable; a unique index that still says no is answered, not thrown.
            return Error.Conflict("A quality hold with this number already exists; try again");
        }
        return created.Value;
    }

    /// <summary>
    /// Adds a hold to <paramref name="db"/> inside the caller's open transaction (not saved). Shared by
    /// <see cref="CreateAsync(JsonElement, CancellationToken)"/> and the demo seed.
    /// </summary>
    internal async Task<Result<HoldResponse>> CreateInAsync(OperatorDb db, HoldActor actor, ValidHold input, DateTime heldAt, CancellationToken ct)
    {
        var org = actor.OrganizationId;
        var lpIds = IdsOf(input, ReferenceTypes.LicensePlate);
        var woIds = IdsOf(input, ReferenceTypes.WorkOrder);
        var batchIds = IdsOf(input, ReferenceTypes.Batch);

        // By id, then kept only when they are the organization's: an id is unique, and SQLite without statistics (a new database before its first analysis) would
        // otherwise read the references through the organization index, i.e. all of the organization's plates.
        var plates = lpIds.Count == 0 ? [] : (await db.Set<LicensePlate>().IgnoreQueryFilters().Where(l => lpIds.Contains(l.Id)).Include(l => l.Location).ToListAsync(ct))
            .Where(l => l.OrganizationId == org).ToDictionary(l => l.Id);
        var orders = woIds.Count == 0 ? [] : (await db.Set<WorkOrder>().IgnoreQueryFilters().Where(w => woIds.Contains(w.Id)).AsNoTracking().Select(w => new { w.Id, w.OrganizationId, w.Number }).ToListAsync(ct))
            .Where(w => w.OrganizationId == org).ToDictionary(w => w.Id, w => w.Number);
        var batches = batchIds.Count == 0 ? [] : (await db.Set<Batch>().IgnoreQueryFilters().Where(b => batchIds.Contains(b.Id)).AsNoTracking().Select(b => new { b.Id, b.OrganizationId, b.Number }).ToListAsync(ct))
            .Where(b => b.OrganizationId == org).ToDictionary(b => b.Id, b => b.Number);

        foreach (var item in input.Items)
        {
            var found = item.ReferenceType switch
            {
                ReferenceTypes.LicensePlate => plates.ContainsKey(item.ReferenceId),
                ReferenceTypes.WorkOrder => orders.ContainsKey(item.ReferenceId),
                _ => batches.ContainsKey(item.ReferenceId),
            };
            if (!found)
            {
                return item.ReferenceType switch
                {
                    ReferenceTypes.LicensePlate => Error.NotFound("License plate not found", "LicensePlate", item.ReferenceId.ToString()),
                    ReferenceTypes.WorkOrder => Error.NotFound("Work order not found", "WorkOrder", item.ReferenceId.ToString()),
                    _ => Error.NotFound("Batch not found", "Batch", item.ReferenceId.ToString()),
                };
            }
        }

        var day = heldAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var sequence = await db.NextAsync(org, $"hold:{day}", 1, ct);
        var hold = new QualityHold
        {
            Id = Guid.NewGuid(),
            OrganizationId = org,
            HoldNumber = $"QH-{day}-{sequence:D4}",
            Status = HoldStatuses.Active,
            Priority = input.Priority,
            PriorityRank = HoldPriorities.Rank(input.Priority),
            HoldType = input.HoldType,
            Reason = input.Reason,
            ItemsCount = input.Items.Count,
            HeldById = actor.UserId,
            HeldAt = heldAt,
            CreatedById = actor.UserId,
            CreatedAt = heldAt,
            UpdatedById = actor.UserId,
            UpdatedAt = heldAt,
        };

        var lpUpdates = new List<LpUpdateDto>();
        foreach (var item in input.Items)
        {
            var row = new QualityHoldItem
            {
                Id = Guid.NewGuid(), OrganizationId = org, HoldId = hold.Id, Sequence = item.Index,
                ReferenceType = item.ReferenceType, ReferenceId = item.ReferenceId, ReferenceDisplay = "",
                QuantityHeld = item.QuantityHeld, Uom = item.Uom, Notes = item.Notes,
            };
            switch (item.ReferenceType)
            {
                case ReferenceTypes.LicensePlate:
                    var plate = plates[item.ReferenceId];
                    row.ReferenceDisplay = plate.Number;
                    row.LocationId = plate.LocationId;
                    row.LocationName = plate.Location?.Name;
                    row.QaStatusBefore = plate.QaStatus;
                    lpUpdates.Add(new LpUpdateDto(plate.Id, plate.Number, plate.QaStatus, QaStatuses.Hold));
                    plate.QaStatus = QaStatuses.Hold;
                    break;
                case ReferenceTypes.WorkOrder:
                    row.ReferenceDisplay = orders[item.ReferenceId];
                    break;
                default:
                    row.ReferenceDisplay = batches[item.ReferenceId];
                    break;
            }
            hold.Items.Add(row);
        }
        db.Add(hold);
        await HoldTallies.MoveAsync(db, hold, null, HoldStatuses.Active, ct);

        var response = new HoldResponse(ToDto(hold, actor, null), hold.Items.Select(ToDto).ToList(), lpUpdates);
        await audit.AppendAsync(db, ActionCreated, AuditEntityType, hold.Id.ToString(), before: null, after: new
        {
            hold_number = hold.HoldNumber,
            status = hold.Status,
            priority = hold.Priority,
            hold_type = hold.HoldType,
            reason = hold.Reason,
            items = response.Items.Select(i => new { i.ReferenceType, i.ReferenceId, i.ReferenceDisplay, i.QuantityHeld, i.Uom }),
            lp_updates = lpUpdates,
        }, organizationId: org, ct: ct);
        await AuditPlatesAsync(db, org, hold.HoldNumber, lpUpdates, ct);
        return response;
    }

    // ---------------------------------------------------------------- release

    public Task<Result<HoldResponse>> ReleaseAsync(Guid id, ReleaseHoldRequest request, CancellationToken ct = default) =>
        ReleaseAsync(id.ToString(), JsonSerializer.SerializeToElement(request, RequestJson), ct);

    public async Task<Result<HoldResponse>> ReleaseAsync(string id, JsonElement body, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.HoldWrite, caller.Role)) return Error.Forbidden(ReleaseForbidden);
        var valid = HoldValidation.Release(body);
        if (!valid.IsSuccess) return valid.Error!;
        if (!Guid.TryParse(id, out var holdId)) return HoldNotFound(id);

        await using var db = factory.CreateDbContext();
        var actor = await ActorAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hold = await db.Set<QualityHold>().Include(h => h.Items).SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null) return HoldNotFound(id);
        if (!Policies.Allows(Policies.ReleaseAnyHold, caller.Role) && hold.CreatedById != caller.UserId) return Error.Forbidden(ReleaseOwnOnly);

        var released = await ReleaseInAsync(db, actor, hold, valid.Value.Disposition, valid.Value.ReleaseNotes, time.GetUtcNow().UtcDateTime, ct);
        if (!released.IsSuccess) return released.Error!;
        return await CommitChangeAsync(db, tx, released.Value, ct);
    }

    internal async Task<Result<HoldResponse>> ReleaseInAsync(OperatorDb db, HoldActor actor, QualityHold hold, string disposition, string? notes, DateTime now, CancellationToken ct)
    {
        if (hold.Status == HoldStatuses.Released) return Error.Conflict("Quality hold is already released");
        if (hold.Status == HoldStatuses.Disposed) return Error.Conflict("Quality hold is disposed and can no longer be released");

        var target = disposition switch
        {
            Dispositions.Release => QaStatuses.Passed,
            Dispositions.Rework => QaStatuses.Pending,
            Dispositions.Scrap => QaStatuses.Scrap,
            _ => QaStatuses.Rejected,
        };
        var lpUpdates = await SetPlateStatusesAsync(db, actor.OrganizationId, hold, _ => target, ct);

        await HoldTallies.MoveAsync(db, hold, hold.Status, HoldStatuses.Released, ct);
        hold.Status = HoldStatuses.Released;
        hold.Disposition = disposition;
        hold.ReleaseNotes = notes;
        hold.ReleasedById = actor.UserId;
        hold.ReleasedAt = now;
        Touch(hold, actor, now);

        await audit.AppendAsync(db, ActionReleased, AuditEntityType, hold.Id.ToString(),
            before: new { status = HoldStatuses.Active },
            after: new { hold_number = hold.HoldNumber, status = hold.Status, disposition, release_notes = notes, lp_updates = lpUpdates },
            organizationId: actor.OrganizationId, ct: ct);
        await AuditPlatesAsync(db, actor.OrganizationId, hold.HoldNumber, lpUpdates, ct);

        var releasedBy = new HoldUserDto(actor.UserId, actor.Name, actor.Email);
        var heldBy = await UserAsync(db, hold.HeldById, ct);
        return new HoldResponse(ToDto(hold, heldBy, releasedBy), hold.Items.OrderBy(i => i.Sequence).Select(ToDto).ToList(), lpUpdates);
    }

    // ---------------------------------------------------------------- dispose (DELETE)

    public async Task<Result<Unit>> DisposeAsync(string id, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.QualityManage, caller.Role)) return Error.Forbidden(DisposeForbidden);
        if (!Guid.TryParse(id, out var holdId)) return HoldNotFound(id);

        await using var db = factory.CreateDbContext();
        var actor = await ActorAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hold = await db.Set<QualityHold>().Include(h => h.Items).SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null) return HoldNotFound(id);
        var disposed = await DisposeInAsync(db, actor, hold, time.GetUtcNow().UtcDateTime, ct);
        if (!disposed.IsSuccess) return disposed.Error!;
        var committed = await CommitChangeAsync(db, tx, Unit.Value, ct);
        return committed;
    }

    public Task<Result<Unit>> DisposeAsync(Guid id, CancellationToken ct = default) => DisposeAsync(id.ToString(), ct);

    internal async Task<Result<IReadOnlyList<LpUpdateDto>>> DisposeInAsync(OperatorDb db, HoldActor actor, QualityHold hold, DateTime now, CancellationToken ct)
    {
        if (hold.Status == HoldStatuses.Disposed) return Error.Conflict("Quality hold is already disposed");
        var before = hold.Status;
        // Withdrawing an active hold gives its plates back the status they had before it; a released hold's plates
        // already carry its disposition and are left alone.
        IReadOnlyList<LpUpdateDto> lpUpdates = before == HoldStatuses.Active
            ? await SetPlateStatusesAsync(db, actor.OrganizationId, hold, item => item.QaStatusBefore is null or QaStatuses.Hold ? QaStatuses.Pending : item.QaStatusBefore, ct)
            : [];

        await HoldTallies.MoveAsync(db, hold, before, HoldStatuses.Disposed, ct);
        hold.Status = HoldStatuses.Disposed;
        hold.DisposedById = actor.UserId;
        hold.DisposedAt = now;
        Touch(hold, actor, now);

        await audit.AppendAsync(db, ActionDisposed, AuditEntityType, hold.Id.ToString(),
            before: new { status = before },
            after: new { hold_number = hold.HoldNumber, status = hold.Status, lp_updates = lpUpdates },
            organizationId: actor.OrganizationId, ct: ct);
        await AuditPlatesAsync(db, actor.OrganizationId, hold.HoldNumber, lpUpdates, ct);
        return Result<IReadOnlyList<LpUpdateDto>>.Ok(lpUpdates);
    }

    // ---------------------------------------------------------------- reads

    public async Task<Result<ListHoldsResponse>> ListAsync(HoldListQuery query, CancellationToken ct = default)
    {
        var parsed = HoldListParameters.Parse(query);
        if (!parsed.IsSuccess) return parsed.Error!;
        var f = parsed.Value;

        await using var db = factory.CreateDbContext();
        // A search is answered from the search index and the fields it keeps (HoldSearchIndex); the database then gives
        // the statuses it needs and the page's rows. Sorting by the last change, which the index does not keep, composes
        // the index's matches into the database query instead.
        var (total, page) = f.Search is { } search && f.SortField != "updated_at"
            ? await SearchPageAsync(db, search, f, ct)
            : await QueryPageAsync(db, f, ct);

        var now = time.GetUtcNow().UtcDateTime;
        var holds = page.Select(h =>
        {
            var (hours, aging) = HoldAging.Compute(h.Priority, h.HeldAt, h.ReleasedAt ?? h.DisposedAt, now);
            return new HoldSummaryDto(h.Id, h.HoldNumber, h.Status, h.Priority, h.HoldType, Shorten(h.Reason), h.ItemsCount,
                new HoldUserDto(h.HeldById, h.HeldByName, h.HeldByEmail ?? ""), h.HeldAt, hours, aging);
        }).ToList();

        var pages = (int)Math.Ceiling(total / (double)f.Limit);
        return new ListHoldsResponse(holds,
            new PaginationDto(total, f.Limit, f.Offset, pages, f.Offset + f.Limit < total, f.Offset > 0),
            new FiltersAppliedDto(f.Statuses, f.Priorities, f.HoldTypes, new DateRangeDto(f.FromText, f.ToText), f.Search));
    }

    /// <summary>What a list row shows of a hold.</summary>
    private sealed record ListRow(
        Guid Id, string HoldNumber, string Status, string Priority, string HoldType, string Reason, int ItemsCount, Guid HeldById,
        string HeldByName, string? HeldByEmail, DateTime HeldAt, DateTime? ReleasedAt, DateTime? DisposedAt);

    private static IQueryable<ListRow> ToRows(IQueryable<QualityHold> holds) => holds.Select(h => new ListRow(
        h.Id, h.HoldNumber, h.Status, h.Priority, h.HoldType, h.Reason, h.ItemsCount, h.HeldById,
        h.HeldBy!.DisplayName, h.HeldBy.Email, h.HeldAt, h.ReleasedAt, h.DisposedAt));

    /// <summary>
    /// A search: the index's matches filtered, counted and sorted in memory on the fields it keeps, then the page's rows
    /// read by id.
    /// </summary>
    private async Task<(int Total, List<ListRow> Page)> SearchPageAsync(OperatorDb db, string search, HoldListFilter f, CancellationToken ct)
    {
        IEnumerable<HoldSearchEntry> matching = await searchIndex.FindAsync(db, search, ct);
        if (f.Statuses is { } statuses) matching = matching.Where(e => statuses.Contains(e.Status));
        var ranks = f.Priorities?.Select(HoldPriorities.Rank).ToHashSet();
        if (ranks is not null) matching = matching.Where(e => ranks.Contains(e.PriorityRank));
        if (f.HoldTypes is { } types) matching = matching.Where(e => types.Contains(e.HoldType));
        if (f.From is { } from) matching = matching.Where(e => e.HeldAt >= from);
        if (f.ToInclusive is { } to) matching = matching.Where(e => e.HeldAt <= to);
        if (f.ToExclusive is { } before) matching = matching.Where(e => e.HeldAt < before);
        var candidates = matching.ToList();
        if (f.Offset >= candidates.Count) return (candidates.Count, []);

        var sorted = HoldListOrder.Top(candidates, f.Offset + f.Limit, HoldListOrder.Comparison(f.SortField, f.Descending));
        var ids = sorted.Skip(f.Offset).Select(e => e.Id).ToList();
        var rows = await ToRows(ById(db, ids)).ToDictionaryAsync(r => r.Id, ct);
        // The page in the index's order; a row's other fields are as the database has them now.
        return (candidates.Count, ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList());
    }

    /// <summary>
    /// The holds with these ids, each found through the primary key. On SQLite the ids are joined in from json_each in
    /// that order (CROSS JOIN keeps it): given <c>"Id" IN (...)</c> with the organization filter, SQLite walked all of
    /// the organization's holds checking each against the list (1,700 ids: 70 ms).
    /// </summary>
    private static IQueryable<QualityHold> ById(OperatorDb db, IReadOnlyCollection<Guid> ids)
    {
        if (!db.Database.IsSqlite()) return db.Set<QualityHold>().AsNoTracking().Where(h => ids.Contains(h.Id));
        // EF stores a Guid on SQLite as upper-case text.
        var json = System.Text.Json.JsonSerializer.Serialize(ids.Select(id => id.ToString().ToUpperInvariant()));
        return db.Set<QualityHold>().FromSqlRaw("""SELECT h.* FROM json_each({0}) AS m CROSS JOIN "QualityHolds" AS h ON h."Id" = m.value""", json).AsNoTracking();
    }

    /// <summary>Every other list: filters, count and page from the database.</summary>
    private async Task<(int Total, List<ListRow> Page)> QueryPageAsync(OperatorDb db, HoldListFilter f, CancellationToken ct)
    {
        var rows = db.Set<QualityHold>().AsNoTracking();
        if (f.Search is { } search) rows = ById(db, (await searchIndex.FindAsync(db, search, ct)).Select(e => e.Id).ToList());
        var ranks = f.Priorities?.Select(HoldPriorities.Rank).ToList();
        var dated = f.From is not null || f.ToInclusive is not null || f.ToExclusive is not null;
        // Without a search the tallies (HoldTallies) know how many holds match the status, priority and type filters: the
        // total when no date range applies, and what decides the SQLite read order below.
        int? tallied = f.Search is null ? await HoldTallies.CountAsync(db, f.Statuses, ranks, f.HoldTypes, ct) : null;
        var orderedScan = tallied is { } matching && f.SortField == "held_at" && (f.Statuses is not null || ranks is not null) && db.Database.IsSqlite()
            && await OrderedScanIsCheaperAsync(db, matching, f.Offset + f.Limit, ct);
        // The stored rank says the same as the priority and is in the list's indexes.
        Expression<Func<QualityHold, string>> status = orderedScan ? h => h.Status + "" : h => h.Status;
        Expression<Func<QualityHold, int>> rank = orderedScan ? h => h.PriorityRank + 0 : h => h.PriorityRank;
        if (f.Statuses is { } statuses) rows = rows.WhereIn(status, statuses);
        if (ranks is not null) rows = rows.WhereIn(rank, ranks);
        if (f.HoldTypes is { } types) rows = rows.WhereIn(h => h.HoldType, types);
        if (f.From is { } from) rows = rows.Where(h => h.HeldAt >= from);
        if (f.ToInclusive is { } to) rows = rows.Where(h => h.HeldAt <= to);
        if (f.ToExclusive is { } before) rows = rows.Where(h => h.HeldAt < before);

        var total = tallied is { } count && !dated ? count : await rows.CountAsync(ct);
        var page = total == 0 || f.Offset >= total ? [] : await ToRows(HoldListOrder.Apply(rows, f.SortField, f.Descending).Skip(f.Offset).Take(f.Limit)).ToListAsync(ct);
        return (total, page);
    }

    /// <summary>The list's reason: at most 100 characters, the last three "..." when the text was cut.</summary>
    public static string Shorten(string reason) => reason.Length <= 100 ? reason : reason[..97].TrimEnd() + "...";

    /// <summary>
    /// SQLite, a page by hold time with status or priority filters: whether reading the organization's holds in time
    /// order and skipping those that do not match finds the page sooner than collecting every match through the status
    /// and priority index and sorting them. SQLite's planner does not weigh the early stop of a LIMIT: with exact
    /// statistics it collected 33,000 matches of "active or released, critical or high" to sort them for a page of 50
    /// (66 ms at 100,000 holds), where the walk in time order reads about 150 holds (4 ms). The walk is chosen when it
    /// reads at most 5,000 holds to reach the end of the page; the caller then keeps the status and priority columns out
    /// of index selection (<c>|| ''</c>, <c>+ 0</c>), as the lineage walk does with a unary <c>+</c>.
    /// </summary>
    private static async Task<bool> OrderedScanIsCheaperAsync(OperatorDb db, int matching, int pageEnd, CancellationToken ct)
    {
        if (matching == 0) return false;
        var all = await HoldTallies.CountAsync(db, null, null, null, ct);
        return (long)pageEnd * all / matching <= 5_000;
    }

    public async Task<Result<HoldDetailDto>> GetAsync(string id, CancellationToken ct = default)
    {
        if (!Guid.TryParse(id, out var holdId)) return HoldNotFound(id);
        await using var db = factory.CreateDbContext();
        var hold = await db.Set<QualityHold>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null) return HoldNotFound(id);
        // The hold was found through the organization filter, so its items are reached by its id alone, and items and
        // history are ordered here: either way SQLite, even before its first analysis (SqliteStatistics), is left only the index that fits
        // (with the organization filter and ORDER BY it may walk all of the organization's items or audit entries).
        var items = (await db.Set<QualityHoldItem>().IgnoreQueryFilters().AsNoTracking().Where(i => i.HoldId == holdId).ToListAsync(ct))
            .OrderBy(i => i.Sequence).ToList();
        var entityId = holdId.ToString();
        var entries = (await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == AuditEntityType && a.EntityId == entityId)
            .Select(a => new { a.Sequence, a.Action, a.At, a.UserId, a.UserEmail, a.After }).ToListAsync(ct))
            .OrderBy(a => a.Sequence).ToList();

        var userIds = new HashSet<Guid> { hold.HeldById };
        if (hold.ReleasedById is { } r) userIds.Add(r);
        if (hold.DisposedById is { } d) userIds.Add(d);
        foreach (var e in entries) if (e.UserId is { } u) userIds.Add(u);
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new HoldUserDto(u.Id, u.DisplayName, u.Email ?? ""), ct);
        HoldUserDto? Who(Guid? userId) => userId is { } x ? users.GetValueOrDefault(x) : null;

        var heldBy = Who(hold.HeldById) ?? new HoldUserDto(hold.HeldById, "", "");
        var dto = ToDto(hold, heldBy, Who(hold.ReleasedById));
        var (hours, aging) = HoldAging.Compute(hold.Priority, hold.HeldAt, hold.ReleasedAt ?? hold.DisposedAt, time.GetUtcNow().UtcDateTime);

        var changes = new List<LpStatusChangeDto>();
        foreach (var item in items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate && i.QaStatusBefore is not null))
        {
            changes.Add(new LpStatusChangeDto(item.ReferenceId, item.ReferenceDisplay, item.QaStatusBefore!, QaStatuses.Hold, ActionCreated, hold.HeldAt, heldBy));
        }
        foreach (var item in items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate && i.QaStatusAfter is not null))
        {
            var released = hold.ReleasedAt is not null;
            changes.Add(new LpStatusChangeDto(item.ReferenceId, item.ReferenceDisplay, QaStatuses.Hold, item.QaStatusAfter!,
                released ? ActionReleased : ActionDisposed, (hold.ReleasedAt ?? hold.DisposedAt)!.Value, Who(released ? hold.ReleasedById : hold.DisposedById)));
        }

        var history = entries.Select(e => new HoldHistoryDto(e.Action, e.At,
            Who(e.UserId) ?? (e.UserEmail is { } mail ? new HoldUserDto(e.UserId ?? Guid.Empty, mail, mail) : null),
            Summarize(e.Action, e.After))).ToList();
        return new HoldDetailDto(dto, hours, aging, items.Select(ToDto).ToList(), changes, history);
    }

    public Task<Result<HoldDetailDto>> GetAsync(Guid id, CancellationToken ct = default) => GetAsync(id.ToString(), ct);

    /// <summary>The PDF hold report: organization header, facts, items, history, release and disposition.</summary>
    public async Task<Result<HoldReportFile>> GetReportAsync(string id, CancellationToken ct = default)
    {
        var detail = await GetAsync(id, ct);
        if (!detail.IsSuccess) return detail.Error!;
        await using var db = factory.CreateDbContext();
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == detail.Value.Hold.OrgId).Select(o => o.Name).SingleAsync(ct);
        var bytes = HoldReport.Render(detail.Value, organization, time.GetUtcNow().UtcDateTime);
        return new HoldReportFile($"{detail.Value.Hold.HoldNumber}.pdf", bytes);
    }

    /// <summary>
    /// What a typed or scanned number names in the caller's organization: a license plate, a work order or a batch
    /// (exact number first, then ignoring case; a UUID is looked up as an id).
    /// </summary>
    public async Task<Result<ResolvedReference>> ResolveReferenceAsync(string? text, CancellationToken ct = default)
    {
        var term = text?.Trim() ?? "";
        if (term.Length is 0 or > 100) return Error.Validation("number", "Type or scan a license plate, work order or batch number");
        await using var db = factory.CreateDbContext();
        var byId = Guid.TryParse(term, out var id);
        var upper = term.ToUpperInvariant();

        var plate = await db.Set<LicensePlate>().AsNoTracking()
            .Where(l => byId ? l.Id == id : l.Number == term || l.Number == upper)
            .Select(l => new { l.Id, l.Number, Part = l.Part!.Number, l.Quantity, l.Uom, Location = l.Location != null ? l.Location.Name : null, l.QaStatus })
            .FirstOrDefaultAsync(ct);
        if (plate is not null)
        {
            return new ResolvedReference(ReferenceTypes.LicensePlate, plate.Id, plate.Number,
                $"License plate · {plate.Part} · {HoldValidation.Invariant(plate.Quantity)} {plate.Uom}{(plate.Location is null ? "" : " · " + plate.Location)} · QA {plate.QaStatus}",
                plate.Quantity, plate.Uom, plate.Location, plate.QaStatus);
        }
        var order = await db.Set<WorkOrder>().AsNoTracking()
            .Where(w => byId ? w.Id == id : w.Number == term || w.Number == upper)
            .Select(w => new { w.Id, w.Number, Part = w.Part!.Number, w.Quantity, w.Status }).FirstOrDefaultAsync(ct);
        if (order is not null)
        {
            return new ResolvedReference(ReferenceTypes.WorkOrder, order.Id, order.Number,
                $"Work order · {order.Part} · {order.Quantity} units · {order.Status}", null, null, null, null);
        }
        var batch = await db.Set<Batch>().AsNoTracking()
            .Where(b => byId ? b.Id == id : b.Number == term || b.Number == upper)
            .Select(b => new { b.Id, b.Number, Part = b.Part!.Number, b.Quantity, b.Uom }).FirstOrDefaultAsync(ct);
        if (batch is not null)
        {
            return new ResolvedReference(ReferenceTypes.Batch, batch.Id, batch.Number,
                $"Batch · {batch.Part} · {HoldValidation.Invariant(batch.Quantity)} {batch.Uom}", batch.Quantity, batch.Uom, null, null);
        }
        return Error.NotFound($"No license plate, work order or batch has the number {term}", "Reference", term);
    }

    /// <summary>The most a reference search returns per kind: the picker asks for more by typing more of the number.</summary>
    public const int ReferenceSearchLimit = 10;

    /// <summary>
    /// License plates, work orders and batches whose number contains the text (any case), for the new-hold picker:
    /// a server-side search, so an organization with tens of thousands of plates finds each of them, and the
    /// token lets a newer keystroke cancel the older search.
    /// </summary>
    public async Task<IReadOnlyList<ResolvedReference>> SearchReferencesAsync(string? text, int limitPerKind = ReferenceSearchLimit, CancellationToken ct = default)
    {
        var term = text?.Trim().ToUpperInvariant() ?? "";
        if (term.Length is 0 or > 100 || term.Contains('\0')) return [];
        var take = Math.Clamp(limitPerKind, 1, 50);
        await using var db = factory.CreateDbContext();
        var plates = await db.Set<LicensePlate>().AsNoTracking()
            .Where(l => l.Number.Contains(term)).OrderBy(l => l.Number).Take(take)
            .Select(l => new { l.Id, l.Number, Part = l.Part!.Number, l.Quantity, l.Uom, Location = l.Location != null ? l.Location.Name : null, l.QaStatus })
            .ToListAsync(ct);
        var orders = await db.Set<WorkOrder>().AsNoTracking()
            .Where(w => w.Number.Contains(term)).OrderBy(w => w.Number).Take(take)
            .Select(w => new { w.Id, w.Number, Part = w.Part!.Number, w.Quantity, w.Status }).ToListAsync(ct);
        var batches = await db.Set<Batch>().AsNoTracking()
            .Where(b => b.Number.Contains(term)).OrderBy(b => b.Number).Take(take)
            .Select(b => new { b.Id, b.Number, Part = b.Part!.Number, b.Quantity, b.Uom }).ToListAsync(ct);
        return
        [
            .. plates.Select(p => new ResolvedReference(ReferenceTypes.LicensePlate, p.Id, p.Number,
                $"License plate · {p.Part} · {HoldValidation.Invariant(p.Quantity)} {p.Uom}{(p.Location is null ? "" : " · " + p.Location)} · QA {p.QaStatus}",
                p.Quantity, p.Uom, p.Location, p.QaStatus)),
            .. orders.Select(o => new ResolvedReference(ReferenceTypes.WorkOrder, o.Id, o.Number,
                $"Work order · {o.Part} · {o.Quantity} units · {o.Status}", null, null, null, null)),
            .. batches.Select(b => new ResolvedReference(ReferenceTypes.Batch, b.Id, b.Number,
                $"Batch · {b.Part} · {HoldValidation.Invariant(b.Quantity)} {b.Uom}", b.Quantity, b.Uom, null, null)),
        ];
    }

    /// <summary>
    /// Active holds that name the work order or the batch: while there is one, serials of that work order or batch
    /// may not advance a step or complete. Most urgent first. For the serials feature (station and API).
    /// </summary>
    public async Task<IReadOnlyList<BlockingHold>> GetBlockingHoldsAsync(Guid? workOrderId, Guid? batchId, CancellationToken ct = default)
    {
        if (workOrderId is null && batchId is null) return [];
        await using var db = factory.CreateDbContext();
        var wo = workOrderId ?? Guid.Empty;
        var batch = batchId ?? Guid.Empty;
        return await db.Set<QualityHoldItem>().AsNoTracking()
            .Where(i => (workOrderId != null && i.ReferenceType == ReferenceTypes.WorkOrder && i.ReferenceId == wo) ||
                        (batchId != null && i.ReferenceType == ReferenceTypes.Batch && i.ReferenceId == batch))
            .Join(db.Set<QualityHold>().Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id, (i, h) => new { i, h })
            .OrderByDescending(x => x.h.PriorityRank).ThenBy(x => x.h.HeldAt)
            .Select(x => new BlockingHold(x.h.Id, x.h.HoldNumber, x.h.Priority, x.h.HoldType, x.h.Reason, x.i.ReferenceType, x.i.ReferenceDisplay))
            .ToListAsync(ct);
    }

    /// <summary>Active holds by priority and by aging status (the dashboard), counted in the database.</summary>
    public async Task<ActiveHoldCounts> GetActiveSummaryAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        DateTime Cut(int hours) => now.AddHours(-hours);
        var c12 = Cut(12); var c24 = Cut(24); var c48 = Cut(48); var c72 = Cut(72); var c96 = Cut(96); var c144 = Cut(144);
        await using var db = factory.CreateDbContext();
        var groups = await db.Set<QualityHold>().AsNoTracking().Where(h => h.Status == HoldStatuses.Active)
            .GroupBy(h => h.Priority)
            .Select(g => new
            {
                Priority = g.Key,
                Total = g.Count(),
                Over12 = g.Count(h => h.HeldAt <= c12),
                Over24 = g.Count(h => h.HeldAt <= c24),
                Over48 = g.Count(h => h.HeldAt <= c48),
                Over72 = g.Count(h => h.HeldAt <= c72),
                Over96 = g.Count(h => h.HeldAt <= c96),
                Over144 = g.Count(h => h.HeldAt <= c144),
            }).ToListAsync(ct);

        var byPriority = HoldPriorities.All.ToDictionary(p => p, _ => 0);
        var byAging = AgingStatuses.All.ToDictionary(a => a, _ => 0);
        var matrix = HoldPriorities.All.ToDictionary(p => p, _ => AgingStatuses.All.ToDictionary(a => a, _ => 0));
        foreach (var g in groups)
        {
            var threshold = (int)HoldAging.Threshold(g.Priority).TotalHours;
            int Over(int hours) => hours switch { 12 => g.Over12, 24 => g.Over24, 48 => g.Over48, 72 => g.Over72, 96 => g.Over96, _ => g.Over144 };
            var pastThreshold = Over(threshold);
            var critical = Over(threshold * 2);
            var counts = new Dictionary<string, int>
            {
                [AgingStatuses.Normal] = g.Total - pastThreshold,
                [AgingStatuses.Warning] = pastThreshold - critical,
                [AgingStatuses.Critical] = critical,
            };
            if (!byPriority.ContainsKey(g.Priority)) continue;
            byPriority[g.Priority] += g.Total;
            foreach (var (status, count) in counts)
            {
                byAging[status] += count;
                matrix[g.Priority][status] += count;
            }
        }
        return new ActiveHoldCounts(byPriority.Values.Sum(), byPriority, byAging,
            matrix.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, int>)m.Value));
    }

    // ---------------------------------------------------------------- shared steps

    private static Error HoldNotFound(string id) => Error.NotFound(NotFoundMessage, "QualityHold", id);

    /// <summary>
    /// A tenant's rows. Requests and circuits see their organization through the context's filter; the demo seed runs
    /// without a caller (the filter shows nothing) and names the organization it seeds instead.
    /// </summary>
    private static IQueryable<T> Rows<T>(OperatorDb db, Guid org) where T : class, ITenantOwned =>
        db.TenantId is null ? db.Set<T>().IgnoreQueryFilters().Where(e => e.OrganizationId == org) : db.Set<T>();

    private static List<Guid> IdsOf(ValidHold input, string type) =>
        input.Items.Where(i => i.ReferenceType == type).Select(i => i.ReferenceId).Distinct().ToList();

    private async Task<HoldActor> ActorAsync(OperatorDb db, CancellationToken ct)
    {
        var org = db.TenantId ?? throw new InvalidOperationException("A hold operation needs a signed-in user of an organization.");
        var userId = caller.UserId ?? throw new InvalidOperationException("A hold operation needs a signed-in user.");
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(ct);
        return new HoldActor(org, userId, user?.DisplayName ?? caller.DisplayName ?? "", user?.Email ?? caller.Email ?? "");
    }

    private static async Task<HoldUserDto> UserAsync(OperatorDb db, Guid id, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new HoldUserDto(u.Id, u.DisplayName, u.Email ?? "")).SingleOrDefaultAsync(ct)
        ?? new HoldUserDto(id, "", "");

    /// <summary>
    /// Sets the QA status of every license plate of the hold to <paramref name="target"/>'s answer, except plates another
    /// active hold still holds, which stay on hold. Records the outcome on the item and returns the changes.
    /// </summary>
    private static async Task<List<LpUpdateDto>> SetPlateStatusesAsync(OperatorDb db, Guid org, QualityHold hold, Func<QualityHoldItem, string> target, CancellationToken ct)
    {
        var items = hold.Items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate).OrderBy(i => i.Sequence).ToList();
        if (items.Count == 0) return [];
        var ids = items.Select(i => i.ReferenceId).ToList();
        var stillHeld = await Rows<QualityHoldItem>(db, org)
            .Where(i => i.ReferenceType == ReferenceTypes.LicensePlate && ids.Contains(i.ReferenceId) && i.HoldId != hold.Id)
            .Join(Rows<QualityHold>(db, org).Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id, (i, h) => i.ReferenceId)
            .Distinct().ToListAsync(ct);
        var plates = (await db.Set<LicensePlate>().IgnoreQueryFilters().Where(l => ids.Contains(l.Id)).ToListAsync(ct)).Where(l => l.OrganizationId == org).ToDictionary(l => l.Id);

        var updates = new List<LpUpdateDto>();
        foreach (var item in items)
        {
            if (!plates.TryGetValue(item.ReferenceId, out var plate)) continue;
            var next = stillHeld.Contains(plate.Id) ? QaStatuses.Hold : target(item);
            updates.Add(new LpUpdateDto(plate.Id, plate.Number, plate.QaStatus, next));
            plate.QaStatus = next;
            item.QaStatusAfter = next;
        }
        return updates;
    }

    private async Task AuditPlatesAsync(OperatorDb db, Guid org, string holdNumber, IEnumerable<LpUpdateDto> updates, CancellationToken ct)
    {
        foreach (var u in updates.Where(u => u.PreviousStatus != u.NewStatus))
        {
            await audit.AppendAsync(db, ActionLpStatus, "license_plate", u.LpId.ToString(),
                before: new { qa_status = u.PreviousStatus }, after: new { qa_status = u.NewStatus, hold_number = holdNumber }, organizationId: org, ct: ct);
        }
    }

    private static void Touch(QualityHold hold, HoldActor actor, DateTime now)
    {
        hold.UpdatedById = actor.UserId;
        hold.UpdatedAt = now;
        hold.Version++;
    }

    private static async Task<Result<T>> CommitChangeAsync<T>(OperatorDb db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, T value, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return value;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another release or disposal of the same hold committed first.
            return Error.Conflict("Quality hold was changed at the same time by someone else; reload it and try again");
        }
    }

    /// <summary>One line for the history: what the entry's recorded values say happened.</summary>
    private static string Summarize(string action, string? after)
    {
        JsonElement root = default;
        if (after is not null)
        {
            try
            {
                root = JsonDocument.Parse(after).RootElement;
            }
            catch (JsonException)
            {
                // An entry whose values are not JSON still gets its action's words.
            }
        }
        string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int Count(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.GetArrayLength() : 0;
        string Plates(string verb) => Count("lp_updates") switch
        {
            0 => "",
            1 => $"; 1 license plate {verb}",
            var n => $"; {n} license plates {verb}",
        };
        return action switch
        {
            ActionCreated => $"Hold created with {Count("items")} item(s){Plates("put on hold")}",
            ActionReleased => $"Released with disposition {Text("disposition")}{Plates("updated")}" + (Text("release_notes") is { } n ? $": {n}" : ""),
            ActionDisposed => $"Disposed (archived){Plates("restored")}",
            _ => action,
        };
    }

    internal static HoldDto ToDto(QualityHold h, HoldActor heldBy, HoldUserDto? releasedBy) =>
        ToDto(h, new HoldUserDto(heldBy.UserId, heldBy.Name, heldBy.Email), releasedBy);

    internal static HoldDto ToDto(QualityHold h, HoldUserDto heldBy, HoldUserDto? releasedBy) => new(
        h.Id, h.HoldNumber, h.OrganizationId, h.Status, h.Priority, h.HoldType, h.Reason, h.ItemsCount, heldBy, h.HeldAt,
        releasedBy, h.ReleasedAt, h.Disposition, h.ReleaseNotes, h.NcrId, h.CreatedById, h.CreatedAt, h.UpdatedById, h.UpdatedAt);

    internal static HoldItemDto ToDto(QualityHoldItem i) => new(
        i.Id, i.HoldId, i.ReferenceType, i.ReferenceId, i.ReferenceDisplay, i.QuantityHeld, i.Uom, i.LocationId, i.LocationName, i.Notes);
}
