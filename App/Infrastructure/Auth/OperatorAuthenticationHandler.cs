using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Operator.Infrastructure.Auth;

/// <summary>
/// The app's default scheme: cookie or bearer as <see cref="AuthSetup.SelectScheme"/> decides. A bearer token is
/// honoured only as far as its user record allows now (<see cref="UserAccess"/>): a deactivated user's token is
/// refused (401) and a demoted user's token carries the current role (403 where it no longer reaches). The cookie
/// gets the same from Identity's security-stamp validator.
/// </summary>
internal sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserAccess access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Endpoints that never read the caller (WithoutAuthentication) skip the cookie and bearer handlers' work.
        if (!AuthSetup.NeedsAuthentication(Context))
        {
            return AuthenticateResult.NoResult();
        }
        var scheme = AuthSetup.SelectScheme(Context);
        var result = await Context.AuthenticateAsync(scheme);
        if (scheme != IdentityConstants.BearerScheme || !result.Succeeded)
        {
            return result;
        }
        var principal = await access.CheckBearerAsync(result.Principal, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The token's user is no longer active")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, result.Properties, result.Ticket.AuthenticationScheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Context.ChallengeAsync(AuthSetup.SelectScheme(Context), properties);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Context.ForbidAsync(AuthSetup.SelectScheme(Context), properties);
}
