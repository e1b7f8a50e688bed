using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.MasterData;
using Operator.Tests.Support;

namespace Operator.Tests.Features.MasterData;

/// <summary>The parts page: a refused create names the field next to it, an accepted one shows in the server-paged list.</summary>
public sealed class PartsPageTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task A_refused_part_shows_the_reason_next_to_the_field_and_a_fixed_one_joins_the_list()
    {
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        Render<MudPopoverProvider>();
        var page = Render<PartsPage>();
        page.WaitForAssertion(() => Assert.Contains("P-1001", page.Find("[data-testid=list-grid]").TextContent));

        page.Find("[data-testid=part-number]").Change("P-7001");
        page.Find("[data-testid=part-sku]").Change("lower");
        page.Find("[data-testid=part-form] form").Submit();
        page.WaitForAssertion(() =>
            Assert.Equal("SKU must be 2-12 upper-case letters and digits", page.Find("#part-sku-error").TextContent.Trim()));
        Assert.Equal("Required", page.Find("#part-name-error").TextContent.Trim());
        Assert.Empty(page.FindAll("#part-number-error"));
        Assert.Empty(page.FindAll("[data-testid=form-error]"));

        page.Find("[data-testid=part-sku]").Change("BELT7");
        page.Find("[data-testid=part-name]").Change("Leather belt");
        page.Find("[data-testid=part-form] form").Submit();
        page.WaitForAssertion(() => Assert.Contains("P-7001", page.Find("[data-testid=list-grid]").TextContent));
        Assert.Empty(page.FindAll("#part-sku-error"));
        // The form is empty again for the next part.
        Assert.Equal("", page.Find("[data-testid=part-number]").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task A_duplicate_part_is_refused_above_the_form_in_words()
    {
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        Render<MudPopoverProvider>();
        var page = Render<PartsPage>();
        page.Find("[data-testid=part-number]").Change("P-1001");
        page.Find("[data-testid=part-sku]").Change("DUPE1");
        page.Find("[data-testid=part-name]").Change("Same number");
        page.Find("[data-testid=part-form] form").Submit();
        page.WaitForAssertion(() => Assert.Contains("already exists", page.Find("[data-testid=form-error]").TextContent));
    }

    [Fact]
    public async Task The_production_type_and_times_are_shown_in_words_and_local_time()
    {
        await SignInAsync(app, DemoUsers.Admin);
        var zone = JSInterop.HoldTimeZoneQuestion();
        Render<MudPopoverProvider>();
        var page = Render<PartsPage>();
        page.WaitForAssertion(() => Assert.Equal("Hatthasilpa (HAT)", page.Find("[data-testid=part-production-type-P-1001]").TextContent.Trim()));
        Assert.Equal("Verifiable", page.Find("[data-testid=part-verifiable-P-1001]").TextContent.Trim());
        // On the renderer's thread, as a browser's answer arrives: never between a time's render and its after-render step.
        await page.InvokeAsync(() => zone.SetResult(BrowserZoneAnswer.Bangkok));
        // Every creation time is shown in the browser's zone (UTC+7 here), with its UTC moment in the tooltip.
        page.WaitForAssertion(() =>
        {
            var times = page.FindAll("[data-testid=list-grid] tbody time");
            Assert.NotEmpty(times);
            Assert.All(times, t =>
            {
                var utc = DateTimeOffset.Parse(t.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(utc.ToOffset(BrowserZoneAnswer.BangkokOffset).ToString("yyyy-MM-dd HH:mm"), t.TextContent.Trim());
                Assert.Equal(utc.UtcDateTime.ToString("yyyy-MM-dd HH:mm") + " UTC", t.GetAttribute("title"));
            });
        });
    }

    [Fact]
    public async Task Clicking_a_column_header_sorts_on_the_server_and_keeps_the_sort_in_the_address()
    {
        var org = await app.OrganizationIdAsync("MA01");
        var prefix = "UI" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        await using (var db = app.RawDb())
        {
            // Numbers and names in different orders: the default order (number) is not the name order either way.
            foreach (var (n, name) in new[] { ("1", "Cuff"), ("2", "Apron"), ("3", "Belt") })
            {
                db.Add(new Part { OrganizationId = org, Number = $"{prefix}-{n}", Sku = $"{prefix}{n}", Name = name, CreatedAt = DateTime.UtcNow });
            }
            await db.SaveChangesAsync();
        }
        await SignInAsync(app, DemoUsers.Admin);
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Bangkok);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/admin/parts?q={prefix}");
        Render<MudPopoverProvider>();
        var page = Render<PartsPage>();
        string[] Names() => page.FindAll("[data-testid=list-grid] tbody tr").Select(r => r.QuerySelectorAll("td")[2].TextContent.Trim()).ToArray();
        page.WaitForAssertion(() => Assert.Equal(["Cuff", "Apron", "Belt"], Names()));

        page.FindAll("[data-testid=list-grid] thead th").Single(th => th.TextContent.Trim() == "Name").QuerySelector(".sortable-column-header")!.Click();
        page.WaitForAssertion(() => Assert.Equal(["Apron", "Belt", "Cuff"], Names()));
        Assert.Contains("sort=name", navigation.Uri);

        page.FindAll("[data-testid=list-grid] thead th").Single(th => th.TextContent.Trim() == "Name").QuerySelector(".sortable-column-header")!.Click();
        page.WaitForAssertion(() => Assert.Equal(["Cuff", "Belt", "Apron"], Names()));
        Assert.Contains("sort=-name", navigation.Uri);
        // Columns the server cannot sort by offer no sorting.
        Assert.Null(page.FindAll("[data-testid=list-grid] thead th").Single(th => th.TextContent.Trim() == "Description").QuerySelector(".sortable-column-header"));

        // A link with the sort reopens the list in that order.
        page.Dispose();
        navigation.NavigateTo($"/admin/parts?q={prefix}&sort=-number");
        var reopened = Render<PartsPage>();
        reopened.WaitForAssertion(() => Assert.Equal(["Belt", "Apron", "Cuff"],
            reopened.FindAll("[data-testid=list-grid] tbody tr").Select(r => r.QuerySelectorAll("td")[2].TextContent.Trim())));
        reopened.WaitForAssertion(() => Assert.Contains("sort=-number", navigation.Uri));
    }
}

/// <summary>
/// The pickers search the server: a part far beyond the first 500 is found by what is typed, the search asks for one
/// page only, and a newer keystroke's cancellation reaches the query.
/// </summary>
public sealed class MasterDataPickerTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task A_part_beyond_the_first_500_is_found_and_a_cancelled_search_stops()
    {
        var org = await app.OrganizationIdAsync("MA01");
        await using (var db = app.RawDb())
        {
            for (var i = 0; i < 620; i++)
            {
                db.Add(new Part { OrganizationId = org, Number = $"PK-{i:D4}", Sku = $"PK{i:D4}", Name = $"Picker part {i}", CreatedAt = DateTime.UtcNow });
            }
            await db.SaveChangesAsync();
        }

        var found = await app.AsUserAsync(DemoUsers.Admin, s => s.GetRequiredService<MasterDataService>().PartsAsync("PK-0617", CancellationToken.None));
        Assert.Equal(["PK-0617"], found.Select(p => p.Number));

        // An empty search lists the first matches only, with one more to tell the picker that more match.
        var first = await app.AsUserAsync(DemoUsers.Admin, s => s.GetRequiredService<MasterDataService>().PartsAsync("", CancellationToken.None));
        Assert.Equal(MasterDataPickers.Shown + 1, first.Count());

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            app.AsUserAsync(DemoUsers.Admin, s => s.GetRequiredService<MasterDataService>().PartsAsync("PK", cancelled.Token)));
    }
}
