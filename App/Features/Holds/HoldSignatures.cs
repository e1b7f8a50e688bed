using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;

namespace Operator.Features.Holds;

/// <summary>
/// What a signature on a hold decision covers: the hold's number and the decision's own facts (the disposition and
/// notes of a release, the archiving of a disposal), each with who decided and when. A release stays verifiable after
/// the hold is disposed, because disposing changes none of the release's facts.
/// </summary>
public sealed class HoldSignatures : ISignedRecords
{
    public string RecordType => HoldAudit.EntityType;

    public static string Content(QualityHold hold, string action) => action switch
    {
        HoldAudit.ActionReleased => JsonSerializer.Serialize(new
        {
            hold_number = hold.HoldNumber,
            disposition = hold.Disposition,
            release_notes = hold.ReleaseNotes,
            // Items released with another disposition than the hold's are part of the decision too.
            item_dispositions = HoldItemDispositions.Differing(hold),
            released_by = hold.ReleasedById,
            released_at = hold.ReleasedAt is { } at ? ElectronicSignature.Time(at) : null,
        }),
        HoldAudit.ActionDisposed => JsonSerializer.Serialize(new
        {
            hold_number = hold.HoldNumber,
            status = hold.Status,
            disposed_by = hold.DisposedById,
            disposed_at = hold.DisposedAt is { } at ? ElectronicSignature.Time(at) : null,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a signed hold decision"),
    };

    public async Task<string?> ContentAsync(OperatorDb db, string recordId, string action, CancellationToken ct)
    {
        if (!Guid.TryParse(recordId, out var id) || action is not (HoldAudit.ActionReleased or HoldAudit.ActionDisposed)) return null;
        var hold = await db.Set<QualityHold>().AsNoTracking().Include(h => h.Items).SingleOrDefaultAsync(h => h.Id == id, ct);
        return hold is null ? null : Content(hold, action);
    }
}
