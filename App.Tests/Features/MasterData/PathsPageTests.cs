using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.MasterData;
using Operator.Tests.Support;

namespace Operator.Tests.Features.MasterData;

/// <summary>The paths screen: a step can be marked as a quality checkpoint (it raises QUALITY_CHECKPOINT triggers), and the list says so.</summary>
public sealed class PathsPageTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task A_step_marked_as_quality_checkpoint_is_saved_and_shown_in_the_list()
    {
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        Render<MudPopoverProvider>();
        var page = Render<PathsPage>();
        var code = $"QCP-{Guid.NewGuid():N}"[..12].ToUpperInvariant();

        page.Find("[data-testid=path-code]").Change(code);
        page.Find("[data-testid=path-name]").Change("Checked route");
        page.Find("[data-testid=step-0-code]").Change("OP-010");
        page.Find("[data-testid=step-0-name]").Change("Final inspection");
        page.Find("input[data-testid=step-0-checkpoint], [data-testid=step-0-checkpoint] input").Change(true);
        page.Find("[data-testid=path-form] form").Submit();

        page.WaitForAssertion(() => Assert.Contains("1. OP-010 Final inspection (quality checkpoint)", page.Find("[data-testid=list-grid]").TextContent));
        await using var db = app.RawDb();
        var step = await db.Set<ProcessStep>().IgnoreQueryFilters()
            .Where(s => db.Set<ProcessPath>().IgnoreQueryFilters().Any(p => p.Id == s.PathId && p.Code == code)).SingleAsync();
        Assert.True(step.IsQualityCheckpoint);
    }
    [Fact]
    public async Task The_checkpoints_of_an_existing_path_are_marked_and_unmarked_from_its_row()
    {
        var code = $"QCE-{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var created = await admin.PostAsJsonAsync("/api/paths", new { code, name = "Route", steps = new[] { new { code = "OP-010", name = "Cut" }, new { code = "OP-020", name = "Inspect" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/admin/paths?q={code}");
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var page = Render<PathsPage>();

        async Task ToggleAsync(int sequence, bool value)
        {
            page.WaitForElement($"[data-testid=path-edit-checkpoints-{code}]").Click();
            dialogs.WaitForElement("[data-testid=path-checkpoints-dialog]");
            Assert.Equal(["1. OP-010 Cut", "2. OP-020 Inspect"], dialogs.FindComponents<MudCheckBox<bool>>().Select(c => c.Instance.Label));
            dialogs.Find($"input[data-testid=checkpoint-{sequence}], [data-testid=checkpoint-{sequence}] input").Change(value);
            dialogs.Find("[data-testid=path-checkpoints-save]").Click();
            dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=path-checkpoints-dialog]")));
        }

        await ToggleAsync(1, true);
        page.WaitForAssertion(() => Assert.Contains("1. OP-010 Cut, 2. OP-020 Inspect (quality checkpoint)", page.Find("[data-testid=list-grid]").TextContent));
        Assert.Equal([false, true], await FlagsAsync(code));

        await ToggleAsync(1, false);
        page.WaitForAssertion(() => Assert.DoesNotContain("(quality checkpoint)", page.Find("[data-testid=list-grid]").TextContent));
        Assert.Equal([false, false], await FlagsAsync(code));
    }

    private async Task<List<bool>> FlagsAsync(string code)
    {
        await using var db = app.RawDb();
        return await db.Set<ProcessStep>().IgnoreQueryFilters()
            .Where(s => db.Set<ProcessPath>().IgnoreQueryFilters().Any(p => p.Id == s.PathId && p.Code == code))
            .OrderBy(s => s.Sequence).Select(s => s.IsQualityCheckpoint).ToListAsync();
    }
}
