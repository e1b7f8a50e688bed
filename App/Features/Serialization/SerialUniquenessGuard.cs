using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serialization;

/// <summary>
/// The check every path that brings a serial number into the plant runs before the number enters (vendor accept,
/// generation, placeholder assignment), so a conflicting number never enters silently. The uniqueness feature
/// (spec section 5) owns the scopes and the conflict records; this is its entry point for the other flows.
/// </summary>
public sealed class SerialUniquenessGuard
{
    /// <summary>
    /// Refuses a number another live (not cancelled) unit of the same part already carries in the caller's
    /// organization. Runs inside the caller's transaction.
    /// </summary>
    public async Task<Result<Unit>> EnsureUniqueAsync(OperatorDb db, string serialNumber, Guid partId, string? siteId, CancellationToken ct = default)
    {
        var taken = await db.Set<Serial>().AnyAsync(s => s.SerialNumber == serialNumber && s.PartId == partId && s.Status != SerialStatus.Cancelled, ct);
        return taken ? Error.Conflict($"Serial number {serialNumber} is already in use for this part") : Unit.Value;
    }
}
