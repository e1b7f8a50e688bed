using Operator.Features.Home;
using Operator.Infrastructure.Auth;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Home;

/// <summary>The dashboard: one card per page the role may open, each saying what its own page is for.</summary>
public sealed class HomePageRenderTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.QaManager)]
    [InlineData(Roles.Operator)]
    public void Every_card_has_its_own_sentence(string role)
    {
        var texts = DashboardCards.For(role).Select(c => c.Text).ToList();
        Assert.NotEmpty(texts);
        var repeated = texts.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"Repeated on several cards: {string.Join(" | ", repeated)}");
        Assert.DoesNotContain("Master data the other features refer to.", texts);
    }

    [Fact]
    public async Task The_admins_dashboard_shows_a_card_per_page_with_distinct_words_and_the_active_holds()
    {
        await SignInAsync(app, DemoUsers.Admin);
        var page = Render<HomePage>();
        Assert.Equal("Dashboard", page.Find("h1").TextContent.Trim());
        var cards = page.FindAll("[data-testid='dashboard-card']");
        Assert.Equal(DashboardCards.For(Roles.Admin).Count(), cards.Count);
        var texts = page.FindAll("[data-testid='dashboard-card-text']").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.Contains("Receive suppliers' serial numbers, then accept them as serials or reject them.", texts);
        Assert.True(page.FindAll("[data-testid='active-holds-summary']").Count == 1);
        Assert.Contains(page.FindAll("a"), a => a.GetAttribute("href") == "/serialization/vendor");
    }
}
