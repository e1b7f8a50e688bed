using Microsoft.EntityFrameworkCore;
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
}
