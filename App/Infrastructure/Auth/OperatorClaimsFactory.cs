using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Operator.Infrastructure.Auth;

/// <summary>Every principal, cookie or bearer, carries the user's organization and its one role.</summary>
public sealed class OperatorClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options, OperatorDbOrganizations organizations)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var code = await organizations.CodeOfAsync(user.OrganizationId);
        identity.AddClaim(new Claim(OperatorClaims.OrganizationId, user.OrganizationId.ToString()));
        identity.AddClaim(new Claim(OperatorClaims.OrganizationCode, code ?? ""));
        identity.AddClaim(new Claim(OperatorClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        return identity;
    }
}
