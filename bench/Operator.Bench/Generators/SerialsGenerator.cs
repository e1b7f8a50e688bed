using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;

namespace Operator.Bench.Generators;

/// <summary>
/// Certificates <c>CERT-0001</c>.. and serials <c>SN-00001</c>.. of every organization's work orders, as the serials
/// service would have written them: each serial on its work order's path at a random step (about a third completed
/// with index -1, 2% scrapped with their step kept), its step history (started / completed / scrapped), and up to
/// <c>--attachments-per-serial</c> certificates attached at distinct steps it has reached. The "serial" and "cert"
/// counters are set, so the app's next batch create continues after the generated numbers.
/// </summary>
/// <remarks>
/// No audit entries are written for generated serials: the holds generator owns each organization's audit chain
/// (it starts it at sequence 1), and a million per-unit entries would dwarf what the scenarios read. Three passes
/// (serials, step events, attachments) rebuild the same plans from the organization's random streams, so nothing is
/// held in memory. The scenario file (<c>--serials-file</c>) gives the load scripts of the first organization an
/// operator's user id, serials that still accept certificates, the certificate numbers and open work orders.
/// </remarks>
public sealed class SerialsGenerator : IGenerator
{
    public static readonly BenchOption SerialsPerOrg = new("serials-per-org", "1000", "serials SN-00001.. spread over the work orders and their steps");
    public static readonly BenchOption CertsPerOrg = new("certs-per-org", "50", "certificates CERT-0001.. (material and process)");
    public static readonly BenchOption AttachmentsPerSerial = new("attachments-per-serial", "1", "certificates attached to each serial, at distinct steps it has reached");
    public static readonly BenchOption StepHistory = new("step-history", "1", "1: write each serial's step events (started/completed/scrapped); 0: leave them out");
    public static readonly BenchOption ScenarioFile = new("serials-file", "bench/out/serials-scenario.txt", "where to write what the station-lookup, attach-cert and batch-create scenarios use");
    public static readonly BenchOption ScenarioSample = new("serials-sample", "20000", "how many serial numbers of the first organization the scenario file lists");

    private static readonly string[] Issuers =
    [
        "Ferralloy Foundry GmbH", "Outokumpu Stainless", "Trelleborg Sealing Solutions", "Bossard AG", "TÜV SÜD Industrie Service",
        "Bureau Veritas", "SGS", "Intertek", "Lloyd's Register", "In-house test lab",
    ];

    private static readonly string[] ScrapReasons = ["Porosity at the sealing face", "Dropped during handling", "Thread damaged", "Out of tolerance after machining"];
    private static readonly string[] ScrapCodes = ["MATERIAL_DEFECT", "DAMAGED", "DAMAGED", "DIMENSIONAL"];

    public string Name => "serials";
    public int Order => 200;
    public IReadOnlyList<BenchOption> Options => [SerialsPerOrg, CertsPerOrg, AttachmentsPerSerial, StepHistory, ScenarioFile, ScenarioSample];

    private sealed record Plan(Guid Id, int Index, string Number, Guid WorkOrderId, Guid PartId, Guid PathId, IReadOnlyList<(Guid Id, string Name)> Steps,
        string Status, int StepIndex, DateTime CreatedAt, DateTime[] StepDone, DateTime? FinishedAt);

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var serialCount = context.Args.Int(SerialsPerOrg);
        var certCount = context.Args.Int(CertsPerOrg);
        var perSerial = context.Args.Int(AttachmentsPerSerial);
        var history = context.Args.Int(StepHistory) != 0;
        var master = context.Shared<MasterDataSet>();
        if (serialCount > 0 && master.Organizations.Any(o => o.WorkOrders.Count == 0))
        {
            throw new BenchUsageException("--serials-per-org needs work orders: set --work-orders-per-org to at least 1.");
        }

        // Step names live in the database only (the master data generator draws them): read them once per organization.
        var steps = new Dictionary<Guid, IReadOnlyList<(Guid, string)>>();
        var operators = new Dictionary<Guid, Guid>();
        await using (var db = context.CreateDb())
        {
            // Certificates are attached by each organization's operator (the organizations generator's users).
            var emails = master.Organizations.ToDictionary(s => $"operator@{s.Organization.EmailDomain}", s => s.Organization.Id);
            var keys = emails.Keys.ToList();
            foreach (var user in await db.Users.AsNoTracking().Where(u => keys.Contains(u.Email!)).Select(u => new { u.Email, u.Id }).ToListAsync(ct))
            {
                operators[emails[user.Email!]] = user.Id;
            }
            foreach (var set in master.Organizations)
            {
                var rows = await db.Set<ProcessStep>().IgnoreQueryFilters().AsNoTracking().Where(s => s.OrganizationId == set.Organization.Id)
                    .OrderBy(s => s.PathId).ThenBy(s => s.Sequence).Select(s => new { s.PathId, s.Id, s.Name }).ToListAsync(ct);
                foreach (var path in rows.GroupBy(r => r.PathId)) steps[path.Key] = path.Select(r => (r.Id, r.Name)).ToList();
            }
        }

        await context.InsertAsync("Certificates", master.Organizations.SelectMany(set =>
        {
            var rnd = context.RandomFor($"certs:{set.Organization.Code}");
            var ids = context.IdsFor($"certs:{set.Organization.Code}");
            return Enumerable.Range(1, certCount).Select(i =>
            {
                var material = i % 2 == 1;
                var issued = context.Now.Date.AddDays(-rnd.Next(10, 400));
                return new Certificate
                {
                    Id = ids.Next(), OrganizationId = set.Organization.Id, Number = $"CERT-{i:D4}",
                    Type = material ? CertificateTypes.Material : CertificateTypes.Process, Issuer = Issuers[rnd.Next(Issuers.Length)],
                    Description = material ? $"EN 10204 3.1 inspection certificate, heat {rnd.Next(10000, 99999)}" : $"Process qualification record {i}",
                    IssuedAt = issued, ExpiresAt = rnd.Next(3) == 0 ? issued.AddYears(2) : null, CreatedAt = issued.AddDays(1),
                };
            });
        }), ct);
        var certIds = master.Organizations.ToDictionary(s => s.Organization.Id, s =>
        {
            var ids = context.IdsFor($"certs:{s.Organization.Code}");
            return Enumerable.Range(0, certCount).Select(_ => ids.Next()).ToArray();
        });

        await context.InsertAsync("Serials", master.Organizations.SelectMany(set => Plans(context, set, serialCount, steps).Select(p => new Serial
        {
            Id = p.Id, OrganizationId = set.Organization.Id, SerialNumber = p.Number, PartId = p.PartId, WorkOrderId = p.WorkOrderId, PathId = p.PathId,
            CurrentStepIndex = p.Status == SerialStatus.Completed ? Serial.CompletedStepIndex : p.StepIndex, Status = p.Status,
            Origin = SerialOrigins.AutoJob, Scope = SerialScopes.Piece, Visibility = SerialVisibility.Public,
            CreatedBy = operators.TryGetValue(set.Organization.Id, out var by) ? by : null, CreatedAt = p.CreatedAt, UpdatedAt = p.FinishedAt ?? (p.StepIndex == 0 ? p.CreatedAt : p.StepDone[p.StepIndex - 1]),
            CompletedAt = p.Status == SerialStatus.Completed ? p.FinishedAt : null,
            ScrappedAt = p.Status == SerialStatus.Scrapped ? p.FinishedAt : null,
            ScrapReason = p.Status == SerialStatus.Scrapped ? ScrapReasons[p.Index % ScrapReasons.Length] : null,
            ScrapReasonCode = p.Status == SerialStatus.Scrapped ? ScrapCodes[p.Index % ScrapCodes.Length] : null,
        })), ct);

        if (history)
        {
            await context.InsertAsync("SerialStepEvents", master.Organizations.SelectMany(set =>
            {
                var ids = context.IdsFor($"serial-events:{set.Organization.Code}");
                return Plans(context, set, serialCount, steps).SelectMany(p => Events(p, set.Organization.Id, operators.GetValueOrDefault(set.Organization.Id), ids));
            }), ct);
        }

        if (perSerial > 0 && certCount > 0)
        {
            await context.InsertAsync("CertAttachments", master.Organizations.SelectMany(set =>
            {
                var rnd = context.RandomFor($"attachments:{set.Organization.Code}");
                var ids = context.IdsFor($"attachments:{set.Organization.Code}");
                var certs = certIds[set.Organization.Id];
                return Plans(context, set, serialCount, steps).SelectMany(p =>
                {
                    var reached = p.Status == SerialStatus.Completed ? p.Steps.Count : p.StepIndex + 1;
                    // Distinct steps, so (serial, certificate, step) is unique by construction.
                    var chosen = Enumerable.Range(0, reached).OrderBy(_ => rnd.Next()).Take(Math.Min(perSerial, reached)).Order().ToList();
                    return chosen.Select(step => new CertAttachment
                    {
                        Id = ids.Next(), OrganizationId = set.Organization.Id, SerialId = p.Id, CertificateId = certs[rnd.Next(certs.Length)], StepId = p.Steps[step].Id,
                        AttachedBy = operators.GetValueOrDefault(set.Organization.Id), AttachedAt = step == 0 ? p.CreatedAt.AddMinutes(20) : p.StepDone[step - 1].AddMinutes(20),
                    }).ToList();
                });
            }), ct);
        }

        foreach (var set in master.Organizations)
        {
            context.SetCounter(set.Organization.Id, "serial", serialCount);
            context.SetCounter(set.Organization.Id, "cert", certCount);
        }
        await WriteScenarioFileAsync(context, master, serialCount, certCount, steps, ct);
    }

    /// <summary>The organization's serials, rebuilt identically on every pass from its streams.</summary>
    private static IEnumerable<Plan> Plans(GenerationContext context, OrgMasterData set, int count, Dictionary<Guid, IReadOnlyList<(Guid Id, string Name)>> steps)
    {
        var rnd = context.RandomFor($"serials:{set.Organization.Code}");
        var ids = context.IdsFor($"serials:{set.Organization.Code}");
        for (var i = 1; i <= count; i++)
        {
            var order = set.WorkOrders[rnd.Next(set.WorkOrders.Count)];
            var path = steps[order.PathId];
            var roll = rnd.Next(100);
            var status = roll < 2 ? SerialStatus.Scrapped : roll < 35 ? SerialStatus.Completed : SerialStatus.InProgress;
            var index = status == SerialStatus.Completed ? path.Count - 1 : rnd.Next(path.Count);
            var created = context.Now.AddDays(-rnd.Next(0, 180)).AddMinutes(-rnd.Next(0, 24 * 60));
            var done = new DateTime[path.Count];
            var at = created;
            for (var s = 0; s < path.Count; s++)
            {
                at = at.AddMinutes(30 + rnd.Next(0, 8 * 60));
                done[s] = at;
            }
            DateTime? finished = status switch
            {
                SerialStatus.Completed => done[^1],
                SerialStatus.Scrapped => (index == 0 ? created : done[index - 1]).AddMinutes(15),
                _ => null,
            };
            yield return new Plan(ids.Next(), i, $"SN-{i:D5}", order.Id, order.PartId, order.PathId, path, status, index, created, done, finished);
        }
    }

    private static IEnumerable<SerialStepEvent> Events(Plan p, Guid org, Guid user, DeterministicIds ids)
    {
        SerialStepEvent E(int step, string kind, DateTime at, string? note = null) => new()
        {
            Id = ids.Next(), OrganizationId = org, SerialId = p.Id, StepId = p.Steps[step].Id, StepIndex = step, StepName = p.Steps[step].Name,
            Event = kind, UserId = user == Guid.Empty ? null : user, At = at, Note = note,
        };
        yield return E(0, StepEvents.Started, p.CreatedAt);
        var last = p.Status == SerialStatus.Completed ? p.Steps.Count - 1 : p.StepIndex - 1;
        for (var s = 0; s <= last; s++)
        {
            yield return E(s, StepEvents.Completed, p.StepDone[s]);
            if (s + 1 < p.Steps.Count && s + 1 <= p.StepIndex) yield return E(s + 1, StepEvents.Started, p.StepDone[s]);
        }
        if (p.Status == SerialStatus.Scrapped) yield return E(p.StepIndex, StepEvents.Scrapped, p.FinishedAt!.Value, ScrapReasons[p.Index % ScrapReasons.Length]);
    }

    /// <summary>
    /// What the scenarios of the first organization need: "user &lt;operator id&gt;", "serial &lt;number&gt;" lines for
    /// serials that accept certificates (not completed; spread over all of them), "cert &lt;number&gt;" lines, and
    /// "workorder &lt;number&gt;" lines for work orders that are not closed.
    /// </summary>
    private static async Task WriteScenarioFileAsync(GenerationContext context, MasterDataSet master, int serialCount, int certCount,
        Dictionary<Guid, IReadOnlyList<(Guid Id, string Name)>> steps, CancellationToken ct)
    {
        if (master.Organizations.Count == 0) return;
        var set = master.Organizations[0];
        var org = set.Organization;
        await using var db = context.CreateDb();
        var operatorId = await db.Users.AsNoTracking().Where(u => u.Email == $"operator@{org.EmailDomain}").Select(u => u.Id).SingleOrDefaultAsync(ct);
        var openOrders = await db.Set<WorkOrder>().IgnoreQueryFilters().AsNoTracking()
            .Where(w => w.OrganizationId == org.Id && w.Status != WorkOrderStatus.Closed).OrderBy(w => w.Number).Select(w => w.Number).Take(50).ToListAsync(ct);

        var sampleSize = context.Args.Int(ScenarioSample);
        var attachable = Plans(context, set, serialCount, steps).Where(p => p.Status != SerialStatus.Completed).Select(p => p.Number).ToList();
        var every = Math.Max(1, attachable.Count / Math.Max(1, sampleSize));
        var lines = new List<string> { $"user {operatorId}" };
        lines.AddRange(attachable.Where((_, i) => i % every == 0).Take(sampleSize).Select(n => $"serial {n}"));
        lines.AddRange(Enumerable.Range(1, certCount).Select(i => $"cert CERT-{i:D4}"));
        lines.AddRange(openOrders.Select(n => $"workorder {n}"));

        var path = Path.GetFullPath(context.Args.String(ScenarioFile.Name, ScenarioFile.Default)!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, lines, ct);
        GenerationContext.Log(string.Create(CultureInfo.InvariantCulture,
            $"{org.Code}: {lines.Count(l => l.StartsWith("serial "))} attachable serials, {certCount} certificates, {openOrders.Count} open work orders in {path}"));
    }
}
