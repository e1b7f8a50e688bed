using System.Globalization;
using Operator.Features.MasterData;
using Operator.Features.Serialization;

namespace Operator.Bench.Generators;

/// <summary>
/// Issue 5's rows: per organization a monthly serial format with a MANUAL batch trigger (10 per firing), vendor serials
/// (<c>VS-000001</c>.., four in five PENDING, the rest REJECTED; none accepted, since an accepted one is a serial) and
/// PENDING placeholders on the organization's work orders at their paths' operations. The first organization also
/// gets what the load scenarios and the batch timing use:
/// <list type="bullet">
/// <item><c>--bench-placeholders</c> more PENDING placeholders; their ids go to <c>--placeholders-file</c>, one per line,
/// for <c>placeholder-assign.lua</c> (each can be assigned once);</item>
/// <item>a part <c>P-BATCH</c> with a format <c>BT-{SEQ:8}</c> and a MANUAL SYSTEM_GENERATED trigger of batch size 10,000,
/// fired by <c>bench/batch-trigger.sh</c>;</item>
/// <item><c>--workflows-file</c>: <c>key=value</c> lines (partId of the receive scenario, batchPartId) for the scripts.</item>
/// </list>
/// Serial counts at scale come from the other generators (e.g. <c>--genealogy-serials 1000000</c>).
/// </summary>
public sealed class SerializationWorkflowsGenerator : IGenerator
{
    public static readonly BenchOption VendorPerOrg = new("vendor-serials-per-org", "1000", "vendor serials VS-000001.. per organization");
    public static readonly BenchOption PlaceholdersPerOrg = new("placeholders-per-org", "200", "PENDING placeholders per organization on its work orders");
    public static readonly BenchOption BenchPlaceholders = new("bench-placeholders", "100000", "extra PENDING placeholders in the first organization for the placeholder-assign scenario");
    public static readonly BenchOption PlaceholdersFile = new("placeholders-file", "bench/out/placeholders.txt", "where to write the ids placeholder-assign.lua assigns");
    public static readonly BenchOption WorkflowsFile = new("workflows-file", "bench/out/workflows.txt", "key=value facts for vendor-receive.lua and batch-trigger.sh");

    public const int BatchSize = 10_000;

    public string Name => "serialization workflows";
    public int Order => 260;
    public IReadOnlyList<BenchOption> Options => [VendorPerOrg, PlaceholdersPerOrg, BenchPlaceholders, PlaceholdersFile, WorkflowsFile];

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var master = context.Shared<MasterDataSet>();
        var vendorCount = context.Args.Int(VendorPerOrg);
        var placeholderCount = context.Args.Int(PlaceholdersPerOrg);
        var benchCount = context.Args.Int(BenchPlaceholders);
        var now = context.Now;
        var sets = master.Organizations.Where(o => o.Parts.Count > 0).ToList();
        if (sets.Count == 0) return;

        var formats = new List<SerialFormat>();
        var triggers = new List<SerialTrigger>();
        foreach (var set in sets)
        {
            var ids = context.IdsFor($"workflows:{set.Organization.Code}");
            var format = new SerialFormat
            {
                Id = ids.Next(), OrganizationId = set.Organization.Id, Name = "Bench monthly", Kind = FormatKinds.Pattern,
                Pattern = "{PART}-{YYYY}{MM}-{SEQ:6}", ResetPolicy = SequenceReset.Monthly, CreatedAt = now.AddDays(-60), UpdatedAt = now.AddDays(-60),
            };
            formats.Add(format);
            triggers.Add(new SerialTrigger
            {
                Id = ids.Next(), OrganizationId = set.Organization.Id, PartId = set.Parts[0].Id, TriggerType = TriggerTypes.Manual,
                AssignmentType = AssignmentTypes.SystemGenerated, FormatId = format.Id, BatchMode = true, BatchSize = 10, IsActive = true,
                CreatedAt = now.AddDays(-60), UpdatedAt = now.AddDays(-60),
            });
        }

        // The first organization's batch part, format and trigger for the 10,000-serial timing.
        var first = sets[0];
        var batchIds = context.IdsFor($"workflows-batch:{first.Organization.Code}");
        var batchPart = new Part
        {
            Id = batchIds.Next(), OrganizationId = first.Organization.Id, Number = "P-BATCH", Sku = "SBATCH", Name = "Bench batch-serialized part",
            Description = "Serialized 10,000 at a time by bench/batch-trigger.sh", CreatedAt = now.AddDays(-60),
        };
        var batchFormat = new SerialFormat
        {
            Id = batchIds.Next(), OrganizationId = first.Organization.Id, Name = "Bench batch", Kind = FormatKinds.Pattern, Pattern = "BT-{SEQ:8}",
            ResetPolicy = SequenceReset.Never, CreatedAt = now.AddDays(-60), UpdatedAt = now.AddDays(-60),
        };
        formats.Add(batchFormat);
        triggers.Add(new SerialTrigger
        {
            Id = batchIds.Next(), OrganizationId = first.Organization.Id, PartId = batchPart.Id, TriggerType = TriggerTypes.Manual,
            AssignmentType = AssignmentTypes.SystemGenerated, FormatId = batchFormat.Id, BatchMode = true, BatchSize = BatchSize, IsActive = true,
            CreatedAt = now.AddDays(-60), UpdatedAt = now.AddDays(-60),
        });
        await context.InsertAsync("Parts (batch)", [batchPart], ct);
        await context.InsertAsync("SerialFormats", formats, ct);
        await context.InsertAsync("SerialTriggers", triggers, ct);

        await context.InsertAsync("VendorSerials", sets.SelectMany(set =>
        {
            var rnd = context.RandomFor($"vendor-serials:{set.Organization.Code}");
            var ids = context.IdsFor($"vendor-serials:{set.Organization.Code}");
            return Enumerable.Range(1, vendorCount).Select(i =>
            {
                var received = now.AddMinutes(-(double)(vendorCount - i) * 20 - rnd.Next(0, 20));
                var rejected = rnd.Next(5) == 0;
                return new VendorSerial
                {
                    Id = ids.Next(), OrganizationId = set.Organization.Id, PartId = set.Parts[(i - 1) % set.Parts.Count].Id,
                    VendorSerialNumber = $"VS-{i:D6}", VendorName = Vendors[rnd.Next(Vendors.Length)],
                    Status = rejected ? VendorSerialStatus.Rejected : VendorSerialStatus.Pending, ReceivedAt = received,
                    RejectionReason = rejected ? "Bench: label does not match the purchase order" : null, RejectedAt = rejected ? received.AddHours(2) : null,
                    CreatedAt = received, UpdatedAt = rejected ? received.AddHours(2) : received,
                };
            });
        }), ct);

        var benchIds = new List<Guid>(Math.Max(0, benchCount));
        await context.InsertAsync("Placeholders", sets.SelectMany(set =>
        {
            var rnd = context.RandomFor($"placeholders:{set.Organization.Code}");
            var ids = context.IdsFor($"placeholders:{set.Organization.Code}");
            var steps = set.Paths.ToDictionary(p => p.Id, p => p.Steps.Length);
            var count = placeholderCount + (set == first ? benchCount : 0);
            return set.WorkOrders.Count == 0 ? [] : Enumerable.Range(0, count).Select(i =>
            {
                var order = set.WorkOrders[rnd.Next(set.WorkOrders.Count)];
                var stepCount = Math.Max(1, steps.GetValueOrDefault(order.PathId, 1));
                var placeholder = new Placeholder
                {
                    Id = ids.Next(), OrganizationId = set.Organization.Id, PartId = order.PartId, WorkOrderId = order.Id,
                    OperationCode = $"OP-{(rnd.Next(stepCount) + 1) * 10:D3}", Quantity = 1, Status = PlaceholderStatus.Pending,
                    CreatedAt = now.AddMinutes(-(double)(count - i) * 3),
                };
                if (set == first && i >= placeholderCount) benchIds.Add(placeholder.Id);
                return placeholder;
            });
        }), ct);

        var placeholdersFile = Path.GetFullPath(context.Args.String(PlaceholdersFile.Name, PlaceholdersFile.Default)!);
        Directory.CreateDirectory(Path.GetDirectoryName(placeholdersFile)!);
        await File.WriteAllLinesAsync(placeholdersFile, benchIds.Select(id => id.ToString()), ct);
        var workflowsFile = Path.GetFullPath(context.Args.String(WorkflowsFile.Name, WorkflowsFile.Default)!);
        Directory.CreateDirectory(Path.GetDirectoryName(workflowsFile)!);
        await File.WriteAllLinesAsync(workflowsFile,
        [
            $"org={first.Organization.Code}",
            $"partId={first.Parts[0].Id}",
            $"batchPartId={batchPart.Id}",
            $"batchSize={BatchSize.ToString(CultureInfo.InvariantCulture)}",
        ], ct);
        // A fresh cursor: placeholder-assign.lua hands out the ids from the start again.
        var cursor = Path.Combine(Path.GetDirectoryName(placeholdersFile)!, "placeholders.cursor");
        if (File.Exists(cursor)) File.Delete(cursor);
        GenerationContext.Log($"{benchIds.Count:N0} placeholder ids for placeholder-assign in {placeholdersFile}; facts in {workflowsFile}");
    }

    private static readonly string[] Vendors = ["Acme Corp", "Riri SA", "Bossard AG", "Trelleborg", "Outokumpu", "Ferralloy GmbH"];
}
