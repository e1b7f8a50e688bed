using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;

namespace Operator.Bench.Generators;

/// <summary>
/// Quality holds with their items and audit trail, as the hold service would have written them over months of work:
/// <list type="bullet">
/// <item>How many: <c>--holds-org-holds</c> for the first organization (the one the load scenarios sign in to) and
/// <c>--holds-total</c> across all of them, the remainder spread evenly over the other organizations.</item>
/// <item>held_at spread over <c>--holds-months</c> before <c>--now</c>; numbers <c>QH-YYYYMMDD-NNNN</c> in held_at order
/// per organization and UTC day, with the <c>hold:yyyyMMdd</c> counters set to each day's last number.</item>
/// <item>Each hold is closed after a time that depends on its priority (critical in hours, low in days): released with
/// a disposition (some later archived as disposed) or withdrawn (disposed while active); a few are never closed. A
/// hold whose close would lie after <c>--now</c> is still active, so recent holds are mostly active, old ones closed.</item>
/// <item>1 to <c>--holds-max-items</c> items (most holds have few) naming the organization's license plates, work orders
/// and batches, with the number, location and QA statuses the service records; plates of active holds get
/// <c>qa_status = hold</c>.</item>
/// <item>Audit entries hold_created / hold_released / hold_disposed in time order with a valid hash chain and the
/// <c>audit</c> counter, so the detail's history reads as in the app and <c>GET /api/audit/verify</c> passes. (The
/// service's per-plate qa_status_changed entries are not generated.)</item>
/// </list>
/// Deterministic: streams per organization, so the same seed and options give the same rows.
/// </summary>
public sealed class HoldsGenerator : IGenerator
{
    public static readonly BenchOption OrgHolds = new("holds-org-holds", "200", "quality holds QH-... of the first organization (B001)");
    public static readonly BenchOption Total = new("holds-total", "0",
        "holds across all organizations, the first one's included; the rest is spread evenly over the others (0: --holds-org-holds in every organization)");
    public static readonly BenchOption Months = new("holds-months", "24", "held_at is spread over this many months before --now");
    public static readonly BenchOption MaxItems = new("holds-max-items", "10", "items per hold, 1 to this (most holds have 1-3)");
    public static readonly BenchOption ScenarioFile = new("holds-file", "bench/out/holds-scenario.txt", "where to write what the holds-detail and holds-create scenarios use");
    public static readonly BenchOption ScenarioSample = new("holds-sample", "5000", "how many hold ids of the first organization the scenario file lists");

    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web);

    public string Name => "holds";
    public int Order => 300;
    public IReadOnlyList<BenchOption> Options => [OrgHolds, Total, Months, MaxItems, ScenarioFile, ScenarioSample];

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var orgs = context.Organizations;
        if (orgs.Count == 0) return;
        var first = context.Args.Int(OrgHolds);
        var total = context.Args.Int(Total);
        var months = Math.Max(1, context.Args.Int(Months));
        var maxItems = Math.Clamp(context.Args.Int(MaxItems), 1, HoldValidation.MaxItems);

        var counts = new int[orgs.Count];
        counts[0] = first;
        if (total == 0)
        {
            Array.Fill(counts, first);
        }
        else
        {
            var rest = total - first;
            if (rest < 0) throw new BenchUsageException($"--holds-total ({total}) is less than --holds-org-holds ({first}).");
            if (rest > 0 && orgs.Count == 1) throw new BenchUsageException("--holds-total needs at least 2 organizations to spread the rest over.");
            for (var i = 1; i < orgs.Count; i++) counts[i] = rest / (orgs.Count - 1) + (i - 1 < rest % (orgs.Count - 1) ? 1 : 0);
        }
        if (counts.Sum() == 0) return;

        var refs = new Dictionary<Guid, OrgRefs>();
        for (var i = 0; i < orgs.Count; i++)
        {
            if (counts[i] > 0) refs[orgs[i].Id] = await ReadRefsAsync(context, orgs[i], ct);
        }
        var window = (context.Now - context.Now.AddMonths(-months)).TotalSeconds;

        // Three passes over the same plans (holds, items, audit), each rebuilt from the organization's streams: the rows
        // stream to the database without a million plans in memory, and every pass sees the same holds.
        IEnumerable<HoldPlan> Plans() => orgs.Where((_, i) => counts[i] > 0)
            .SelectMany(org => PlanOrganization(context, org, refs[org.Id], counts[orgs.IndexOf(org)], window, maxItems));

        await context.InsertAsync("QualityHolds", Plans().Select(p => p.Hold), ct);
        await context.InsertAsync("QualityHoldItems", Plans().SelectMany(p => p.Items), ct);
        await context.InsertAsync("AuditEntries (holds)", orgs.Where((_, i) => counts[i] > 0)
            .SelectMany(org => AuditFor(context, org, PlanOrganization(context, org, refs[org.Id], counts[orgs.IndexOf(org)], window, maxItems).ToList())), ct);

        // A plate that an active hold holds is on hold, as the service leaves it.
        await using (var db = context.CreateDb())
        {
            var changed = await db.Database.ExecuteSqlRawAsync(
                """
                UPDATE "LicensePlates" SET "QaStatus" = 'hold' WHERE "Id" IN (
                  SELECT i."ReferenceId" FROM "QualityHoldItems" i JOIN "QualityHolds" h ON h."Id" = i."HoldId"
                  WHERE h."Status" = 'active' AND i."ReferenceType" = 'lp')
                """, ct);
            GenerationContext.Log($"{changed:N0} license plates on hold (held by active holds)");
            // The list's totals come from the tallies the service keeps; rows written in bulk are counted once here.
            await db.Database.ExecuteSqlRawAsync(HoldTallies.RebuildSql, ct);
        }

        // The numbers the app draws next continue after the generated ones, per organization and day.
        for (var i = 0; i < orgs.Count; i++)
        {
            if (counts[i] == 0) continue;
            foreach (var (day, last) in DayCounters(context, orgs[i], counts[i], window)) context.SetCounter(orgs[i].Id, $"hold:{day}", last);
        }

        if (counts[0] > 0) await WriteScenarioFileAsync(context, orgs[0], refs[orgs[0].Id], ct);
    }

    /// <summary>
    /// What the holds scenarios of the first organization need: "hold &lt;id&gt;" lines spread over all of its holds (the
    /// detail scenario), and "lp|wo|batch &lt;id&gt;" lines of its references (the create scenario names ten of them).
    /// </summary>
    private static async Task WriteScenarioFileAsync(GenerationContext context, BenchOrganization org, OrgRefs refs, CancellationToken ct)
    {
        await using var db = context.CreateDb();
        var orgId = org.Id;
        var total = await db.Set<QualityHold>().IgnoreQueryFilters().CountAsync(h => h.OrganizationId == orgId, ct);
        var sample = Math.Max(1, context.Args.Int(ScenarioSample));
        var every = Math.Max(1, total / sample);
        var ids = await db.Set<QualityHold>().IgnoreQueryFilters().AsNoTracking().Where(h => h.OrganizationId == orgId)
            .OrderBy(h => h.HoldNumber).Select(h => h.Id).ToListAsync(ct);
        var lines = ids.Where((_, i) => i % every == 0).Take(sample).Select(id => $"hold {id}").ToList();
        lines.AddRange(refs.Plates.Select(p => $"{ReferenceTypes.LicensePlate} {p.Id}"));
        lines.AddRange(refs.WorkOrders.Select(w => $"{ReferenceTypes.WorkOrder} {w.Id}"));
        lines.AddRange(refs.Batches.Select(b => $"{ReferenceTypes.Batch} {b.Id}"));

        var path = Path.GetFullPath(context.Args.String(ScenarioFile.Name, ScenarioFile.Default)!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, lines, ct);
        GenerationContext.Log(string.Create(CultureInfo.InvariantCulture,
            $"{org.Code}: {lines.Count(l => l.StartsWith("hold "))} hold ids and {refs.Plates.Count + refs.WorkOrders.Count + refs.Batches.Count} references in {path}"));
    }

    // ------------------------------------------------------------------ reference data

    private sealed record PlateRef(Guid Id, string Number, double Quantity, string Uom, Guid? LocationId, string? LocationName, string QaStatus);

    private sealed record NumberRef(Guid Id, string Number, string? Uom);

    private sealed record Person(Guid Id, string Name, string Email);

    private sealed record OrgRefs(IReadOnlyList<PlateRef> Plates, IReadOnlyList<NumberRef> WorkOrders, IReadOnlyList<NumberRef> Batches,
        IReadOnlyList<Person> Inspectors, IReadOnlyList<Person> Managers);

    /// <summary>What the holds name and who makes them, read back from the database the earlier generators filled.</summary>
    private static async Task<OrgRefs> ReadRefsAsync(GenerationContext context, BenchOrganization org, CancellationToken ct)
    {
        await using var db = context.CreateDb();
        var id = org.Id;
        var plates = await db.Set<LicensePlate>().IgnoreQueryFilters().AsNoTracking().Where(l => l.OrganizationId == id).OrderBy(l => l.Number)
            .Select(l => new PlateRef(l.Id, l.Number, l.Quantity, l.Uom, l.LocationId, l.Location != null ? l.Location.Name : null, l.QaStatus)).ToListAsync(ct);
        var orders = await db.Set<WorkOrder>().IgnoreQueryFilters().AsNoTracking().Where(w => w.OrganizationId == id).OrderBy(w => w.Number)
            .Select(w => new NumberRef(w.Id, w.Number, null)).ToListAsync(ct);
        var batches = await db.Set<Batch>().IgnoreQueryFilters().AsNoTracking().Where(b => b.OrganizationId == id).OrderBy(b => b.Number)
            .Select(b => new NumberRef(b.Id, b.Number, b.Uom)).ToListAsync(ct);
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.OrganizationId == id).OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.Role }).ToListAsync(ct);
        Person P(Guid uid, string name, string? email) => new(uid, name, email ?? "");
        var inspectors = users.Where(u => u.Role == Roles.QaInspector).Select(u => P(u.Id, u.DisplayName, u.Email)).ToList();
        var managers = users.Where(u => u.Role is Roles.QaManager or Roles.Admin).OrderBy(u => u.Role == Roles.Admin).Select(u => P(u.Id, u.DisplayName, u.Email)).ToList();
        if (managers.Count == 0) throw new BenchUsageException($"Organization {org.Code} has no QA manager or admin to hold and release material.");
        if (inspectors.Count == 0) inspectors = managers;
        if (plates.Count + orders.Count + batches.Count == 0)
        {
            throw new BenchUsageException("Holds need license plates, work orders or batches to hold: keep the master data generator's counts above 0.");
        }
        return new OrgRefs(plates, orders, batches, inspectors, managers);
    }

    // ------------------------------------------------------------------ plans

    private sealed record HoldPlan(QualityHold Hold, List<QualityHoldItem> Items, Person HeldBy, Person? ReleasedBy, Person? DisposedBy, string? WithdrawnFrom);

    /// <summary>held_at of every hold of the organization, oldest first (the first draws of the organization's stream).</summary>
    private static DateTime[] HeldTimes(Random rnd, DateTime now, int count, double window)
    {
        var times = new DateTime[count];
        for (var i = 0; i < count; i++) times[i] = now.AddSeconds(-Math.Floor(rnd.NextDouble() * window) - 1);
        Array.Sort(times);
        return times;
    }

    private static IEnumerable<(string Day, int Last)> DayCounters(GenerationContext context, BenchOrganization org, int count, double window) =>
        HeldTimes(context.RandomFor($"holds:{org.Code}"), context.Now, count, window)
            .GroupBy(t => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture)).Select(g => (g.Key, g.Count()));

    private static IEnumerable<HoldPlan> PlanOrganization(GenerationContext context, BenchOrganization org, OrgRefs refs, int count, double window, int maxItems)
    {
        var rnd = context.RandomFor($"holds:{org.Code}");
        var ids = context.IdsFor($"holds:{org.Code}");
        var now = context.Now;
        var times = HeldTimes(rnd, now, count, window);
        var day = "";
        var sequence = 0;
        var pools = new List<string>();
        if (refs.Plates.Count > 0) pools.Add(ReferenceTypes.LicensePlate);
        if (refs.WorkOrders.Count > 0) pools.Add(ReferenceTypes.WorkOrder);
        if (refs.Batches.Count > 0) pools.Add(ReferenceTypes.Batch);
        var poolSize = refs.Plates.Count + refs.WorkOrders.Count + refs.Batches.Count;

        foreach (var heldAt in times)
        {
            var today = heldAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            if (today != day) (day, sequence) = (today, 0);
            sequence++;

            var priority = Pick(rnd, (HoldPriorities.Low, 30), (HoldPriorities.Medium, 40), (HoldPriorities.High, 20), (HoldPriorities.Critical, 10));
            var type = Pick(rnd, (HoldTypes.QaPending, 40), (HoldTypes.Investigation, 30), (HoldTypes.Quarantine, 20), (HoldTypes.Recall, 10));
            var heldBy = rnd.Next(10) < 7 ? refs.Inspectors[rnd.Next(refs.Inspectors.Count)] : refs.Managers[rnd.Next(refs.Managers.Count)];
            var hold = new QualityHold
            {
                Id = ids.Next(),
                OrganizationId = org.Id,
                HoldNumber = $"QH-{day}-{sequence:D4}",
                Status = HoldStatuses.Active,
                Priority = priority,
                PriorityRank = HoldPriorities.Rank(priority),
                HoldType = type,
                Reason = Reasons.Next(rnd),
                HeldById = heldBy.Id,
                HeldAt = heldAt,
                CreatedById = heldBy.Id,
                CreatedAt = heldAt,
                UpdatedById = heldBy.Id,
                UpdatedAt = heldAt,
            };

            // Items: distinct references, most holds naming one to three things.
            var wanted = Math.Min(Math.Min(ItemCount(rnd), maxItems), poolSize);
            var items = new List<QualityHoldItem>(wanted);
            var taken = new HashSet<(string, Guid)>();
            while (items.Count < wanted)
            {
                var kind = pools.Count == 1 ? pools[0] : Pick(rnd, pools.Select(p => (p, p switch { ReferenceTypes.LicensePlate => 65, ReferenceTypes.WorkOrder => 20, _ => 15 })).ToArray());
                var item = new QualityHoldItem
                {
                    Id = Guid.Empty, OrganizationId = org.Id, HoldId = hold.Id, Sequence = items.Count, ReferenceType = kind, ReferenceDisplay = "",
                };
                switch (kind)
                {
                    case ReferenceTypes.LicensePlate:
                        var plate = refs.Plates[rnd.Next(refs.Plates.Count)];
                        (item.ReferenceId, item.ReferenceDisplay, item.LocationId, item.LocationName, item.QaStatusBefore) =
                            (plate.Id, plate.Number, plate.LocationId, plate.LocationName, plate.QaStatus);
                        if (rnd.Next(10) < 6) (item.QuantityHeld, item.Uom) = (plate.Quantity, plate.Uom);
                        break;
                    case ReferenceTypes.WorkOrder:
                        var order = refs.WorkOrders[rnd.Next(refs.WorkOrders.Count)];
                        (item.ReferenceId, item.ReferenceDisplay) = (order.Id, order.Number);
                        break;
                    default:
                        var batch = refs.Batches[rnd.Next(refs.Batches.Count)];
                        (item.ReferenceId, item.ReferenceDisplay) = (batch.Id, batch.Number);
                        if (rnd.Next(10) < 3) (item.QuantityHeld, item.Uom) = (10 * rnd.Next(1, 50), batch.Uom);
                        break;
                }
                if (rnd.Next(10) < 2) item.Notes = ItemNotes[rnd.Next(ItemNotes.Length)];
                if (!taken.Add((kind, item.ReferenceId))) continue;
                item.Id = ids.Next();
                items.Add(item);
            }
            hold.Items = [];
            hold.ItemsCount = items.Count;

            // The close: a time to decide that grows with lower priority; decisions after "now" have not happened yet.
            Person? releasedBy = null, disposedBy = null;
            string? withdrawnFrom = null;
            var forgotten = rnd.Next(100) < 3;
            var decideHours = MedianHours(priority) * Math.Exp(Normal(rnd) * 0.9);
            var decidedAt = heldAt.AddSeconds(Math.Round(decideHours * 3600));
            var withdrawn = rnd.Next(100) < 4;
            var disposition = Pick(rnd, (Dispositions.Release, 55), (Dispositions.Rework, 25), (Dispositions.Scrap, 10), (Dispositions.Return, 10));
            var archived = rnd.Next(100) < 12;
            var archivedAt = decidedAt.AddSeconds(rnd.Next(1, 60) * 86400 + rnd.Next(86400));
            // Inspectors release about half of their own holds; managers the rest.
            var closer = !refs.Managers.Contains(heldBy) && rnd.Next(2) == 0 ? heldBy : refs.Managers[rnd.Next(refs.Managers.Count)];
            var notes = rnd.Next(10) < 7 ? ReleaseNotes[rnd.Next(ReleaseNotes.Length)] : null;
            if (!forgotten && decidedAt < now)
            {
                if (withdrawn)
                {
                    withdrawnFrom = HoldStatuses.Active;
                    disposedBy = refs.Managers[rnd.Next(refs.Managers.Count)];
                    Close(hold, HoldStatuses.Disposed, decidedAt, disposedBy);
                    hold.DisposedById = disposedBy.Id;
                    hold.DisposedAt = decidedAt;
                    foreach (var item in items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate)) item.QaStatusAfter = item.QaStatusBefore;
                }
                else
                {
                    releasedBy = closer;
                    Close(hold, HoldStatuses.Released, decidedAt, releasedBy);
                    hold.ReleasedById = releasedBy.Id;
                    hold.ReleasedAt = decidedAt;
                    hold.Disposition = disposition;
                    hold.ReleaseNotes = notes;
                    var target = PlateStatusAfter(disposition);
                    foreach (var item in items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate)) item.QaStatusAfter = target;
                    if (archived && archivedAt < now)
                    {
                        withdrawnFrom = HoldStatuses.Released;
                        disposedBy = refs.Managers[rnd.Next(refs.Managers.Count)];
                        Close(hold, HoldStatuses.Disposed, archivedAt, disposedBy);
                        hold.DisposedById = disposedBy.Id;
                        hold.DisposedAt = archivedAt;
                    }
                }
            }
            yield return new HoldPlan(hold, items, heldBy, releasedBy, disposedBy, withdrawnFrom);
        }
    }

    private static void Close(QualityHold hold, string status, DateTime at, Person by)
    {
        hold.Status = status;
        hold.UpdatedAt = at;
        hold.UpdatedById = by.Id;
        hold.Version++;
    }

    private static string PlateStatusAfter(string disposition) => disposition switch
    {
        Dispositions.Release => QaStatuses.Passed,
        Dispositions.Rework => QaStatuses.Pending,
        Dispositions.Scrap => QaStatuses.Scrap,
        _ => QaStatuses.Rejected,
    };

    /// <summary>Typical time to a decision: critical within hours, low within days.</summary>
    private static double MedianHours(string priority) => priority switch
    {
        HoldPriorities.Critical => 8,
        HoldPriorities.High => 24,
        HoldPriorities.Medium => 60,
        _ => 120,
    };

    private static int ItemCount(Random rnd)
    {
        // 1: 30 %, 2: 22 %, 3: 15 %, 4: 10 %, 5: 7 %, 6: 5 %, 7: 4 %, 8: 3 %, 9: 2 %, 10: 2 % (3.1 on average).
        ReadOnlySpan<int> cumulative = [30, 52, 67, 77, 84, 89, 93, 96, 98, 100];
        var roll = rnd.Next(100);
        for (var i = 0; i < cumulative.Length; i++) if (roll < cumulative[i]) return i + 1;
        return 10;
    }

    private static double Normal(Random rnd) =>
        Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());

    private static T Pick<T>(Random rnd, params (T Value, int Weight)[] choices)
    {
        var roll = rnd.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        return choices[^1].Value;
    }

    // ------------------------------------------------------------------ audit

    /// <summary>The organization's hold events in time order, chained as <see cref="AuditTrail"/> chains them.</summary>
    private static IEnumerable<AuditEntry> AuditFor(GenerationContext context, BenchOrganization org, List<HoldPlan> plans)
    {
        var ids = context.IdsFor($"holds-audit:{org.Code}");
        var events = new List<(DateTime At, int Kind, HoldPlan Plan)>(plans.Count * 2);
        foreach (var p in plans)
        {
            events.Add((p.Hold.HeldAt, 0, p));
            if (p.Hold.ReleasedAt is { } released) events.Add((released, 1, p));
            if (p.Hold.DisposedAt is { } disposed) events.Add((disposed, 2, p));
        }
        events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : string.CompareOrdinal(a.Plan.Hold.HoldNumber, b.Plan.Hold.HoldNumber));

        var previous = AuditTrail.Genesis;
        long sequence = 0;
        foreach (var (at, kind, plan) in events)
        {
            var hold = plan.Hold;
            var plates = plan.Items.Where(i => i.ReferenceType == ReferenceTypes.LicensePlate).ToList();
            var (action, by, before, after) = kind switch
            {
                0 => (HoldAudit.ActionCreated, plan.HeldBy, (object?)null, (object)new
                {
                    hold_number = hold.HoldNumber,
                    status = HoldStatuses.Active,
                    priority = hold.Priority,
                    hold_type = hold.HoldType,
                    reason = hold.Reason,
                    items = plan.Items.Select(i => new { i.ReferenceType, i.ReferenceId, i.ReferenceDisplay, i.QuantityHeld, i.Uom }),
                    lp_updates = plates.Select(i => new LpUpdateDto(i.ReferenceId, i.ReferenceDisplay, i.QaStatusBefore!, QaStatuses.Hold)),
                }),
                1 => (HoldAudit.ActionReleased, plan.ReleasedBy!, new { status = HoldStatuses.Active }, new
                {
                    hold_number = hold.HoldNumber,
                    status = HoldStatuses.Released,
                    disposition = hold.Disposition,
                    release_notes = hold.ReleaseNotes,
                    lp_updates = plates.Select(i => new LpUpdateDto(i.ReferenceId, i.ReferenceDisplay, QaStatuses.Hold, i.QaStatusAfter!)),
                }),
                _ => (HoldAudit.ActionDisposed, plan.DisposedBy!, new { status = plan.WithdrawnFrom }, (object)new
                {
                    hold_number = hold.HoldNumber,
                    status = HoldStatuses.Disposed,
                    lp_updates = plan.WithdrawnFrom == HoldStatuses.Active
                        ? plates.Select(i => new LpUpdateDto(i.ReferenceId, i.ReferenceDisplay, QaStatuses.Hold, i.QaStatusAfter!)).ToList()
                        : [],
                }),
            };
            var entry = new AuditEntry
            {
                Id = ids.Next(),
                OrganizationId = org.Id,
                Sequence = ++sequence,
                At = at,
                UserId = by.Id,
                UserEmail = by.Email,
                Action = action,
                EntityType = HoldAudit.EntityType,
                EntityId = hold.Id.ToString(),
                Before = before is null ? null : JsonSerializer.Serialize(before, AuditJson),
                After = JsonSerializer.Serialize(after, AuditJson),
                PreviousHash = previous,
                Hash = "",
            };
            entry.Hash = AuditTrail.ComputeHash(entry);
            previous = entry.Hash;
            yield return entry;
        }
        context.SetCounter(org.Id, "audit", sequence);
    }

    // ------------------------------------------------------------------ words

    private static readonly string[] ItemNotes =
    [
        "Tagged red and moved to the quarantine cage", "Sample of 5 sent to the lab", "Counted on the line, see sheet",
        "Partial quantity, rest already shipped", "Keep apart from released stock", "Photos in the 8D folder",
    ];

    private static readonly string[] ReleaseNotes =
    [
        "Re-inspected 100 %, all within tolerance.", "Lab results received and accepted.", "Sorted; nonconforming parts scrapped.",
        "Supplier issued a credit note.", "Deviation approved by the customer.", "Reworked and retested, passed.",
        "Certificate of conformity received and checked.", "MRB decision attached to the 8D report.",
    ];

    /// <summary>
    /// Reasons as inspectors write them: a finding (weighted: a few are common, many rare), the part, where it was found,
    /// and often a lot, a measurement or a next step. "porosity" appears in about 6 % of reasons, "delamination" in
    /// under 0.5 %, and supplier lots (SL-NNNNN) are nearly unique, which the load scenarios' searches rely on.
    /// </summary>
    private static class Reasons
    {
        private static readonly (string Text, int Weight)[] Findings =
        [
            ("Surface scratches", 90), ("Dimensional deviation", 80), ("Porosity", 60), ("Burrs", 60), ("Incorrect labeling", 55),
            ("Missing certificate of conformity", 50), ("Weld spatter", 45), ("Coating thickness below specification", 45),
            ("Hardness out of tolerance", 40), ("Contamination with metal particles", 35), ("Cracks after heat treatment", 30),
            ("Thread damage", 30), ("Leak rate above the limit", 30), ("Corrosion spots", 25), ("Discoloration", 25),
            ("Packaging damage", 25), ("Torque values out of range", 20), ("Missing serial labels", 20), ("Flatness out of tolerance", 20),
            ("Seal extrusion", 15), ("Paint runs", 15), ("Excess flash", 12), ("Misaligned holes", 12), ("Oversized bore", 10),
            ("Undersized diameter", 10), ("Failed pressure test", 10), ("Wrong material grade", 6), ("Sink marks", 6), ("Delamination", 4),
        ];

        private static readonly string[] Parts =
        [
            "valve housings", "brackets", "drive shafts", "flanges", "gaskets", "actuators", "manifolds", "couplings", "bearings",
            "sensor housings", "cover panels", "pump impellers", "spring clips", "hose fittings",
        ];

        private static readonly string[] Where =
        [
            "at incoming inspection", "on line 1", "on line 2", "on line 3", "on line 4", "during final inspection",
            "at the CNC cell", "after the paint shop", "in the customer audit", "on the night shift", "during the first-article check",
        ];

        private static readonly string[] Steps =
        [
            "awaiting MRB review", "sort 100 % before release", "8D opened with the supplier", "containment started at the warehouse",
            "retest required after rework", "customer notified", "lab analysis requested", "hold until engineering decides",
        ];

        private static readonly int TotalWeight = Findings.Sum(f => f.Weight);

        public static string Next(Random rnd)
        {
            var roll = rnd.Next(TotalWeight);
            var finding = Findings[^1].Text;
            foreach (var (text, weight) in Findings)
            {
                if (roll < weight) { finding = text; break; }
                roll -= weight;
            }
            var reason = $"{finding} on {Parts[rnd.Next(Parts.Length)]} {Where[rnd.Next(Where.Length)]}";
            switch (rnd.Next(4))
            {
                case 0: reason += $" from supplier lot SL-{rnd.Next(10000, 100000)}"; break;
                case 1: reason += $"; {rnd.Next(2, 40)} of {rnd.Next(40, 500)} pieces affected"; break;
            }
            if (rnd.Next(3) > 0) reason += $", {Steps[rnd.Next(Steps.Length)]}";
            return reason + ".";
        }
    }
}
