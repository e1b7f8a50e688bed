using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Home;

/// <summary>
/// The dashboard's figures for the signed-in user's organization and role, counted in the database (every count is a
/// range of an index: see <see cref="DashboardIndexes"/>), never by loading rows. Days are UTC days.
/// </summary>
public sealed class DashboardService(IDbContextFactory<OperatorDb> factory, ICurrentUser caller, HoldDashboard holds, TimeProvider time)
{
    public const int Days = 30;
    public const int TopReasons = 5;
    public const int OldestHolds = 5;

    public async Task<DashboardData> GetAsync(CancellationToken ct = default)
    {
        var role = caller.Role ?? "";
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        return new DashboardData(role, now,
            DashboardSections.SeesOperator(role) ? await OperatorAsync(role, today, ct) : null,
            DashboardSections.SeesQuality(role) ? await QualityAsync(today, ct) : null,
            DashboardSections.SeesPlant(role) ? await PlantAsync(today, ct) : null);
    }

    private async Task<OperatorSection> OperatorAsync(string role, DateOnly today, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var units = await db.Set<Serial>().AsNoTracking()
            .Where(s => s.Status == SerialStatus.InProgress && s.PathId != null)
            .GroupBy(s => new { s.PathId, s.CurrentStepIndex })
            .Select(g => new { g.Key.PathId, g.Key.CurrentStepIndex, Units = g.Count() })
            .ToListAsync(ct);
        var paths = await db.Set<ProcessPath>().AsNoTracking().OrderBy(p => p.Code)
            .Select(p => new { p.Id, p.Code, p.Name, Steps = p.Steps.OrderBy(s => s.Sequence).Select(s => new { s.Sequence, s.Name }).ToList() })
            .ToListAsync(ct);
        var wip = paths.Select(p => new WipPath(p.Id, p.Code, p.Name, p.Steps
                .Select(s => new WipStep(s.Sequence, s.Name, units.Where(u => u.PathId == p.Id && u.CurrentStepIndex == s.Sequence).Sum(u => u.Units)))
                .ToList()))
            .Where(p => p.Steps.Count > 0)
            .ToList();

        IReadOnlyList<HourCount>? mine = null;
        if (role == Infrastructure.Auth.Roles.Operator && caller.UserId is { } userId)
        {
            var start = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = start.AddDays(1);
            // Only the times of today's own step completions: at most one shift's work of one person.
            var times = await db.Set<SerialStepEvent>().AsNoTracking()
                .Where(e => e.UserId == userId && e.At >= start && e.At < end && e.Event == StepEvents.Completed)
                .Select(e => e.At).ToListAsync(ct);
            mine = Enumerable.Range(0, 24).Select(h => new HourCount(h, times.Count(t => t.Hour == h))).ToList();
        }
        return new OperatorSection(wip, mine);
    }

    private async Task<QualitySection> QualityAsync(DateOnly today, CancellationToken ct)
    {
        var active = await holds.GetActiveSummaryAsync(ct);
        await using var db = factory.CreateDbContext();
        var activeHolds = db.Set<QualityHold>().AsNoTracking().Where(h => h.Status == HoldStatuses.Active);

        // Held on: today; 1-6 days ago; 7-29 days ago; 30 days ago or earlier (the list's day filters, inclusive).
        DateTime Start(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var bounds = new (string Label, DateOnly? From, DateOnly? To)[]
        {
            ("Today", today, null),
            ("1–6 days", today.AddDays(-6), today.AddDays(-1)),
            ("7–29 days", today.AddDays(-29), today.AddDays(-7)),
            ("30 days or more", null, today.AddDays(-30)),
        };
        var byAge = new List<AgeBucket>();
        foreach (var (label, from, to) in bounds)
        {
            var q = activeHolds;
            if (from is { } f) { var s = Start(f); q = q.Where(h => h.HeldAt >= s); }
            if (to is { } t) { var e = Start(t.AddDays(1)); q = q.Where(h => h.HeldAt < e); }
            byAge.Add(new AgeBucket(label, await q.CountAsync(ct), from, to));
        }

        var first = today.AddDays(-(Days - 1));
        // One index range per day, counted without a date function on each row (which no index answers).
        var perDay = new List<HoldDay>(Days);
        for (var i = 0; i < Days; i++)
        {
            var day = first.AddDays(i);
            var (start, end) = (Start(day), Start(day.AddDays(1)));
            var opened = await db.Set<QualityHold>().AsNoTracking().CountAsync(h => h.HeldAt >= start && h.HeldAt < end, ct);
            var closed = await db.Set<QualityHold>().AsNoTracking().CountAsync(h => h.ReleasedAt >= start && h.ReleasedAt < end, ct);
            perDay.Add(new HoldDay(day, opened, closed));
        }

        var reasons = await activeHolds.GroupBy(h => h.Reason).Select(g => new { g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key).Take(TopReasons).ToListAsync(ct);
        var types = await activeHolds.GroupBy(h => h.HoldType).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var oldest = await activeHolds.OrderBy(h => h.HeldAt).ThenBy(h => h.HoldNumber).Take(OldestHolds)
            .Select(h => new OldestHold(h.Id, h.HoldNumber, h.Priority, h.HoldType, h.Reason, h.HeldAt)).ToListAsync(ct);
        var conflicts = await db.Set<UniquenessConflict>().AsNoTracking().CountAsync(c => c.Status == ConflictStatus.Pending, ct);
        var vendor = await db.Set<VendorSerial>().AsNoTracking().CountAsync(v => v.Status == VendorSerialStatus.Pending, ct);

        return new QualitySection(active, byAge, perDay,
            reasons.Select(r => new NamedCount(r.Key, r.Count)).ToList(),
            HoldTypes.All.Select(t => new NamedCount(t, types.Where(x => x.Key == t).Sum(x => x.Count))).ToList(),
            oldest.Select(h => h with { HeldAt = DateTime.SpecifyKind(h.HeldAt, DateTimeKind.Utc) }).ToList(),
            conflicts, vendor);
    }

    private async Task<PlantSection> PlantAsync(DateOnly today, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var first = today.AddDays(-(Days - 1));
        string[] named = [SerialOrigins.Generated, SerialOrigins.Vendor, SerialOrigins.LateAssignment, SerialOrigins.AutoJob];
        // The tallies every insert path keeps (SerialDayTallies): at most 30 days times a few origins, not one index
        // entry per serial created.
        var created = await db.Set<SerialDayTally>().AsNoTracking().Where(t => t.Day >= first && t.Day <= today)
            .Select(t => new { t.Day, t.Origin, t.Count }).ToListAsync(ct);
        var perDay = new List<OriginDay>(Days);
        for (var i = 0; i < Days; i++)
        {
            var day = first.AddDays(i);
            int Of(Func<string, bool> origin) => (int)created.Where(c => c.Day == day && origin(c.Origin)).Sum(c => c.Count);
            perDay.Add(new OriginDay(day, Of(o => o == SerialOrigins.Generated), Of(o => o == SerialOrigins.Vendor),
                Of(o => o == SerialOrigins.LateAssignment), Of(o => o == SerialOrigins.AutoJob), Of(o => !named.Contains(o))));
        }

        var scans = await db.Set<VerificationScanDay>().AsNoTracking().Where(s => s.Day >= first).ToListAsync(ct);
        var scansPerDay = Enumerable.Range(0, Days).Select(i => first.AddDays(i)).Select(d =>
            scans.FirstOrDefault(s => s.Day == d) is { } s ? new ScanDay(d, s.Genuine, s.NotGenuine) : new ScanDay(d, 0, 0)).ToList();

        var failed = await db.Set<OutboxMessage>().AsNoTracking()
            .CountAsync(m => m.Topic == TriggerOutbox.Topic && m.Status == OutboxStatus.Failed, ct);
        return new PlantSection(perDay, scansPerDay, failed);
    }
}
