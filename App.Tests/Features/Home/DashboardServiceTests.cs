using Operator.Features.Home;
using Operator.Infrastructure.Auth;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Home;

/// <summary>Each figure of the dashboard against seeded rows of a fresh organization, on SQLite and on PostgreSQL.</summary>
public abstract class DashboardServiceTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private async Task<DashboardData> As(string role) => await (await DashboardKit.SeedAsync(app)).AsAsync(role);

    [Fact]
    public async Task Each_role_sees_its_sections()
    {
        var kit = await DashboardKit.SeedAsync(app);
        var op = await kit.AsAsync(Roles.Operator);
        Assert.True(op is { Operator.MyWorkToday: not null, Quality: null, Plant: null });
        var viewer = await kit.AsAsync(Roles.Viewer);
        Assert.True(viewer is { Operator.MyWorkToday: null, Quality: null, Plant: null });
        Assert.True(await kit.AsAsync(Roles.QaInspector) is { Operator: null, Quality: not null, Plant: null });
        Assert.True(await kit.AsAsync(Roles.QaManager) is { Operator: null, Quality: not null, Plant: not null });
        Assert.True(await kit.AsAsync(Roles.Admin) is { Operator: null, Quality: null, Plant: not null });
    }

    [Fact]
    public async Task Work_in_progress_counts_units_on_each_step_and_the_operators_own_steps_per_hour()
    {
        var section = (await As(Roles.Operator)).Operator!;
        var path = Assert.Single(section.Wip);
        Assert.Equal([("Cut", 3), ("Sew", 1)], path.Steps.Select(s => (s.Name, s.Units)));
        var hours = section.MyWorkToday!;
        Assert.Equal(24, hours.Count);
        Assert.Equal(2, hours[9].StepsDone);
        Assert.Equal(1, hours[10].StepsDone);
        Assert.Equal(3, hours.Sum(x => x.StepsDone));
    }

    [Fact]
    public async Task Holds_by_priority_age_day_reason_and_type_count_only_this_organizations_holds()
    {
        var q = (await As(Roles.QaManager)).Quality!;
        Assert.Equal(4, q.Active.Total);
        Assert.Equal((2, 1, 1, 0), (q.Active.ByPriority["high"], q.Active.ByPriority["low"], q.Active.ByPriority["critical"], q.Active.ByPriority["medium"]));
        Assert.Equal([1, 1, 1, 1], q.ByAge.Select(b => b.Holds));
        Assert.Equal((DashboardKit.Today.AddDays(-6), DashboardKit.Today.AddDays(-1)), (q.ByAge[1].From!.Value, q.ByAge[1].To!.Value));

        Assert.Equal(DashboardService.Days, q.PerDay.Count);
        Assert.Equal(DashboardKit.Today, q.PerDay[^1].Day);
        Assert.Equal((1, 1), (q.PerDay[^1].Opened, q.PerDay[^1].Closed));
        Assert.Equal(1, q.PerDay[^3].Opened);  // the released hold, two days ago
        Assert.Equal(1, q.PerDay[^4].Opened);
        Assert.Equal(1, q.PerDay[^11].Opened);
        Assert.Equal(4, q.PerDay.Sum(d => d.Opened));  // the 45-day-old hold is before the window
        Assert.Equal(1, q.PerDay.Sum(d => d.Closed));
        Assert.Equal(0, q.PerDay[0].Opened + q.PerDay[0].Closed);

        Assert.Equal([("Seal", 2), ("Crack", 1), ("Dent", 1)], q.TopReasons.Select(r => (r.Name, r.Count)));
        Assert.Equal([("qa_pending", 0), ("investigation", 1), ("recall", 2), ("quarantine", 1)], q.ByType.Select(t => (t.Name, t.Count)));
        Assert.Equal(["QH-20260315-0004", "QH-20260315-0003", "QH-20260315-0002", "QH-20260315-0001"], q.Oldest.Select(o => o.HoldNumber));
        Assert.Equal((2, 1), (q.PendingConflicts, q.VendorSerialsWaiting));
    }

    [Fact]
    public async Task Serials_per_day_by_origin_scans_and_failed_trigger_events()
    {
        var p = (await As(Roles.Admin)).Plant!;
        Assert.Equal(DashboardService.Days, p.SerialsPerDay.Count);
        var today = p.SerialsPerDay[^1];
        Assert.Equal((2, 1, 0, 0, 0), (today.Batch, today.Generated, today.Vendor, today.LateAssignment, today.Other));
        var yesterday = p.SerialsPerDay[^2];
        Assert.Equal((0, 0, 1, 1, 1), (yesterday.Batch, yesterday.Generated, yesterday.Vendor, yesterday.LateAssignment, yesterday.Other));
        Assert.Equal(6, p.SerialsPerDay.Sum(d => d.Total));

        Assert.Equal(DashboardService.Days, p.ScansPerDay.Count);
        Assert.Equal((5L, 2L), (p.ScansPerDay[^1].Genuine, p.ScansPerDay[^1].NotGenuine));
        Assert.Equal((0L, 1L), (p.ScansPerDay[^2].Genuine, p.ScansPerDay[^2].NotGenuine));
        Assert.Equal(1.0, p.ScansPerDay[^2].NotGenuineShare);
        Assert.Equal(8L, p.ScansPerDay.Sum(d => d.Genuine + d.NotGenuine));
        Assert.Equal(1, p.FailedTriggerEvents);
    }
}

public sealed class SqliteDashboardServiceTests(OperatorFactory app) : DashboardServiceTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG.</summary>
public sealed class PostgresDashboardServiceTests(PostgresOperatorFactory app) : DashboardServiceTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
