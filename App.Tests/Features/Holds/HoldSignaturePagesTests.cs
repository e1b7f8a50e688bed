using System.Net;
using Bunit;
using MudBlazor;
using Operator.Features.Holds;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// Signatures where people see them: the signing dialog asks for the password on the first signing of a session and
/// not on the next, and a signed release shows on the hold's page and is printed in its report.
/// </summary>
public sealed class HoldSignaturePagesTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private async Task<Guid> HoldAsync(HttpClient client) => Guid.Parse(HoldsKit.Id(await HoldsKit.CreateAsync(app, client)));

    /// <summary>Releases a hold on its page through the release and signing dialogs; answers whether the password was asked.</summary>
    private async Task<bool> ReleaseOnPageAsync(IRenderedComponent<MudDialogProvider> dialogs, Guid id)
    {
        var page = Render<HoldDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='release-hold']")), Patience);
        page.Find("[data-testid='release-hold']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='release-confirm']")), Patience);
        dialogs.FindAll("label").Single(l => l.TextContent.Trim() == "Release to operations").QuerySelector("input[type='radio']")!.Click();
        dialogs.Find("[data-testid='release-confirm']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='sign-confirm']")), Patience);
        var asked = dialogs.FindAll("input[data-testid='sign-password']").Count > 0;
        if (asked) dialogs.Find("input[data-testid='sign-password']").Input(DemoData.Password);
        dialogs.Find("[data-testid='sign-confirm']").Click();
        page.WaitForAssertion(() => Assert.Equal("Released", Text(page, "hold-status")), Patience);
        return asked;
    }

    [Fact]
    public async Task The_sign_dialog_asks_for_the_password_the_first_time_and_not_the_second_in_the_same_session()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var first = await HoldAsync(manager);
        var second = await HoldAsync(manager);
        await SignInAsync(app, DemoUsers.Manager);
        var dialogs = Render<MudDialogProvider>();

        Assert.True(await ReleaseOnPageAsync(dialogs, first), "the first signing of the session asks for the password");
        Assert.False(await ReleaseOnPageAsync(dialogs, second), "a later signing in the same session needs only the meaning");
    }

    [Fact]
    public async Task A_wrong_password_stays_in_the_sign_dialog_with_the_refusal_and_nothing_is_released()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = await HoldAsync(manager);
        await SignInAsync(app, DemoUsers.Admin);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<HoldDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='release-hold']")), Patience);
        page.Find("[data-testid='release-hold']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='release-confirm']")), Patience);
        dialogs.FindAll("label").Single(l => l.TextContent.Trim() == "Release to operations").QuerySelector("input[type='radio']")!.Click();
        dialogs.Find("[data-testid='release-confirm']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("input[data-testid='sign-password']")), Patience);
        dialogs.Find("input[data-testid='sign-password']").Input("not-the-password");
        dialogs.Find("[data-testid='sign-confirm']").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(Operator.Infrastructure.Signatures.SignatureService.WrongPassword, Text(dialogs, "sign-error")), Patience);
        Assert.NotEmpty(dialogs.FindAll("input[data-testid='sign-password']"));
        Assert.Equal("Active", Text(page, "hold-status"));
    }

    [Fact]
    public async Task A_signed_release_shows_on_the_hold_page_and_is_printed_in_the_hold_report()
    {
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var id = await HoldAsync(manager);
        Assert.Equal(HttpStatusCode.OK, (await HoldsKit.ReleaseAsync(manager, id.ToString(), "rework", "Re-inspect")).StatusCode);
        await SignInAsync(app, DemoUsers.Viewer);

        var page = Render<HoldDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='signature']")), Patience);
        Assert.Equal("Max Manager", Text(page, "signature-name"));
        Assert.Equal("Approved", Text(page, "signature-meaning"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", Text(page, "signature-time"));
        Assert.StartsWith("Signature verified", Text(page, "signature-check"));

        var pdf = await (await manager.GetAsync($"{HoldsKit.Path}/{id}/report.pdf")).Content.ReadAsByteArrayAsync();
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("Electronic signatures", text);
        Assert.Contains("Max Manager", text);
        Assert.Contains("Approved", text);
        // The date and the time of day (to the second) as the page shows them; the table cell may wrap between them.
        var shown = Text(page, "signature-time").Split(' ');
        Assert.Contains(shown[0], text);
        Assert.Contains(shown[1], text);
        Assert.Contains("Verified", text);
    }
}
