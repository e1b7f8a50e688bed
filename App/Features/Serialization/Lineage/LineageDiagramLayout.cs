using Operator.Features.Serials;
namespace Operator.Features.Serialization;

/// <summary>One unit's box in the diagram: its place (top-left corner and size, in diagram units) and what it says.</summary>
public sealed record DiagramNode(
    Guid Id, string SerialNumber, string PartNumber, string Stage, int Column, bool IsUnit, UnitHold? Hold, int HoldCount,
    double X, double Y, double Width, double Height);

/// <summary>A link drawn from the unit that went in (left) to the unit it went into (right).</summary>
public sealed record DiagramEdge(
    Guid FromId, Guid ToId, string LinkType, string OperationCode, int RoutingSequence, double X1, double Y1, double X2, double Y2, bool LabelAtStart);

public sealed record DiagramLayout(IReadOnlyList<DiagramNode> Nodes, IReadOnlyList<DiagramEdge> Edges, double Width, double Height);

/// <summary>
/// Places the genealogy as a layered tree: the unit in the middle column, ancestors one column further left per level,
/// descendants one further right. Rows come from the tree the lineage describes (each relative hangs under its
/// <c>parentId</c>): every leaf gets a row of its own, a unit sits midway between its first and last child, so each
/// subtree owns a band of rows no other subtree enters and boxes never overlap, whatever the size.
/// </summary>
public static class LineageDiagramLayout
{
    public const double NodeHeight = 58;
    public const double RowPitch = 70;
    public const double ColumnGap = 124;
    public const double Margin = 16;
    public const double MinWidth = 150;
    public const double MaxWidth = 340;
    public const double Padding = 10;
    // Widths of one character of the node text (13px monospace number, 11.5px sans-serif lines), generous so text fits.
    public const double NumberCharWidth = 8;
    public const double LineCharWidth = 6.6;

    public static DiagramLayout Build(LineageView view, bool ancestors, bool descendants)
    {
        var lineage = view.Lineage;
        var unit = lineage.Serial;
        var sides = new List<(IReadOnlyList<LineageNodeDto> Nodes, int Sign)>();
        if (ancestors) sides.Add((lineage.Ancestors, -1));
        if (descendants) sides.Add((lineage.Descendants, 1));

        // Rows per side, relative to the side's first leaf; then both sides are shifted so the unit sits on one row.
        var placed = new List<(LineageNodeDto Node, int Sign, double Row)>();
        var shifts = new List<(int Sign, double UnitRow, double Rows)>();
        foreach (var (nodes, sign) in sides)
        {
            var rows = new Dictionary<Guid, double>();
            var children = nodes.GroupBy(n => n.ParentId).ToDictionary(g => g.Key, g => g.OrderBy(n => n.SerialNumber, StringComparer.Ordinal).ToList());
            var seen = new HashSet<Guid> { unit.Id };
            var next = 0.0;
            double Place(Guid id)
            {
                var kids = (children.GetValueOrDefault(id) ?? []).Where(k => seen.Add(k.Id)).ToList();
                if (kids.Count == 0) return next++;
                var first = 0.0;
                var last = 0.0;
                for (var i = 0; i < kids.Count; i++)
                {
                    var row = Place(kids[i].Id);
                    rows[kids[i].Id] = row;
                    if (i == 0) first = row;
                    last = row;
                }
                return (first + last) / 2;
            }
            var unitRow = Place(unit.Id);
            // A relative whose parent is not in the list (data written around the API) still gets a row of its own.
            foreach (var orphan in nodes.Where(n => !rows.ContainsKey(n.Id) && seen.Add(n.Id)))
            {
                rows[orphan.Id] = next++;
            }
            placed.AddRange(nodes.Where(n => rows.ContainsKey(n.Id)).Select(n => (n, sign, rows[n.Id])));
            shifts.Add((sign, unitRow, Math.Max(next, 1)));
        }
        var centre = shifts.Count == 0 ? 0 : shifts.Max(s => s.UnitRow);
        double Shift(int sign) => shifts.Where(s => s.Sign == sign).Select(s => centre - s.UnitRow).FirstOrDefault();
        var totalRows = shifts.Count == 0 ? 1 : shifts.Max(s => centre - s.UnitRow + s.Rows);

        // Columns: -depth for ancestors, +depth for descendants; each as wide as its longest text needs (within bounds).
        var unitFacts = view.FactsOf(unit.Id);
        var entries = placed.Select(p => (p.Node.Id, p.Node.SerialNumber, p.Node.PartNumber, Column: p.Sign * p.Node.Depth, Row: p.Row + Shift(p.Sign), Facts: view.FactsOf(p.Node.Id)))
            .Prepend((unit.Id, unit.SerialNumber, unit.PartNumber, Column: 0, Row: centre, Facts: unitFacts))
            .ToList();
        var widths = entries.GroupBy(e => e.Column).ToDictionary(g => g.Key, g => g.Max(e => TextWidth(e.SerialNumber, e.PartNumber, e.Facts)));
        var lefts = new Dictionary<int, double>();
        var x = Margin;
        foreach (var column in widths.Keys.Order())
        {
            lefts[column] = x;
            x += widths[column] + ColumnGap;
        }
        var width = x - ColumnGap + Margin;

        var boxes = entries.Select(e =>
        {
            var holds = e.Facts?.Holds ?? [];
            return new DiagramNode(e.Id, e.SerialNumber, e.PartNumber, e.Facts?.Stage ?? SerialStages.InProgress, e.Column, e.Id == unit.Id,
                holds.Count > 0 ? holds[0] : null, holds.Count, lefts[e.Column], Margin + e.Row * RowPitch, widths[e.Column], NodeHeight);
        }).ToList();
        var byId = boxes.ToDictionary(b => b.Id);

        var edges = new List<DiagramEdge>();
        foreach (var (node, sign, _) in placed)
        {
            if (!byId.TryGetValue(node.ParentId, out var parent)) continue;
            var box = byId[node.Id];
            // Material flows left to right: an ancestor went into its parent, a descendant came out of its parent.
            var (from, to) = sign < 0 ? (box, parent) : (parent, box);
            edges.Add(new DiagramEdge(from.Id, to.Id, node.LinkType, node.OperationCode, node.RoutingSequence,
                from.X + from.Width, from.Y + NodeHeight / 2, to.X, to.Y + NodeHeight / 2, LabelAtStart: sign < 0));
        }
        return new DiagramLayout(boxes, edges, width, Margin * 2 + (totalRows - 1) * RowPitch + NodeHeight);
    }

    /// <summary>The second line of a box: the part and the stage's words.</summary>
    public static string Subtitle(string partNumber, string stage) => $"{partNumber} · {SerialStages.Label(stage)}";

    /// <summary>The third line of a held box: the first active hold's number, and how many more there are.</summary>
    public static string HoldLine(UnitHold hold, int count) => count > 1 ? $"on hold {hold.HoldNumber} +{count - 1}" : $"on hold {hold.HoldNumber}";

    private static double TextWidth(string number, string part, UnitFacts? facts)
    {
        var stage = facts?.Stage ?? SerialStages.InProgress;
        var holds = facts?.Holds ?? [];
        var lines = Math.Max(Subtitle(part, stage).Length, holds.Count > 0 ? HoldLine(holds[0], holds.Count).Length : 0);
        var needed = Math.Max(number.Length * NumberCharWidth, lines * LineCharWidth) + 2 * Padding;
        return Math.Clamp(Math.Ceiling(needed), MinWidth, MaxWidth);
    }

    /// <summary>The most characters of a line that fit a box of the given width (the rest is cut with an ellipsis; the tooltip has it whole).</summary>
    public static string Fit(string text, double boxWidth, double charWidth)
    {
        var max = (int)((boxWidth - 2 * Padding) / charWidth);
        return text.Length <= max ? text : text[..Math.Max(max - 1, 1)] + "…";
    }
}

/// <summary>
/// The diagram's SVG content (boxes, links, labels) as markup: built here rather than in Razor because Razor reads
/// &lt;text&gt; as its own tag, and one markup block keeps a 500-unit diagram cheap for the circuit. Every text is encoded.
/// </summary>
public static class LineageDiagramSvg
{
    public static string Content(DiagramLayout layout, string linkQuery = "")
    {
        var sb = new System.Text.StringBuilder(4096 + layout.Nodes.Count * 900);
        sb.Append("""<defs><marker id="op-lg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="op-lg-arrowhead"/></marker></defs>""");
        foreach (var e in layout.Edges)
        {
            var bend = Math.Max((e.X2 - e.X1) / 2, 20);
            var kind = LinkClass(e.LinkType);
            sb.Append($"""<g class="op-lg-link op-lg-link-{kind}" data-testid="lineage-diagram-edge" data-from="{e.FromId}" data-to="{e.ToId}" data-type="{Enc(e.LinkType)}">""");
            sb.Append($"""<title>{Enc(SerializationLabels.LinkType(e.LinkType))} at {Enc(e.OperationCode)} (seq. {e.RoutingSequence})</title>""");
            sb.Append($"""<path d="M {N(e.X1)} {N(e.Y1)} C {N(e.X1 + bend)} {N(e.Y1)}, {N(e.X2 - bend)} {N(e.Y2)}, {N(e.X2)} {N(e.Y2)}" marker-end="url(#op-lg-arrow)"/>""");
            // The label sits beside the box farther from the unit, on that box's row: rows never share a y, so labels never overlap.
            var (lx, ly, anchor) = e.LabelAtStart ? (e.X1 + 6, e.Y1 - 6, "start") : (e.X2 - 10, e.Y2 - 6, "end");
            sb.Append($"""<text x="{N(lx)}" y="{N(ly)}" text-anchor="{anchor}" class="op-lg-link-label">{Enc(KindLabel(e.LinkType))}</text></g>""");
        }
        foreach (var n in layout.Nodes)
        {
            var classes = $"op-lg-node op-lg-{n.Stage.Replace('_', '-')}{(n.Hold is null ? "" : " op-lg-held")}{(n.IsUnit ? " op-lg-unit" : "")}";
            sb.Append($"""<g class="{classes}" data-testid="lineage-diagram-node" data-serial="{Enc(n.SerialNumber)}" data-stage="{n.Stage}" data-column="{n.Column}">""");
            var tip = $"{n.SerialNumber} · {LineageDiagramLayout.Subtitle(n.PartNumber, n.Stage)}{(n.Hold is { } h ? $" · on hold {h.HoldNumber}: {h.Reason}" : "")}";
            sb.Append($"""<title>{Enc(tip)}</title>""");
            sb.Append($"""<rect x="{N(n.X)}" y="{N(n.Y)}" width="{N(n.Width)}" height="{N(n.Height)}" rx="8" ry="8"/>""");
            var left = n.X + LineageDiagramLayout.Padding;
            var number = Enc(LineageDiagramLayout.Fit(n.SerialNumber, n.Width, LineageDiagramLayout.NumberCharWidth));
            if (n.IsUnit)
            {
                sb.Append($"""<text x="{N(left)}" y="{N(n.Y + 19)}" class="op-lg-number">{number}</text>""");
            }
            else
            {
                sb.Append($"""<a href="/lineage/{n.Id}{Enc(linkQuery)}" data-testid="lineage-diagram-node-link"><text x="{N(left)}" y="{N(n.Y + 19)}" class="op-lg-number">{number}</text></a>""");
            }
            sb.Append($"""<text x="{N(left)}" y="{N(n.Y + 36)}" class="op-lg-line">{Enc(LineageDiagramLayout.Fit(LineageDiagramLayout.Subtitle(n.PartNumber, n.Stage), n.Width, LineageDiagramLayout.LineCharWidth))}</text>""");
            if (n.Hold is { } hold)
            {
                sb.Append($"""<text x="{N(left)}" y="{N(n.Y + 52)}" class="op-lg-hold" data-testid="lineage-diagram-hold">{Enc(LineageDiagramLayout.Fit(LineageDiagramLayout.HoldLine(hold, n.HoldCount), n.Width, LineageDiagramLayout.LineCharWidth))}</text>""");
            }
            sb.Append("</g>");
        }
        return sb.ToString();
    }

    public static string LinkClass(string linkType) => linkType.ToLowerInvariant().Replace('_', '-');

    public static string KindLabel(string linkType) => linkType switch
    {
        LinkTypes.Split => "split",
        LinkTypes.Merge => "merge",
        LinkTypes.Transformation => "transformation",
        LinkTypes.PassThrough => "pass-through",
        _ => linkType.ToLowerInvariant(),
    };

    private static string N(double value) => value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string Enc(string text) => System.Net.WebUtility.HtmlEncode(text);
}
