using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// A deactivation or role change reaches tokens issued before it: at once when it was made on this instance, within
/// the revalidation window (30 s by default; the test clock moves past it) when another instance made it.
/// </summary>
public sealed class RevocationTests : IAsyncLifetime
{
    private static readonly TimeSpan PastTheWindow = TimeSpan.FromSeconds(31);
    private readonly OperatorFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A second administrator with a bearer token, so the demo admin can change them.</summary>
    private async Task<(Guid Id, HttpClient Client)> SecondAdminAsync(HttpClient admin)
    {
        var email = $"admin2-{Guid.NewGuid():N}"[..14] + "@ma01.demo";
        var created = await admin.PostAsJsonAsync("/api/users", new { email, name = "Second Admin", role = Roles.Admin, password = DemoData.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var client = await _app.ClientForAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
        return (id, client);
    }

    private async Task<string?> StampAsync(Guid id)
    {
        await using var db = _app.RawDb();
        return await db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync();
    }

    [Fact]
    public async Task A_demoted_users_token_gets_403_where_the_new_role_does_not_reach_and_200_where_it_does()
    {
        var admin = await _app.ClientForAsync(DemoUsers.Admin);
        var (id, second) = await SecondAdminAsync(admin);
        var stamp = await StampAsync(id);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{id}/role", new { role = Roles.Viewer })).StatusCode);
        Assert.NotEqual(stamp, await StampAsync(id));

        var refused = await second.GetAsync("/api/users");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await Golden.AssertBodyAsync(refused, """{"error":"Forbidden"}""");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/parts")).StatusCode);
        Assert.Equal("VIEWER", (await second.GetFromJsonAsync<JsonElement>("/api/sessions/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_deactivated_users_token_gets_401()
    {
        var admin = await _app.ClientForAsync(DemoUsers.Admin);
        var (id, second) = await SecondAdminAsync(admin);
        var stamp = await StampAsync(id);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{id}/active", new { active = false })).StatusCode);
        Assert.NotEqual(stamp, await StampAsync(id));

        var refused = await second.GetAsync("/api/parts");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await Golden.AssertBodyAsync(refused, """{"error":"Unauthorized"}""");
    }

    /// <summary>Another instance changed the record (as its UsersService does: role and stamp); this one sees it when its window ends.</summary>
    [Fact]
    public async Task A_role_change_made_elsewhere_reaches_the_token_after_the_window()
    {
        var admin = await _app.ClientForAsync(DemoUsers.Admin);
        var (id, second) = await SecondAdminAsync(admin);
        await using (var db = _app.RawDb())
        {
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, Roles.Viewer).SetProperty(x => x.SecurityStamp, Guid.NewGuid().ToString()));
        }

        _app.Clock.Advance(PastTheWindow);
        Assert.Equal(HttpStatusCode.Forbidden, (await second.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/parts")).StatusCode);
    }

    [Fact]
    public async Task A_deactivation_made_elsewhere_reaches_the_token_after_the_window()
    {
        var admin = await _app.ClientForAsync(DemoUsers.Admin);
        var (id, second) = await SecondAdminAsync(admin);
        await using (var db = _app.RawDb())
        {
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false).SetProperty(x => x.SecurityStamp, Guid.NewGuid().ToString()));
        }

        _app.Clock.Advance(PastTheWindow);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/parts")).StatusCode);
    }
}

/// <summary>The circuits' authentication state provider: what one revalidation decides.</summary>
public sealed class RevalidatingUserStateProviderTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private async Task<(AsyncServiceScope Scope, RevalidatingUserStateProvider Provider, AppUser User, AuthenticationState State)> ArrangeAsync(string email)
    {
        var scope = app.Services.CreateAsyncScope();
        // The circuit's provider is this one (registered before Blazor's own, which is only added when none is).
        var provider = Assert.IsType<RevalidatingUserStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!;
        var state = new AuthenticationState(await DemoUsers.PrincipalAsync(scope.ServiceProvider, email));
        provider.SetAuthenticationState(Task.FromResult(state));
        return (scope, provider, user, state);
    }

    [Fact]
    public async Task An_unchanged_user_stays_signed_in_and_a_changed_security_stamp_signs_the_circuit_out()
    {
        var (scope, provider, user, state) = await ArrangeAsync(DemoUsers.Operator);
        await using var _ = scope;
        Assert.True(await provider.RevalidateAsync(state, CancellationToken.None));

        await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().UpdateSecurityStampAsync(user);
        Assert.False(await provider.RevalidateAsync(state, CancellationToken.None));
    }

    [Fact]
    public async Task A_role_changed_without_a_new_stamp_is_taken_over_by_the_circuit()
    {
        var (scope, provider, user, state) = await ArrangeAsync(DemoUsers.Viewer);
        await using var _ = scope;
        await using (var db = app.RawDb())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, Roles.Operator));
        }
        try
        {
            Assert.True(await provider.RevalidateAsync(state, CancellationToken.None));
            var now = await provider.GetAuthenticationStateAsync();
            Assert.Equal(Roles.Operator, now.User.FindFirstValue(ClaimTypes.Role));
            Assert.Equal(user.Id.ToString(), now.User.FindFirstValue(ClaimTypes.NameIdentifier));
        }
        finally
        {
            await using var db = app.RawDb();
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, Roles.Viewer));
        }
    }

    [Fact]
    public async Task A_deactivated_user_signs_the_circuit_out_even_with_the_same_stamp()
    {
        var (scope, provider, user, state) = await ArrangeAsync(DemoUsers.Manager);
        await using var _ = scope;
        await using (var db = app.RawDb())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false));
        }
        try
        {
            Assert.False(await provider.RevalidateAsync(state, CancellationToken.None));
        }
        finally
        {
            await using var db = app.RawDb();
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, true));
        }
    }
}
