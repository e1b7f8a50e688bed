using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serialization;

/// <summary>
/// Per demo organization, so the serialization screens have something to show: a monthly serial format for the second
/// part with a MANUAL batch trigger (5 per firing) and an inactive OPERATION_COMPLETE late-assignment trigger at OP-030,
/// MA01 also a public-code format; three vendor serials of the third part (two pending, one rejected); two placeholders
/// waiting on WO-00002 at OP-020. No serial is created and no trigger fires on the seeded work orders.
/// </summary>
public sealed class SerializationWorkflowsDemoSeed : IDemoSeed
{
    public int Order => 40;

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var db = context.Db;
        var org = context.Organization.Id;
        var now = context.Now;
        var audit = context.Services.GetRequiredService<AuditTrail>();
        var admin = context.UsersByRole.GetValueOrDefault(Infrastructure.Auth.Roles.Admin);
        var parts = await db.Set<Part>().IgnoreQueryFilters().Where(p => p.OrganizationId == org).OrderBy(p => p.Number).ToListAsync(ct);
        if (parts.Count < 3) return;
        var (second, third) = (parts[1], parts[2]);

        var monthly = new SerialFormat
        {
            OrganizationId = org, Name = $"{second.Sku} monthly", Kind = FormatKinds.Pattern, Pattern = $"{second.Sku}-{{YYYY}}{{MM}}-{{SEQ:4}}",
            ResetPolicy = SequenceReset.Monthly, CreatedBy = admin?.Id, CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-20),
        };
        db.Add(monthly);
        var formats = new List<SerialFormat> { monthly };
        if (context.IsPrimary)
        {
            formats.Add(new SerialFormat
            {
                OrganizationId = org, Name = "Public code (HAT)", Kind = FormatKinds.PublicCode, Pattern = SerialFormatService.PublicCodePattern,
                ResetPolicy = SequenceReset.Daily, ProductionType = "HAT", CreatedBy = admin?.Id, CreatedAt = now.AddDays(-20), UpdatedAt = now.AddDays(-20),
            });
            db.Add(formats[^1]);
        }

        var triggers = new[]
        {
            new SerialTrigger
            {
                OrganizationId = org, PartId = second.Id, TriggerType = TriggerTypes.Manual, AssignmentType = AssignmentTypes.SystemGenerated,
                FormatId = monthly.Id, BatchMode = true, BatchSize = 5, IsActive = true, CreatedBy = admin?.Id, UpdatedBy = admin?.Id,
                CreatedAt = now.AddDays(-19), UpdatedAt = now.AddDays(-19),
            },
            new SerialTrigger
            {
                OrganizationId = org, PartId = second.Id, TriggerType = TriggerTypes.OperationComplete, AssignmentType = AssignmentTypes.LateAssignment,
                OperationCode = "OP-030", IsActive = false, CreatedBy = admin?.Id, UpdatedBy = admin?.Id, CreatedAt = now.AddDays(-18), UpdatedAt = now.AddDays(-18),
            },
        };
        db.AddRange(triggers);

        var vendor = context.IsPrimary ? "Riri SA" : "Bossard AG";
        var prefix = context.IsPrimary ? "RR" : "BS";
        var vendorSerials = Enumerable.Range(1, 3).Select(i => new VendorSerial
        {
            OrganizationId = org, PartId = third.Id, VendorName = vendor, VendorSerialNumber = $"{prefix}-{now:yy}-{i:D4}",
            Status = i == 3 ? VendorSerialStatus.Rejected : VendorSerialStatus.Pending, ReceivedAt = now.AddHours(-30 + i),
            RejectionReason = i == 3 ? "Label unreadable: the vendor's number does not scan" : null, RejectedAt = i == 3 ? now.AddHours(-20) : null,
            RejectedBy = i == 3 ? context.UsersByRole.GetValueOrDefault(Infrastructure.Auth.Roles.QaManager)?.Id : null,
            CreatedAt = now.AddHours(-30 + i), UpdatedAt = i == 3 ? now.AddHours(-20) : now.AddHours(-30 + i),
        }).ToList();
        db.AddRange(vendorSerials);

        var order = await db.Set<WorkOrder>().IgnoreQueryFilters().Where(w => w.OrganizationId == org && w.PartId == second.Id).OrderBy(w => w.Number).FirstOrDefaultAsync(ct);
        var placeholders = order is null ? [] : Enumerable.Range(0, 2).Select(i => new Placeholder
        {
            OrganizationId = org, PartId = second.Id, WorkOrderId = order.Id, OperationCode = "OP-020", Quantity = 1,
            Status = PlaceholderStatus.Pending, CreatedBy = context.UsersByRole.GetValueOrDefault(Infrastructure.Auth.Roles.Operator)?.Id,
            CreatedAt = now.AddHours(-3 + 2 * i),
        }).ToList();
        db.AddRange(placeholders);
        await db.SaveChangesAsync(ct);

        foreach (var f in formats)
        {
            await audit.AppendAsync(db, "serial_format_created", SerialFormatService.AuditType, f.Id.ToString(), after: SerialFormatService.ToDto(f), organizationId: org, ct: ct);
        }
        foreach (var t in triggers)
        {
            await audit.AppendAsync(db, "trigger_created", TriggerService.AuditType, t.Id.ToString(), after: TriggerService.ToDto(t), organizationId: org, ct: ct);
        }
        foreach (var v in vendorSerials)
        {
            await audit.AppendAsync(db, "vendor_serial_received", VendorSerialService.AuditType, v.Id.ToString(),
                after: new { v.VendorSerialNumber, v.VendorName, v.PartId, status = VendorSerialStatus.Pending }, organizationId: org, ct: ct);
            if (v.Status == VendorSerialStatus.Rejected)
            {
                await audit.AppendAsync(db, "vendor_serial_rejected", VendorSerialService.AuditType, v.Id.ToString(),
                    before: new { status = VendorSerialStatus.Pending }, after: new { status = v.Status, rejectionReason = v.RejectionReason }, organizationId: org, ct: ct);
            }
        }
        foreach (var p in placeholders)
        {
            await audit.AppendAsync(db, "placeholder_created", PlaceholderService.AuditType, p.Id.ToString(),
                after: new { p.PartId, p.WorkOrderId, p.OperationCode, p.Quantity, p.Status }, organizationId: org, ct: ct);
        }
    }
}
