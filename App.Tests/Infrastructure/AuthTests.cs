using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

public sealed class AuthTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private static async Task<JsonElement> Json(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Sign_in_answers_the_documented_token_shape_and_me_describes_the_caller()
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Inspector, password = "Operator-demo-1" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(["access_token", "refresh_token", "token_type", "expires_in"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        var me = await client.GetAsync("/api/sessions/me");
        await Golden.AssertBodyAsync(me, """{"id":"<uuid>","email":"inspector@ma01.demo","name":"Ines Inspector","role":"QA_INSPECTOR","organization":{"id":"<uuid>","code":"MA01","name":"Maison Atelier Leatherworks"}}""");
    }

    [Theory]
    [InlineData("viewer@ma01.demo", "wrong-password")]
    [InlineData("nobody@ma01.demo", "Operator-demo-1")]
    public async Task Wrong_passwords_and_unknown_users_get_the_same_401(string email, string password)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/sessions", new { email, password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"Invalid email or password"}""");
    }

    [Fact]
    public async Task Missing_credentials_are_a_400_naming_both_fields()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/sessions", new { });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Golden.AssertBodyAsync(response, """{"error":"email and password are required","details":[{"field":"email","message":"email is required"},{"field":"password","message":"password is required"}]}""");
    }

    [Fact]
    public async Task Forged_and_altered_tokens_are_refused()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8forged-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/parts")).StatusCode);

        var real = await app.ClientForAsync(DemoUsers.Viewer);
        var token = real.DefaultRequestHeaders.Authorization!.Parameter!;
        var altered = token[..^6] + (token[^6] == 'A' ? 'B' : 'A') + token[^5..];
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", altered);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/parts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/api/parts")).StatusCode);
    }

    [Fact]
    public async Task Refresh_issues_new_tokens_and_an_access_token_is_no_refresh_token()
    {
        var client = app.CreateClient();
        var tokens = await Json(await client.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Operator, password = "Operator-demo-1" }));

        var refreshed = await client.PostAsJsonAsync("/api/sessions/refresh", new { refresh_token = tokens.GetProperty("refresh_token").GetString() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.False(string.IsNullOrEmpty((await Json(refreshed)).GetProperty("access_token").GetString()));

        var misuse = await client.PostAsJsonAsync("/api/sessions/refresh", new { refresh_token = tokens.GetProperty("access_token").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, misuse.StatusCode);
        await Golden.AssertBodyAsync(misuse, """{"error":"Invalid or expired refresh token"}""");
    }

    [Fact]
    public async Task Token_answers_are_kept_by_no_cache()
    {
        var client = app.CreateClient();
        var signIn = await client.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Operator, password = "Operator-demo-1" });
        var refresh = await client.PostAsJsonAsync("/api/sessions/refresh", new { refresh_token = (await Json(signIn)).GetProperty("refresh_token").GetString() });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        foreach (var response in new[] { signIn, refresh })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: Cache-Control {response.Headers.CacheControl}");
            Assert.Equal(["no-cache"], response.Headers.Pragma.Select(p => p.ToString()));
        }
    }

    [Fact]
    public async Task Sign_out_needs_the_antiforgery_token_of_the_layouts_form()
    {
        var browser = await CookieSession.SignInAsync(app, DemoUsers.Viewer);

        // A cross-site form post carries the cookie but not the token: refused, and the user stays signed in.
        var forged = await browser.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        var token = CookieSession.SignOutToken(await browser.GetStringAsync("/"));
        var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/account/login", signOut.Headers.Location!.OriginalString);
        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", home.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Cookies_do_not_authorize_api_writes()
    {
        // A cookie-only API write would be open to cross-site request forgery; it is treated as unauthenticated.
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", "Operator.Auth=anything");
        var response = await client.PostAsJsonAsync("/api/parts", new { number = "X" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Pages_redirect_to_sign_in_and_the_sign_in_page_is_public()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", home.Headers.Location!.PathAndQuery);
        var login = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Sign in", await login.Content.ReadAsStringAsync());
    }
}

/// <summary>Lockout and expiry change a user's state and the clock, so they run on a database of their own.</summary>
public sealed class AuthStateTests : IAsyncLifetime
{
    private readonly OperatorFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Five_failed_sign_ins_lock_the_account_even_for_the_right_password_and_say_no_more_than_for_an_unknown_email()
    {
        var client = _app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Manager, password = "nope-nope-nope" })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/sessions", new { email = "nobody@ma01.demo", password = "nope-nope-nope" })).StatusCode);
        }
        var locked = await client.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Manager, password = "Operator-demo-1" });
        var unknown = await client.PostAsJsonAsync("/api/sessions", new { email = "nobody@ma01.demo", password = "Operator-demo-1" });
        // Locked or unknown, the caller learns nothing about the account from the answer.
        foreach (var response in new[] { locked, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await Golden.AssertBodyAsync(response, """{"error":"Invalid email or password"}""");
        }

        // The lockout is the account's, not the client's: other users still sign in, and the admin list shows it.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Inspector, password = "Operator-demo-1" })).StatusCode);
        var admin = await _app.ClientForAsync(DemoUsers.Admin);
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/users?search=manager");
        Assert.True(users.GetProperty("items")[0].GetProperty("isLockedOut").GetBoolean());
    }

    [Fact]
    public async Task The_sign_in_page_says_the_same_for_a_locked_account_and_an_unknown_email()
    {
        var api = _app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await api.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Operator, password = "nope-nope-nope" });
        }
        var locked = await CookieSession.SignInPageMessageAsync(_app, DemoUsers.Operator, DemoData.Password);
        var unknown = await CookieSession.SignInPageMessageAsync(_app, "nobody@ma01.demo", DemoData.Password);
        var wrong = await CookieSession.SignInPageMessageAsync(_app, DemoUsers.Viewer, "nope-nope-nope");
        Assert.Equal("Invalid email or password.", locked);
        Assert.Equal(locked, unknown);
        Assert.Equal(locked, wrong);
    }

    [Fact]
    public async Task An_expired_access_token_is_refused()
    {
        var client = await _app.ClientForAsync(DemoUsers.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/parts")).StatusCode);
        _app.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/parts")).StatusCode);
    }
}

/// <summary>A browser's cookie session through the real sign-in form.</summary>
internal static class CookieSession
{
    public static HttpClient Browser(OperatorFactory app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string email, string password)
    {
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await browser.GetStringAsync("/account/login"));
        var fields = page.QuerySelectorAll("form input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Append(new("Input.Email", email))
            .Append(new("Input.Password", password));
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

    public static async Task<HttpClient> SignInAsync(OperatorFactory app, string email)
    {
        var browser = Browser(app);
        var signIn = await PostFormAsync(browser, email, DemoData.Password);
        Assert.True(signIn.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.OK, $"{signIn.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        return browser;
    }

    /// <summary>The error the sign-in page shows for these credentials.</summary>
    public static async Task<string> SignInPageMessageAsync(OperatorFactory app, string email, string password)
    {
        var response = await PostFormAsync(Browser(app), email, password);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return page.QuerySelector("[data-testid=login-error]")?.TextContent.Trim() ?? $"no message ({response.StatusCode})";
    }

    /// <summary>The antiforgery token of the layout's sign-out form.</summary>
    public static string SignOutToken(string html) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html)
            .QuerySelector("form.op-logout input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new InvalidOperationException("The page has no sign-out form with a token.");
}
