using Bunit;
using MudBlazor;
using Operator.Features.Serials;
using Operator.Features.Station;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>The station's scrap dialog offers the organization's active reason codes and asks for words where the code needs them.</summary>
public sealed class ScrapDialogTests(OperatorFactory app) : SerialsPageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task The_dialog_offers_the_active_codes_and_OTHER_asks_for_words_before_the_unit_is_scrapped_with_its_code()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        await SignInAsync(app, DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var page = Render<StationPage>();
        await page.InvokeAsync(() => page.Instance.ScanFromBrowser(serial));

        page.Find("[data-testid='scrap-unit']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindComponents<MudSelect<string>>()));
        var select = dialogs.FindComponent<MudSelect<string>>();
        Assert.Equal(["DAMAGED", "DIMENSIONAL", "MATERIAL_DEFECT", "OPERATOR_ERROR", "OTHER"],
            select.FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value!).Take(5));

        await dialogs.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("OTHER"));
        dialogs.WaitForAssertion(() => Assert.Contains("Details (required for Other (say what))", dialogs.Markup));
        dialogs.Find("[data-testid='scrap-confirm']").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("Scrap reason OTHER (Other (say what)) needs a written reason of at least 3 characters", Text(dialogs, "field-error-reason")));

        dialogs.Find("textarea").Input("Lining glued inside out");
        dialogs.Find("[data-testid='scrap-confirm']").Click();
        page.WaitForAssertion(() => Assert.Equal("Scrapped", Text(page, "scan-title")), TimeSpan.FromSeconds(10));
        Assert.Equal("Scrapped: Other (say what) (OTHER): Lining glued inside out", Text(page, "unit-scrapped"));
        var detail = await SerialsKit.GetAsync(client, serial);
        Assert.Equal("OTHER", detail["scrapReasonCode"]!.GetValue<string>());
        Assert.Equal("Lining glued inside out", detail["scrapReason"]!.GetValue<string>());
    }
}
