using Operator.Components.Layout;
using Operator.Features.Home;
using Operator.Infrastructure.Auth;
using Operator.Tests.Support;

namespace Operator.Tests.Components;

/// <summary>The navigation and the dashboard show each role only what its policies let it open.</summary>
public sealed class NavigationRenderTests : PageTest
{
    private Task<string[]> NavTextsAsync(string role)
    {
        SignIn(TestPrincipals.User(role));
        var nav = Render<NavMenu>();
        return Task.FromResult(nav.FindAll("[data-testid='nav-link']").Select(e => e.TextContent.Trim()).ToArray());
    }

    [Fact]
    public async Task An_admin_sees_the_administration_pages()
    {
        var texts = await NavTextsAsync(Roles.Admin);
        Assert.Equal(["Dashboard", .. NavItems.All.Select(i => i.Text)], texts);
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.QaInspector)]
    [InlineData(Roles.QaManager)]
    public async Task Other_roles_see_only_what_their_policies_admit(string role)
    {
        var texts = await NavTextsAsync(role);
        var expected = NavItems.All.Where(i => Policies.Allows(i.Policy, role)).Select(i => i.Text);
        Assert.Equal(["Dashboard", .. expected], texts);
        Assert.DoesNotContain("Users", texts);
        Assert.DoesNotContain("Audit trail", texts);
    }

    [Theory]
    [InlineData(Roles.Admin, new[] { "Shop floor", "Quality", "Serialization", "Master data", "Administration" })]
    [InlineData(Roles.Viewer, new[] { "Shop floor", "Quality", "Serialization", "Administration" })]
    public void Pages_are_grouped_under_titles_and_a_group_with_nothing_the_role_may_open_is_not_shown(string role, string[] groups)
    {
        SignIn(TestPrincipals.User(role));
        var nav = Render<NavMenu>();
        Assert.Equal(groups, nav.FindAll("[data-testid='nav-group']").Select(g => g.GetAttribute("data-group")));
        var quality = nav.Find("[data-group='Quality']");
        Assert.Contains("Quality holds", quality.TextContent);
        Assert.DoesNotContain("Parts", quality.TextContent);
    }

    [Fact]
    public void Dashboard_cards_follow_the_same_policies_as_the_navigation()
    {
        Assert.Contains(DashboardCards.For(Roles.Admin), c => c.Path == "/admin/users");
        Assert.DoesNotContain(DashboardCards.For(Roles.Viewer), c => c.Path == "/admin/users");
        Assert.Empty(DashboardCards.For(null));
    }
}
