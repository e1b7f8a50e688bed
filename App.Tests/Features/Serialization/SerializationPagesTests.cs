using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>The triggers, formats and vendor serials pages driven with bunit over the real services (SQLite).</summary>
public sealed class SerializationPagesTests(OperatorFactory app) : SerializationPageTest, IClassFixture<OperatorFactory>
{
    /// <summary>
    /// The message MudBlazor shows under a field (its helper line, in the field's own input control), when the field is
    /// marked invalid; empty otherwise. MudBlazor 9.14 links the two by markup only (no aria-describedby), hence its class names here.
    /// </summary>
    private static string FieldMessage(IRenderedComponent<MudDialogProvider> host, string testId) => FieldMessage(host.Find($"input[data-testid='{testId}']"));

    private static string FieldMessage(IElement input)
    {
        if (input.GetAttribute("aria-invalid") != "true") return "";
        return input.Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";
    }

    private void Open(string relative) => Services.GetRequiredService<NavigationManager>().NavigateTo(relative);

    [Fact]
    public async Task The_triggers_page_lists_every_parts_triggers_in_words_before_a_choice_and_keeps_the_chosen_part_in_the_address()
    {
        await SignInAsync(app, DemoUsers.Viewer);
        var page = Render<TriggersPage>();
        // The demo wallet (second part) has a manual trigger and an operation-completed one; nothing is chosen yet.
        page.WaitForAssertion(() => Assert.Contains("Manual", page.FindAll("[data-testid='trigger-row-event']").Select(e => e.TextContent.Trim())));
        var events = page.FindAll("[data-testid='trigger-row-event']").Select(e => e.TextContent.Trim()).ToList();
        Assert.Contains("Operation completed", events);
        Assert.DoesNotContain(events, e => e.Contains('_'));
        Assert.Contains("Late assignment (placeholder)", page.FindAll("[data-testid='trigger-row-assignment']").Select(e => e.TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid='trigger-stats']"));
        // A viewer sees the switches, disabled, and no way to change anything.
        Assert.All(page.FindAll("input[data-testid='trigger-toggle']"), t => Assert.True(t.HasAttribute("disabled")));
        Assert.Empty(page.FindAll("[data-testid='trigger-new']"));
        Assert.Empty(page.FindAll("[data-testid='trigger-edit']"));

        // A reload of an address with the part opens that part: its rows only, and its statistics.
        var wallet = await PartIdAsync(app, 1);
        var partNumber = await PartNumberAsync(wallet);
        Open($"/serialization/triggers?partId={wallet}");
        var reloaded = Render<TriggersPage>();
        reloaded.WaitForAssertion(() => Assert.Equal("2", Text(reloaded, "stat-total")));
        reloaded.WaitForAssertion(() => Assert.Equal(2, reloaded.FindAll("[data-testid='trigger-row-part']").Count));
        Assert.All(reloaded.FindAll("[data-testid='trigger-row-part']"), p => Assert.Equal(partNumber, p.TextContent.Trim()));
        Assert.Contains(partNumber, reloaded.Find("input[data-testid='trigger-part']").GetAttribute("value"));
        Assert.Contains($"partId={wallet}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task The_trigger_dialog_shows_the_services_messages_at_their_fields_and_makes_the_active_state_explicit()
    {
        await SignInAsync(app, DemoUsers.Admin);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<TriggersPage>();
        page.WaitForAssertion(() => page.Find("[data-testid='trigger-new']"));

        // Opened without a chosen part: the dialog asks for one, and the service's message shows under the part field.
        page.Find("[data-testid='trigger-new']").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid='trigger-dialog']"));
        var active = dialogs.Find("input[data-testid='trigger-active']");
        Assert.False(active.HasAttribute("checked"), "a new trigger starts inactive");
        Assert.Equal("Active", active.Closest("label")!.TextContent.Trim());
        Assert.StartsWith("Inactive: it is saved but does not fire", Text(dialogs, "trigger-active-note"));
        Assert.Equal("Create inactive trigger", dialogs.Find("[data-testid='trigger-save']").TextContent.Trim());
        dialogs.Find("[data-testid='trigger-save']").Click();
        var expected = await app.AsUserAsync(DemoUsers.Admin, async sp =>
            (await sp.GetRequiredService<TriggerService>().CreateAsync(new CreateTriggerRequest(null, TriggerTypes.WorkOrderCreate, AssignmentTypes.SystemGenerated))).Error!);
        var partMessage = Assert.Single(expected.Issues, i => i.Field == "partId").Message;
        dialogs.WaitForAssertion(() => Assert.Equal(partMessage, FieldMessage(dialogs, "trigger-dialog-part")));
        Assert.NotEmpty(dialogs.FindAll("[data-testid='trigger-dialog']"));
        dialogs.Find("[data-testid='trigger-cancel']").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid='trigger-dialog']")));

        // For a chosen part (from the address): switching Active on says so in words, on the switch's note and on the button.
        var part = await NewPartAsync(app);
        Open($"/serialization/triggers?partId={part}");
        var forPart = Render<TriggersPage>();
        forPart.WaitForAssertion(() => Assert.Equal("No triggers for this part", Text(forPart, "trigger-empty")));
        forPart.Find("[data-testid='trigger-new']").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid='trigger-dialog']"));
        dialogs.Find("input[data-testid='trigger-active']").Change(true);
        dialogs.WaitForAssertion(() => Assert.Equal("Create active trigger", dialogs.Find("[data-testid='trigger-save']").TextContent.Trim()));
        Assert.StartsWith("Active: it fires on every matching event", Text(dialogs, "trigger-active-note"));
        dialogs.Find("[data-testid='trigger-save']").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid='trigger-dialog']")));

        forPart.WaitForAssertion(() => Assert.Equal(["Work order created"], forPart.FindAll("[data-testid='trigger-row-event']").Select(e => e.TextContent.Trim())));
        Assert.Equal("1", Text(forPart, "stat-active"));
        await using var db = app.RawDb();
        var saved = await db.Set<SerialTrigger>().IgnoreQueryFilters().SingleAsync(t => t.PartId == part);
        Assert.True(saved.IsActive);
        Assert.Equal(TriggerTypes.WorkOrderCreate, saved.TriggerType);
    }

    [Fact]
    public async Task Typing_a_pattern_shows_the_next_numbers_or_the_services_message_under_the_pattern()
    {
        await SignInAsync(app, DemoUsers.Admin);
        var page = Render<SerialFormatsPage>();
        var pattern = page.Find("input[data-testid='format-pattern']");

        pattern.Input("QX-{YEAR}-{SEQ:4}");
        page.WaitForAssertion(() => Assert.Contains("Unknown token {YEAR}", FieldMessage(page.Find("input[data-testid='format-pattern']"))));
        Assert.Empty(page.FindAll("[data-testid='preview-numbers']"));

        var yymm = app.Clock.GetUtcNow().ToString("yyMM", System.Globalization.CultureInfo.InvariantCulture);
        page.Find("input[data-testid='format-pattern']").Input("QX-{YY}{MM}-{SEQ:4}");
        page.WaitForAssertion(() => Assert.Equal($"QX-{yymm}-0001", page.Find("[data-testid='preview-numbers'] li").TextContent.Trim()));
        Assert.DoesNotContain("Unknown token", FieldMessage(page.Find("input[data-testid='format-pattern']")));
        Assert.Empty(page.FindAll("[data-testid='preview-error']"));
    }

    [Fact]
    public async Task The_vendor_serials_page_lists_every_part_before_a_choice_and_shows_the_services_messages_at_the_receive_fields()
    {
        await SignInAsync(app, DemoUsers.Manager);
        var page = Render<VendorSerialsPage>();
        // The demo's strap (third part) has three vendor serials: listed with their part before any part is chosen.
        var strap = await PartNumberAsync(await PartIdAsync(app, 2));
        page.WaitForAssertion(() => Assert.Contains(strap, page.FindAll("[data-testid='vendor-grid'] td").Select(c => c.TextContent.Trim())));
        Assert.Contains("Rejected", page.FindAll("[data-testid='vendor-row-status']").Select(s => s.TextContent.Trim()));
        Assert.NotEmpty(page.FindAll("[data-testid='vendor-accept']"));

        // Receiving without a part, number or vendor: each of the service's messages shows under its own field, nothing is saved.
        var before = int.Parse(Text(page, "vendor-count"), System.Globalization.CultureInfo.InvariantCulture);
        page.Find("[data-testid='receive-submit']").Click();
        var expected = await app.AsUserAsync(DemoUsers.Manager, async sp =>
            (await sp.GetRequiredService<VendorSerialService>().ReceiveAsync(new ReceiveVendorSerialRequest(null, null, null))).Error!);
        page.WaitForAssertion(() => Assert.Equal(Message(expected, "vendorSerialNumber"), FieldMessage(page.Find("input[data-testid='receive-number']"))));
        Assert.Equal(Message(expected, "vendorName"), FieldMessage(page.Find("input[data-testid='receive-vendor']")));
        Assert.Equal(Message(expected, "partId"), FieldMessage(page.Find("input[data-testid='receive-part']")));
        Assert.Empty(page.FindAll("[data-testid='receive-error']"));
        Assert.Equal(before.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(page, "vendor-count"));

        // The status filter goes into the address and narrows the list.
        page.FindAll("[data-testid='vendor-status'] button").Single(b => b.TextContent.Trim() == "Rejected").Click();
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-testid='vendor-row-status']"), s => Assert.Equal("Rejected", s.TextContent.Trim())));
        Assert.Contains("status=REJECTED", Services.GetRequiredService<NavigationManager>().Uri);
    }

    private static string Message(Operator.Infrastructure.Api.Error error, string field) => Assert.Single(error.Issues, i => i.Field == field).Message;

    private async Task<string> PartNumberAsync(Guid id)
    {
        await using var db = app.RawDb();
        return await db.Set<Operator.Features.MasterData.Part>().IgnoreQueryFilters().Where(p => p.Id == id).Select(p => p.Number).SingleAsync();
    }
}
