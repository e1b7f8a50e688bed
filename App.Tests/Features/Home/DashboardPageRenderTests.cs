using Bunit;
using Operator.Features.Holds;
using Operator.Features.Home;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Home;

/// <summary>The home page per role: the role's sections with their charts, and links that carry the list's filters.</summary>
public sealed class DashboardPageRenderTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    private static int Count(IRenderedComponent<HomePage> page, string testId) => page.FindAll($"[data-testid='{testId}']").Count;

    private static string Href(IRenderedComponent<HomePage> page, string testId) => page.Find($"[data-testid='{testId}']").GetAttribute("href") ?? "";

    [Fact]
    public async Task An_operator_sees_work_in_progress_and_their_own_hours_only()
    {
        await SignInAsync(app, DemoUsers.Operator);
        var page = Render<HomePage>();
        page.WaitForAssertion(() => Assert.Equal(1, Count(page, "dashboard-operator")));
        Assert.Equal((0, 0), (Count(page, "dashboard-quality"), Count(page, "dashboard-plant")));
        Assert.Equal(1, Count(page, "my-work-chart"));
        Assert.NotEmpty(page.FindAll("[data-testid='dashboard-operator'] .mud-chart"));
        Assert.Equal(DashboardLinks.UnitsInProgress, Href(page, "wip-total"));
        Assert.NotEmpty(page.FindAll("[data-testid='dashboard-card']"));
    }

    [Fact]
    public async Task A_manager_sees_quality_and_plant_charts_with_filtered_links()
    {
        await SignInAsync(app, DemoUsers.Manager);
        var page = Render<HomePage>();
        page.WaitForAssertion(() => Assert.Equal(1, Count(page, "dashboard-quality")));
        Assert.Equal((1, 0), (Count(page, "dashboard-plant"), Count(page, "dashboard-operator")));
        foreach (var chart in new[] { "priority-chart", "age-chart", "holds-per-day-chart", "type-chart", "origins-chart", "scans-chart" })
        {
            Assert.True(Count(page, chart) == 1, chart);
        }
        // The opened/closed chart draws two series, the origins chart five: their legends name them.
        var legends = page.FindAll(".mud-chart-legend-item").Select(l => l.TextContent.Trim()).ToList();
        Assert.Contains("Opened", legends);
        Assert.Contains("Closed", legends);
        Assert.Contains("Late assignment", legends);
        Assert.Contains("Not genuine", legends);

        Assert.Equal("/holds?status=active&priority=high", Href(page, "chart-priority-high"));
        Assert.Equal("/holds?status=active&type=recall", Href(page, "chart-type-recall"));
        Assert.StartsWith("/holds?status=active&to=", Href(page, "chart-age-3"));
        Assert.Equal("/serialization/vendor?status=PENDING", Href(page, "vendor-waiting"));
        Assert.Equal("/serialization/trigger-events?status=failed", Href(page, "failed-trigger-events"));
        Assert.All(page.FindAll("[data-testid='oldest-hold-link']"), a => Assert.StartsWith("/holds/", a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_priority_chips_show_the_services_counts()
    {
        await SignInAsync(app, DemoUsers.Inspector);
        var page = Render<HomePage>();
        page.WaitForAssertion(() => Assert.Equal(1, Count(page, "dashboard-quality")));
        Assert.Equal(0, Count(page, "dashboard-plant"));
        var data = await app.AsUserAsync(DemoUsers.Inspector, sp => ((DashboardService)sp.GetService(typeof(DashboardService))!).GetAsync());
        Assert.Equal($"High: {data.Quality!.Active.ByPriority[HoldPriorities.High]}", Text(page, "chart-priority-high"));
        Assert.Equal($"{data.Quality.PendingConflicts} uniqueness conflicts", Text(page, "pending-conflicts"));
    }
}
