using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serialization;

/// <summary>The scopes a claim declares (from its registrations) or a candidate asks for.</summary>
internal readonly record struct ScopeSet(bool Site, bool Enterprise, bool PartType)
{
    public static ScopeSet From(IEnumerable<string> scopes)
    {
        var list = scopes.ToList();
        return new(list.Contains(UniquenessScopes.Site), list.Contains(UniquenessScopes.Enterprise), list.Contains(UniquenessScopes.PartType));
    }

    public ScopeSet Or(ScopeSet other) => new(Site || other.Site, Enterprise || other.Enterprise, PartType || other.PartType);

    public IReadOnlyList<string> Names()
    {
        var names = new List<string>(3);
        if (Site) names.Add(UniquenessScopes.Site);
        if (Enterprise) names.Add(UniquenessScopes.Enterprise);
        if (PartType) names.Add(UniquenessScopes.PartType);
        return names;
    }

    public bool Any => Site || Enterprise || PartType;
}

/// <summary>
/// Someone holding a serial number: a live unit (any status but cancelled) carrying it, or a number registered for
/// uniqueness without a unit (a reservation). A unit's registrations are not separate claimants: they declare the
/// scopes the unit's number must be unique in. <see cref="Id"/> is the unit's serial id, or the registration's id.
/// </summary>
internal sealed record Claim(Guid Id, bool IsUnit, Guid PartId, string? SiteId, ScopeSet Declared, IReadOnlyList<Guid> RegistrationIds);

/// <summary>One claimant another collides with, and the scopes they collide in.</summary>
internal sealed record Collision(Claim With, ScopeSet Scopes);

/// <summary>
/// The uniqueness rules in one place, used by the API (check, register, resolve, report) and by every flow that brings
/// a number into the plant (<see cref="SerialUniquenessGuard"/>). Two claimants of one number collide in a scope when
/// either of them asks for that scope and they share its key: PART_TYPE = the same part, SITE = the same known site,
/// ENTERPRISE = the organization (always). Claimants a KEEP_BOTH resolution accepted together never collide again.
/// </summary>
internal static class UniquenessRules
{
    /// <summary>
    /// Serializes everything that decides who holds a number in an organization: the counter row's lock on PostgreSQL
    /// (held to commit, so under READ COMMITTED the next writer re-reads after the first committed), SQLite's write
    /// lock already. Must run inside the caller's transaction, before its audit entry (always the same lock order).
    /// </summary>
    public static Task LockAsync(OperatorDb db, Guid organizationId, CancellationToken ct) => db.NextAsync(organizationId, "uniqueness", 1, ct);

    public static async Task<List<Claim>> LoadClaimsAsync(OperatorDb db, string serialNumber, CancellationToken ct)
    {
        var units = await db.Set<Serial>().AsNoTracking()
            .Where(s => s.SerialNumber == serialNumber && s.Status != SerialStatus.Cancelled)
            .Select(s => new { s.Id, s.PartId, s.SiteId })
            .ToListAsync(ct);
        var registrations = await db.Set<UniquenessRegistration>().AsNoTracking()
            .Where(r => r.SerialNumber == serialNumber)
            .Select(r => new { r.Id, r.SerialId, r.PartId, r.SiteId, r.SiteLevel, r.EnterpriseLevel, r.PartTypeLevel })
            .ToListAsync(ct);

        var claims = new List<Claim>();
        foreach (var unit in units.OrderBy(u => u.Id))
        {
            var own = registrations.Where(r => r.SerialId == unit.Id).ToList();
            var declared = own.Aggregate(default(ScopeSet), (acc, r) => acc.Or(new ScopeSet(r.SiteLevel, r.EnterpriseLevel, r.PartTypeLevel)));
            claims.Add(new Claim(unit.Id, true, unit.PartId, unit.SiteId ?? own.Select(r => r.SiteId).FirstOrDefault(s => s is not null),
                declared, own.Select(r => r.Id).ToList()));
        }
        // Registrations of a cancelled (retired) unit end with it; those without a unit are claimants themselves.
        foreach (var r in registrations.Where(r => r.SerialId is null).OrderBy(r => r.Id))
        {
            claims.Add(new Claim(r.Id, false, r.PartId, r.SiteId, new ScopeSet(r.SiteLevel, r.EnterpriseLevel, r.PartTypeLevel), [r.Id]));
        }
        return claims;
    }

    /// <summary>The sets of claimants KEEP_BOTH resolutions accepted together for this number.</summary>
    public static async Task<List<HashSet<Guid>>> AcceptedTogetherAsync(OperatorDb db, string serialNumber, CancellationToken ct)
    {
        var kept = await db.Set<UniquenessConflict>().AsNoTracking()
            .Where(c => c.SerialNumber == serialNumber && c.Status == ConflictStatus.Resolved && c.Resolution == ConflictResolutions.KeepBoth)
            .Select(c => c.ConflictingSerialIds).ToListAsync(ct);
        return kept.Select(ids => ParseIds(ids).ToHashSet()).ToList();
    }

    /// <summary>
    /// Who a candidate (a unit of <paramref name="partId"/> at <paramref name="siteId"/> asking for <paramref name="scopes"/>)
    /// collides with, leaving out the claimants that are the candidate itself.
    /// </summary>
    public static List<Collision> Collisions(IEnumerable<Claim> claims, Guid partId, string? siteId, ScopeSet scopes, IReadOnlyCollection<Guid> self,
        IReadOnlyList<HashSet<Guid>> acceptedTogether)
    {
        var result = new List<Collision>();
        foreach (var other in claims)
        {
            if (self.Contains(other.Id)) continue;
            if (self.Count > 0 && acceptedTogether.Any(set => set.Contains(other.Id) && self.Any(set.Contains))) continue;
            var asked = scopes.Or(other.Declared);
            var shared = new ScopeSet(
                asked.Site && siteId is not null && other.SiteId is not null && string.Equals(siteId, other.SiteId, StringComparison.Ordinal),
                asked.Enterprise,
                asked.PartType && other.PartId == partId);
            if (shared.Any) result.Add(new Collision(other, shared));
        }
        return result;
    }

    public static string? ConflictType(IReadOnlyCollection<Collision> collisions) =>
        collisions.Count == 0 ? null
        : collisions.Any(c => c.With.IsUnit) ? ConflictTypes.DuplicateSerial
        : ConflictTypes.DuplicateRegistration;

    public static ScopeSet Union(IEnumerable<Collision> collisions) => collisions.Aggregate(default(ScopeSet), (acc, c) => acc.Or(c.Scopes));

    public static IEnumerable<Guid> ParseIds(string? joined) =>
        (joined ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Guid.TryParse(s, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty);

    public static string JoinIds(IEnumerable<Guid> ids) => string.Join(",", ids.Distinct());

    public static IReadOnlyList<string> ParseScopes(string? joined) =>
        UniquenessScopes.All.Where(s => (joined ?? "").Split(',', StringSplitOptions.TrimEntries).Contains(s)).ToList();
}
