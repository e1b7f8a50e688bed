using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Auth;

/// <summary>How stale a bearer token's view of its user may get (<c>Auth:RevalidateSeconds</c>, at most 60).</summary>
public sealed class UserAccessOptions
{
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>What the user record says now: the part of it that decides what a signed-in principal may do.</summary>
public sealed record UserAccessState(Guid UserId, Guid OrganizationId, string? SecurityStamp, bool IsActive, string Role, string DisplayName);

/// <summary>
/// Keeps signed-in principals in step with their user record, so a deactivation or role change reaches tokens and
/// open pages that were issued before it. Bearer requests read the record through a per-user cache of at most
/// <see cref="UserAccessOptions.Window"/> (one read per user and window, not one per request); a change made on this
/// instance drops its entry at once, a change made on another instance is seen when the window ends.
/// </summary>
public sealed class UserAccess(DatabaseSettings database, TimeProvider time, IOptions<UserAccessOptions> options, IOptions<IdentityOptions> identity)
{
    private readonly ConcurrentDictionary<Guid, (UserAccessState? State, DateTimeOffset ReadAt)> _cache = new();

    /// <summary>Forget what is cached for the user: the next request reads the record.</summary>
    public void Invalidate(Guid userId) => _cache.TryRemove(userId, out _);

    /// <summary>The user's current state, from the cache when it is younger than the window.</summary>
    public async Task<UserAccessState?> CachedAsync(Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(userId, out var entry) && now - entry.ReadAt < options.Value.Window && now >= entry.ReadAt)
        {
            return entry.State;
        }
        var state = await ReadAsync(userId, ct);
        _cache[userId] = (state, now);
        return state;
    }

    /// <summary>The user's current state, read from the database.</summary>
    public async Task<UserAccessState?> ReadAsync(Guid userId, CancellationToken ct)
    {
        await using var db = OperatorDbFactory.Create(database.Options, database.Provider, FixedUser.Nobody);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new UserAccessState(u.Id, u.OrganizationId, u.SecurityStamp, u.IsActive, u.Role, u.DisplayName))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// The principal as the record allows it now, or null when it must no longer be honoured (the user is gone,
    /// deactivated or moved to another organization). An unchanged security stamp keeps the principal as it is; a
    /// changed one (a role change, among others) takes the role and name from the record, so the caller gets exactly
    /// what the current role allows.
    /// </summary>
    public static ClaimsPrincipal? Apply(ClaimsPrincipal principal, UserAccessState? state, string stampClaimType)
    {
        if (state is null || !state.IsActive) return null;
        if (principal.FindFirstValue(OperatorClaims.OrganizationId) != state.OrganizationId.ToString()) return null;
        if (principal.FindFirstValue(stampClaimType) == state.SecurityStamp && principal.FindFirstValue(ClaimTypes.Role) == state.Role)
        {
            return principal;
        }
        var source = principal.Identities.First(i => i.IsAuthenticated);
        var identity = new ClaimsIdentity(
            source.Claims.Where(c => c.Type is not (ClaimTypes.Role or OperatorClaims.DisplayName)),
            source.AuthenticationType, source.NameClaimType, source.RoleClaimType);
        identity.AddClaim(new Claim(ClaimTypes.Role, state.Role));
        identity.AddClaim(new Claim(OperatorClaims.DisplayName, state.DisplayName));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Checks a bearer token's principal against the (cached) record: see <see cref="Apply"/>.</summary>
    public async Task<ClaimsPrincipal?> CheckBearerAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return null;
        return Apply(principal, await CachedAsync(userId, ct), identity.Value.ClaimsIdentity.SecurityStampClaimType);
    }
}
