using Operator.Components.Layout;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Home;

public sealed record DashboardCard(string Title, string Text, string Path);

/// <summary>The dashboard shows a card for each page the role may open (the same policies as the navigation).</summary>
public static class DashboardCards
{
    public static IEnumerable<DashboardCard> For(string? role) =>
        NavItems.All.Where(i => Policies.Allows(i.Policy, role)).Select(i => new DashboardCard(i.Text, Describe(i), i.Path));

    // Each card says what its own page is for: one shared sentence on six cards told the reader nothing.
    private static string Describe(NavItem item) => item.Path switch
    {
        "/station" => "Scan units and certificates; advance, complete or scrap.",
        "/serials" => "Every unit: where it is on its path, and its certificates.",
        "/serials/batch" => "Number a run of units for a work order.",
        "/certificates" => "Material and process certificates and their PDFs.",
        "/holds" => "What is held, for how long, and why.",
        "/holds/new" => "Put license plates, work orders or batches on hold.",
        "/serialization/vendor" => "Receive suppliers' serial numbers, then accept them as serials or reject them.",
        "/serialization/placeholders" => "Units waiting for their serial number: scan one to assign it.",
        "/serialization/generated" => "Serial numbers generated from your formats, by hand or by triggers.",
        "/serialization/triggers" => "Which events serialize a part, and whether they generate numbers or placeholders.",
        "/serialization/formats" => "How generated serial numbers look, with a preview of the next ones.",
        "/lineage" => "What went into a unit and where it went, level by level.",
        "/containment/impact" => "What a suspect certificate, unit, plate, order or batch reaches, and contain it.",
        "/uniqueness" => "Serial numbers claimed twice where they must be unique: compare and resolve.",
        "/admin/parts" => "The parts you make and receive, and how each is serialized.",
        "/admin/paths" => "The steps each part goes through, in order.",
        "/admin/work-orders" => "Work orders: which part, how many, and their status.",
        "/admin/license-plates" => "License plates: stock of a part at a location, with its QA status.",
        "/admin/batches" => "Batches of material and their quantities.",
        "/admin/organization" => "Choose what public verification shows of your serial codes.",
        "/admin/users" => "Create users and set their roles.",
        "/admin/stations" => "Define the stations: their steps and what operators may do there.",
        "/admin/audit" => "Verify the tamper-evident audit trail.",
        "/api-docs" => "Browse and try the documented API.",
        _ => $"Open {item.Text}.",
    };
}
