using AngleSharp.Dom;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.Admin;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Admin;

/// <summary>User administration in the page: field messages next to their fields, and a role change that asks first.</summary>
public sealed class UsersPageTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    private async Task<UserDto> NewUserAsync(string role)
    {
        var email = $"role-{Guid.NewGuid():N}"[..16] + "@ma01.demo";
        var created = await app.AsUserAsync(DemoUsers.Admin, s => s.GetRequiredService<UsersService>()
            .CreateAsync(new(email, "Rita Rolechange", role, "Long-enough-password-1")));
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value;
    }

    private Task<string> StoredRoleAsync(Guid id) => app.AsUserAsync(DemoUsers.Admin, async s =>
    {
        var page = await s.GetRequiredService<UsersService>().ListAsync(new ListQuery(Limit: 500));
        return page.Value.Items.Single(u => u.Id == id).Role;
    });

    private static IRenderedComponent<MudSelect<string>> RoleSelect(IRenderedComponent<Operator.Features.Admin.UsersPage> page, string email) =>
        page.FindComponents<MudSelect<string>>()
            .Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == $"user-role-{email}");

    private static IElement Button(IRenderedComponent<MudDialogProvider> dialogs, string text) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public async Task Creating_a_user_with_empty_fields_shows_each_fields_message_next_to_it()
    {
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        Render<MudPopoverProvider>();
        var page = Render<Operator.Features.Admin.UsersPage>();

        page.Find("[data-testid=user-form] form").Submit();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Enter the user's email address", page.Find("#user-email-error").TextContent.Trim());
            Assert.Equal("Enter the user's display name", page.Find("#user-name-error").TextContent.Trim());
            Assert.Equal("Choose a role", page.Find("#user-role-error").TextContent.Trim());
            Assert.Equal("Enter an initial password", page.Find("#user-password-error").TextContent.Trim());
        });
        // Each message is tied to its input for assistive technology, and nothing says only "Invalid user".
        Assert.Equal("user-email-error", page.Find("[data-testid=user-email]").GetAttribute("aria-describedby"));
        Assert.Empty(page.FindAll("[data-testid=form-error]"));
        Assert.DoesNotContain("Invalid user", page.Markup);
    }

    [Fact]
    public async Task A_short_password_and_a_malformed_email_are_named_and_a_filled_form_creates_the_user()
    {
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        Render<MudPopoverProvider>();
        var page = Render<Operator.Features.Admin.UsersPage>();
        page.Find("[data-testid=user-email]").Change("not-an-email");
        page.Find("[data-testid=user-name]").Change("Nora New");
        page.Find("[data-testid=user-password]").Change("short");
        page.Find("[data-testid=user-form] form").Submit();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("valid email address", page.Find("#user-email-error").TextContent);
            Assert.Contains("at least 10 characters", page.Find("#user-password-error").TextContent);
            Assert.Empty(page.FindAll("#user-name-error"));
        });

        var email = $"nora-{Guid.NewGuid():N}"[..12] + "@ma01.demo";
        page.Find("[data-testid=user-email]").Change(email);
        page.Find("[data-testid=user-password]").Change("Nora-password-1");
        await page.InvokeAsync(() => page.FindComponents<MudSelect<string>>()
            .Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == "user-role")
            .Instance.ValueChanged.InvokeAsync(Roles.Operator));
        page.Find("[data-testid=user-form] form").Submit();

        page.WaitForAssertion(() => Assert.Contains(email, page.Find("[data-testid=list-grid]").TextContent));
        Assert.Empty(page.FindAll("#user-email-error"));
    }

    [Fact]
    public async Task Changing_a_role_asks_first_naming_the_user_and_both_roles_and_cancelling_keeps_the_old_role()
    {
        var user = await NewUserAsync(Roles.QaInspector);
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var page = Render<Operator.Features.Admin.UsersPage>();
        page.WaitForAssertion(() => RoleSelect(page, user.Email));

        // The user picks "QA manager" in the row: nothing is saved until the question is answered.
        var picking = page.InvokeAsync(() => RoleSelect(page, user.Email).Instance.ValueChanged.InvokeAsync(Roles.QaManager));
        dialogs.WaitForAssertion(() => Assert.Contains(
            $"Change the role of Rita Rolechange ({user.Email}) from QA inspector to QA manager?", dialogs.Markup));
        Assert.Equal(Roles.QaInspector, await StoredRoleAsync(user.Id));

        await dialogs.InvokeAsync(() => Button(dialogs, "Cancel").Click());
        await picking;
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Change the role of", dialogs.Markup));
        Assert.Equal(Roles.QaInspector, await StoredRoleAsync(user.Id));
        page.WaitForAssertion(() => Assert.Equal(Roles.QaInspector, RoleSelect(page, user.Email).Instance.Value));
    }

    [Fact]
    public async Task Confirming_the_role_change_saves_it()
    {
        var user = await NewUserAsync(Roles.Viewer);
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var page = Render<Operator.Features.Admin.UsersPage>();
        page.WaitForAssertion(() => RoleSelect(page, user.Email));

        var picking = page.InvokeAsync(() => RoleSelect(page, user.Email).Instance.ValueChanged.InvokeAsync(Roles.Operator));
        dialogs.WaitForAssertion(() => Assert.Contains("from Viewer to Operator?", dialogs.Markup));
        await dialogs.InvokeAsync(() => Button(dialogs, "Change role").Click());
        await picking;

        Assert.Equal(Roles.Operator, await StoredRoleAsync(user.Id));
        page.WaitForAssertion(() => Assert.Equal(Roles.Operator, RoleSelect(page, user.Email).Instance.Value));
    }
}

/// <summary>The API answers an empty new user with a message per field, as the form shows them.</summary>
public sealed class UsersApiFieldTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task An_empty_new_user_is_refused_naming_each_field()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var response = await admin.PostAsync("/api/users", System.Net.Http.Json.JsonContent.Create(new { }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var body = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content);
        var details = body.GetProperty("details").EnumerateArray()
            .ToDictionary(d => d.GetProperty("field").GetString()!, d => d.GetProperty("message").GetString()!);
        Assert.Equal("Enter the user's email address", details["email"]);
        Assert.Equal("Enter the user's display name", details["name"]);
        Assert.Equal("Choose a role", details["role"]);
        Assert.Equal("Enter an initial password", details["password"]);
    }
}
