using Operator.Features.Serials;
using System.Globalization;
using Operator.Features.Holds;
using Operator.Features.Reports;

namespace Operator.Features.Containment;

/// <summary>
/// The recall report a manager hands to a customer or an authority: the suspect origin, the affected units by where they
/// are now (in progress with their step, completed, used in an assembly and which one, scrapped, cancelled), the work
/// orders, batches and plates reached, the active holds on them, and the certificates involved. As a PDF (organization
/// header, tables continued across pages under repeated headers, page x of y) and as one CSV table.
/// </summary>
public static class RecallReport
{
    public const string CsvContentType = CsvTable.ContentType;

    public static byte[] RenderPdf(ImpactReport report, string organizationName, DateTime generatedAtUtc)
    {
        var origin = report.Origin;
        var counts = report.Counts;
        using var pdf = new PdfReport("Recall report", organizationName, generatedAtUtc, $"Impact of {ImpactOrigins.Label(origin.Type).ToLowerInvariant()} {origin.Number}");
        pdf.Title($"Recall report: {ImpactOrigins.Label(origin.Type).ToLowerInvariant()} {origin.Number}");
        pdf.Facts(
        [
            ("Suspect origin", $"{ImpactOrigins.Label(origin.Type)} {origin.Number}"),
            ("Description", origin.Description),
            ("Traced", report.IncludeBackward ? "Forward (every unit that carries it or came out of it) and backward (every unit it came from)"
                : "Forward (every unit that carries it or came out of it)"),
            ("Units", N(counts.Units)),
            ("In progress", N(counts.InProgress)),
            ("Completed", N(counts.Completed)),
            ("Used in an assembly", N(counts.Consumed)),
            ("Scrapped", N(counts.Scrapped)),
            ("Cancelled", N(counts.Cancelled)),
            ("Work orders", N(counts.WorkOrders)),
            ("Batches", N(counts.Batches)),
            ("License plates", N(counts.LicensePlates)),
            ("Active holds", counts.ActiveHolds == 0 ? "None" : N(counts.ActiveHolds)),
            ("Certificates", N(counts.Certificates)),
        ]);

        pdf.Heading($"In progress ({N(counts.InProgress)})");
        pdf.Table(
            [new("Unit", 1.7, KeepWhole: true), new("Part", 1), new("Relation", 0.8, KeepWhole: true), new("Step", 1.2), new("Work order", 1.1, KeepWhole: true), new("Batch", 0.9), new("Holds", 1.5, KeepWhole: true)],
            Of(report, SerialStages.InProgress).Select(u => Cells(u.SerialNumber, u.PartNumber, u.Relation, u.Step ?? StepText(u.StepIndex), u.WorkOrderNumber, u.BatchNumber, Join(u.Holds))),
            "No affected unit is in progress.");

        pdf.Heading($"Completed ({N(counts.Completed)})");
        pdf.Table(
            [new("Unit", 1.7, KeepWhole: true), new("Part", 1), new("Relation", 0.8, KeepWhole: true), new("Work order", 1.1, KeepWhole: true), new("Batch", 0.9), new("Holds", 1.5, KeepWhole: true)],
            Of(report, SerialStages.Completed).Select(u => Cells(u.SerialNumber, u.PartNumber, u.Relation, u.WorkOrderNumber, u.BatchNumber, Join(u.Holds))),
            "No affected unit is completed.");

        pdf.Heading($"Used in an assembly ({N(counts.Consumed)})");
        // The unit and the assembly it went into share a cell, one number per line, so both stay whole on a portrait page.
        pdf.Table(
            [new("Unit, then the assembly it is in", 1.8, KeepWhole: true), new("Part", 1), new("Relation", 0.9, KeepWhole: true), new("Work order", 1, KeepWhole: true), new("Batch", 0.9)],
            Of(report, SerialStages.Consumed).Select(u => Cells($"{u.SerialNumber} in {u.UsedInNumber}", u.PartNumber, u.Relation, u.WorkOrderNumber, u.BatchNumber)),
            "No affected unit was used in an assembly.");

        pdf.Heading($"Scrapped ({N(counts.Scrapped)})");
        pdf.Table(
            [new("Unit", 1.5, KeepWhole: true), new("Part", 1), new("Relation", 0.9, KeepWhole: true), new("Work order", 1, KeepWhole: true), new("Batch", 0.9)],
            Of(report, SerialStages.Scrapped).Select(u => Cells(u.SerialNumber, u.PartNumber, u.Relation, u.WorkOrderNumber, u.BatchNumber)),
            "No affected unit was scrapped.");

        if (counts.Cancelled > 0)
        {
            pdf.Heading($"Cancelled ({N(counts.Cancelled)})");
            pdf.Table(
                [new("Unit", 1.5, KeepWhole: true), new("Part", 1), new("Relation", 0.9, KeepWhole: true), new("Work order", 1, KeepWhole: true), new("Batch", 0.9)],
                Of(report, SerialStages.Cancelled).Select(u => Cells(u.SerialNumber, u.PartNumber, u.Relation, u.WorkOrderNumber, u.BatchNumber)));
        }

        if (report.LicensePlates.Count > 0)
        {
            pdf.Heading("License plates");
            pdf.Table(
                [new("License plate", 1.2, KeepWhole: true), new("Part", 1), new("Quantity", 0.8, AlignRight: true), new("Location", 1.2), new("QA status", 0.8), new("Holds", 1.2, KeepWhole: true)],
                report.LicensePlates.Select(p => Cells(p.Number, p.PartNumber, $"{p.Quantity.ToString("0.###", CultureInfo.InvariantCulture)} {p.Uom}", p.Location, p.QaStatus, Join(p.Holds))));
        }

        pdf.Heading("Work orders and batches");
        pdf.Table(
            [new("Kind", 0.8), new("Number", 1.2), new("Part", 1.1), new("Affected units", 0.8, AlignRight: true), new("Active holds", 1.6)],
            report.WorkOrders.Select(w => Cells("Work order", w.Number, w.PartNumber, N(w.Units), Join(w.Holds)))
                .Concat(report.Batches.Select(b => Cells("Batch", b.Number, b.PartNumber, N(b.Units), Join(b.Holds)))),
            "The affected units belong to no work order or batch.");

        pdf.Heading("Active holds involved");
        pdf.Table(
            [new("Hold", 1.8, KeepWhole: true), new("Priority", 0.7), new("Type", 0.9), new("On", 1.5), new("Held at (UTC)", 1.2), new("Reason", 2.0)],
            report.Holds.Select(h => Cells(h.HoldNumber, h.Priority, HoldTypes.Label(h.HoldType), $"{ReferenceTypes.Label(h.ReferenceType)} {h.ReferenceDisplay}",
                h.HeldAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), h.Reason)),
            "No active hold names an affected unit, work order, batch or license plate.");

        pdf.Heading("Certificates involved");
        pdf.Table(
            [new("Certificate", 1.3, KeepWhole: true), new("Type", 0.8), new("Issuer", 2), new("Affected units it reaches", 1.2, AlignRight: true)],
            report.Certificates.Select(c => Cells(c.Number, c.Type, c.Issuer, N(c.Units))),
            "No certificate is attached to an affected unit or to a unit it came from.");

        return pdf.ToBytes();
    }

    /// <summary>
    /// One table, so every line has the same fields (RFC 4180): a <c>record</c> column says what the line is (origin,
    /// unit, license_plate, work_order, batch, hold, certificate); units come grouped by status as in the PDF.
    /// </summary>
    public static byte[] RenderCsv(ImpactReport report)
    {
        var csv = new CsvTable("record", "number", "part", "status", "step", "used_in", "work_order", "batch", "relation", "holds", "certificates", "detail");
        var origin = report.Origin;
        csv.Row("origin", origin.Number, null, origin.Type, null, null, null, null, report.IncludeBackward ? "forward and backward" : "forward", null, null, origin.Description);
        foreach (var status in SerialStages.All)
        {
            foreach (var u in Of(report, status))
            {
                csv.Row("unit", u.SerialNumber, u.PartNumber, u.Status, u.Step ?? StepText(u.StepIndex), u.UsedInNumber, u.WorkOrderNumber, u.BatchNumber, u.Relation,
                    string.Join("; ", u.Holds), string.Join("; ", u.Certificates), null);
            }
        }
        foreach (var p in report.LicensePlates)
        {
            csv.Row("license_plate", p.Number, p.PartNumber, p.QaStatus, null, null, null, null, ImpactRelations.Origin, string.Join("; ", p.Holds), null,
                $"{p.Quantity.ToString("0.###", CultureInfo.InvariantCulture)} {p.Uom}{(p.Location is null ? "" : $" at {p.Location}")}");
        }
        foreach (var w in report.WorkOrders)
        {
            csv.Row("work_order", w.Number, w.PartNumber, null, null, null, null, null, null, string.Join("; ", w.Holds), null, $"{N(w.Units)} affected units");
        }
        foreach (var b in report.Batches)
        {
            csv.Row("batch", b.Number, b.PartNumber, null, null, null, null, null, null, string.Join("; ", b.Holds), null, $"{N(b.Units)} affected units");
        }
        foreach (var h in report.Holds)
        {
            csv.Row("hold", h.HoldNumber, null, h.Priority, null, null, h.ReferenceType == ReferenceTypes.WorkOrder ? h.ReferenceDisplay : null,
                h.ReferenceType == ReferenceTypes.Batch ? h.ReferenceDisplay : null, null, null, null,
                $"{HoldTypes.Label(h.HoldType)} on {ReferenceTypes.Label(h.ReferenceType).ToLowerInvariant()} {h.ReferenceDisplay}, held {h.HeldAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC: {h.Reason}");
        }
        foreach (var c in report.Certificates)
        {
            csv.Row("certificate", c.Number, null, c.Type, null, null, null, null, null, null, null, $"{c.Issuer}; reaches {N(c.Units)} affected units");
        }
        return csv.ToBytes();
    }

    private static IEnumerable<ImpactUnitDto> Of(ImpactReport report, string status) =>
        report.Units.Where(u => u.Status == status).OrderBy(u => u.SerialNumber, StringComparer.Ordinal);

    private static IReadOnlyList<string?> Cells(params string?[] cells) => cells;

    private static string Join(IReadOnlyList<string> items) => string.Join(", ", items);

    private static string? StepText(int? index) => index is { } i ? $"step {(i + 1).ToString(CultureInfo.InvariantCulture)}" : null;

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
