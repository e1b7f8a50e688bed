using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Operator.Infrastructure.Auth;

namespace Operator.Components.Account;

public static class AccountEndpoints
{
    /// <summary>
    /// Sign-out is a form POST that must carry the antiforgery token of the layout's sign-out form, so another site
    /// cannot sign a user out. The endpoint binds no form fields, so nothing checks the token unless it does.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, SignInManager<AppUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Text("Sign out from the button on an Operator page: this request did not come from one, so you are still signed in.", statusCode: StatusCodes.Status400BadRequest);
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
        return app;
    }
}
