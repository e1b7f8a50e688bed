using MudBlazor;
using Operator.Infrastructure.Auth;

namespace Operator.Components.Layout;

/// <param name="Icon">A MudBlazor icon (SVG path data).</param>
public sealed record NavItem(string Text, string Icon, string Path, string Policy);

/// <summary>The navigation, in order. Features add their pages here with the policy that guards the page itself.</summary>
public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> All =
    [
        new("Station", Icons.Material.Filled.QrCodeScanner, "/station", Policies.StationWork),
        new("Serials", Icons.Material.Filled.QrCode2, "/serials", Policies.Read),
        new("Batch create", Icons.Material.Filled.LibraryAdd, "/serials/batch", Policies.StationWork),
        new("Certificates", Icons.Material.Filled.WorkspacePremium, "/certificates", Policies.Read),
        new("Quality holds", Icons.Material.Filled.PanTool, "/holds", Policies.Read),
        new("New hold", Icons.Material.Filled.AddCircle, "/holds/new", Policies.HoldWrite),
        new("Impact and recall", Icons.Material.Filled.TravelExplore, "/containment/impact", Policies.HoldWrite),
        new("Vendor serials", Icons.Material.Filled.LocalShipping, "/serialization/vendor", Policies.Read),
        new("Placeholders", Icons.Material.Filled.PendingActions, "/serialization/placeholders", Policies.StationWork),
        new("Generated serials", Icons.Material.Filled.FormatListNumbered, "/serialization/generated", Policies.Read),
        new("Triggers", Icons.Material.Filled.Bolt, "/serialization/triggers", Policies.Read),
        new("Trigger events", Icons.Material.Filled.Outbox, "/serialization/trigger-events", Policies.Admin),
        new("Serial formats", Icons.Material.Filled.Pin, "/serialization/formats", Policies.Admin),
        new("Lineage", Icons.Material.Filled.AccountTree, "/lineage", Policies.Read),
        new("Uniqueness conflicts", Icons.Material.Filled.Difference, "/uniqueness", Policies.QualityManage),
        new("Parts", Icons.Material.Filled.Category, "/admin/parts", Policies.Admin),
        new("Process paths", Icons.Material.Filled.Route, "/admin/paths", Policies.Admin),
        new("Work orders", Icons.Material.Filled.Assignment, "/admin/work-orders", Policies.Admin),
        new("License plates", Icons.Material.Filled.Inventory2, "/admin/license-plates", Policies.Admin),
        new("Batches", Icons.Material.Filled.Layers, "/admin/batches", Policies.Admin),
        new("Stations", Icons.Material.Filled.PointOfSale, "/admin/stations", Policies.Admin),
        new("Organization", Icons.Material.Filled.Domain, "/admin/organization", Policies.Admin),
        new("Users", Icons.Material.Filled.Group, "/admin/users", Policies.Admin),
        new("Audit trail", Icons.Material.Filled.VerifiedUser, "/admin/audit", Policies.Admin),
        new("API reference", Icons.Material.Filled.Api, "/api-docs", Policies.Read),
    ];
}
