using Microsoft.AspNetCore.Identity;
using Operator.Infrastructure.Auth;

namespace Operator.Components.Account;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a form POST with an antiforgery token, so another site cannot sign a user out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
        return app;
    }
}
