using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Operator.Components.Shared;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Tenancy;

namespace Operator.Tests.Support;

/// <summary>
/// A bunit context for Operator's pages: MudBlazor's services, JavaScript calls answered loosely, and, once a test
/// signs a demo user in, the app's real services (over the test app's database) in one scope for that user.
/// MudBlazor's services are only asynchronously disposable, so the context is disposed through IAsyncLifetime.
/// </summary>
public abstract class PageTest : BunitContext, IAsyncLifetime
{
    private AsyncServiceScope? _scope;

    protected PageTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddScoped<BrowserTimeZone>();
    }

    /// <summary>Signs in a demo user of the test app: pages see that user's claims, role and policies, and get the app's services.</summary>
    protected async Task<ClaimsPrincipal> SignInAsync(OperatorFactory app, string email)
    {
        _scope = app.Services.CreateAsyncScope();
        var principal = await DemoUsers.PrincipalAsync(_scope.Value.ServiceProvider, email);
        _scope.Value.ServiceProvider.GetRequiredService<CurrentUser>().Set(principal);
        Authorize(principal);
        Services.AddFallbackServiceProvider(_scope.Value.ServiceProvider);
        return principal;
    }

    /// <summary>Signs in a made-up user (no database): for components that need only the claims.</summary>
    protected void SignIn(ClaimsPrincipal principal)
    {
        Services.AddSingleton<ICurrentUser>(new FixedUser(principal));
        Authorize(principal);
    }

    private void Authorize(ClaimsPrincipal principal)
    {
        var role = principal.FindFirstValue(ClaimTypes.Role);
        var auth = AddAuthorization();
        auth.SetAuthorized(principal.FindFirstValue(OperatorClaims.DisplayName) ?? principal.Identity?.Name ?? "user");
        auth.SetClaims([.. principal.Claims]);
        if (role is not null)
        {
            auth.SetRoles(role);
        }
        auth.SetPolicies([.. Policies.Matrix.Keys.Where(p => Policies.Allows(p, role))]);
    }

    /// <summary>The text of the element with this data-testid, trimmed; empty when there is none.</summary>
    protected static string Text<T>(IRenderedComponent<T> page, string testId) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll($"[data-testid='{testId}']").FirstOrDefault()?.TextContent.Trim() ?? "";

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }
    }
}
