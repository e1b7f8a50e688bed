using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;

namespace Operator.Features.Serialization;

/// <summary>What a signature on a uniqueness resolution covers: the number, part, claimants and the resolution with who and when.</summary>
public sealed class UniquenessSignatures : ISignedRecords
{
    public const string Type = "uniqueness_conflict";
    public const string ActionResolved = "uniqueness_conflict_resolved";

    public string RecordType => Type;

    public static string Content(UniquenessConflict c) => JsonSerializer.Serialize(new
    {
        c.SerialNumber, c.PartId, c.ConflictingSerialIds, c.Resolution, c.RetiredSerialId, c.ResolutionReason, c.ResolvedBy,
        ResolvedAt = c.ResolvedAt is { } at ? ElectronicSignature.Time(at) : null,
    });

    public async Task<string?> ContentAsync(OperatorDb db, string recordId, string action, CancellationToken ct)
    {
        if (!Guid.TryParse(recordId, out var id) || action != ActionResolved) return null;
        var conflict = await db.Set<UniquenessConflict>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return conflict is null ? null : Content(conflict);
    }
}
