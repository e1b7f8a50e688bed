using System.Globalization;
using Operator.Features.Reports;
using PdfSharp.Drawing;

namespace Operator.Features.Serialization;

/// <summary>
/// The printed lineage a customer can receive: the unit, the tree of what went into it and of where it went (indented by
/// level, continued across pages under a repeated column header), the roll-up of every certificate attached along the
/// tree (number, type, issuer, unit and step), the active holds on units of the tree, and the unit's own propagation
/// history; "Page x of y" on every page.
/// </summary>
public static class LineageReport
{
    // Indentation shows the first levels of the tree; deeper levels keep the last indent (the Level column says how deep).
    private const double Indent = 7;
    private const int MaxIndentLevels = 8;

    public static byte[] Render(LineageView view, string organizationName, DateTime generatedAtUtc)
    {
        var lineage = view.Lineage;
        var unit = lineage.Serial;
        var facts = view.FactsOf(unit.Id);
        using var pdf = new PdfReport("Serial lineage report", organizationName, generatedAtUtc, $"Lineage of {unit.SerialNumber}");
        pdf.Title($"Lineage of {unit.SerialNumber}");
        var certificates = view.Units.Values.Sum(u => u.Certificates.Count);
        var heldUnits = view.Units.Values.Count(u => u.Holds.Count > 0);
        pdf.Facts(
        [
            ("Serial number", unit.SerialNumber),
            ("Part", unit.PartNumber),
            ("Status", unit.Status),
            ("Work order", facts?.WorkOrderNumber),
            ("Batch", facts?.BatchNumber),
            ("Site", facts?.SiteId),
            ("Created", facts is null ? null : PdfReport.FormatTime(facts.CreatedAt)),
            ("Ancestors", Count(lineage.Ancestors.Count, "unit")),
            ("Descendants", Count(lineage.Descendants.Count, "unit")),
            ("Certificates", Count(certificates, "attachment")),
            ("Units on hold", heldUnits == 0 ? "None" : Count(heldUnits, "unit")),
        ]);

        pdf.Heading("What went into this unit (ancestors)");
        Tree(pdf, view, lineage.Ancestors, "No units are recorded as having gone into this unit.");

        pdf.Heading("Where this unit went (descendants)");
        Tree(pdf, view, lineage.Descendants, "This unit is not recorded as having gone into any other unit.");

        pdf.Heading("Certificate roll-up");
        var numbers = Order(view, lineage).ToDictionary(n => n.Id, n => n.SerialNumber);
        pdf.Table(
            [new("Certificate", 1.3), new("Type", 0.7), new("Issuer", 1.4), new("Unit", 1.3), new("Step", 1.1), new("Attached (UTC)", 1.2)],
            Order(view, lineage)
                .SelectMany(n => (view.FactsOf(n.Id)?.Certificates ?? []).Select(c => (Unit: n.SerialNumber, Cert: c)))
                .OrderBy(x => x.Cert.Number, StringComparer.Ordinal).ThenBy(x => x.Unit, StringComparer.Ordinal)
                .Select(x => (IReadOnlyList<string?>)[x.Cert.Number, x.Cert.Type, x.Cert.Issuer, x.Unit, x.Cert.StepName, Compact(x.Cert.AttachedAt)]),
            "No certificates are attached to any unit of this lineage.");

        pdf.Heading("Holds");
        pdf.Table(
            [new("Unit", 1.3), new("Hold", 1.6), new("Priority", 0.7), new("On", 1.4), new("Reason", 2.8)],
            Order(view, lineage)
                .SelectMany(n => (view.FactsOf(n.Id)?.Holds ?? []).Select(h => (IReadOnlyList<string?>)
                    [n.SerialNumber, h.HoldNumber, h.Priority, $"{(h.ReferenceType == "wo" ? "Work order" : "Batch")} {h.ReferenceDisplay}", h.Reason])),
            "No active holds on any unit of this lineage.");

        pdf.Heading("Scrapped units");
        pdf.Table(
            [new("Unit", 1.3), new("Reason code", 1.2), new("Reason", 4)],
            Order(view, lineage)
                .Where(n => view.FactsOf(n.Id)?.Scrap is not null)
                .Select(n => (IReadOnlyList<string?>)[n.SerialNumber, view.FactsOf(n.Id)!.Scrap!.Code ?? "(none)", view.FactsOf(n.Id)!.Scrap!.Text]),
            "No unit of this lineage is scrapped.");

        pdf.Heading($"Propagation history of {unit.SerialNumber}");
        pdf.Table(
            [new("When (UTC)", 1.3), new("Type", 1.6), new("Operation", 1), new("Seq.", 0.5, AlignRight: true), new("From", 1.3), new("Into", 1.3), new("Qty", 0.45, AlignRight: true)],
            lineage.PropagationHistory.Select(h => (IReadOnlyList<string?>)
            [
                Compact(h.PerformedAt), h.PropagationType, h.OperationCode, h.RoutingSequence.ToString(CultureInfo.InvariantCulture),
                numbers.GetValueOrDefault(h.SourceSerialId, h.SourceSerialId.ToString()),
                h.TargetSerialId is { } t ? numbers.GetValueOrDefault(t, t.ToString()) : "(passed through)",
                h.Quantity.ToString("0.###", CultureInfo.InvariantCulture),
            ]),
            "This unit took part in no propagation.");

        return pdf.ToBytes();
    }

    private sealed record Row(Guid Id, string SerialNumber, string PartNumber, string Status, int Depth, string? Link, string? Operation, DateTime? At);

    /// <summary>The unit followed by every ancestor and descendant, each once.</summary>
    private static IEnumerable<(Guid Id, string SerialNumber)> Order(LineageView view, LineageDto lineage) =>
        new[] { (lineage.Serial.Id, lineage.Serial.SerialNumber) }
            .Concat(lineage.Ancestors.Select(a => (a.Id, a.SerialNumber)))
            .Concat(lineage.Descendants.Select(d => (d.Id, d.SerialNumber)));

    /// <summary>
    /// The unit and, under it, each node under its parent (depth-first, children by serial number), indented by level.
    /// Rows are drawn one line each; a page break repeats the column header.
    /// </summary>
    private static void Tree(PdfReport pdf, LineageView view, IReadOnlyList<LineageNodeDto> nodes, string emptyText)
    {
        if (nodes.Count == 0)
        {
            pdf.Paragraph(emptyText, pdf.Regular, XBrushes.DimGray);
            return;
        }
        var unit = view.Lineage.Serial;
        var children = nodes.GroupBy(n => n.ParentId).ToDictionary(g => g.Key, g => g.OrderBy(n => n.SerialNumber, StringComparer.Ordinal).ToList());
        var rows = new List<Row> { new(unit.Id, unit.SerialNumber, unit.PartNumber, unit.Status, 0, "this unit", null, null) };
        var stack = new Stack<LineageNodeDto>(Enumerable.Reverse(children.GetValueOrDefault(unit.Id) ?? []));
        var seen = new HashSet<Guid> { unit.Id };
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node.Id)) continue;
            rows.Add(new Row(node.Id, node.SerialNumber, node.PartNumber, node.Status, node.Depth,
                node.LinkType, $"{node.OperationCode} #{node.RoutingSequence.ToString(CultureInfo.InvariantCulture)}", node.PerformedAt));
            foreach (var child in Enumerable.Reverse(children.GetValueOrDefault(node.Id) ?? [])) stack.Push(child);
        }

        var widths = new[] { 0.06, 0.29, 0.18, 0.15, 0.17, 0.15 }.Select(w => w * pdf.Width).ToArray();
        var headers = new[] { "Lvl", "Unit (part)", "Link", "Operation", "When (UTC)", "Status" };
        var line = PdfReport.LineHeight(pdf.Regular) + 2;
        var page = -1;
        foreach (var row in rows)
        {
            pdf.EnsureSpace(line * (page == pdf.PageCount ? 1 : 2));
            if (page != pdf.PageCount)
            {
                page = pdf.PageCount;
                DrawCells(pdf, widths, line, headers, pdf.Bold, 0, shade: true);
            }
            var held = (view.FactsOf(row.Id)?.Holds.Count ?? 0) > 0;
            var indent = Math.Min(row.Depth, MaxIndentLevels) * Indent;
            DrawCells(pdf, widths, line,
                [
                    row.Depth.ToString(CultureInfo.InvariantCulture), $"{(row.Depth == 0 ? "" : "· ")}{row.SerialNumber} ({row.PartNumber})", row.Link ?? "",
                    row.Operation ?? "", row.At is { } at ? Compact(at) : "", held ? $"{row.Status}, ON HOLD" : row.Status,
                ],
                row.Depth == 0 ? pdf.Bold : pdf.Regular, indent, shade: false, held ? XBrushes.DarkRed : XBrushes.Black);
        }
        pdf.Space(4);
    }

    private static void DrawCells(PdfReport pdf, double[] widths, double line, IReadOnlyList<string> cells, XFont font, double indent, bool shade,
        XBrush? brush = null)
    {
        var gfx = pdf.Graphics;
        if (shade) gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xE8, 0xED, 0xF2)), pdf.Left, pdf.Y, pdf.Width, line);
        var x = pdf.Left;
        for (var i = 0; i < cells.Count; i++)
        {
            var offset = i == 1 ? indent : 0;
            var room = widths[i] - offset - 6;
            gfx.DrawString(Fit(gfx, cells[i], font, room), font, i == cells.Count - 1 ? brush ?? XBrushes.Black : XBrushes.Black,
                new XRect(x + 3 + offset, pdf.Y + 1, room, line), XStringFormats.TopLeft);
            x += widths[i];
        }
        gfx.DrawLine(new XPen(XColors.LightGray, 0.4), pdf.Left, pdf.Y + line, pdf.Left + pdf.Width, pdf.Y + line);
        pdf.Space(line);
    }

    /// <summary>The text, cut with an ellipsis where it would overflow its cell.</summary>
    private static string Fit(XGraphics gfx, string text, XFont font, double width)
    {
        if (Width(gfx, text, font) <= width) return text;
        var ellipsis = Width(gfx, "…", font);
        var used = 0.0;
        var keep = 0;
        while (keep < text.Length && used + CharWidth(gfx, text[keep], font) + ellipsis <= width)
        {
            used += CharWidth(gfx, text[keep], font);
            keep++;
        }
        return text[..keep] + "…";
    }

    // PDFsharp measures a string as the sum of its glyphs' advance widths (no kerning), so widths per character, measured
    // once per font, give the same answer as MeasureString at a fraction of its cost: a 500-unit tree has 3,000 cells.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Font, double Size, bool Bold, char C), double> Widths = new();

    private static double CharWidth(XGraphics gfx, char c, XFont font) =>
        Widths.GetOrAdd((font.FontFamily.Name, font.Size, font.Bold, c), _ => gfx.MeasureString(c.ToString(), font).Width);

    private static double Width(XGraphics gfx, string text, XFont font)
    {
        var sum = 0.0;
        foreach (var c in text) sum += CharWidth(gfx, c, font);
        return sum;
    }

    /// <summary>"2025-02-09 10:30": the columns say UTC once, so the cells stay on one line.</summary>
    private static string Compact(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
