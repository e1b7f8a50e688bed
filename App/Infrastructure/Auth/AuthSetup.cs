using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Infrastructure.Auth;

public static class AuthSetup
{
    private const string SmartScheme = "Operator";

    public static IServiceCollection AddOperatorAuth(this IServiceCollection services, IConfiguration config)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultForbidScheme = SmartScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignOutScheme = IdentityConstants.ApplicationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(SmartScheme, "Cookie or bearer", null)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromMinutes(config.GetValue("Auth:AccessTokenMinutes", 60));
                o.RefreshTokenExpiration = TimeSpan.FromDays(config.GetValue("Auth:RefreshTokenDays", 14));
            })
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "Operator.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            // An API request never gets redirected to a sign-in page: it gets its status, written in the group's shape.
            o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = config.GetValue("Auth:MaxFailedAttempts", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(config.GetValue("Auth:LockoutMinutes", 15));
            })
            .AddEntityFrameworkStores<OperatorDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<OperatorClaimsFactory>();

        services.AddScoped<OperatorDbOrganizations>();
        services.AddScoped<TokenService>();

        // Revocation: bearer tokens, cookies and open circuits all look at the user record again within the window.
        // Read when first used: the configuration is complete only once the host is built.
        services.AddOptions<UserAccessOptions>().Configure<IConfiguration>((o, c) =>
            o.Window = TimeSpan.FromSeconds(Math.Clamp(c.GetValue("Auth:RevalidateSeconds", 30), 1, 60)));
        services.AddSingleton<UserAccess>();
        services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider, IOptions<UserAccessOptions>>((o, time, access) =>
        {
            o.ValidationInterval = access.Value.Window;
            o.TimeProvider = time;
        });
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingUserStateProvider>();
        services.AddDatabaseKeyRing();

        services.AddAuthorizationBuilder()
            // Secure by default: an endpoint or page that says nothing requires a signed-in user.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddMatrixPolicies();
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>
    /// Anonymous, and nothing the endpoint runs reads the caller (public verification, health, the bench ping): the
    /// default scheme is not even asked, so such requests pay nothing for cookie or bearer handling.
    /// </summary>
    public static TBuilder WithoutAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithMetadata(SkipsAuthentication.Instance);

    /// <summary>False for endpoints marked <see cref="WithoutAuthentication{TBuilder}"/>; true for every other request.</summary>
    public static bool NeedsAuthentication(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<SkipsAuthentication>() is null;

    private static AuthorizationBuilder AddMatrixPolicies(this AuthorizationBuilder builder)
    {
        foreach (var (policy, roles) in Policies.Matrix)
        {
            builder.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }
        return builder;
    }

    /// <summary>
    /// Bearer when the caller sends one. The browser's cookie is honoured for pages and for API reads (report
    /// downloads from a page); an API write with only a cookie is treated as unauthenticated, which keeps the API
    /// out of reach of cross-site request forgery.
    /// </summary>
    internal static string SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return IdentityConstants.BearerScheme;
        }
        if (ApiGroupExtensions.IsApi(context) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return IdentityConstants.BearerScheme;
        }
        return IdentityConstants.ApplicationScheme;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ApiGroupExtensions.IsApi(ctx.HttpContext))
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }
        return Task.CompletedTask;
    }
}

/// <summary>Endpoint metadata: see <see cref="AuthSetup.WithoutAuthentication{TBuilder}"/>.</summary>
public sealed class SkipsAuthentication
{
    public static readonly SkipsAuthentication Instance = new();

    private SkipsAuthentication() { }
}
