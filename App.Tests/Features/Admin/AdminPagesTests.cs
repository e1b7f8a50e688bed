using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.Admin;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Admin;

/// <summary>The audit page: entries from the server a page at a time, and the chain check's verdict in plain words.</summary>
public sealed class AuditPageTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Entries_are_listed_newest_first_and_the_chain_check_says_intact_then_broken_after_tampering()
    {
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        Render<MudPopoverProvider>();
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=list-grid] tbody tr [data-testid=audit-action]")));
        var total = await app.AsUserAsync(DemoUsers.Admin, async s => (await s.GetRequiredService<AuditService>().ListAsync(new(Limit: 1))).Value.Total);
        // The server pages: one page of 50 on screen however many entries there are; codes are shown as words.
        Assert.Equal(Math.Min(50, total), page.FindAll("[data-testid=list-grid] tbody tr").Count);
        Assert.Contains("Demo seeded", page.Find("[data-testid=list-grid]").TextContent);

        page.Find("[data-testid=verify-audit]").Click();
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=audit-result]").GetAttribute("data-intact")));
        Assert.Equal("The audit trail is intact", page.Find("[data-testid=audit-result-title]").TextContent.Trim());
        Assert.Contains($"All {total} entries were checked", page.Find("[data-testid=audit-result-detail]").TextContent);

        var org = await app.OrganizationIdAsync("MA01");
        await using (var db = app.RawDb())
        {
            // Past the app's append-only guard, as someone with database access would.
            await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == org && a.Sequence == 2)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.After, "{\"tampered\":true}"));
        }
        page.Find("[data-testid=verify-audit]").Click();
        page.WaitForAssertion(() => Assert.Equal("false", page.Find("[data-testid=audit-result]").GetAttribute("data-intact")));
        Assert.Equal("The audit trail is broken", page.Find("[data-testid=audit-result-title]").TextContent.Trim());
        Assert.Contains("The first broken entry is number 2: the entry's content was changed after it was written",
            page.Find("[data-testid=audit-result-detail]").TextContent);
    }
}

/// <summary>The organization page's privacy form saves the mode the admin picks.</summary>
public sealed class OrganizationPageTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task The_privacy_mode_is_picked_and_saved()
    {
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        var page = Render<OrganizationPage>();
        page.WaitForAssertion(() => Assert.Contains("Standard", page.Find("[data-testid=organization-current]").TextContent));
        Assert.NotNull(page.Find("[data-testid=organization-save]").GetAttribute("disabled"));

        await page.InvokeAsync(() => page.FindComponent<MudRadioGroup<string>>().Instance.ValueChanged.InvokeAsync("minimal"));
        Assert.Null(page.Find("[data-testid=organization-save]").GetAttribute("disabled"));
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Contains("Minimal", page.Find("[data-testid=organization-current]").TextContent));
        var stored = await app.AsUserAsync(DemoUsers.Admin, async s => (await s.GetRequiredService<OrganizationService>().GetAsync()).Value.VerificationPrivacy);
        Assert.Equal("minimal", stored);
    }
}

/// <summary>
/// The statically rendered pages (sign-in, access denied, error, not found, public verification) carry the app's one
/// theme: its CSS variables come from OperatorTheme, not from the old look. The sign-in form stays a plain form post.
/// </summary>
public sealed class StaticPagesThemeTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/access-denied")]
    [InlineData("/error")]
    [InlineData("/not-found")]
    [InlineData("/verify")]
    public async Task The_page_renders_with_the_operator_theme(string path)
    {
        var response = await app.CreateClient().GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        // The theme's primary green and its local font stack, as MudThemeProvider writes them.
        Assert.Matches(new Regex(@"--mud-palette-primary:\s*(#0b6e4f|rgba?\(11,\s*110,\s*79)", RegexOptions.IgnoreCase), html);
        Assert.Matches(new Regex(@"--mud-typography-default-family:[^;]*system-ui"), html);
    }

    [Fact]
    public async Task The_sign_in_form_is_a_plain_form_post_with_its_fields()
    {
        var html = await app.CreateClient().GetStringAsync("/account/login");
        var page = new HtmlParser().ParseDocument(html);
        var form = page.QuerySelector("form.op-login-form")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input#email"));
        Assert.NotNull(form.QuerySelector("input#password[type=password]"));
        Assert.Equal("submit", form.QuerySelector("[data-testid=sign-in]")!.GetAttribute("type"));
        Assert.Equal("Sign in", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.DoesNotContain("<!--Blazor:{\"type\":\"server\"", html);
    }
}
