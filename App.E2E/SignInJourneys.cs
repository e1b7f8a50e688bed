using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>Each role signs in, sees exactly its navigation, and signs out.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInJourneys(AppServer app)
{
    private static readonly string[] AdminOnly = ["Parts", "Process paths", "Work orders", "License plates", "Batches", "Users", "Audit trail"];

    [Theory]
    [InlineData("viewer@ma01.demo", "Vera Viewer", "Viewer", false)]
    [InlineData("operator@ma01.demo", "Oskar Operator", "Operator", false)]
    [InlineData("inspector@ma01.demo", "Ines Inspector", "QA inspector", false)]
    [InlineData("manager@ma01.demo", "Max Manager", "QA manager", false)]
    [InlineData("admin@ma01.demo", "Ada Admin", "Administrator", true)]
    public Task Each_role_signs_in_sees_its_navigation_and_signs_out(string email, string name, string roleLabel, bool admin) =>
        app.JourneyAsync($"sign-in-{email.Split('@')[0]}", async page =>
        {
            await page.SignInAsync(email);
            var who = await page.InnerTextAsync("[data-testid=current-user]");
            Assert.Contains(name, who);
            Assert.Contains(roleLabel, who);
            Assert.Contains("MA01", who);

            var nav = await page.Locator("[data-testid=nav] [data-testid=nav-link]").AllInnerTextsAsync();
            nav = nav.Select(t => t.Trim()).ToList();
            Assert.Contains("Dashboard", nav);
            Assert.Contains("API reference", nav);
            foreach (var item in AdminOnly)
            {
                Assert.Equal(admin, nav.Contains(item));
            }

            await page.ClickAsync("[data-testid=sign-out]");
            // The sign-out post redirects to the login page; wait for the URL to commit and the form to show rather than
            // for a load event, which a redirect that Blazor finishes as an enhanced navigation may not fire again.
            await page.WaitForURLAsync("**/account/login", new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator("[data-testid=sign-in]").WaitForAsync();
            await page.GotoAsync("/");
            await page.WaitForURLAsync("**/account/login**");
        });

    [Fact]
    public Task A_wrong_password_is_refused_in_words() =>
        app.JourneyAsync("wrong-password", async page =>
        {
            await page.GotoAsync("/account/login");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "sign-in.png"), FullPage = true });
            await page.FillAsync("#email", "viewer@ma01.demo");
            await page.FillAsync("#password", "not-the-password");
            await page.ClickAsync("[data-testid=sign-in]");
            Assert.Equal("Invalid email or password.", (await page.InnerTextAsync("[data-testid=login-error]")).Trim());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "sign-in-refused.png"), FullPage = true });
        });

    [Fact]
    public Task An_admin_changes_a_role_only_after_confirming_it() =>
        app.JourneyAsync("user-role", async page =>
        {
            await page.SignInAsync("admin@ma01.demo");
            await page.GotoAsync("/admin/users");
            await page.WaitForCircuitAsync();
            var role = page.GetByLabel("Role of Ines Inspector");
            await Expect(role).ToHaveValueAsync("QA inspector");

            await role.ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "QA manager", Exact = true }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("Change the role of Ines Inspector (inspector@ma01.demo) from QA inspector to QA manager?");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "users-role-confirm.png"), FullPage = true });
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(role).ToHaveValueAsync("QA inspector");

            // An empty new user: each field says what it needs.
            await page.GetByRole(AriaRole.Button, new() { Name = "Create user", Exact = true }).ClickAsync();
            await Expect(page.GetByLabel("Email", new() { Exact = true })).ToHaveAccessibleDescriptionAsync("Enter the user's email address");
            await Expect(page.GetByLabel("Display name", new() { Exact = true })).ToHaveAccessibleDescriptionAsync("Enter the user's display name");
            await Expect(page.GetByLabel("Initial password", new() { Exact = true })).ToHaveAccessibleDescriptionAsync("Enter an initial password");
            await Expect(page.GetByText("Choose a role", new() { Exact = true })).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "users.png"), FullPage = true });
        });

    [Fact]
    public Task A_role_cannot_open_a_page_its_navigation_hides() =>
        app.JourneyAsync("forbidden-page", async page =>
        {
            await page.SignInAsync("viewer@ma01.demo");
            await page.GotoAsync("/admin/users");
            await page.WaitForURLAsync("**/account/access-denied**");
            Assert.Contains("Your role does not give access to that page.", await page.InnerTextAsync("body"));
        });

    [Fact]
    public Task The_navigation_is_docked_on_a_wide_screen_and_a_menu_on_a_tablet() =>
        app.JourneyAsync("circuit", async page =>
        {
            await page.SetViewportSizeAsync(1440, 900);
            await page.SignInAsync("admin@ma01.demo");
            await page.WaitForCircuitAsync();
            // The first link of the drawer (the admin's drawer is taller than the window; it scrolls).
            var users = page.GetByRole(AriaRole.Link, new() { Name = "Station", Exact = true });
            var toggle = page.GetByTestId("nav-toggle");
            await Assertions.Expect(users).ToBeInViewportAsync();
            // The toggle only works through the interactive circuit: a broken blazor.web.js fails here.
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
            await Assertions.Expect(users).Not.ToBeInViewportAsync();

            // A station tablet: the drawer starts closed and opens over the page as a menu.
            await page.SetViewportSizeAsync(1024, 768);
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            var station = page.GetByRole(AriaRole.Link, new() { Name = "Station", Exact = true });
            await Assertions.Expect(station).Not.ToBeInViewportAsync();
            await toggle.ClickAsync();
            await Assertions.Expect(station).ToBeInViewportAsync();
        });
}
