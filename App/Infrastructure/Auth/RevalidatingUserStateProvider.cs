using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Operator.Infrastructure.Auth;

/// <summary>
/// A Blazor circuit lives for hours on the principal it started with. Every <see cref="UserAccessOptions.Window"/> it
/// is checked against the user record (read afresh, not from the bearer cache): a changed security stamp (role
/// change, deactivation) or a user that is gone or inactive signs the circuit out, so its pages drop to sign-in;
/// a role or name that changed without a new stamp is taken over, so the pages lose what the role no longer allows.
/// </summary>
public sealed class RevalidatingUserStateProvider(ILoggerFactory logs, UserAccess access, IOptions<UserAccessOptions> options, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => options.Value.Window;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        RevalidateAsync(authenticationState, cancellationToken);

    /// <summary>One revalidation: false means the circuit must sign out; a refreshed principal becomes the circuit's state.</summary>
    public async Task<bool> RevalidateAsync(AuthenticationState state, CancellationToken ct)
    {
        var principal = state.User;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return false;
        var current = await access.ReadAsync(userId, ct);
        var stampType = identity.Value.ClaimsIdentity.SecurityStampClaimType;
        if (current is null || principal.FindFirstValue(stampType) != current.SecurityStamp) return false;
        var refreshed = UserAccess.Apply(principal, current, stampType);
        if (refreshed is null) return false;
        if (!ReferenceEquals(refreshed, principal))
        {
            SetAuthenticationState(Task.FromResult(new AuthenticationState(refreshed)));
        }
        return true;
    }
}
