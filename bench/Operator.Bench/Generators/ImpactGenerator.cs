using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;

namespace Operator.Bench.Generators;

/// <summary>
/// A recall family for the <c>impact</c> load scenario, in the first organization (<c>B001</c>): certificate
/// <c>CERT-RECALL</c> attached to K raw units, each split into two pieces, each pair of pieces merged with one other
/// component (which carries <c>CERT-RECALL-B</c>) into a subassembly, each subassembly transformed into a product. The
/// certificate's impact is then 5K units over three levels (K carriers, 2K pieces, K subassemblies, K products), with
/// the other components as ancestors for the certificate roll-up; K = <c>--impact-units</c> / 5.
/// </summary>
/// <remarks>
/// Pieces, other components and subassemblies are consumed (merge, transformation), as the app records them. Products are
/// in progress at a step of their work order's path, completed, or scrapped. Carriers, pieces, subassemblies and products
/// belong to four different work orders of the organization (products spread over the rest), carriers to the first batch.
/// The family is drawn from its own streams, so its ids do not depend on the size of the other data.
/// </remarks>
public sealed class ImpactGenerator : IGenerator
{
    public static readonly BenchOption Units = new("impact-units", "10000", "units the impact of certificate CERT-RECALL reaches in the first organization (impact scenario); 0 = none");
    public static readonly BenchOption ProbeFile = new("impact-file", "bench/out/impact-probe.txt", "where to write the certificate number the impact scenario asks about");

    public const string Certificate = "CERT-RECALL";

    public string Name => "impact";
    public int Order => 260;
    public IReadOnlyList<BenchOption> Options => [Units, ProbeFile];

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var k = context.Args.Int(Units) / 5;
        if (k <= 0 || context.Organizations.Count == 0) return;
        var master = context.Shared<MasterDataSet>().Organizations[0];
        if (master.WorkOrders.Count < 4 || master.Batches.Count == 0 || master.Paths.Count == 0)
        {
            throw new BenchUsageException("The impact generator needs at least 4 work orders and 1 batch in the first organization.");
        }
        var org = master.Organization;
        var now = context.Now;
        var created = now.AddDays(-20);
        var ids = context.IdsFor($"impact:{org.Code}");

        var recall = ids.Next();
        var other = ids.Next();
        await context.InsertAsync("Certificates (impact)", new[]
        {
            new Certificate { Id = recall, OrganizationId = org.Id, Number = Certificate, Type = CertificateTypes.Material, Issuer = "Suspect Steel Mill",
                Description = "Material certificate under investigation", IssuedAt = created.AddDays(-10), CreatedAt = created.AddDays(-9) },
            new Certificate { Id = other, OrganizationId = org.Id, Number = Certificate + "-B", Type = CertificateTypes.Material, Issuer = "Good Alloys",
                IssuedAt = created.AddDays(-10), CreatedAt = created.AddDays(-9) },
        }, ct);

        // Ids of every unit, in blocks: carriers K, pieces 2K, others K, subassemblies K, products K.
        var carriers = Take(ids, k);
        var pieces = Take(ids, 2 * k);
        var others = Take(ids, k);
        var subs = Take(ids, k);
        var products = Take(ids, k);
        var orders = master.WorkOrders;
        var batch = master.Batches[0];
        var rnd = context.RandomFor($"impact-status:{org.Code}");

        Serial Unit(Guid id, string number, (Guid Id, Guid PartId, Guid PathId, int Quantity) order, bool consumed, Guid? batchId = null) => new()
        {
            Id = id, OrganizationId = org.Id, SerialNumber = number, PartId = order.PartId, WorkOrderId = order.Id, BatchId = batchId, PathId = order.PathId,
            Consumed = consumed, Status = SerialStatus.InProgress, Origin = SerialOrigins.AutoJob, CreatedAt = created, UpdatedAt = created,
        };

        IEnumerable<Serial> All()
        {
            for (var i = 0; i < k; i++) yield return Unit(carriers[i], $"RC-{i + 1:D6}", orders[0], false, batch);
            for (var i = 0; i < 2 * k; i++) yield return Unit(pieces[i], $"RP-{i + 1:D6}", orders[1], true);
            for (var i = 0; i < k; i++) yield return Unit(others[i], $"RO-{i + 1:D6}", orders[1], true);
            for (var i = 0; i < k; i++) yield return Unit(subs[i], $"RS-{i + 1:D6}", orders[2], true);
            for (var i = 0; i < k; i++)
            {
                var order = orders[3 + i % (orders.Count - 3)];
                var unit = Unit(products[i], $"RF-{i + 1:D6}", order, false);
                var steps = master.Paths.First(p => p.Id == order.PathId).Steps.Length;
                var roll = rnd.Next(100);
                (unit.Status, unit.CurrentStepIndex) = roll switch
                {
                    < 35 => (SerialStatus.Completed, Serial.CompletedStepIndex),
                    < 40 => (SerialStatus.Scrapped, rnd.Next(steps)),
                    _ => (SerialStatus.InProgress, rnd.Next(steps)),
                };
                yield return unit;
            }
        }
        await context.InsertAsync("Serials (impact)", All(), ct);

        var linkIds = context.IdsFor($"impact-links:{org.Code}");
        SerialLink Link(Guid source, Guid target, string type, string operation, int sequence, Guid part)
        {
            var id = linkIds.Next();
            return new SerialLink
            {
                Id = id, OrganizationId = org.Id, GroupId = id, SourceSerialId = source, TargetSerialId = target, Type = type, OperationCode = operation,
                RoutingSequence = sequence, Quantity = 1, PartId = part, CreatedAt = created.AddHours(sequence),
            };
        }
        IEnumerable<SerialLink> Links()
        {
            for (var i = 0; i < k; i++)
            {
                yield return Link(carriers[i], pieces[2 * i], LinkTypes.Split, "OP-CUT", 10, orders[0].PartId);
                yield return Link(carriers[i], pieces[2 * i + 1], LinkTypes.Split, "OP-CUT", 10, orders[0].PartId);
                yield return Link(pieces[2 * i], subs[i], LinkTypes.Merge, "OP-ASSY", 20, orders[1].PartId);
                yield return Link(pieces[2 * i + 1], subs[i], LinkTypes.Merge, "OP-ASSY", 20, orders[1].PartId);
                yield return Link(others[i], subs[i], LinkTypes.Merge, "OP-ASSY", 20, orders[1].PartId);
                yield return Link(subs[i], products[i], LinkTypes.Transformation, "OP-FINAL", 30, orders[2].PartId);
            }
        }
        await context.InsertAsync("SerialLinks (impact)", Links(), ct);

        var firstStep = master.Paths.First(p => p.Id == orders[0].PathId).Steps[0];
        var otherStep = master.Paths.First(p => p.Id == orders[1].PathId).Steps[0];
        var attachmentIds = context.IdsFor($"impact-attachments:{org.Code}");
        await context.InsertAsync("CertAttachments (impact)",
            carriers.Select(c => (Unit: c, Cert: recall, Step: firstStep)).Concat(others.Select(o => (Unit: o, Cert: other, Step: otherStep)))
                .Select(a => new CertAttachment
                {
                    Id = attachmentIds.Next(), OrganizationId = org.Id, SerialId = a.Unit, CertificateId = a.Cert, StepId = a.Step, AttachedBy = Guid.Empty,
                    AttachedAt = created.AddMinutes(5),
                }), ct);

        var file = context.Args.String(ProbeFile.Name, ProbeFile.Default)!;
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder) Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(file, $"{Certificate}\n", ct);
        GenerationContext.Log($"certificate {Certificate} reaches {5 * k} units ({k} carriers, {2 * k} pieces, {k} subassemblies, {k} products); written to {file}");
    }

    private static Guid[] Take(DeterministicIds ids, int count) => Enumerable.Range(0, count).Select(_ => ids.Next()).ToArray();
}
