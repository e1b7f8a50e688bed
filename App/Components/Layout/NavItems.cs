using Operator.Infrastructure.Auth;

namespace Operator.Components.Layout;

public sealed record NavItem(string Text, string Icon, string Path, string Policy);

/// <summary>The navigation, in order. Features add their pages here with the policy that guards the page itself.</summary>
public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> All =
    [
        new("Station", "qr_code_scanner", "/station", Policies.StationWork),
        new("Serials", "qr_code_2", "/serials", Policies.Read),
        new("Batch create", "library_add", "/serials/batch", Policies.StationWork),
        new("Certificates", "workspace_premium", "/certificates", Policies.Read),
        new("Quality holds", "pan_tool", "/holds", Policies.Read),
        new("New hold", "add_circle", "/holds/new", Policies.HoldWrite),
        new("Vendor serials", "local_shipping", "/serialization/vendor", Policies.Read),
        new("Placeholders", "pending_actions", "/serialization/placeholders", Policies.StationWork),
        new("Generated serials", "format_list_numbered", "/serialization/generated", Policies.Read),
        new("Triggers", "bolt", "/serialization/triggers", Policies.Read),
        new("Serial formats", "pin", "/serialization/formats", Policies.Admin),
        new("Lineage", "account_tree", "/lineage", Policies.Read),
        new("Uniqueness conflicts", "difference", "/uniqueness", Policies.QualityManage),
        new("Parts", "category", "/admin/parts", Policies.Admin),
        new("Process paths", "route", "/admin/paths", Policies.Admin),
        new("Work orders", "assignment", "/admin/work-orders", Policies.Admin),
        new("License plates", "inventory_2", "/admin/license-plates", Policies.Admin),
        new("Batches", "layers", "/admin/batches", Policies.Admin),
        new("Organization", "domain", "/admin/organization", Policies.Admin),
        new("Users", "group", "/admin/users", Policies.Admin),
        new("Audit trail", "verified_user", "/admin/audit", Policies.Admin),
        new("API reference", "api", "/api-docs", Policies.Read),
    ];
}
