using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>The dashboard's counts of active holds.</summary>
public sealed class HoldDashboard(IDbContextFactory<OperatorDb> factory, TimeProvider time)
{
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
}
