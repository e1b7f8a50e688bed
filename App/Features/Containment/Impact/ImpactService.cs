using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Containment;

/// <summary>
/// What a suspect certificate, serial, license plate, work order or batch reaches: every unit that carries it and every
/// unit that came out of those through the genealogy (optionally every unit they came from), each with where it is now,
/// its work order and batch, the active holds on those and the certificates rolled up along its lineage. One service for
/// the impact page, <c>GET /api/impact</c> and the recall report (PDF and CSV).
/// </summary>
/// <remarks>
/// A license plate has no link to serials in the model (plates carry quantities of a part, serials are not put on plates),
/// so a plate's impact is the plate itself with its active holds, and no units.
/// </remarks>
public sealed class ImpactService(IDbContextFactory<OperatorDb> factory, TimeProvider time)
{
    public const int MaxOriginLength = 100;

    public async Task<Result<ImpactReport>> GetAsync(ImpactRequest request, CancellationToken ct = default)
    {
        var checks = Check(request);
        if (checks is not null) return checks;
        var type = request.OriginType!.Trim();
        var text = request.Origin!.Trim();

        await using var db = factory.CreateDbContext();
        var organization = db.TenantId ?? throw new InvalidOperationException("The impact needs a signed-in user of an organization.");
        var found = await FindOriginAsync(db, type, text, ct);
        if (!found.IsSuccess) return found.Error!;
        var (origin, anchor, plate) = found.Value;

        List<ImpactUnitRow> rows = [];
        Dictionary<Guid, HashSet<Guid>> rolled = [];
        if (anchor is not null)
        {
            var (walked, links) = await ImpactQueries.WalkAsync(db, anchor, organization, request.IncludeBackward, ct);
            rows = Distinct(walked);
            rolled = Rollup(rows, links);
        }

        // The origin's own work order or batch is affected even while it has no units: holding it stops the ones to come.
        var workOrderIds = rows.Where(r => r.WorkOrderId != null).Select(r => r.WorkOrderId!.Value)
            .Concat(origin.Type == ImpactOrigins.WorkOrder ? [origin.Id] : []).Distinct().ToList();
        var batchIds = rows.Where(r => r.BatchId != null).Select(r => r.BatchId!.Value)
            .Concat(origin.Type == ImpactOrigins.Batch ? [origin.Id] : []).Distinct().ToList();
        var plateIds = plate is null ? new List<Guid>() : [plate.Id];
        var holds = await ActiveHoldsAsync(db, rows.Select(r => r.SerialId).Distinct().ToList(), workOrderIds, batchIds, plateIds, ct);
        var holdsOf = holds.GroupBy(h => (h.ReferenceType, h.ReferenceId))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(h => h.HoldNumber).Distinct().ToList());
        IReadOnlyList<string> HoldsOn(string type, Guid? id) => id is { } key ? holdsOf.GetValueOrDefault((type, key)) ?? [] : [];

        var certificateIds = rolled.Values.Distinct<HashSet<Guid>>(ReferenceEqualityComparer.Instance).SelectMany(c => c).Concat(origin.Type == ImpactOrigins.Certificate ? [origin.Id] : []).Distinct().ToList();
        var certificates = certificateIds.Count == 0 ? [] : await db.Set<Certificate>().AsNoTracking().Where(c => EF.Parameter(certificateIds).Contains(c.Id))
            .Select(c => new { c.Id, c.Number, c.Type, c.Issuer }).ToListAsync(ct);
        var certificateNumbers = certificates.ToDictionary(c => c.Id, c => c.Number);

        var workOrders = await GroupsAsync(db.Set<WorkOrder>().AsNoTracking().Where(w => EF.Parameter(workOrderIds).Contains(w.Id))
            .Select(w => new Group(w.Id, w.Number, w.Part!.Number)), rows.Select(r => r.WorkOrderId), ReferenceTypes.WorkOrder, HoldsOn, workOrderIds.Count, ct);
        var batches = await GroupsAsync(db.Set<Batch>().AsNoTracking().Where(b => EF.Parameter(batchIds).Contains(b.Id))
            .Select(b => new Group(b.Id, b.Number, b.Part!.Number)), rows.Select(r => r.BatchId), ReferenceTypes.Batch, HoldsOn, batchIds.Count, ct);
        var names = await NamesAsync(db, rows, ct);
        // Units that add no certificate share their parent's set (Rollup): name and sort each set once.
        var numbered = new Dictionary<HashSet<Guid>, IReadOnlyList<string>>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<string> CertificateNumbers(HashSet<Guid>? set)
        {
            if (set is null || set.Count == 0) return [];
            if (!numbered.TryGetValue(set, out var list))
            {
                numbered[set] = list = set.Select(id => certificateNumbers.GetValueOrDefault(id, id.ToString())).Order(StringComparer.Ordinal).ToList();
            }
            return list;
        }
        var orderNumbers = workOrders.ToDictionary(w => w.Id, w => w.Number);
        var batchNumbers = batches.ToDictionary(b => b.Id, b => b.Number);

        var units = rows
            .Select(r =>
            {
                var working = r.Status == SerialStatus.InProgress && !r.Consumed;
                return new ImpactUnitDto(
                    r.SerialId, r.SerialNumber, r.PartId, names.Parts.GetValueOrDefault(r.PartId, ""), Relation(r.Rank), Status(r),
                    working && r.PathId is { } path ? names.Steps.GetValueOrDefault((path, r.CurrentStepIndex)) : null,
                    working && r.CurrentStepIndex >= 0 ? r.CurrentStepIndex : null,
                    r.Consumed ? r.UsedInId : null, r.Consumed && r.UsedInId is { } into ? names.Serials.GetValueOrDefault(into) : null,
                    r.WorkOrderId, r.WorkOrderId is { } wo ? orderNumbers.GetValueOrDefault(wo) : null, r.BatchId, r.BatchId is { } b ? batchNumbers.GetValueOrDefault(b) : null,
                    [.. HoldsOn(ReferenceTypes.Serial, r.SerialId), .. HoldsOn(ReferenceTypes.WorkOrder, r.WorkOrderId), .. HoldsOn(ReferenceTypes.Batch, r.BatchId)],
                    CertificateNumbers(rolled.GetValueOrDefault(r.SerialId)));
            })
            .OrderByDescending(u => u.Relation == ImpactRelations.Origin).ThenByDescending(u => u.Relation == ImpactRelations.Descendant)
            .ThenBy(u => u.SerialNumber, StringComparer.Ordinal).ThenBy(u => u.Id)
            .ToList();

        var plates = plate is null ? [] : new List<ImpactPlateDto> { plate with { Holds = HoldsOn(ReferenceTypes.LicensePlate, plate.Id) } };

        var reach = units.SelectMany(u => u.Certificates).GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var certificateList = certificates
            .Select(c => new ImpactCertificateDto(c.Id, c.Number, c.Type, c.Issuer, reach.GetValueOrDefault(c.Number)))
            .OrderByDescending(c => c.Id == origin.Id).ThenBy(c => c.Number, StringComparer.Ordinal).ToList();
        var holdList = holds.OrderByDescending(h => HoldPriorities.Rank(h.Priority)).ThenBy(h => h.HeldAt).ThenBy(h => h.HoldNumber, StringComparer.Ordinal)
            .ThenBy(h => h.ReferenceDisplay, StringComparer.Ordinal).ToList();

        var counts = new ImpactCountsDto(
            units.Count, units.Count(u => u.Status == SerialStages.InProgress), units.Count(u => u.Status == SerialStages.Completed),
            units.Count(u => u.Status == SerialStages.Consumed), units.Count(u => u.Status == SerialStages.Scrapped),
            units.Count(u => u.Status == SerialStages.Cancelled), workOrders.Count, batches.Count, plates.Count,
            holdList.Select(h => h.Id).Distinct().Count(), certificateList.Count);
        return new ImpactReport(origin, request.IncludeBackward, counts, units, workOrders, batches, plates, holdList, certificateList);
    }

    /// <summary>GET /api/impact/report.pdf: the recall report.</summary>
    public async Task<Result<ImpactFile>> GetPdfAsync(ImpactRequest request, CancellationToken ct = default)
    {
        var report = await GetAsync(request, ct);
        if (!report.IsSuccess) return report.Error!;
        var organization = await OrganizationNameAsync(ct);
        var bytes = RecallReport.RenderPdf(report.Value, organization, time.GetUtcNow().UtcDateTime);
        return new ImpactFile(FileName(report.Value, "pdf"), "application/pdf", bytes);
    }

    /// <summary>GET /api/impact/report.csv: the recall report as one table.</summary>
    public async Task<Result<ImpactFile>> GetCsvAsync(ImpactRequest request, CancellationToken ct = default)
    {
        var report = await GetAsync(request, ct);
        if (!report.IsSuccess) return report.Error!;
        return new ImpactFile(FileName(report.Value, "csv"), RecallReport.CsvContentType, RecallReport.RenderCsv(report.Value));
    }

    private async Task<string> OrganizationNameAsync(CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        return await db.Organizations.AsNoTracking().Where(o => o.Id == db.TenantId).Select(o => o.Name).SingleAsync(ct);
    }

    private static Error? Check(ImpactRequest request)
    {
        var issues = new List<FieldIssue>();
        var type = request.OriginType?.Trim();
        if (string.IsNullOrEmpty(type)) issues.Add(new FieldIssue("originType", "originType is required"));
        else if (!ImpactOrigins.All.Contains(type)) issues.Add(new FieldIssue("originType", $"originType must be one of {string.Join(", ", ImpactOrigins.All)}"));
        var origin = request.Origin?.Trim();
        if (string.IsNullOrEmpty(origin)) issues.Add(new FieldIssue("origin", "origin is required"));
        else if (origin.Length > MaxOriginLength) issues.Add(new FieldIssue("origin", $"origin must be at most {MaxOriginLength} characters"));
        else if (origin.Any(char.IsControl)) issues.Add(new FieldIssue("origin", "origin must not contain control characters"));
        return issues.Count == 0 ? null : Error.Validation(string.Join("; ", issues.Select(i => i.Message)), issues);
    }

    /// <summary>
    /// The origin by its number (as given, then in upper case) or its UUID, in the caller's organization. Serial numbers are
    /// not unique while a uniqueness conflict is open: every unit that carries the number is an origin then.
    /// </summary>
    private static async Task<Result<(ImpactOriginDto Origin, ImpactAnchor? Anchor, ImpactPlateDto? Plate)>> FindOriginAsync(
        OperatorDb db, string type, string text, CancellationToken ct)
    {
        var upper = text.ToUpperInvariant();
        var id = Guid.TryParse(text, out var parsed) ? parsed : Guid.Empty;
        switch (type)
        {
            case ImpactOrigins.Certificate:
            {
                var matches = await db.Set<Certificate>().AsNoTracking().Where(c => c.Number == text || c.Number == upper || c.Id == id)
                    .Select(c => new { c.Id, c.Number, c.Type, c.Issuer }).ToListAsync(ct);
                var c = Best(matches, m => m.Number, m => m.Id, text, upper);
                if (c is null) break;
                return (new ImpactOriginDto(type, c.Id, c.Number, $"{Capitalize(c.Type)} certificate from {c.Issuer}"), new ImpactAnchor(type, [c.Id]), null);
            }
            case ImpactOrigins.Serial:
            {
                var matches = await db.Set<Serial>().AsNoTracking().Where(s => s.SerialNumber == text || s.SerialNumber == upper || s.Id == id)
                    .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
                    .Select(s => new { s.Id, s.SerialNumber, Part = s.Part!.Number }).ToListAsync(ct);
                var best = Best(matches, m => m.SerialNumber, m => m.Id, text, upper);
                if (best is null) break;
                var carriers = best.Id == id ? [best] : matches.Where(m => m.SerialNumber == best.SerialNumber).ToList();
                var description = carriers.Count == 1 ? $"Unit of part {best.Part}" : $"{carriers.Count} units carry this number (an open uniqueness conflict)";
                return (new ImpactOriginDto(type, best.Id, best.SerialNumber, description), new ImpactAnchor(type, carriers.Select(m => m.Id).ToList()), null);
            }
            case ImpactOrigins.WorkOrder:
            {
                var matches = await db.Set<WorkOrder>().AsNoTracking().Where(w => w.Number == text || w.Number == upper || w.Id == id)
                    .Select(w => new { w.Id, w.Number, Part = w.Part!.Number, w.Quantity, w.Status }).ToListAsync(ct);
                var w = Best(matches, m => m.Number, m => m.Id, text, upper);
                if (w is null) break;
                return (new ImpactOriginDto(type, w.Id, w.Number, Invariant($"Work order for part {w.Part}, {w.Quantity} planned, {w.Status.Replace('_', ' ')}")),
                    new ImpactAnchor(type, [w.Id]), null);
            }
            case ImpactOrigins.Batch:
            {
                var matches = await db.Set<Batch>().AsNoTracking().Where(b => b.Number == text || b.Number == upper || b.Id == id)
                    .Select(b => new { b.Id, b.Number, Part = b.Part!.Number, b.Quantity, b.Uom }).ToListAsync(ct);
                var b = Best(matches, m => m.Number, m => m.Id, text, upper);
                if (b is null) break;
                return (new ImpactOriginDto(type, b.Id, b.Number, Invariant($"Batch of part {b.Part}, {b.Quantity:0.###} {b.Uom}")), new ImpactAnchor(type, [b.Id]), null);
            }
            case ImpactOrigins.LicensePlate:
            {
                var matches = await db.Set<LicensePlate>().AsNoTracking().Where(p => p.Number == text || p.Number == upper || p.Id == id)
                    .Select(p => new { p.Id, p.Number, Part = p.Part!.Number, p.Quantity, p.Uom, Location = p.Location != null ? p.Location.Name : null, p.QaStatus })
                    .ToListAsync(ct);
                var p = Best(matches, m => m.Number, m => m.Id, text, upper);
                if (p is null) break;
                var description = Invariant($"License plate of part {p.Part}, {p.Quantity:0.###} {p.Uom}{(p.Location is null ? "" : $" at {p.Location}")}, QA status {p.QaStatus}");
                return (new ImpactOriginDto(type, p.Id, p.Number, description), null,
                    new ImpactPlateDto(p.Id, p.Number, p.Part, p.Quantity, p.Uom, p.Location, p.QaStatus, []));
            }
        }
        var label = ImpactOrigins.Label(type);
        return Error.NotFound($"{label} not found: {text}", label.Replace(" ", ""), text);
    }

    /// <summary>The match whose number is the text as given, else in upper case, else whose id it is.</summary>
    private static T? Best<T>(IReadOnlyList<T> matches, Func<T, string> number, Func<T, Guid> id, string text, string upper) where T : class =>
        matches.FirstOrDefault(m => number(m) == text) ?? matches.FirstOrDefault(m => number(m) == upper)
        ?? matches.FirstOrDefault(m => Guid.TryParse(text, out var g) && id(m) == g);

    /// <summary>Active holds on the work orders, batches and plates (the rule of <see cref="BlockingHolds"/>, for all at once).</summary>
    private static async Task<List<ImpactHoldDto>> ActiveHoldsAsync(OperatorDb db, List<Guid> serials, List<Guid> workOrders, List<Guid> batches, List<Guid> plates,
        CancellationToken ct)
    {
        if (serials.Count + workOrders.Count + batches.Count + plates.Count == 0) return [];
        var holds = await (
                from i in db.Set<QualityHoldItem>().AsNoTracking()
                where (i.ReferenceType == ReferenceTypes.Serial && EF.Parameter(serials).Contains(i.ReferenceId)) ||
                      (i.ReferenceType == ReferenceTypes.WorkOrder && EF.Parameter(workOrders).Contains(i.ReferenceId)) ||
                      (i.ReferenceType == ReferenceTypes.Batch && EF.Parameter(batches).Contains(i.ReferenceId)) ||
                      (i.ReferenceType == ReferenceTypes.LicensePlate && EF.Parameter(plates).Contains(i.ReferenceId))
                join h in db.Set<QualityHold>() on i.HoldId equals h.Id
                where h.Status == HoldStatuses.Active
                select new ImpactHoldDto(h.Id, h.HoldNumber, h.Priority, h.HoldType, h.Reason, h.HeldAt, i.ReferenceType, i.ReferenceId, i.ReferenceDisplay))
            .ToListAsync(ct);
        return holds.Select(h => h with { HeldAt = DateTime.SpecifyKind(h.HeldAt, DateTimeKind.Utc) }).ToList();
    }

    private sealed record Group(Guid Id, string Number, string PartNumber);

    private static async Task<List<ImpactGroupDto>> GroupsAsync(IQueryable<Group> query, IEnumerable<Guid?> ofUnits, string referenceType,
        Func<string, Guid?, IReadOnlyList<string>> holdsOn, int count, CancellationToken ct)
    {
        if (count == 0) return [];
        var units = ofUnits.Where(id => id != null).GroupBy(id => id!.Value).ToDictionary(g => g.Key, g => g.Count());
        return (await query.ToListAsync(ct))
            .Select(g => new ImpactGroupDto(g.Id, g.Number, g.PartNumber, units.GetValueOrDefault(g.Id), holdsOn(referenceType, g.Id)))
            .OrderBy(g => g.Number, StringComparer.Ordinal).ToList();
    }

    private sealed record Names(Dictionary<Guid, string> Parts, Dictionary<(Guid Path, int Sequence), string> Steps, Dictionary<Guid, string> Serials);

    /// <summary>Part numbers, step names and the numbers of assemblies outside the impact: one query each over the distinct ids.</summary>
    private static async Task<Names> NamesAsync(OperatorDb db, List<ImpactUnitRow> rows, CancellationToken ct)
    {
        var partIds = rows.Select(r => r.PartId).Distinct().ToList();
        var pathIds = rows.Where(r => r.PathId != null).Select(r => r.PathId!.Value).Distinct().ToList();
        var serials = rows.ToDictionary(r => r.SerialId, r => r.SerialNumber);
        var outside = rows.Where(r => r.Consumed && r.UsedInId is { } id && !serials.ContainsKey(id)).Select(r => r.UsedInId!.Value).Distinct().ToList();
        var parts = partIds.Count == 0 ? [] : await db.Set<Part>().AsNoTracking().Where(p => EF.Parameter(partIds).Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Number, ct);
        var steps = pathIds.Count == 0 ? [] : (await db.Set<ProcessStep>().AsNoTracking().Where(st => EF.Parameter(pathIds).Contains(st.PathId))
            .Select(st => new { st.PathId, st.Sequence, st.Name }).ToListAsync(ct)).ToDictionary(st => (st.PathId, st.Sequence), st => st.Name);
        if (outside.Count > 0)
        {
            foreach (var s in await db.Set<Serial>().AsNoTracking().Where(s => EF.Parameter(outside).Contains(s.Id)).Select(s => new { s.Id, s.SerialNumber }).ToListAsync(ct))
            {
                serials[s.Id] = s.SerialNumber;
            }
        }
        return new Names(parts, steps, serials);
    }

    /// <summary>A unit used in several assemblies (data written around the API) is listed once, with the first.</summary>
    private static List<ImpactUnitRow> Distinct(List<ImpactUnitRow> rows)
    {
        var seen = new HashSet<Guid>();
        return rows.Where(r => seen.Add(r.SerialId)).ToList();
    }

    /// <summary>
    /// For each affected unit, the certificates attached to it or to any unit it came from: one pass over the links into
    /// the affected units and their ancestors, each unit's set built once from its parents' (shared where a unit adds nothing).
    /// </summary>
    private static Dictionary<Guid, HashSet<Guid>> Rollup(List<ImpactUnitRow> units, List<ImpactRollupRow> rows)
    {
        var parents = new Dictionary<Guid, List<Guid>>();
        var own = new Dictionary<Guid, HashSet<Guid>>();
        foreach (var row in rows)
        {
            var map = row.Kind == "L" ? null : own;
            if (map is null)
            {
                if (!parents.TryGetValue(row.A, out var list)) parents[row.A] = list = [];
                list.Add(row.B);
            }
            else
            {
                if (!own.TryGetValue(row.A, out var set)) own[row.A] = set = [];
                set.Add(row.B);
            }
        }

        var empty = new HashSet<Guid>();
        var memo = new Dictionary<Guid, HashSet<Guid>>();
        var stack = new Stack<(Guid Id, bool Ready)>();
        foreach (var unit in units)
        {
            stack.Push((unit.SerialId, false));
            while (stack.Count > 0)
            {
                var (id, ready) = stack.Pop();
                if (memo.ContainsKey(id)) continue;
                var ups = parents.GetValueOrDefault(id) ?? [];
                if (!ready)
                {
                    stack.Push((id, true));
                    foreach (var p in ups) if (!memo.ContainsKey(p)) stack.Push((p, false));
                    continue;
                }
                var mine = own.GetValueOrDefault(id);
                // A parent still missing here is on the stack below: only a cycle (refused by the API) gets here.
                var from = ups.Select(p => memo.GetValueOrDefault(p)).Where(s => s is { Count: > 0 }).Distinct().ToList();
                if (mine is null && from.Count == 0) memo[id] = empty;
                else if (mine is null && from.Count == 1) memo[id] = from[0]!;
                else
                {
                    var set = new HashSet<Guid>(mine ?? empty);
                    foreach (var s in from) set.UnionWith(s!);
                    memo[id] = set;
                }
            }
        }
        return units.ToDictionary(u => u.SerialId, u => memo[u.SerialId]);
    }

    private static string Relation(int rank) => rank switch
    {
        2 => ImpactRelations.Origin,
        1 => ImpactRelations.Descendant,
        _ => ImpactRelations.Ancestor,
    };

    private static string Status(ImpactUnitRow r) => SerialStages.Of(r.Status, r.Consumed);

    private static string FileName(ImpactReport report, string extension) =>
        $"recall-{report.Origin.Type.Replace('_', '-')}-{new string(report.Origin.Number.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray())}.{extension}";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
