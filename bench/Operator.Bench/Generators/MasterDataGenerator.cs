using Operator.Features.MasterData;

namespace Operator.Bench.Generators;

/// <summary>The ids of one organization's master data, for the generators of features that build on it.</summary>
public sealed class OrgMasterData(BenchOrganization organization)
{
    public BenchOrganization Organization { get; } = organization;
    public List<(Guid Id, string Uom)> Parts { get; } = [];
    public List<Guid> Locations { get; } = [];

    /// <summary>Each path with its part and its step ids in sequence order.</summary>
    public List<(Guid Id, Guid PartId, Guid[] Steps)> Paths { get; } = [];

    public List<(Guid Id, Guid PartId, Guid PathId, int Quantity)> WorkOrders { get; } = [];
    public List<Guid> LicensePlates { get; } = [];
    public List<Guid> Batches { get; } = [];
}

/// <summary>Shared by <see cref="MasterDataGenerator"/>: master data per organization, in organization order.</summary>
public sealed class MasterDataSet(IReadOnlyList<OrgMasterData> organizations)
{
    public IReadOnlyList<OrgMasterData> Organizations { get; } = organizations;
}

/// <summary>
/// Parts, locations, process paths with steps, work orders (WO-00001), license plates (LP-00001) and batches
/// (B-00001) for every organization, with the "wo", "lp" and "batch" counters set to the last number used.
/// </summary>
public sealed class MasterDataGenerator : IGenerator
{
    public static readonly BenchOption PartsPerOrg = new("parts-per-org", "200", "parts P-00001.. (SKU S00001..)");
    public static readonly BenchOption LocationsPerOrg = new("locations-per-org", "20", "locations LOC-001..");
    public static readonly BenchOption PathsPerOrg = new("paths-per-org", "10", "process paths PATH-001..");
    public static readonly BenchOption StepsPerPath = new("steps-per-path", "5", "steps per process path");
    public static readonly BenchOption WorkOrdersPerOrg = new("work-orders-per-org", "200", "work orders WO-00001..");
    public static readonly BenchOption PlatesPerOrg = new("plates-per-org", "1000", "license plates LP-00001..");
    public static readonly BenchOption BatchesPerOrg = new("batches-per-org", "200", "batches B-00001..");

    private static readonly string[] Adjectives = ["Stainless", "Forged", "Machined", "Anodized", "Cast", "Welded", "Coated", "Precision", "Heavy-duty", "Compact"];
    private static readonly string[] Nouns = ["valve", "housing", "bracket", "shaft", "flange", "gasket", "actuator", "manifold", "coupling", "bearing", "sensor", "panel"];
    private static readonly string[] Uoms = ["ea", "ea", "ea", "pcs", "kg", "m"];
    private static readonly string[] StepNames = ["Kitting", "Cutting", "CNC turning", "Deburr", "Welding", "Assembly", "Leak test", "Coating", "Final inspection", "Packing"];

    public string Name => "master data";
    public int Order => 100;
    public IReadOnlyList<BenchOption> Options => [PartsPerOrg, LocationsPerOrg, PathsPerOrg, StepsPerPath, WorkOrdersPerOrg, PlatesPerOrg, BatchesPerOrg];

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var args = context.Args;
        var partCount = args.Int(PartsPerOrg);
        var locationCount = args.Int(LocationsPerOrg);
        var pathCount = args.Int(PathsPerOrg);
        var stepCount = args.Int(StepsPerPath);
        var workOrderCount = args.Int(WorkOrdersPerOrg);
        var plateCount = args.Int(PlatesPerOrg);
        var batchCount = args.Int(BatchesPerOrg);
        if (partCount == 0 && (pathCount + workOrderCount + plateCount + batchCount) > 0)
        {
            throw new BenchUsageException("--parts-per-org must be at least 1 when paths, work orders, plates or batches are generated.");
        }
        if (pathCount == 0 && workOrderCount > 0)
        {
            throw new BenchUsageException("--paths-per-org must be at least 1 when work orders are generated.");
        }

        var sets = context.Organizations.Select(o => new OrgMasterData(o)).ToList();
        context.Share(new MasterDataSet(sets));
        var now = context.Now;

        await context.InsertAsync("Parts", PerOrg("parts", (set, rnd, ids) => Enumerable.Range(1, partCount).Select(i =>
        {
            var uom = Uoms[rnd.Next(Uoms.Length)];
            var part = new Part
            {
                Id = ids.Next(), OrganizationId = set.Organization.Id, Number = $"P-{i:D5}", Sku = $"S{i:D5}",
                Name = $"{Adjectives[rnd.Next(Adjectives.Length)]} {Nouns[rnd.Next(Nouns.Length)]} {i}",
                Description = rnd.Next(3) == 0 ? null : $"Bench part {i} of organization {set.Organization.Code}",
                Uom = uom, CreatedAt = now.AddDays(-365).AddMinutes(i),
            };
            set.Parts.Add((part.Id, uom));
            return part;
        })), ct);

        await context.InsertAsync("Locations", PerOrg("locations", (set, rnd, ids) => Enumerable.Range(1, locationCount).Select(i =>
        {
            var location = new Location { Id = ids.Next(), OrganizationId = set.Organization.Id, Code = $"LOC-{i:D3}", Name = $"Aisle {(char)('A' + (i - 1) / 10 % 26)} rack {(i - 1) % 10 + 1}" };
            set.Locations.Add(location.Id);
            return location;
        })), ct);

        await context.InsertAsync("ProcessPaths", PerOrg("paths", (set, rnd, ids) => Enumerable.Range(1, pathCount).Select(i =>
        {
            var partId = set.Parts[(i - 1) % set.Parts.Count].Id;
            var path = new ProcessPath { Id = ids.Next(), OrganizationId = set.Organization.Id, Code = $"PATH-{i:D3}", Name = $"Route {i}", PartId = partId, CreatedAt = now.AddDays(-300).AddMinutes(i) };
            set.Paths.Add((path.Id, partId, Enumerable.Range(0, stepCount).Select(_ => ids.Next()).ToArray()));
            return path;
        })), ct);

        await context.InsertAsync("ProcessSteps", PerOrg("steps", (set, rnd, ids) => set.Paths.SelectMany(path => path.Steps.Select((stepId, n) => new ProcessStep
        {
            Id = stepId, OrganizationId = set.Organization.Id, PathId = path.Id, Sequence = n,
            Code = $"OP-{(n + 1) * 10:D3}", Name = StepNames[rnd.Next(StepNames.Length)],
        }))), ct);

        await context.InsertAsync("WorkOrders", PerOrg("work-orders", (set, rnd, ids) => Enumerable.Range(1, workOrderCount).Select(i =>
        {
            var path = set.Paths[rnd.Next(set.Paths.Count)];
            var quantity = 10 * rnd.Next(1, 51);
            var roll = rnd.Next(100);
            // Older orders are more likely closed; the newest are mostly open.
            var age = (double)(workOrderCount - i) / Math.Max(1, workOrderCount);
            var status = roll < 60 * age ? WorkOrderStatus.Closed : roll < 80 ? WorkOrderStatus.Open : WorkOrderStatus.InProgress;
            var created = now.AddDays(-180 * age).AddMinutes(-rnd.Next(0, 600));
            var order = new WorkOrder
            {
                Id = ids.Next(), OrganizationId = set.Organization.Id, Number = $"WO-{i:D5}", PartId = path.PartId, PathId = path.Id,
                Quantity = quantity, Status = status, DueAt = created.Date.AddDays(rnd.Next(7, 60)), CreatedAt = created,
            };
            set.WorkOrders.Add((order.Id, order.PartId, order.PathId, quantity));
            return order;
        })), ct);

        await context.InsertAsync("LicensePlates", PerOrg("plates", (set, rnd, ids) => Enumerable.Range(1, plateCount).Select(i =>
        {
            var part = set.Parts[rnd.Next(set.Parts.Count)];
            var roll = rnd.Next(100);
            // No plate is on hold: a hold status without an active QualityHold would be inconsistent; the holds
            // generator puts plates on hold when it creates their holds.
            var qa = roll < 50 ? QaStatuses.Pending : roll < 90 ? QaStatuses.Passed : roll < 95 ? QaStatuses.Rejected : QaStatuses.Scrap;
            var plate = new LicensePlate
            {
                Id = ids.Next(), OrganizationId = set.Organization.Id, Number = $"LP-{i:D5}", PartId = part.Id,
                Quantity = 5 * rnd.Next(1, 200), Uom = part.Uom,
                LocationId = set.Locations.Count == 0 || rnd.Next(10) == 0 ? null : set.Locations[rnd.Next(set.Locations.Count)],
                QaStatus = qa, CreatedAt = now.AddMinutes(-(double)(plateCount - i) * 30 - rnd.Next(0, 30)),
            };
            set.LicensePlates.Add(plate.Id);
            return plate;
        })), ct);

        await context.InsertAsync("Batches", PerOrg("batches", (set, rnd, ids) => Enumerable.Range(1, batchCount).Select(i =>
        {
            var part = set.Parts[rnd.Next(set.Parts.Count)];
            var produced = now.Date.AddDays(-(batchCount - i) / 4.0).AddHours(-rnd.Next(0, 24));
            var batch = new Batch
            {
                Id = ids.Next(), OrganizationId = set.Organization.Id, Number = $"B-{i:D5}", PartId = part.Id,
                Quantity = 10 * rnd.Next(1, 100), Uom = part.Uom, ProducedAt = produced, CreatedAt = produced.AddHours(1),
            };
            set.Batches.Add(batch.Id);
            return batch;
        })), ct);

        foreach (var set in sets)
        {
            context.SetCounter(set.Organization.Id, "wo", workOrderCount);
            context.SetCounter(set.Organization.Id, "lp", plateCount);
            context.SetCounter(set.Organization.Id, "batch", batchCount);
        }

        // One random stream and one id stream per (kind, organization): more rows of one kind or more
        // organizations never shift what is drawn for another.
        IEnumerable<T> PerOrg<T>(string kind, Func<OrgMasterData, Random, DeterministicIds, IEnumerable<T>> rows) =>
            sets.SelectMany(set => rows(set, context.RandomFor($"{kind}:{set.Organization.Code}"), context.IdsFor($"{kind}:{set.Organization.Code}")));
    }
}
