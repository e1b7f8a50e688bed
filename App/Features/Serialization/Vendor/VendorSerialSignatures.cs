using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;

namespace Operator.Features.Serialization;

/// <summary>What a signature on a vendor serial decision covers: the vendor's number, vendor and part, and the decision's facts with who and when.</summary>
public sealed class VendorSerialSignatures : ISignedRecords
{
    public const string ActionAccepted = "vendor_serial_accepted";
    public const string ActionRejected = "vendor_serial_rejected";

    public string RecordType => VendorSerialService.AuditType;

    public static string Content(VendorSerial v, string action) => action switch
    {
        ActionAccepted => JsonSerializer.Serialize(new
        {
            v.VendorSerialNumber, v.VendorName, v.PartId, v.InternalSerialId, v.AcceptedBy,
            AcceptedAt = v.AcceptedAt is { } at ? ElectronicSignature.Time(at) : null,
        }),
        ActionRejected => JsonSerializer.Serialize(new
        {
            v.VendorSerialNumber, v.VendorName, v.PartId, v.RejectionReason, v.RejectedBy,
            RejectedAt = v.RejectedAt is { } at ? ElectronicSignature.Time(at) : null,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a signed vendor serial decision"),
    };

    public async Task<string?> ContentAsync(OperatorDb db, string recordId, string action, CancellationToken ct)
    {
        if (!Guid.TryParse(recordId, out var id) || action is not (ActionAccepted or ActionRejected)) return null;
        var row = await db.Set<VendorSerial>().AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
        return row is null ? null : Content(row, action);
    }
}
