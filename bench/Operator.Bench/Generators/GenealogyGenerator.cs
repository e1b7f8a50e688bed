using Operator.Features.Serialization;
using Operator.Features.Serials;

namespace Operator.Bench.Generators;

/// <summary>
/// Serials with genealogies for the <c>lineage</c> load scenario, all in the first organization (<c>B001</c>, the
/// signed-in bench admin's): <c>--genealogy-serials</c> units in families whose link trees reach up to
/// <c>--genealogy-depth</c> levels, and one known probe unit with about 1,000 relatives (500 ancestors in 25 levels of
/// merges above it, 500 descendants in 25 levels of splits below it, so its lineage spans 50 levels). The probe family
/// is drawn from its own random stream, so the probe's id and relatives are the same whatever the size of the rest:
/// the scenario then measures the same lineage in a database of 10,000 or 1,000,000 serials. The probe's id is written
/// to <c>--genealogy-probe-file</c> for the scenario.
/// </summary>
/// <remarks>
/// Filler families: 2-200 units each; unit i hangs under unit i-1 (a chain) with a per-family probability, else under
/// a random earlier unit, never deeper than the depth limit; each edge is a SPLIT link, and about one unit in ten also
/// passed through an operation (a PASS_THROUGH link). The probe's ancestors are MERGE sources and so consumed ("used"),
/// as the app would record them.
/// </remarks>
public sealed class GenealogyGenerator : IGenerator
{
    public static readonly BenchOption Serials = new("genealogy-serials", "10000", "serials in genealogies in the first organization (lineage scenario); 0 = none");
    public static readonly BenchOption Depth = new("genealogy-depth", "50", "deepest genealogy level of the filler families");
    public static readonly BenchOption ProbeFile = new("genealogy-probe-file", "bench/out/lineage-probe.txt", "where to write the probe unit's id");

    private const int ProbeLevels = 25;
    private const int ProbeFanIn = 19;

    public string Name => "genealogy";
    public int Order => 250;
    public IReadOnlyList<BenchOption> Options => [Serials, Depth, ProbeFile];

    private sealed record Unit(Guid Id, string Number, int Level, bool Consumed);

    private sealed record Edge(int Source, int Target, string Type, string Operation, int Sequence);

    /// <summary>One family: its units (index 0 is the root, or the probe) and its links between them (target -1: pass-through).</summary>
    private sealed record Family(List<Unit> Units, List<Edge> Edges);

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var total = context.Args.Int(Serials);
        if (total == 0 || context.Organizations.Count == 0) return;
        var maxDepth = Math.Clamp(context.Args.Int(Depth), 1, LineageQueriesLimit);
        var master = context.Shared<MasterDataSet>().Organizations[0];
        if (master.Parts.Count == 0) throw new BenchUsageException("The genealogy generator needs parts (--parts-per-org at least 1).");
        var org = master.Organization;

        var probe = Probe(context);
        var fillerTarget = Math.Max(0, total - probe.Units.Count);
        var families = new List<int>();
        var sizes = context.RandomFor($"genealogy-sizes:{org.Code}");
        for (var left = fillerTarget; left > 0;)
        {
            var size = Math.Min(left, sizes.Next(2, 201));
            if (size == 1 && families.Count > 0) { families[^1]++; left--; continue; }
            families.Add(size);
            left -= size;
        }

        IEnumerable<(int Index, Family Family)> All()
        {
            yield return (-1, probe);
            for (var i = 0; i < families.Count; i++) yield return (i, Filler(context, i, families[i], maxDepth));
        }

        var now = context.Now;
        var parts = master.Parts;
        await context.InsertAsync("Serials (genealogy)", All().SelectMany(f => f.Family.Units.Select((u, n) =>
        {
            var created = now.AddDays(-30).AddMinutes(u.Level * 10 + (f.Index + 1) % 1000);
            return new Serial
            {
                Id = u.Id, OrganizationId = org.Id, SerialNumber = u.Number, PartId = parts[(Math.Max(0, f.Index) + n) % parts.Count].Id,
                Status = SerialStatus.InProgress, Consumed = u.Consumed, Origin = SerialOrigins.Generated, CreatedAt = created, UpdatedAt = created,
            };
        })), ct);

        var linkIds = context.IdsFor($"genealogy-links:{org.Code}");
        await context.InsertAsync("SerialLinks (genealogy)", All().SelectMany(f => f.Family.Edges.Select(e =>
        {
            var source = f.Family.Units[e.Source];
            var level = e.Target < 0 ? source.Level : f.Family.Units[e.Target].Level;
            var id = linkIds.Next();
            return new SerialLink
            {
                Id = id, OrganizationId = org.Id, GroupId = id, SourceSerialId = source.Id, TargetSerialId = e.Target < 0 ? null : f.Family.Units[e.Target].Id,
                Type = e.Type, OperationCode = e.Operation, RoutingSequence = e.Sequence, Quantity = 1,
                PartId = parts[(Math.Max(0, f.Index) + e.Source) % parts.Count].Id,
                CreatedAt = now.AddDays(-30).AddMinutes(level * 10 + 5),
            };
        })), ct);

        var file = context.Args.String(ProbeFile.Name, ProbeFile.Default)!;
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder) Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(file, $"{probe.Units[0].Id}\n{probe.Units[0].Number}\n", ct);
        GenerationContext.Log($"probe unit {probe.Units[0].Number} ({probe.Units[0].Id}) with {probe.Units.Count - 1} relatives; id written to {file}");
    }

    /// <summary>The walk limit of the app's lineage query; deeper filler would not be followed.</summary>
    private const int LineageQueriesLimit = 500;

    /// <summary>
    /// The probe (unit 0) and its 1,000 relatives: above it, level k (1..25) holds the chain unit A_k, merged into the
    /// level below together with 19 leaves; below it, level k holds D_k, split from the level above together with 19 leaves.
    /// </summary>
    private static Family Probe(GenerationContext context)
    {
        var ids = context.IdsFor("genealogy-probe");
        var units = new List<Unit> { new(ids.Next(), "GP-00000", 0, false) };
        var edges = new List<Edge>();
        var n = 0;
        string Number() => $"GP-{++n:D5}";

        var below = 0;
        for (var level = 1; level <= ProbeLevels; level++)
        {
            var chain = units.Count;
            units.Add(new Unit(ids.Next(), Number(), -level, true));
            edges.Add(new Edge(chain, below, LinkTypes.Merge, $"OP-M{level:D2}", 100 - level));
            for (var j = 0; j < ProbeFanIn; j++)
            {
                units.Add(new Unit(ids.Next(), Number(), -level, true));
                edges.Add(new Edge(units.Count - 1, below, LinkTypes.Merge, $"OP-M{level:D2}", 100 - level));
            }
            below = chain;
        }

        var above = 0;
        for (var level = 1; level <= ProbeLevels; level++)
        {
            var chain = units.Count;
            units.Add(new Unit(ids.Next(), Number(), level, false));
            edges.Add(new Edge(above, chain, LinkTypes.Split, $"OP-S{level:D2}", 100 + level));
            for (var j = 0; j < ProbeFanIn; j++)
            {
                units.Add(new Unit(ids.Next(), Number(), level, false));
                edges.Add(new Edge(above, units.Count - 1, LinkTypes.Split, $"OP-S{level:D2}", 100 + level));
            }
            above = chain;
        }
        return new Family(units, edges);
    }

    private static Family Filler(GenerationContext context, int index, int size, int maxDepth)
    {
        var rnd = context.RandomFor($"genealogy-family:{index}");
        var ids = context.IdsFor($"genealogy-family:{index}");
        var chaininess = rnd.NextDouble();
        var units = new List<Unit>(size);
        var edges = new List<Edge>(size + size / 10);
        for (var i = 0; i < size; i++)
        {
            var level = 0;
            if (i > 0)
            {
                var parent = rnd.NextDouble() < chaininess ? i - 1 : rnd.Next(i);
                if (units[parent].Level >= maxDepth) parent = rnd.Next(i);
                if (units[parent].Level >= maxDepth) parent = 0;
                level = units[parent].Level + 1;
                edges.Add(new Edge(parent, i, LinkTypes.Split, $"OP-{10 * (1 + level % 50):D3}", level));
            }
            units.Add(new Unit(ids.Next(), $"G-{index + 1:D6}-{i:D3}", level, false));
            if (rnd.Next(10) == 0) edges.Add(new Edge(i, -1, LinkTypes.PassThrough, $"OP-P{rnd.Next(1, 20):D2}", level));
        }
        return new Family(units, edges);
    }
}
