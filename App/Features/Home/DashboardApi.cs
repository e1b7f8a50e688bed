using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Home;

/// <summary><c>/api/dashboard</c> in the plain convention: the home page's figures for the caller's organization and role.</summary>
public static class DashboardApi
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/dashboard", PlainStyle.Instance).WithTags("Dashboard").RequireAuthorization(Policies.Read);
        group.MapGet("", async (DashboardService s, CancellationToken ct) => (Result<DashboardData>)await s.GetAsync(ct))
            .WithName("GetDashboard")
            .WithSummary("The dashboard's figures for the caller's role: work in progress, holds, serials created, public scans.")
            .WithDescription("""
                Sections by role: operator (OPERATOR, VIEWER: units at each step of each path; an operator's own steps done per
                UTC hour today), quality (QA_INSPECTOR, QA_MANAGER: active holds by priority, aging and age, holds opened and
                closed per day for 30 days, top reasons, types, oldest active holds, pending uniqueness conflicts, vendor serials
                waiting), plant (QA_MANAGER, ADMIN: serials created per day by origin, public verification scans per day genuine
                and not, failed trigger events). A section the role does not see is null. Days are UTC.
                """)
            .Produces<DashboardData>();
        return app;
    }

    public static IServiceCollection AddDashboardFeature(this IServiceCollection services) => services.AddScoped<DashboardService>();
}
