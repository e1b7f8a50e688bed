using System.Security.Claims;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Tenancy;
using Radzen;

namespace Operator.Tests.Support;

/// <summary>
/// Renders components to HTML with Blazor's own HtmlRenderer (bunit does not restore here) and parses the markup
/// with AngleSharp. Interaction (clicks, typing) is covered by the browser tests.
/// </summary>
public static class Render
{
    public static async Task<IHtmlDocument> ComponentAsync<T>(ClaimsPrincipal user, IDictionary<string, object?>? parameters = null,
        Action<IServiceCollection>? configure = null) where T : IComponent
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorizationCore(o =>
        {
            foreach (var (policy, roles) in Policies.Matrix)
            {
                o.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
            }
        });
        services.AddSingleton<AuthenticationStateProvider>(new FixedAuthState(user));
        services.AddSingleton<ICurrentUser>(new FixedUser(user));
        services.AddSingleton<NavigationManager>(new StaticNavigationManager());
        // JavaScript never runs in a static render; components that inject the runtime get one that is never called.
        services.AddSingleton<IJSRuntime, NoJavaScript>();
        services.AddRadzenComponents();
        configure?.Invoke(services);

        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            RenderFragment child = b =>
            {
                b.OpenComponent<T>(0);
                var seq = 1;
                foreach (var (key, value) in parameters ?? new Dictionary<string, object?>())
                {
                    b.AddAttribute(seq++, key, value);
                }
                b.CloseComponent();
            };
            var output = await renderer.RenderComponentAsync<CascadingAuthenticationState>(
                ParameterView.FromDictionary(new Dictionary<string, object?> { ["ChildContent"] = child }));
            return output.ToHtmlString();
        });
        return new HtmlParser().ParseDocument(html);
    }

    public static ClaimsPrincipal User(string role, string name = "Test User", string org = "MA01") =>
        FixedUser.For(Guid.NewGuid(), Guid.NewGuid(), role, "test@ma01.demo", org).Principal is var p
            ? new ClaimsPrincipal(new ClaimsIdentity(p.Claims.Where(c => c.Type != OperatorClaims.DisplayName)
                .Append(new Claim(OperatorClaims.DisplayName, name)), "test"))
            : throw new InvalidOperationException();

    private sealed class FixedAuthState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class StaticNavigationManager : NavigationManager
    {
        public StaticNavigationManager() => Initialize("http://localhost/", "http://localhost/");
    }

    private sealed class NoJavaScript : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => throw new InvalidOperationException("No JavaScript in a static render");
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => throw new InvalidOperationException("No JavaScript in a static render");
    }
}
