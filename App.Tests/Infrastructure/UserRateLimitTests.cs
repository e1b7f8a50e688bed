using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

public sealed class UserRateLimitTests
{
    /// <summary>The counters of a freshly migrated SQLite file, read through the app's own store.</summary>
    private static async Task<RateLimitCounters> CountersAsync(TimeProvider clock)
    {
        var options = OperatorDbFactory.BuildOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), $"operator-limits-{Guid.NewGuid():N}.db")}");
        await using (var db = OperatorDbFactory.Create(options, DatabaseProvider.Sqlite, FixedUser.Nobody))
        {
            await db.Database.MigrateAsync();
        }
        return new RateLimitCounters(new DatabaseSettings(DatabaseProvider.Sqlite, options), clock, NullLogger<RateLimitCounters>.Instance);
    }

    [Fact]
    public async Task Each_user_gets_the_budget_of_the_window_and_a_new_one_when_it_turns()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 2, 9, 10, 30, 15, TimeSpan.Zero));
        var limit = new UserRateLimit(3, TimeSpan.FromMinutes(1), await CountersAsync(clock));

        Assert.Equal((true, 2), Take(await limit.AcquireAsync("alice")));
        Assert.Equal((true, 1), Take(await limit.AcquireAsync("alice")));
        var third = await limit.AcquireAsync("alice");
        Assert.Equal((true, 0), Take(third));
        Assert.Equal(new DateTimeOffset(2025, 2, 9, 10, 31, 0, TimeSpan.Zero), third.Reset);
        Assert.False((await limit.AcquireAsync("alice")).Allowed);
        Assert.True((await limit.AcquireAsync("bob")).Allowed);

        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal((true, 2), Take(await limit.AcquireAsync("alice")));
    }

    [Fact]
    public async Task Two_limits_with_the_same_key_but_other_names_count_apart_and_ended_windows_are_swept()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 2, 9, 10, 30, 15, TimeSpan.Zero));
        var counters = await CountersAsync(clock);
        var perMinute = new UserRateLimit(1, TimeSpan.FromMinutes(1), counters, "a");
        var other = new UserRateLimit(1, TimeSpan.FromMinutes(1), counters, "b");
        Assert.True((await perMinute.AcquireAsync("alice")).Allowed);
        Assert.True((await other.AcquireAsync("alice")).Allowed);
        Assert.False((await perMinute.AcquireAsync("alice")).Allowed);

        // Two minutes on, the first request sweeps the ended windows: only the new one is left.
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await perMinute.AcquireAsync("carol")).Allowed);
        Assert.True((await perMinute.AcquireAsync("alice")).Allowed);
    }

    private static (bool, int) Take(RateDecision r) => (r.Allowed, r.Remaining);
}
