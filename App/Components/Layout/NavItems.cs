using MudBlazor;
using Operator.Infrastructure.Auth;

namespace Operator.Components.Layout;

/// <param name="Icon">A MudBlazor icon (SVG path data).</param>
public sealed record NavItem(string Text, string Icon, string Path, string Policy, string Group);

/// <summary>
/// The navigation, in order, each page in its group (a group's pages stay together). Features add their pages here with
/// the policy that guards the page itself.
/// </summary>
public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> All =
    [
        new("Station", Icons.Material.Filled.QrCodeScanner, "/station", Policies.StationWork, NavGroups.ShopFloor),
        new("Serials", Icons.Material.Filled.QrCode2, "/serials", Policies.Read, NavGroups.ShopFloor),
        new("Batch create", Icons.Material.Filled.LibraryAdd, "/serials/batch", Policies.StationWork, NavGroups.ShopFloor),
        new("Certificates", Icons.Material.Filled.WorkspacePremium, "/certificates", Policies.Read, NavGroups.ShopFloor),
        new("Lineage", Icons.Material.Filled.AccountTree, "/lineage", Policies.Read, NavGroups.ShopFloor),
        new("Quality holds", Icons.Material.Filled.PanTool, "/holds", Policies.Read, NavGroups.Quality),
        new("New hold", Icons.Material.Filled.AddCircle, "/holds/new", Policies.HoldWrite, NavGroups.Quality),
        new("Impact and recall", Icons.Material.Filled.TravelExplore, "/containment/impact", Policies.HoldWrite, NavGroups.Quality),
        new("Uniqueness conflicts", Icons.Material.Filled.Difference, "/uniqueness", Policies.QualityManage, NavGroups.Quality),
        new("Vendor serials", Icons.Material.Filled.LocalShipping, "/serialization/vendor", Policies.Read, NavGroups.Serialization),
        new("Placeholders", Icons.Material.Filled.PendingActions, "/serialization/placeholders", Policies.StationWork, NavGroups.Serialization),
        new("Generated serials", Icons.Material.Filled.FormatListNumbered, "/serialization/generated", Policies.Read, NavGroups.Serialization),
        new("Triggers", Icons.Material.Filled.Bolt, "/serialization/triggers", Policies.Read, NavGroups.Serialization),
        new("Trigger events", Icons.Material.Filled.Outbox, "/serialization/trigger-events", Policies.Admin, NavGroups.Serialization),
        new("Serial formats", Icons.Material.Filled.Pin, "/serialization/formats", Policies.Admin, NavGroups.Serialization),
        new("Parts", Icons.Material.Filled.Category, "/admin/parts", Policies.Admin, NavGroups.MasterData),
        new("Process paths", Icons.Material.Filled.Route, "/admin/paths", Policies.Admin, NavGroups.MasterData),
        new("Work orders", Icons.Material.Filled.Assignment, "/admin/work-orders", Policies.Admin, NavGroups.MasterData),
        new("License plates", Icons.Material.Filled.Inventory2, "/admin/license-plates", Policies.Admin, NavGroups.MasterData),
        new("Batches", Icons.Material.Filled.Layers, "/admin/batches", Policies.Admin, NavGroups.MasterData),
        new("Stations", Icons.Material.Filled.PointOfSale, "/admin/stations", Policies.Admin, NavGroups.MasterData),
        new("Organization", Icons.Material.Filled.Domain, "/admin/organization", Policies.Admin, NavGroups.Administration),
        new("Users", Icons.Material.Filled.Group, "/admin/users", Policies.Admin, NavGroups.Administration),
        new("Audit trail", Icons.Material.Filled.VerifiedUser, "/admin/audit", Policies.Admin, NavGroups.Administration),
        new("API reference", Icons.Material.Filled.Api, "/api-docs", Policies.Read, NavGroups.Administration),
    ];

    /// <summary>The groups in the order the navigation shows them, each with its items in order.</summary>
    public static IEnumerable<IGrouping<string, NavItem>> Grouped => All.GroupBy(i => i.Group);
}

/// <summary>The navigation's groups: the drawer shows one titled group each, instead of one long list.</summary>
public static class NavGroups
{
    public const string ShopFloor = "Shop floor";
    public const string Quality = "Quality";
    public const string Serialization = "Serialization";
    public const string MasterData = "Master data";
    public const string Administration = "Administration";
}
