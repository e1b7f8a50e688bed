using Operator.Infrastructure.Data;

namespace Operator.Features.MasterData;

/// <summary>Parts, paths, work orders, locations, 20 license plates and 5 batches per demo organization.</summary>
public sealed class MasterDataDemoSeed : IDemoSeed
{
    public int Order => 10;

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var db = context.Db;
        var org = context.Organization.Id;
        var now = context.Now;
        var rnd = context.Random;

        (string Number, string Sku, string Name, string Description)[] parts = context.IsPrimary
            ?
            [
                ("P-1001", "BAG", "Hatthasilpa tote bag", "Hand-stitched full-grain leather tote"),
                ("P-1002", "WLT", "Bifold wallet", "Vegetable-tanned leather bifold wallet"),
                ("P-1003", "STRAP", "Shoulder strap", "Adjustable leather shoulder strap"),
            ]
            :
            [
                ("V-2001", "VLV25", "Ball valve DN25", "Stainless steel 2-piece ball valve, PN40"),
                ("V-2002", "ACT90", "Pneumatic actuator", "Double-acting rack-and-pinion actuator"),
                ("V-2003", "HSG25", "Valve housing DN25", "Machined CF8M housing"),
            ];
        // MA01's tote bag is the publicly verifiable product: its serials carry signed HAT codes.
        var partRows = parts.Select(p => new Part
        {
            OrganizationId = org, Number = p.Number, Sku = p.Sku, Name = p.Name, Description = p.Description, CreatedAt = now,
            ProductionType = context.IsPrimary ? "HAT" : "OEM", PubliclyVerifiable = context.IsPrimary && p.Sku == "BAG",
        }).ToList();
        db.AddRange(partRows);

        (string Code, string Name, string[] Steps)[] paths = context.IsPrimary
            ?
            [
                ("PATH-BAG", "Tote bag assembly", ["Cutting", "Skiving", "Stitching", "Edge painting", "Final inspection"]),
                ("PATH-SLG", "Small leather goods", ["Cutting", "Stitching", "Finishing"]),
            ]
            :
            [
                ("PATH-MACH", "Housing machining", ["Saw cut", "CNC turning", "Deburr", "Pressure test"]),
                ("PATH-ASSY", "Valve assembly", ["Kitting", "Assembly", "Leak test", "Packing"]),
            ];
        var pathRows = paths.Select((p, i) => new ProcessPath
        {
            OrganizationId = org, Code = p.Code, Name = p.Name, PartId = partRows[i].Id, CreatedAt = now,
            Steps = p.Steps.Select((s, n) => new ProcessStep { OrganizationId = org, Sequence = n, Code = $"OP-{(n + 1) * 10:D3}", Name = s }).ToList(),
        }).ToList();
        db.AddRange(pathRows);

        for (var i = 0; i < 3; i++)
        {
            db.Add(new WorkOrder
            {
                OrganizationId = org, Number = $"WO-{await db.NextAsync(org, "wo", 1, ct):D5}", PartId = partRows[i].Id,
                PathId = pathRows[i % pathRows.Count].Id, Quantity = 25 + 25 * i, Status = i == 0 ? WorkOrderStatus.InProgress : WorkOrderStatus.Open,
                DueAt = now.Date.AddDays(7 * (i + 1)), CreatedAt = now.AddDays(-10 + i),
            });
        }

        var locations = new[] { ("WH-A", "Warehouse A"), ("RCV", "Receiving dock"), ("QC-CAGE", "Quarantine cage") }
            .Select(l => new Location { OrganizationId = org, Code = l.Item1, Name = l.Item2 }).ToList();
        db.AddRange(locations);

        string[] uoms = context.IsPrimary ? ["sqft", "m", "pcs"] : ["pcs", "kg", "pcs"];
        for (var i = 0; i < 20; i++)
        {
            var part = i % 3;
            db.Add(new LicensePlate
            {
                OrganizationId = org, Number = $"LP-{await db.NextAsync(org, "lp", 1, ct):D5}", PartId = partRows[part].Id,
                Quantity = 10 + rnd.Next(0, 90) * 5, Uom = uoms[part], LocationId = locations[i % 2].Id,
                QaStatus = i < 12 ? QaStatuses.Pending : QaStatuses.Passed, CreatedAt = now.AddHours(-i * 6),
            });
        }

        for (var i = 0; i < 5; i++)
        {
            db.Add(new Batch
            {
                OrganizationId = org, Number = $"B-{await db.NextAsync(org, "batch", 1, ct):D5}", PartId = partRows[i % 3].Id,
                Quantity = 50 * (i + 1), Uom = "pcs", ProducedAt = now.Date.AddDays(-i - 1), CreatedAt = now.AddDays(-i - 1),
            });
        }
    }
}
