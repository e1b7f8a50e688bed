using Microsoft.EntityFrameworkCore;
using Operator.Features.Admin;
using Operator.Features.MasterData;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// Per demo organization: certificates CERT-0001..CERT-0010 (material and process, from realistic issuers) and 50
/// serials over the three work orders (20, 15, 15), numbered by <see cref="SerialNumbering"/> (MA01's tote bags get
/// signed public codes), spread over the steps of their paths with a step history, some certificates attached, the
/// first unit of WO-00001 completed and the last unit of WO-00003 scrapped. Everything happened during the last two
/// days, done by the demo operator (certificates filed by the inspector), and the audit trail says so in time order.
/// </summary>
public sealed class SerialsDemoSeed : IDemoSeed
{
    public int Order => 30;

    private static readonly int[] SerialsPerOrder = [20, 15, 15];

    private sealed record DemoCert(string Type, string Issuer, string Description, int IssuedDaysAgo, int? ValidDays);

    private static readonly DemoCert[] Ma01Certificates =
    [
        new(CertificateTypes.Material, "Tannerie Haas, Barr (FR)", "Full-grain calf leather, vegetable tanned, lot TH-2291", 40, null),
        new(CertificateTypes.Material, "Conceria Walpier, Ponte a Egola (IT)", "Buttero leather, chromium VI not detected (EN ISO 17075-1)", 55, null),
        new(CertificateTypes.Material, "Amann Group, Bönnigheim (DE)", "Serafil 20 polyester thread, tensile strength report, lot 88012", 70, null),
        new(CertificateTypes.Material, "Riri SA, Mendrisio (CH)", "Solid brass buckles and rings, nickel release below 0.5 µg/cm²/week (EN 1811)", 90, null),
        new(CertificateTypes.Material, "Vernis Soudée, Lyon (FR)", "Edge paint, REACH SVHC declaration, batch VS-4410", 30, 365),
        new(CertificateTypes.Process, "SGS Italia, Milan (IT)", "Colour fastness to rubbing, ISO 11640: grade 4-5 dry, 4 wet", 25, null),
        new(CertificateTypes.Process, "Leather Working Group", "LWG Gold rated tannery audit of Tannerie Haas", 120, 730),
        new(CertificateTypes.Process, "Bureau Veritas Certification, Paris (FR)", "ISO 9001:2015 quality management of the atelier", 200, 1095),
        new(CertificateTypes.Process, "MA01 atelier QA lab", "Stitch tensile test, 12 samples, minimum 180 N", 6, null),
        new(CertificateTypes.Process, "Intertek, Hong Kong", "REACH Annex XVII test report on finished bags (azo dyes, PAH)", 15, 365),
    ];

    private static readonly DemoCert[] Ac01Certificates =
    [
        new(CertificateTypes.Material, "Ferralloy Foundry GmbH, Duisburg (DE)", "EN 10204 3.1 inspection certificate, CF8M castings, heat 41877", 45, null),
        new(CertificateTypes.Material, "Outokumpu Stainless, Tornio (FI)", "EN 10204 3.1 mill certificate, 1.4404 bar Ø40 mm, heat 620331", 60, null),
        new(CertificateTypes.Material, "Trelleborg Sealing Solutions, Stuttgart (DE)", "PTFE seats, declaration of compliance FDA 21 CFR 177.1550 and EC 1935/2004", 80, 730),
        new(CertificateTypes.Material, "Bossard AG, Zug (CH)", "EN 10204 3.1 certificate, A4-80 stainless fasteners", 35, null),
        new(CertificateTypes.Material, "Ferralloy Foundry GmbH, Duisburg (DE)", "EN 10204 3.1 inspection certificate, CF8M castings, heat 41902", 20, null),
        new(CertificateTypes.Process, "TÜV SÜD Industrie Service, Munich (DE)", "PED 2014/68/EU conformity assessment, module H", 150, 1095),
        new(CertificateTypes.Process, "Bureau Veritas, Antwerp (BE)", "Welding procedure qualification record, ISO 15614-1", 300, null),
        new(CertificateTypes.Process, "AC01 test bench 2", "Shell and seat pressure test, EN 12266-1 P10 and P12", 3, null),
        new(CertificateTypes.Process, "Aalberts Surface Technologies, Venlo (NL)", "Passivation per ASTM A967, nitric 2", 12, null),
        new(CertificateTypes.Process, "Lloyd's Register Quality Assurance", "ISO 9001:2015 certificate of the plant", 240, 1095),
    ];

    private static readonly (string Code, string Text)[] ScrapReasons =
    [
        ("DAMAGED", "Deep scratch across the front panel during stitching"),
        ("MATERIAL_DEFECT", "Housing porosity found at the sealing face"),
    ];

    /// <summary>One thing that happened, to be written to the audit trail in time order.</summary>
    private sealed record Happening(DateTime At, AppUser User, string Action, string EntityType, Guid EntityId, object? Before, object After);

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var db = context.Db;
        var org = context.Organization.Id;
        var now = context.Now;
        var numbering = context.Services.GetRequiredService<SerialNumbering>();
        var audit = context.Services.GetRequiredService<AuditTrail>();
        var worker = context.UsersByRole.GetValueOrDefault(Roles.Operator) ?? context.UsersByRole[Roles.Admin];
        var filer = context.UsersByRole.GetValueOrDefault(Roles.QaInspector) ?? context.UsersByRole[Roles.Admin];
        var happened = new List<Happening>();

        // Certificates.
        var certificates = new List<Certificate>();
        foreach (var c in context.IsPrimary ? Ma01Certificates : Ac01Certificates)
        {
            var issued = now.Date.AddDays(-c.IssuedDaysAgo);
            var certificate = new Certificate
            {
                Id = Guid.NewGuid(), OrganizationId = org, Number = $"CERT-{await db.NextAsync(org, "cert", 1, ct):D4}", Type = c.Type, Issuer = c.Issuer,
                Description = c.Description, IssuedAt = issued, ExpiresAt = c.ValidDays is { } days ? issued.AddDays(days) : null,
                CreatedAt = SerialLookup.Truncate(now.AddDays(-Math.Min(c.IssuedDaysAgo, 5)).AddHours(-3)),
            };
            certificates.Add(certificate);
            happened.Add(new Happening(certificate.CreatedAt, filer, SerialAudit.CertificateCreated, SerialAudit.CertificateEntity, certificate.Id, null, new CertificateDto(
                certificate.Id, certificate.Number, certificate.Type, certificate.Issuer, certificate.IssuedAt, certificate.ExpiresAt, certificate.Description,
                false, null, null, null, certificate.CreatedAt)));
        }
        db.AddRange(certificates);
        var materials = certificates.Where(c => c.Type == CertificateTypes.Material).ToList();
        var processes = certificates.Where(c => c.Type == CertificateTypes.Process).ToList();

        // Serials over the work orders and their steps.
        var orders = await db.Set<WorkOrder>().IgnoreQueryFilters().Where(w => w.OrganizationId == org).Include(w => w.Part).Include(w => w.Path)
            .OrderBy(w => w.Number).ToListAsync(ct);
        var stepsByPath = (await db.Set<ProcessStep>().IgnoreQueryFilters().Where(s => s.OrganizationId == org).ToListAsync(ct))
            .GroupBy(s => s.PathId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Sequence).ToList());
        var start = SerialLookup.Truncate(now.AddHours(-40));
        var attachments = new List<CertAttachment>();
        var events = new List<SerialStepEvent>();
        var serials = new List<Serial>();
        for (var o = 0; o < orders.Count && o < SerialsPerOrder.Length; o++)
        {
            var order = orders[o];
            var steps = stepsByPath[order.PathId];
            var count = SerialsPerOrder[o];
            var numbers = await numbering.NextAsync(db, order.Part!, count, ct);
            if (!numbers.IsSuccess) throw new InvalidOperationException($"Demo serials: {numbers.Error!.Message}");
            var created = start.AddMinutes(o * 20);
            happened.Add(new Happening(created, worker, SerialAudit.SerialsCreated, SerialAudit.WorkOrderEntity, order.Id, null, new
            {
                userId = worker.Id, workOrderId = order.Id, workOrderNumber = order.Number, partId = order.PartId, partNumber = order.Part!.Number,
                pathId = order.PathId, pathCode = order.Path!.Code, stepId = steps[0].Id, stepName = steps[0].Name, count,
                firstSerialNumber = numbers.Value[0], lastSerialNumber = numbers.Value[^1], certificateId = (Guid?)null, certificateNumber = (string?)null,
            }));

            for (var k = 0; k < count; k++)
            {
                var completed = o == 0 && k == 0;
                var scrapped = o == 2 && k == count - 1;
                var target = completed ? steps.Count - 1 : k % steps.Count;
                var serial = new Serial
                {
                    Id = Guid.NewGuid(), OrganizationId = org, SerialNumber = numbers.Value[k], PartId = order.PartId, WorkOrderId = order.Id, PathId = order.PathId,
                    CurrentStepIndex = 0, Status = SerialStatus.InProgress, Origin = SerialOrigins.AutoJob, CreatedBy = worker.Id, CreatedAt = created, UpdatedAt = created,
                };
                db.Add(serial);
                serials.Add(serial);
                var at = created.AddMinutes(k * 15);
                events.Add(StepEvent(serial, steps[0], StepEvents.Started, worker, at));

                void Attach(Certificate cert, ProcessStep step, DateTime when)
                {
                    var attachment = new CertAttachment
                    {
                        Id = Guid.NewGuid(), OrganizationId = org, SerialId = serial.Id, CertificateId = cert.Id, StepId = step.Id, AttachedBy = worker.Id, AttachedAt = when,
                    };
                    attachments.Add(attachment);
                    happened.Add(new Happening(when, worker, SerialAudit.CertAttached, SerialAudit.SerialEntity, serial.Id, null, SerialAudit.AttachedPayload(
                        attachment.Id, worker.Id, serial.Id, serial.SerialNumber, cert.Id, cert.Number, order.Id, order.Number, order.PathId, order.Path!.Code,
                        step.Id, step.Sequence, step.Name, when, worker.Id, worker.Email)));
                }

                for (var j = 0; j <= target; j++)
                {
                    var step = steps[j];
                    // Material certificates go with the material at the first step, process certificates where the work is checked.
                    if (j == 0 && (k % 2 == 0 || completed) && (target > 0 || completed)) Attach(materials[k % materials.Count], step, at.AddMinutes(20));
                    if (j == 2 && j < target && k % 3 == 0) Attach(processes[k % processes.Count], step, at.AddMinutes(40));
                    if (j == target && k % 4 == 1) Attach(processes[(k + 1) % processes.Count], step, at.AddMinutes(10));
                    if (j == steps.Count - 1 && completed) Attach(processes[0], step, at.AddMinutes(30));
                    if (j == target && !completed) break;

                    var done = at.AddHours(4).AddMinutes((k * 7 + j * 13) % 50);
                    events.Add(StepEvent(serial, step, StepEvents.Completed, worker, done));
                    if (j + 1 < steps.Count)
                    {
                        events.Add(StepEvent(serial, steps[j + 1], StepEvents.Started, worker, done));
                        happened.Add(new Happening(done, worker, SerialAudit.Advanced, SerialAudit.SerialEntity, serial.Id, new { currentStepIndex = j },
                            SerialAudit.AdvancedPayload(worker.Id, j, step.Name, j + 1, steps[j + 1].Name)));
                    }
                    else
                    {
                        serial.Status = SerialStatus.Completed;
                        serial.CompletedAt = done;
                        happened.Add(new Happening(done, worker, SerialAudit.Completed, SerialAudit.SerialEntity, serial.Id,
                            new { status = SerialStatus.InProgress, currentStepIndex = j }, SerialAudit.CompletedPayload(worker.Id, j, step.Name, done)));
                    }
                    at = done;
                }
                serial.CurrentStepIndex = completed ? Serial.CompletedStepIndex : target;
                serial.UpdatedAt = completed ? serial.CompletedAt!.Value : at;
                if (scrapped)
                {
                    var step = steps[target];
                    var (code, reason) = ScrapReasons[context.IsPrimary ? 0 : 1];
                    var label = ScrapReasonDefaults.List.Single(d => d.Code == code).Label;
                    var when = at.AddHours(1);
                    serial.Status = SerialStatus.Scrapped;
                    serial.ScrapReason = reason;
                    serial.ScrapReasonCode = code;
                    serial.ScrappedAt = when;
                    serial.UpdatedAt = when;
                    events.Add(StepEvent(serial, step, StepEvents.Scrapped, worker, when, SerialAudit.ScrapNote(code, label, reason)));
                    happened.Add(new Happening(when, worker, SerialAudit.Scrapped, SerialAudit.SerialEntity, serial.Id, new { status = SerialStatus.InProgress },
                        SerialAudit.ScrappedPayload(worker.Id, target, step.Name, reason, when, code, label)));
                }
            }
        }
        db.AddRange(events);
        db.AddRange(attachments);
        await SerialDayTallies.AddAsync(db, serials, ct);

        // The audit trail in the order things happened, by the people who did them (the seed has no signed-in caller).
        foreach (var h in happened.OrderBy(h => h.At))
        {
            var entry = await audit.AppendAsync(db, h.Action, h.EntityType, h.EntityId.ToString(), h.Before, h.After, org, ct);
            entry.UserId = h.User.Id;
            entry.UserEmail = h.User.Email;
            entry.At = SerialLookup.Truncate(h.At);
            entry.Hash = AuditTrail.ComputeHash(entry);
        }
    }

    private static SerialStepEvent StepEvent(Serial serial, ProcessStep step, string kind, AppUser user, DateTime at, string? note = null) => new()
    {
        Id = Guid.NewGuid(), OrganizationId = serial.OrganizationId, SerialId = serial.Id, StepId = step.Id, StepIndex = step.Sequence, StepName = step.Name,
        Event = kind, UserId = user.Id, At = at, Note = note,
    };
}
