using Operator.Infrastructure.Api;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

public sealed class UserRateLimitTests
{
    [Fact]
    public void Each_user_gets_the_budget_of_the_window_and_a_new_one_when_it_turns()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 2, 9, 10, 30, 15, TimeSpan.Zero));
        var limit = new UserRateLimit(3, TimeSpan.FromMinutes(1), clock);

        Assert.Equal((true, 2), Take(limit.Acquire("alice")));
        Assert.Equal((true, 1), Take(limit.Acquire("alice")));
        var third = limit.Acquire("alice");
        Assert.Equal((true, 0), Take(third));
        Assert.Equal(new DateTimeOffset(2025, 2, 9, 10, 31, 0, TimeSpan.Zero), third.Reset);
        Assert.False(limit.Acquire("alice").Allowed);
        Assert.True(limit.Acquire("bob").Allowed);

        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal((true, 2), Take(limit.Acquire("alice")));
    }

    private static (bool, int) Take((bool Allowed, int Remaining, DateTimeOffset Reset) r) => (r.Allowed, r.Remaining);
}
