using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serialization;

/// <summary>
/// The check every path that brings a serial number into the plant runs before the number enters (vendor accept,
/// generation, placeholder assignment), so a conflicting number never enters silently. It applies the uniqueness rules
/// of spec section 5 (<see cref="UniquenessRules"/>): the number may not be carried by another live unit of the same
/// part (PART_TYPE), by another unit at the same site when the site is known (SITE), nor collide with a registration
/// that asks for a scope the new unit falls in (an ENTERPRISE registration of the number blocks it for every part; a
/// number registered without a unit is held by that registration). A conflict is refused (409 CONFLICT) and nothing is
/// recorded: the number never entered, so there is no pair of units for QA to decide between; the caller says no.
/// </summary>
public sealed class SerialUniquenessGuard
{
    /// <summary>
    /// Runs inside the caller's transaction and takes the organization's uniqueness lock first, so two concurrent flows
    /// bringing in the same number get one success and one refusal (the lock is held until the caller commits the new
    /// unit). Call it before appending the audit entry, so every writer takes the two locks in the same order.
    /// </summary>
    public async Task<Result<Unit>> EnsureUniqueAsync(OperatorDb db, string serialNumber, Guid partId, string? siteId, CancellationToken ct = default)
    {
        var org = db.TenantId ?? throw new InvalidOperationException("The uniqueness check needs an organization.");
        var number = serialNumber.Trim();
        await UniquenessRules.LockAsync(db, org, ct);
        var claims = await UniquenessRules.LoadClaimsAsync(db, number, ct);
        var scopes = new ScopeSet(Site: siteId is not null, Enterprise: false, PartType: true);
        var collisions = UniquenessRules.Collisions(claims, partId, siteId, scopes, [], []);
        if (collisions.Count == 0) return Unit.Value;

        var where = UniquenessRules.Union(collisions);
        return Error.Conflict(
            where.PartType ? $"Serial number {number} is already in use for this part"
            : where.Site ? $"Serial number {number} is already in use at site {siteId}"
            : $"Serial number {number} is registered as unique across the organization");
    }
}
