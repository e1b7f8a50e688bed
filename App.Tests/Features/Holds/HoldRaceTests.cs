using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Holds;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// A plate's QA status under interleaved hold commands on PostgreSQL. The probe pauses one command right after it read
/// which of its plates other active holds still hold; the other command then runs until it has committed or waits for a
/// lock, and only then is the first let go. Whatever the order, the plate must end as the holds say.
/// </summary>
public sealed class PostgresHoldRaceTests(HoldRaceFactory app) : IClassFixture<HoldRaceFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_release_racing_a_create_on_the_same_plate_leaves_the_plate_on_hold()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var plate = await HoldsKit.NewPlateAsync(app);
        var first = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]));

        var gate = app.Probe.Arm(HoldRacePoint.PlatesChecked, Guid.Parse(first));
        var release = HoldsKit.ReleaseAsync(manager, first, "release");
        await gate.Reached.Task.WaitAsync(Patience);
        // The release has seen no other active hold on the plate. A second hold on it now either commits at once or
        // waits for the plate the release has locked.
        var create = manager.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Lp(plate.Id)]));
        await Task.WhenAny(create, app.LockWaiterAsync()).WaitAsync(Patience);
        gate.Go.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await release.WaitAsync(Patience)).StatusCode);
        var created = await create.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("hold", await HoldsKit.QaStatusAsync(app, plate.Id));
        Assert.Equal(1, await ActiveHoldsOnAsync(plate.Id));
    }

    [Fact]
    public async Task Two_releases_of_holds_on_one_plate_leave_it_with_the_last_disposition()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var plate = await HoldsKit.NewPlateAsync(app);
        var first = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]));
        var second = HoldsKit.Id(await HoldsKit.CreateAsync(app, manager, items: [HoldsKit.Lp(plate.Id)]));

        var gate = app.Probe.Arm(HoldRacePoint.PlatesChecked, Guid.Parse(first));
        var releaseFirst = HoldsKit.ReleaseAsync(manager, first, "release");
        await gate.Reached.Task.WaitAsync(Patience);
        // The first release saw the second hold active and keeps the plate on hold; the second must not see the first as
        // active once it has been released.
        var releaseSecond = HoldsKit.ReleaseAsync(manager, second, "scrap");
        await Task.WhenAny(releaseSecond, app.LockWaiterAsync()).WaitAsync(Patience);
        gate.Go.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await releaseFirst.WaitAsync(Patience)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await releaseSecond.WaitAsync(Patience)).StatusCode);
        Assert.Equal(0, await ActiveHoldsOnAsync(plate.Id));
        Assert.NotEqual("hold", await HoldsKit.QaStatusAsync(app, plate.Id));
    }

    private async Task<int> ActiveHoldsOnAsync(Guid plateId)
    {
        await using var db = app.RawDb();
        return await db.Set<QualityHoldItem>().IgnoreQueryFilters()
            .Where(i => i.ReferenceType == "lp" && i.ReferenceId == plateId)
            .Join(db.Set<QualityHold>().IgnoreQueryFilters().Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id, (i, h) => h.Id)
            .CountAsync();
    }
}

/// <summary>The app on a PostgreSQL database of its own, with a probe the race tests arm.</summary>
public sealed class HoldRaceFactory() : OperatorFactory(DatabaseProvider.Postgres)
{
    public GatedHoldRaceProbe Probe { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IHoldRaceProbe>(Probe));
    }

    /// <summary>Returns once a session of this database waits for a lock another holds.</summary>
    public async Task LockWaiterAsync()
    {
        await using var db = RawDb();
        while (await db.Database.SqlQueryRaw<int>(
                   """SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'""")
                   .SingleAsync() == 0)
        {
            // Polling a condition, not waiting out a time: the caller proceeds as soon as the waiter is seen.
            await Task.Delay(10);
        }
    }
}

/// <summary>Pauses a command at an armed point until the test lets it go.</summary>
public sealed class GatedHoldRaceProbe : IHoldRaceProbe
{
    private readonly ConcurrentDictionary<(HoldRacePoint, Guid), Gate> gates = new();

    public Gate Arm(HoldRacePoint point, Guid holdId) => gates[(point, holdId)] = new Gate();

    public async ValueTask ReachedAsync(HoldRacePoint point, Guid holdId, CancellationToken ct)
    {
        if (!gates.TryRemove((point, holdId), out var gate)) return;
        gate.Reached.TrySetResult();
        await gate.Go.Task.WaitAsync(ct);
    }

    public sealed class Gate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Go { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
