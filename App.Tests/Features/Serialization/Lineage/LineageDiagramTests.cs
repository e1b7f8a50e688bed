using Operator.Features.Serials;
using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Operator.Features.Serialization;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serialization;

/// <summary>The lineage diagram rendered with bunit from genealogies built in memory: what each box says, its colours, its links, and the layout at 500 relatives.</summary>
public sealed class LineageDiagramTests : PageTest
{
    private static readonly DateTime At = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_small_genealogy_draws_every_unit_coloured_by_stage_with_the_held_outline_and_links_to_each_unit()
    {
        var unit = Unit("SN-UNIT");
        var a1 = Node("SN-A1", 1, unit.Id, LinkTypes.Merge);
        var a2 = Node("SN-A2", 1, unit.Id, LinkTypes.Transformation);
        var a3 = Node("SN-A3", 2, a1.Id, LinkTypes.Split);
        var d1 = Node("SN-D1", 1, unit.Id, LinkTypes.Split);
        var d2 = Node("SN-D2", 1, unit.Id, LinkTypes.PassThrough);
        var hold = new UnitHold(Guid.NewGuid(), "QH-20260301-0007", "HIGH", "Suspect coating", "wo", "WO-00042");
        var view = View(unit, [a1, a2, a3], [d1, d2], new()
        {
            [unit.Id] = Facts(unit.Id, SerialStages.InProgress),
            [a1.Id] = Facts(a1.Id, SerialStages.Consumed),
            [a2.Id] = Facts(a2.Id, SerialStages.Completed),
            [a3.Id] = Facts(a3.Id, SerialStages.Scrapped),
            [d1.Id] = Facts(d1.Id, SerialStages.Cancelled),
            [d2.Id] = Facts(d2.Id, SerialStages.InProgress, hold),
        });

        var diagram = Render<LineageDiagram>(p => p.Add(x => x.View, view));

        var nodes = Nodes(diagram);
        Assert.Equal(6, nodes.Count);
        Assert.Equal(
            ["SN-A1 op-lg-consumed", "SN-A2 op-lg-completed", "SN-A3 op-lg-scrapped", "SN-D1 op-lg-cancelled", "SN-D2 op-lg-in-progress", "SN-UNIT op-lg-in-progress"],
            nodes.Select(n => $"{n.GetAttribute("data-serial")} {StageClass(n)}").Order(StringComparer.Ordinal));
        // Only the held unit has the red outline, and it names its hold.
        Assert.Equal(["SN-D2"], nodes.Where(n => n.ClassList.Contains("op-lg-held")).Select(n => n.GetAttribute("data-serial")));
        Assert.Equal(["on hold QH-20260301-0007"], diagram.FindAll("[data-testid='lineage-diagram-hold']").Select(h => h.TextContent));
        Assert.Contains("Suspect coating", Node(diagram, "SN-D2").QuerySelector("title")!.TextContent);
        Assert.True(Node(diagram, "SN-UNIT").ClassList.Contains("op-lg-unit"));

        // Every relative links to its own lineage; the unit itself does not link to the page it is on.
        Assert.Equal($"/lineage/{a3.Id}", Node(diagram, "SN-A3").QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal($"/lineage/{d1.Id}", Node(diagram, "SN-D1").QuerySelector("a")!.GetAttribute("href"));
        Assert.Null(Node(diagram, "SN-UNIT").QuerySelector("a"));
        Assert.Equal("SN-D2", Node(diagram, "SN-D2").QuerySelector("a .op-lg-number")!.TextContent);

        // Ancestors to the left by depth, descendants to the right.
        Assert.True(Box(Node(diagram, "SN-A3")).X < Box(Node(diagram, "SN-A1")).X);
        Assert.True(Box(Node(diagram, "SN-A1")).X < Box(Node(diagram, "SN-UNIT")).X);
        Assert.True(Box(Node(diagram, "SN-UNIT")).X < Box(Node(diagram, "SN-D1")).X);
        Assert.Equal(Box(Node(diagram, "SN-A1")).X, Box(Node(diagram, "SN-A2")).X);

        // Links run from what went in to what came out, and say their kind.
        var edges = diagram.FindAll("[data-testid='lineage-diagram-edge']")
            .Select(e => $"{e.GetAttribute("data-from")}>{e.GetAttribute("data-to")} {e.QuerySelector("text")!.TextContent}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[]
        {
            $"{a1.Id}>{unit.Id} merge", $"{a2.Id}>{unit.Id} transformation", $"{a3.Id}>{a1.Id} split",
            $"{unit.Id}>{d1.Id} split", $"{unit.Id}>{d2.Id} pass-through",
        }.Order(StringComparer.Ordinal), edges);

        // The legend names the five stages and the hold outline.
        var legend = diagram.Find("[data-testid='lineage-diagram-legend']").TextContent;
        foreach (var words in new[] { "In progress", "Completed", "Used in an assembly", "Scrapped", "Cancelled", "On hold" })
        {
            Assert.Contains(words, legend);
        }
    }

    [Fact]
    public void Zoom_resizes_the_drawing_and_one_direction_draws_only_its_side()
    {
        var unit = Unit("SN-UNIT");
        var a1 = Node("SN-A1", 1, unit.Id, LinkTypes.Merge);
        var d1 = Node("SN-D1", 1, unit.Id, LinkTypes.Split);
        var view = View(unit, [a1], [d1], []);
        var diagram = Render<LineageDiagram>(p => p.Add(x => x.View, view));
        var svg = diagram.Find("[data-testid='lineage-diagram-svg']");
        var viewBox = svg.GetAttribute("viewBox")!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(viewBox[2], Number(svg, "width"));
        Assert.Equal("100 %", diagram.Find("[data-testid='lineage-diagram-zoom']").TextContent.Trim());

        diagram.Find("[data-testid='lineage-diagram-zoom-in']").Click();
        svg = diagram.Find("[data-testid='lineage-diagram-svg']");
        Assert.Equal(viewBox[2] * 1.25, Number(svg, "width"), 0.1);
        Assert.Equal(viewBox[3] * 1.25, Number(svg, "height"), 0.1);
        diagram.Find("[data-testid='lineage-diagram-zoom-out']").Click();
        diagram.Find("[data-testid='lineage-diagram-zoom-out']").Click();
        Assert.Equal(viewBox[2] * 0.75, Number(diagram.Find("[data-testid='lineage-diagram-svg']"), "width"), 0.1);
        Assert.Equal("75 %", diagram.Find("[data-testid='lineage-diagram-zoom']").TextContent.Trim());

        diagram.Render(p => p.Add(x => x.Ancestors, false));
        Assert.Equal(["SN-D1", "SN-UNIT"], Nodes(diagram).Select(n => n.GetAttribute("data-serial")).Order(StringComparer.Ordinal));
        diagram.Render(p => p.Add(x => x.Ancestors, true).Add(x => x.Descendants, false));
        Assert.Equal(["SN-A1", "SN-UNIT"], Nodes(diagram).Select(n => n.GetAttribute("data-serial")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Five_hundred_relatives_are_all_drawn_without_one_box_overlapping_another()
    {
        // A genealogy of every shape at once: a fan of 150 children, a chain 60 levels deep, and a bushy tree, on both sides.
        var unit = Unit("SN-UNIT");
        var ancestors = new List<LineageNodeDto>();
        var descendants = new List<LineageNodeDto>();
        var n = 0;
        LineageNodeDto Add(List<LineageNodeDto> side, int depth, Guid parent, string type)
        {
            var node = Node($"SN-{++n:00000}", depth, parent, type);
            side.Add(node);
            return node;
        }
        for (var i = 0; i < 150; i++) Add(descendants, 1, unit.Id, LinkTypes.Split);
        var link = unit.Id;
        for (var depth = 1; depth <= 60; depth++) link = Add(ancestors, depth, link, LinkTypes.Transformation).Id;
        var level = new List<LineageNodeDto> { Add(ancestors, 1, unit.Id, LinkTypes.Merge) };
        for (var depth = 2; ancestors.Count < 250; depth++)
        {
            level = level.SelectMany(p => Enumerable.Range(0, 3).Select(_ => ancestors.Count < 250 ? Add(ancestors, depth, p.Id, LinkTypes.Merge) : null))
                .OfType<LineageNodeDto>().ToList();
        }
        level = [descendants[0]];
        for (var depth = 2; descendants.Count < 250; depth++)
        {
            level = level.SelectMany(p => Enumerable.Range(0, 4).Select(_ => descendants.Count < 250 ? Add(descendants, depth, p.Id, LinkTypes.PassThrough) : null))
                .OfType<LineageNodeDto>().ToList();
        }
        var held = new UnitHold(Guid.NewGuid(), "QH-20260301-0001", "HIGH", "Suspect lot", "batch", "B-1");
        var facts = ancestors.Concat(descendants).Where((_, i) => i % 7 == 0).ToDictionary(r => r.Id, r => Facts(r.Id, SerialStages.Completed, held));
        var view = View(unit, ancestors, descendants, facts);
        Assert.Equal(500, ancestors.Count + descendants.Count);

        var diagram = Render<LineageDiagram>(p => p.Add(x => x.View, view));

        var nodes = Nodes(diagram);
        Assert.Equal(501, nodes.Count);
        Assert.Equal(ancestors.Concat(descendants).Select(r => r.SerialNumber).Append("SN-UNIT").Order(StringComparer.Ordinal),
            nodes.Select(e => e.GetAttribute("data-serial")).Order(StringComparer.Ordinal));
        Assert.Equal(500, diagram.FindAll("[data-testid='lineage-diagram-edge']").Count);
        Assert.Equal(facts.Count, nodes.Count(e => e.ClassList.Contains("op-lg-held")));

        var svg = diagram.Find("[data-testid='lineage-diagram-svg']");
        var (width, height) = (Number(svg, "width"), Number(svg, "height"));
        var boxes = nodes.Select(e => (Serial: e.GetAttribute("data-serial"), Box: Box(e))).OrderBy(b => b.Box.X).ThenBy(b => b.Box.Y).ToList();
        foreach (var (serial, box) in boxes)
        {
            Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.W <= width && box.Y + box.H <= height, $"{serial} lies outside the drawing");
        }
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i].Box, boxes[j].Box);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"{boxes[i].Serial} overlaps {boxes[j].Serial}");
            }
        }
        // Text stays at its readable size: the drawing grows (and scrolls) instead of shrinking to fit.
        Assert.True(height > 150 * LineageDiagramLayout.RowPitch);
        Assert.True(width > 60 * LineageDiagramLayout.ColumnGap);
    }

    [Fact]
    public void Serial_numbers_and_parts_are_written_as_text_never_as_markup()
    {
        var unit = Unit("SN-<b>1</b>");
        var a1 = Node("SN-A1&<script>", 1, unit.Id, LinkTypes.Merge);
        var diagram = Render<LineageDiagram>(p => p.Add(x => x.View, View(unit, [a1], [], [])));
        Assert.Empty(diagram.FindAll("script"));
        Assert.Empty(diagram.FindAll("svg b"));
        Assert.Equal("SN-A1&<script>", Node(diagram, "SN-A1&<script>").QuerySelector(".op-lg-number")!.TextContent);
    }

    private static LineageSerialDto Unit(string number) => new(Guid.NewGuid(), number, Guid.Empty, "P-100", "active");

    private static LineageNodeDto Node(string number, int depth, Guid parent, string type) =>
        new(Guid.NewGuid(), number, Guid.Empty, "P-100", "active", depth, parent, Guid.NewGuid(), type, "OP-10", 10, At);

    private static UnitFacts Facts(Guid id, string stage, UnitHold? hold = null) =>
        new(id, null, null, null, At, [], hold is null ? [] : [hold], Stage: stage);

    private static LineageView View(LineageSerialDto unit, IReadOnlyList<LineageNodeDto> ancestors, IReadOnlyList<LineageNodeDto> descendants, Dictionary<Guid, UnitFacts> facts) =>
        new(new LineageDto(unit, ancestors, descendants, []), facts);

    private static IReadOnlyList<IElement> Nodes(IRenderedComponent<LineageDiagram> diagram) => diagram.FindAll("[data-testid='lineage-diagram-node']");

    private static IElement Node(IRenderedComponent<LineageDiagram> diagram, string serial) =>
        Nodes(diagram).Single(n => n.GetAttribute("data-serial") == serial);

    private static string StageClass(IElement node) => node.ClassList.Single(c => c.StartsWith("op-lg-", StringComparison.Ordinal) && c is not ("op-lg-node" or "op-lg-held" or "op-lg-unit"));

    private static (double X, double Y, double W, double H) Box(IElement node)
    {
        var rect = node.QuerySelector("rect")!;
        return (Number(rect, "x"), Number(rect, "y"), Number(rect, "width"), Number(rect, "height"));
    }

    private static double Number(IElement element, string attribute) => double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);
}
