using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Operator.Infrastructure.Api;

namespace Operator.Infrastructure.Auth;

public sealed record SignInRequest(string? Email, string? Password);
public sealed record RefreshRequest([property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken);

/// <summary><c>{"access_token", "refresh_token", "token_type": "Bearer", "expires_in"}</c></summary>
public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string RefreshToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] long ExpiresIn);

/// <summary>
/// Issues the API's bearer tokens. They are ASP.NET Core's data-protected bearer tokens (no signing key to manage):
/// a forged or altered token does not unprotect, an expired one is refused by the handler, and a refresh token is
/// only honoured while the user's security stamp is unchanged (password reset, lockout, deactivation revoke it).
/// </summary>
public sealed class TokenService(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    TimeProvider time)
{
    public const string InvalidCredentials = "Invalid email or password";

    public async Task<Result<TokenResponse>> SignInAsync(SignInRequest request)
    {
        var issues = new List<FieldIssue>();
        if (string.IsNullOrWhiteSpace(request.Email)) issues.Add(new FieldIssue("email", "email is required"));
        if (string.IsNullOrEmpty(request.Password)) issues.Add(new FieldIssue("password", "password is required"));
        if (issues.Count > 0) return Error.Validation("email and password are required", issues);

        // Unknown, inactive, wrong password and locked out all get the same answer, so a caller cannot learn from it
        // which accounts exist (a lockout says that one does); the admin's user list shows who is locked out.
        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is null || !user.IsActive)
        {
            return Error.Unauthorized(InvalidCredentials);
        }
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        return check.Succeeded ? await IssueAsync(user) : Error.Unauthorized(InvalidCredentials);
    }

    public async Task<Result<TokenResponse>> RefreshAsync(RefreshRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return Error.Validation("refresh_token", "refresh_token is required");
        }
        var options = bearerOptions.Get(IdentityConstants.BearerScheme);
        AuthenticationTicket? ticket;
        try
        {
            ticket = options.RefreshTokenProtector.Unprotect(request.RefreshToken);
        }
        catch (Exception)
        {
            ticket = null;
        }
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= time.GetUtcNow())
        {
            return Error.Unauthorized("Invalid or expired refresh token");
        }
        var user = await signIn.ValidateSecurityStampAsync(ticket.Principal);
        if (user is null || !user.IsActive || await users.IsLockedOutAsync(user))
        {
            return Error.Unauthorized("Invalid or expired refresh token");
        }
        return await IssueAsync(user);
    }

    private async Task<TokenResponse> IssueAsync(AppUser user)
    {
        var options = bearerOptions.Get(IdentityConstants.BearerScheme);
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var now = time.GetUtcNow();
        var access = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration }, IdentityConstants.BearerScheme);
        var refresh = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.RefreshTokenExpiration }, IdentityConstants.BearerScheme);
        return new TokenResponse(
            options.BearerTokenProtector.Protect(access),
            options.RefreshTokenProtector.Protect(refresh),
            "Bearer",
            (long)options.BearerTokenExpiration.TotalSeconds);
    }
}
