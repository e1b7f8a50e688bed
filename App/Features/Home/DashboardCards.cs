using Operator.Components.Layout;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Home;

public sealed record DashboardCard(string Title, string Text, string Path);

/// <summary>The dashboard shows a card for each page the role may open (the same policies as the navigation).</summary>
public static class DashboardCards
{
    public static IEnumerable<DashboardCard> For(string? role) =>
        NavItems.All.Where(i => Policies.Allows(i.Policy, role)).Select(i => new DashboardCard(i.Text, Describe(i.Path), i.Path));

    private static string Describe(string path) => path switch
    {
        "/station" => "Scan units and certificates; advance, complete or scrap.",
        "/serials" => "Every unit: where it is on its path, and its certificates.",
        "/serials/batch" => "Number a run of units for a work order.",
        "/certificates" => "Material and process certificates and their PDFs.",
        "/holds" => "What is held, for how long, and why.",
        "/holds/new" => "Put license plates, work orders or batches on hold.",
        "/admin/organization" => "Choose what public verification shows of your serial codes.",
        "/admin/users" => "Create users and set their roles.",
        "/admin/audit" => "Verify the tamper-evident audit trail.",
        "/api-docs" => "Browse and try the documented API.",
        _ => "Master data the other features refer to.",
    };
}
