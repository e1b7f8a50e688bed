using Operator.Infrastructure.Auth;

namespace Operator.Tests.Infrastructure;

public sealed class PoliciesTests
{
    [Theory]
    [InlineData(Roles.Viewer, false)]
    [InlineData(Roles.Operator, false)]
    [InlineData(Roles.QaInspector, false)]
    [InlineData(Roles.QaManager, true)]
    [InlineData(Roles.Admin, true)]
    [InlineData("QA_TRAINEE", false)]
    [InlineData(null, false)]
    public void Releasing_others_holds_is_granted_by_name_and_refused_to_every_other_role(string? role, bool allowed) =>
        Assert.Equal(allowed, Policies.Allows(Policies.ReleaseAnyHold, role));

    [Fact]
    public void Whoever_may_release_any_hold_may_write_holds() =>
        Assert.All(Policies.Matrix[Policies.ReleaseAnyHold], role => Assert.True(Policies.Allows(Policies.HoldWrite, role)));
}
