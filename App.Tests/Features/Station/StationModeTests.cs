using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Station;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Station;

/// <summary>
/// The station's profile chooser and the administrators' profile page, rendered with bunit over the real services. This
/// class has its own app (and database): profiles defined here do not turn the other classes' generic station into a chooser.
/// </summary>
public sealed class StationModeTests(OperatorFactory app) : SerialsPageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task A_browser_without_a_remembered_station_picks_one_and_becomes_that_station()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var path = await StationKit.NewPathAsync(app);
        var (serials, _) = await StationKit.UnitsAsync(app, client, path.Code, 2);
        var profile = await StationKit.ProfileAsync(app, path.Id, StationKit.Cut, StationActions.Advance, name: "Cutting table 1");
        await SignInAsync(app, DemoUsers.Operator);
        JSInterop.Setup<string?>("operator.station.profile").SetResult("");

        var page = Render<StationPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='station-chooser']")));
        Assert.Empty(page.FindAll("[data-testid='scan-input']"));
        var choice = page.FindAll("[data-testid='station-choice']").Single(b => b.GetAttribute("data-name") == "Cutting table 1");
        await page.InvokeAsync(() => choice.Click());

        page.WaitForAssertion(() => Assert.Equal("Cutting table 1", Text(page, "station-name")));
        Assert.Equal(profile.Id.ToString(), (string)JSInterop.Invocations.Single(i => i.Identifier == "operator.station.setProfile").Arguments[0]!);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "operator.station.kiosk" && (bool)i.Arguments[0]! == true);
        Assert.Equal("2", Text(page, "queue-total"));
        Assert.Equal(serials.Order(), page.FindAll("[data-testid='queue-unit']").Select(b => b.GetAttribute("data-serial")!).Order());
        // The profile allows advancing only: no complete or scrap buttons are offered once a unit is on the station.
        await page.InvokeAsync(() => page.FindAll("[data-testid='queue-unit']")[0].Click());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='advance-unit']")));
        Assert.Empty(page.FindAll("[data-testid='complete-unit']"));
        Assert.Empty(page.FindAll("[data-testid='scrap-unit']"));
    }

    [Fact]
    public async Task A_remembered_station_opens_directly_and_change_station_asks_again()
    {
        var path = await StationKit.NewPathAsync(app);
        var profile = await StationKit.ProfileAsync(app, path.Id, StationKit.Sew, StationActions.All, name: "Sewing line");
        await SignInAsync(app, DemoUsers.Operator);
        JSInterop.Setup<string?>("operator.station.profile").SetResult(profile.Id.ToString());

        var page = Render<StationPage>();
        page.WaitForAssertion(() => Assert.Equal("Sewing line", Text(page, "station-name")));
        Assert.Empty(page.FindAll("[data-testid='station-chooser']"));
        await page.InvokeAsync(() => page.Find("[data-testid='change-station']").Click());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='station-chooser']")));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "operator.station.kiosk" && (bool)i.Arguments[0]! == false);
    }

    [Fact]
    public async Task The_profile_page_creates_a_station_and_shows_a_taken_name_next_to_the_field()
    {
        var path = await StationKit.NewPathAsync(app);
        await SignInAsync(app, DemoUsers.Admin);
        var page = Render<StationProfilesPage>();
        var name = $"Packing {Guid.NewGuid():N}"[..14];

        async Task FillAsync()
        {
            await page.InvokeAsync(() => page.Find("[data-testid='profile-name']").Change(name));
            await page.InvokeAsync(() => page.Find("[data-testid='profile-steps']").Change("PACK"));
            await page.InvokeAsync(() => page.Find("[data-testid='profile-save']").Click());
        }
        await FillAsync();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid='profile-row-name']"), c => c.TextContent.Trim() == name));
        var saved = await app.AsUserAsync(DemoUsers.Admin, sp => sp.GetRequiredService<StationProfileService>().ListAsync(activeOnly: true));
        var created = saved.Single(p => p.Name == name);
        Assert.Null(created.PathId);
        Assert.Contains(created.Steps, s => s.PathId == path.Id && s.Name == "Packing");

        await FillAsync();
        page.WaitForAssertion(() => Assert.Contains($"A station named \"{name}\" already exists.", page.Find("[data-testid='station-profile-form']").TextContent));
    }
}
