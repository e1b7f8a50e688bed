using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Holds;

/// <summary>
/// The hold pages rendered with bunit over the app's real services and test database, as a demo user: what they show
/// to each role, and how they behave when clicked and typed into.
/// </summary>
public sealed class HoldPagesRenderTests(OperatorFactory app) : PageTest, IClassFixture<OperatorFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // The browser's answer to "which time zone?": Berlin, so shown times differ from their UTC tooltip.
    private void BrowserInBerlin() =>
        JSInterop.AnswerTimeZone(BrowserZoneAnswer.Berlin);

    private async Task<(Guid Id, string Number, string Plate, string Order)> PlateAndOrderHoldAsync()
    {
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var plate = await HoldsKit.NewPlateAsync(app);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var created = await HoldsKit.CreateAsync(app, inspector, "critical", items: [HoldsKit.Lp(plate.Id, 12, "kg", "Top layer"), HoldsKit.Wo(order.Id)]);
        return (Guid.Parse(HoldsKit.Id(created)), created["hold"]!["hold_number"]!.GetValue<string>(), plate.Number, order.Number);
    }

    private IRenderedComponent<HoldDetailPage> Detail(Guid id)
    {
        var page = Render<HoldDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='hold-number'], h1")), Patience);
        return page;
    }

    private static bool Has<T>(IRenderedComponent<T> page, string testId) where T : IComponent =>
        page.FindAll($"[data-testid='{testId}']").Count > 0;

    /// <summary>
    /// The words shown with a field (label, helper or error, counter): the text of the innermost MudBlazor input control
    /// around the element with this data-testid, so a message found here is next to that field, not elsewhere on the page.
    /// </summary>
    private static string FieldText<T>(IRenderedComponent<T> page, string testId) where T : class, IComponent =>
        ((IRenderedComponent<IComponent>)page).FindComponents<MudInputControl>().Last(c => c.FindAll($"[data-testid='{testId}']").Count > 0).Find("*").TextContent;

    /// <summary>Opens a MudSelect the way a pointer does (it listens for mousedown on its control).</summary>
    private static void OpenSelect<T>(IRenderedComponent<T> page, string testId) where T : IComponent
    {
        IElement? element = page.Find($"[data-testid='{testId}']");
        while (element is not null && !element.HasAttribute("blazor:onmousedown"))
        {
            element = element.ParentElement;
        }
        Assert.NotNull(element);
        element.MouseDown();
    }

    private string Url => Services.GetRequiredService<NavigationManager>().Uri;

    private void Open(string relative) => Services.GetRequiredService<NavigationManager>().NavigateTo(relative);

    // ---------- Hold detail ----------

    [Fact]
    public async Task The_detail_page_shows_facts_items_changes_history_and_the_inspectors_actions()
    {
        var hold = await PlateAndOrderHoldAsync();
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var page = Detail(hold.Id);

        Assert.Contains(hold.Number, Text(page, "hold-number"));
        Assert.Equal("Active", Text(page, "hold-status"));
        Assert.Contains("Failed metal detection", Text(page, "hold-reason"));
        Assert.Contains(hold.Plate, Text(page, "hold-items"));
        Assert.Contains(hold.Order, Text(page, "hold-items"));
        Assert.Contains("Warehouse A", Text(page, "hold-items"));
        Assert.Contains("pending", Text(page, "lp-changes"));
        Assert.Contains("Created", Text(page, "hold-history"));
        Assert.Contains("Ines Inspector", Text(page, "hold-history"));
        Assert.Contains("· normal", Text(page, "hold-aging"));
        // Times are <time> elements with the UTC moment, shown in the browser's zone by LocalTime.
        Assert.NotNull(page.Find("[data-testid='hold-held-at']").GetAttribute("datetime"));
        Assert.True(Has(page, "release-hold"));
        Assert.False(Has(page, "dispose-hold"));
        Assert.Equal($"/api/quality/holds/{hold.Id}/report.pdf", page.Find("[data-testid='download-report']").GetAttribute("href"));
    }

    [Fact]
    public async Task A_manager_may_release_and_dispose_the_inspectors_hold()
    {
        var hold = await PlateAndOrderHoldAsync();
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Manager);
        var page = Detail(hold.Id);
        Assert.True(Has(page, "release-hold"));
        Assert.True(Has(page, "dispose-hold"));
    }

    [Fact]
    public async Task A_viewer_sees_the_report_link_but_no_actions()
    {
        var hold = await PlateAndOrderHoldAsync();
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Viewer);
        var page = Detail(hold.Id);
        Assert.False(Has(page, "release-hold"));
        Assert.False(Has(page, "dispose-hold"));
        Assert.True(Has(page, "download-report"));
    }

    [Fact]
    public async Task An_inspector_is_told_why_another_inspectors_hold_has_no_release_button()
    {
        var managersHold = Guid.Parse(HoldsKit.Id(await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Manager))));
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var page = Detail(managersHold);
        Assert.False(Has(page, "release-hold"));
        Assert.True(Has(page, "release-note"));
    }

    [Fact]
    public async Task A_released_hold_shows_who_released_it_and_how()
    {
        var hold = await PlateAndOrderHoldAsync();
        await HoldsKit.ReleaseAsync(await app.ClientForAsync(DemoUsers.Manager), hold.Id.ToString(), "scrap", "Metal found");
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Manager);
        var page = Detail(hold.Id);
        Assert.Equal("Released", Text(page, "hold-status"));
        Assert.Contains("Max Manager", Text(page, "released-by"));
        Assert.Equal("Scrap", Text(page, "hold-disposition"));
        Assert.False(Has(page, "release-hold"));
        Assert.True(Has(page, "dispose-hold"));
    }

    [Fact]
    public async Task Another_organizations_hold_renders_as_not_found()
    {
        var id = HoldsKit.Id(await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector)));
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.OtherAdmin);
        var page = Detail(Guid.Parse(id));
        Assert.Contains("Quality hold not found", page.Markup);
        Assert.False(Has(page, "hold-facts"));
    }

    [Fact]
    public async Task The_release_dialog_asks_for_a_disposition_then_releases_and_the_page_shows_it_above_the_actions()
    {
        var hold = await PlateAndOrderHoldAsync();
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var dialogs = Render<MudDialogProvider>();
        var page = Detail(hold.Id);

        page.Find("[data-testid='release-hold']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='release-confirm']")), Patience);
        Assert.Contains($"Release {hold.Number}", dialogs.Markup);

        // No disposition chosen: the service's message shows under the choice and the dialog stays open.
        dialogs.Find("[data-testid='release-confirm']").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("Choose a disposition.", Text(dialogs, "release-disposition-error")), Patience);
        Assert.Equal("Active", Text(page, "hold-status"));

        dialogs.FindAll("label").Single(l => l.TextContent.Trim() == "Release to operations").QuerySelector("input[type='radio']")!.Click();
        dialogs.WaitForAssertion(() => Assert.Contains("passed", Text(dialogs, "release-effect")), Patience);
        dialogs.Find("[data-testid='release-confirm']").Click();
        // The organization requires signatures: the release is signed with the password (meaning "approved" preselected).
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("input[data-testid='sign-password']")), Patience);
        dialogs.Find("input[data-testid='sign-password']").Input(Operator.Infrastructure.Data.DemoData.Password);
        dialogs.Find("[data-testid='sign-confirm']").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid='release-confirm']")), Patience);
        page.WaitForAssertion(() => Assert.Equal("Released", Text(page, "hold-status")), Patience);
        Assert.Equal("Release to operations", Text(page, "hold-disposition"));
        Assert.Contains("Hold released.", Text(page, "hold-outcome"));
        // The outcome is part of the page, after the actions, so it cannot cover the report link.
        var markup = page.Markup;
        Assert.True(markup.IndexOf("data-testid=\"download-report\"", StringComparison.Ordinal) < markup.IndexOf("data-testid=\"hold-outcome\"", StringComparison.Ordinal));
        Assert.Equal(QaStatuses.Passed, await HoldsKit.QaStatusAsync(app, await HoldsKit.PlateAsync(app, hold.Plate)));
    }

    // ---------- New hold ----------

    [Fact]
    public async Task The_new_hold_form_puts_the_focus_in_the_scan_field_not_on_the_heading()
    {
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var form = Render<NewHoldPage>();
        var scan = form.Find("[data-testid='scan-input']");
        var focus = JSInterop.VerifyFocusAsyncInvoke();
        var target = Assert.IsType<ElementReference>(focus.Arguments[0]);
        Assert.Equal(scan.GetAttribute("blazor:elementReference"), target.Id);
        Assert.True(Has(form, "no-items"));
        Assert.True(Has(form, "hold-type"));
        Assert.True(Has(form, "create-hold"));
    }

    [Fact]
    public async Task Submitting_an_empty_form_shows_the_services_messages_next_to_their_fields()
    {
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var form = Render<NewHoldPage>();
        form.Find("[data-testid='create-hold']").Click();

        form.WaitForAssertion(() => Assert.Contains("Please correct the fields marked below.", Text(form, "form-error")), Patience);
        Assert.Contains("Enter the reason for the hold.", FieldText(form, "hold-reason"));
        Assert.Contains("Choose the type of hold.", FieldText(form, "hold-type"));
        Assert.Contains("Add at least one license plate, work order or batch.", FieldText(form, "scan-input"));
        Assert.DoesNotContain("Choose", FieldText(form, "hold-reason"));
        Assert.Equal("true", form.Find("[data-testid='hold-reason']").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task Adding_an_item_clears_the_add_at_least_one_item_message_and_keeps_the_others()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var form = Render<NewHoldPage>();
        form.Find("[data-testid='create-hold']").Click();
        form.WaitForAssertion(() => Assert.Contains("at least one", FieldText(form, "scan-input")), Patience);

        var scan = form.Find("[data-testid='scan-input']");
        scan.Input(plate.Number.ToLowerInvariant());
        form.Find("[data-testid='scan-input']").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        form.WaitForAssertion(() => Assert.Equal(plate.Number, Text(form, "hold-item-display")), Patience);
        Assert.Contains("Added", Text(form, "scan-message"));
        Assert.DoesNotContain("at least one", FieldText(form, "scan-input"));
        Assert.Equal("", form.Find("[data-testid='scan-input']").GetAttribute("value") ?? "");
        // The reason is still missing: its message stays until the form is sent again.
        Assert.Contains("Enter the reason for the hold.", FieldText(form, "hold-reason"));
    }

    [Fact]
    public async Task The_reason_counter_follows_each_keystroke()
    {
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var form = Render<NewHoldPage>();
        form.Find("[data-testid='hold-reason']").Input("Seam split");
        form.WaitForAssertion(() => Assert.Contains("10 / 500", FieldText(form, "hold-reason")), Patience);
        form.Find("[data-testid='hold-reason']").Input("Seam split on two totes");
        form.WaitForAssertion(() => Assert.Contains("23 / 500", FieldText(form, "hold-reason")), Patience);
    }

    [Fact]
    public async Task The_reference_search_is_done_by_the_server_and_finds_plates_past_any_fixed_list()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var found = await app.AsUserAsync(DemoUsers.Inspector, sp => sp.GetRequiredService<HoldLookup>().SearchReferencesAsync(plate.Number[3..].ToLowerInvariant()));
        Assert.Contains(found, r => r.Display == plate.Number && r.ReferenceType == ReferenceTypes.LicensePlate);
        var orders = await app.AsUserAsync(DemoUsers.Inspector, sp => sp.GetRequiredService<HoldLookup>().SearchReferencesAsync(order.Number));
        Assert.Equal(order.Number, Assert.Single(orders).Display);

        // A newer keystroke cancels the older search: a cancelled token stops the query.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            app.AsUserAsync(DemoUsers.Inspector, sp => sp.GetRequiredService<HoldLookup>().SearchReferencesAsync("LP", ct: cancelled.Token)));
    }

    [Fact]
    public async Task Picking_a_reference_from_the_search_adds_it()
    {
        var batch = await HoldsKit.NewBatchAsync(app);
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var popovers = Render<MudPopoverProvider>();
        var form = Render<NewHoldPage>();
        var picker = form.FindComponent<MudAutocomplete<ResolvedReference>>();
        form.Find("[data-testid='reference-picker']").Input(batch.Number);
        popovers.WaitForAssertion(() => Assert.Contains(batch.Number, popovers.Markup), Patience);
        var option = popovers.FindAll("[role='option']").First(o => o.TextContent.Contains(batch.Number));
        option.Click();
        form.WaitForAssertion(() => Assert.Equal(batch.Number, Text(form, "hold-item-display")), Patience);
        Assert.Contains("Batch", Text(form, "hold-item-description"));
        Assert.Null(picker.Instance.Value);
    }

    // ---------- Holds list ----------

    [Fact]
    public async Task The_list_shows_filters_in_words_and_only_the_roles_new_hold_button()
    {
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Viewer);
        var list = Render<HoldsPage>();
        foreach (var filter in new[] { "filter-status", "filter-priority", "filter-type", "filter-from", "filter-to", "filter-search", "holds-grid" })
        {
            Assert.True(Has(list, filter), filter);
        }
        Assert.False(Has(list, "new-hold"));
    }

    [Fact]
    public async Task The_dashboards_link_opens_the_list_filtered_by_its_status_and_priority_shown_in_words()
    {
        await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), "high");
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        Open("/holds?status=active&priority=high");
        var list = Render<HoldsPage>();
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid='hold-link']")), Patience);
        Assert.All(list.FindAll("[data-testid='hold-status']"), s => Assert.Equal("Active", s.TextContent.Trim()));
        Assert.All(list.FindAll("[data-testid='hold-priority']"), s => Assert.Equal("High", s.TextContent.Trim()));
        Assert.Equal("Active", list.Find("[data-testid='filter-status']").GetAttribute("value"));
        Assert.Equal("High", list.Find("[data-testid='filter-priority']").GetAttribute("value"));
        Assert.True(Has(list, "new-hold"));
    }

    [Fact]
    public async Task Changing_a_filter_reloads_the_list_with_it_and_writes_it_into_the_address()
    {
        var marker = "filter" + Guid.NewGuid().ToString("N")[..10];
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var recall = await HoldsKit.CreateAsync(app, inspector, "low", "recall", $"Recall of tote handles {marker}");
        await HoldsKit.CreateAsync(app, inspector, "low", "qa_pending", $"Pending check of tote handles {marker}");
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        var popovers = Render<MudPopoverProvider>();
        Open($"/holds?q={marker}");
        var list = Render<HoldsPage>();
        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("[data-testid='hold-link']").Count), Patience);

        // The type filter offers words ("QA pending"), not the stored values (qa_pending).
        OpenSelect(list, "filter-type");
        popovers.WaitForAssertion(() => Assert.Contains("QA pending", popovers.Markup), Patience);
        Assert.DoesNotContain("qa_pending", popovers.Markup);
        popovers.FindAll("[role='option']").First(o => o.TextContent.Trim() == "Recall").Click();

        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid='hold-link']")), Patience);
        Assert.Equal(recall["hold"]!["hold_number"]!.GetValue<string>(), Text(list, "hold-link"));
        Assert.Contains("type=recall", Url);
        Assert.Contains($"q={marker}", Url);

        // The search field filters too, and is kept in the address.
        list.Find("[data-testid='filter-search']").Input("no hold has this text " + marker);
        list.WaitForAssertion(() => Assert.True(Has(list, "holds-empty")), Patience);
        Assert.Contains("q=no", Url);
    }

    [Fact]
    public async Task The_next_page_asks_the_service_for_the_next_rows_and_is_kept_in_the_address()
    {
        var marker = "paging" + Guid.NewGuid().ToString("N")[..10];
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var numbers = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            var created = await HoldsKit.CreateAsync(app, inspector, "medium", reason: $"Paging test hold number {i} {marker}");
            numbers.Add(created["hold"]!["hold_number"]!.GetValue<string>());
        }
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        Open($"/holds?q={marker}");
        var list = Render<HoldsPage>();
        list.WaitForAssertion(() => Assert.Equal(20, list.FindAll("[data-testid='hold-link']").Count), Patience);
        var firstPage = list.FindAll("[data-testid='hold-link']").Select(l => l.TextContent.Trim()).ToList();

        list.Find("button[aria-label='Next page']").Click();
        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid='hold-link']")), Patience);
        var second = Text(list, "hold-link");
        Assert.DoesNotContain(second, firstPage);
        Assert.Equal(numbers.ToHashSet(), firstPage.Append(second).ToHashSet());
        Assert.Contains("page=2", Url);
    }

    [Fact]
    public async Task A_link_with_a_page_reopens_that_page()
    {
        var marker = "reopen" + Guid.NewGuid().ToString("N")[..10];
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        for (var i = 0; i < 21; i++)
        {
            await HoldsKit.CreateAsync(app, inspector, "medium", reason: $"Reopen test hold number {i} {marker}");
        }
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Inspector);
        Open($"/holds?q={marker}&page=2");
        var list = Render<HoldsPage>();
        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid='hold-link']")), Patience);
        Assert.Equal(marker, list.Find("[data-testid='filter-search']").GetAttribute("value"));
    }

    [Fact]
    public async Task A_link_with_dates_reopens_the_list_held_in_that_window()
    {
        await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector));
        await SignInAsync(app, DemoUsers.Inspector);
        Open("/holds?from=2099-01-01&to=2099-01-31");
        var list = Render<HoldsPage>();
        list.WaitForAssertion(() => Assert.True(Has(list, "holds-empty")), Patience);
        Assert.Equal("2099-01-01", list.Find("[data-testid='filter-from']").GetAttribute("value"));
        Assert.Equal("2099-01-31", list.Find("[data-testid='filter-to']").GetAttribute("value"));
        Assert.Contains("from=2099-01-01", Url);
    }

    // ---------- Dashboard summary ----------

    [Fact]
    public async Task The_dashboard_summary_counts_active_holds_by_priority_and_aging_and_links_to_the_filtered_list()
    {
        var before = await app.AsUserAsync(DemoUsers.Viewer, sp => sp.GetRequiredService<HoldDashboard>().GetActiveSummaryAsync());
        await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), "critical");
        BrowserInBerlin();
        await SignInAsync(app, DemoUsers.Viewer);
        var summary = Render<ActiveHoldsSummary>();
        Assert.Equal($"{before.Total + 1} active", Text(summary, "active-holds-total"));
        Assert.Equal($"Critical: {before.ByPriority["critical"] + 1}", Text(summary, "active-priority-critical"));
        Assert.Equal($"Normal: {before.ByAging["normal"] + 1}", Text(summary, "active-aging-normal"));
        Assert.Equal("/holds?status=active&priority=critical", summary.Find("[data-testid='active-priority-critical']").GetAttribute("href"));
        Assert.Equal("/holds?status=active", summary.Find("[data-testid='active-holds-total']").GetAttribute("href"));
    }
}
