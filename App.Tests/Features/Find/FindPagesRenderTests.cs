using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Find;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Tests.Features.Holds;
using Operator.Tests.Features.Serialization;
using Operator.Tests.Support;
using static Operator.Tests.Features.Find.FindKit;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Find;

/// <summary>
/// The top bar's find box, the results page and the record pages rendered with bunit over the real services: Enter with one
/// match opens its page, several open the results; plates, batches and work orders show their holds (linked), units and history.
/// </summary>
public sealed class FindPagesRenderTests(OperatorFactory app) : SerializationPageTest, IClassFixture<OperatorFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private string Path => "/" + Navigation.ToBaseRelativePath(Navigation.Uri);

    /// <summary>Types into the top bar's box, presses Enter, and renders the page the box went to (the router's job in the app).</summary>
    private async Task<(IRenderedComponent<FindBox> Box, IRenderedComponent<FindPage> Results)> TypeAndEnterAsync(string text)
    {
        var box = Render<FindBox>();
        box.Find("[data-testid='find-box']").Input(text);
        await box.Find("[data-testid='find-form']").SubmitAsync();
        Assert.Equal($"/find?q={Uri.EscapeDataString(text.Trim())}&open=1", Path);
        return (box, Render<FindPage>());
    }

    [Fact]
    public async Task Enter_with_one_match_opens_its_page_and_empties_the_box()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        await SignInAsync(app, DemoUsers.Viewer);

        var (box, results) = await TypeAndEnterAsync($" {plate.Number.ToLowerInvariant()} ");
        results.WaitForAssertion(() => Assert.Equal($"/license-plates/{plate.Number}", Path), Patience);
        Assert.Equal("", box.Find("[data-testid='find-box']").GetAttribute("value") ?? "");
        // The results page gave its place in the history to the record: Back returns to where the search began.
        var bunitNavigation = (Bunit.TestDoubles.BunitNavigationManager)Navigation;
        Assert.True(bunitNavigation.History.First().Options.ReplaceHistoryEntry);
    }

    [Fact]
    public async Task Enter_with_several_matches_opens_the_results_page_that_lists_them()
    {
        var number = $"TWO-{Tag()}";
        var certificate = await CertificateAsync(app, number);
        var unit = await UnitAsync(app, number);
        await SignInAsync(app, DemoUsers.Viewer);

        var (_, results) = await TypeAndEnterAsync(number);
        results.WaitForAssertion(() => Assert.Equal(2, results.FindAll("[data-testid='find-result-link']").Count), Patience);
        Assert.Equal([$"/serials/{number}", $"/certificates/{certificate.Id}"], results.FindAll("[data-testid='find-result-link']").Select(a => a.GetAttribute("href")));
        Assert.Equal(["Serial", "Certificate"], results.FindAll("[data-testid='find-result-kind']").Select(c => c.TextContent.Trim()));
        Assert.Equal($"2 records have the number {number}.", Text(results, "find-count"));
        Assert.Equal($"/find?q={number}&open=1", Path);
        Assert.NotEqual(Guid.Empty, unit);
    }

    [Fact]
    public async Task Enter_with_no_match_opens_the_results_page_that_says_so()
    {
        var number = $"NONE-{Tag()}";
        await SignInAsync(app, DemoUsers.Viewer);
        var (_, results) = await TypeAndEnterAsync(number);
        results.WaitForAssertion(() => Assert.Equal($"Nothing in your organization has the number {number}.", Text(results, "find-nothing")), Patience);
        Assert.Equal($"/find?q={number}&open=1", Path);
    }

    [Fact]
    public async Task A_plate_on_hold_links_to_its_hold_and_shows_its_holds_and_history()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var released = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Lp(plate.Id)]);
        Assert.True((await HoldsKit.ReleaseAsync(manager, HoldsKit.Id(released))).IsSuccessStatusCode);
        var active = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Lp(plate.Id)]);
        var (activeId, activeNumber) = (HoldsKit.Id(active), active["hold"]!["hold_number"]!.GetValue<string>());
        await SignInAsync(app, DemoUsers.Viewer);

        var page = Render<LicensePlateDetailPage>(p => p.Add(x => x.Number, plate.Number.ToLowerInvariant()));
        page.WaitForAssertion(() => Assert.Equal($"License plate {plate.Number}", Text(page, "plate-title")), Patience);
        var onHold = page.Find("[data-testid='plate-active-hold']");
        Assert.Equal((activeNumber, $"/holds/{activeId}"), (onHold.TextContent.Trim(), onHold.GetAttribute("href")));
        Assert.Equal("QA on hold", Text(page, "plate-qa-status"));

        // Both holds, the active one first; each links to its hold.
        Assert.Equal([$"/holds/{activeId}", $"/holds/{HoldsKit.Id(released)}"], page.FindAll("[data-testid='record-hold-link']").Select(a => a.GetAttribute("href")));
        Assert.Equal(["Active", "Released"], page.FindAll("[data-testid='record-hold-status']").Select(c => c.TextContent.Trim()));

        // The plate's audit entries (the holds changed its QA status), newest first.
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='record-history-summary']").Count), Patience);
        Assert.Equal($"QA status passed → hold by hold {activeNumber}", page.FindAll("[data-testid='record-history-summary']")[0].TextContent.Trim());
    }

    [Fact]
    public async Task Another_organizations_plate_or_batch_is_not_found()
    {
        var theirs = await HoldsKit.NewPlateAsync(app, "AC01");
        var theirBatch = await HoldsKit.NewBatchAsync(app, "AC01");
        await SignInAsync(app, DemoUsers.Viewer);
        var page = Render<LicensePlateDetailPage>(p => p.Add(x => x.Number, theirs.Number));
        page.WaitForAssertion(() => Assert.Equal($"There is no license plate {theirs.Number} in your organization.", Text(page, "plate-not-found")), Patience);
        var batch = Render<BatchDetailPage>(p => p.Add(x => x.Number, theirBatch.Id.ToString()));
        batch.WaitForAssertion(() => Assert.Equal($"There is no batch {theirBatch.Id} in your organization.", Text(batch, "batch-not-found")), Patience);
    }

    [Fact]
    public async Task A_batch_shows_its_hold_and_its_units_with_links_to_each_unit_and_its_lineage()
    {
        var batch = await HoldsKit.NewBatchAsync(app);
        var tag = Tag();
        var units = await UnitsAsync(app, 3, i => $"BU{i}-{tag}", batchId: batch.Id);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var hold = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Bt(batch.Id)]);
        await SignInAsync(app, DemoUsers.Viewer);

        var page = Render<BatchDetailPage>(p => p.Add(x => x.Number, batch.Number));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='record-unit-link']").Count), Patience);
        Assert.Equal("3", Text(page, "batch-units"));
        Assert.Equal(Enumerable.Range(0, 3).Select(i => $"/serials/BU{i}-{tag}"), page.FindAll("[data-testid='record-unit-link']").Select(a => a.GetAttribute("href")));
        Assert.Equal(units.Select(u => $"/lineage/{u}"), page.FindAll("[data-testid='record-unit-lineage']").Select(a => a.GetAttribute("href")));
        Assert.Equal($"/holds/{HoldsKit.Id(hold)}", page.Find("[data-testid='batch-active-hold']").GetAttribute("href"));
    }

    [Fact]
    public async Task A_work_order_shows_its_holds_units_and_history()
    {
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var tag = Tag();
        await UnitsAsync(app, 2, i => $"WU{i}-{tag}", workOrderId: order.Id);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var hold = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Wo(order.Id)]);
        await SignInAsync(app, DemoUsers.Viewer);

        var page = Render<WorkOrderDetailPage>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='record-unit-link']").Count), Patience);
        Assert.Equal($"/holds/{HoldsKit.Id(hold)}", page.Find("[data-testid='work-order-active-hold']").GetAttribute("href"));
        Assert.Equal([$"/holds/{HoldsKit.Id(hold)}"], page.FindAll("[data-testid='record-hold-link']").Select(a => a.GetAttribute("href")));
        Assert.NotNull(page.Find("[data-testid='record-history']"));
    }

    [Fact]
    public async Task A_hold_item_links_to_its_record_and_a_unit_to_its_lineage_and_work_order()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var batch = await HoldsKit.NewBatchAsync(app);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var hold = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Lp(plate.Id), HoldsKit.Wo(order.Id), HoldsKit.Bt(batch.Id)]);
        var unitNumber = $"HU-{Tag()}";
        var unit = await UnitAsync(app, unitNumber, workOrderId: order.Id, batchId: batch.Id);
        await SignInAsync(app, DemoUsers.Viewer);

        var page = Render<HoldDetailPage>(p => p.Add(x => x.Id, Guid.Parse(HoldsKit.Id(hold))));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='hold-item-link']").Count), Patience);
        Assert.Equal([$"/license-plates/{plate.Number}", $"/work-orders/{order.Id}", $"/batches/{batch.Number}"],
            page.FindAll("[data-testid='hold-item-link']").Select(a => a.GetAttribute("href")));
        Assert.Equal($"/license-plates/{plate.Number}", page.Find("[data-testid='lp-change-link']").GetAttribute("href"));

        var serial = Render<SerialDetailPage>(p => p.Add(x => x.Number, unitNumber));
        serial.WaitForAssertion(() => Assert.Equal($"/lineage/{unit}", serial.Find("[data-testid='serial-lineage']").GetAttribute("href")), Patience);
        Assert.Equal($"/work-orders/{order.Id}", serial.Find("[data-testid='serial-work-order']").GetAttribute("href"));
        Assert.Equal($"/batches/{batch.Number}", serial.Find("[data-testid='serial-batch']").GetAttribute("href"));
    }

    [Fact]
    public void Hold_items_of_every_known_type_link_to_their_record_and_others_to_nothing()
    {
        var id = Guid.NewGuid();
        Assert.Equal("/license-plates/LP-1", RecordLinks.HoldItem(ReferenceTypes.LicensePlate, id, "LP-1"));
        Assert.Equal($"/work-orders/{id}", RecordLinks.HoldItem(ReferenceTypes.WorkOrder, id, "WO-1"));
        Assert.Equal("/batches/B-1", RecordLinks.HoldItem(ReferenceTypes.Batch, id, "B-1"));
        Assert.Equal("/serials/SN-1", RecordLinks.HoldItem("serial", id, "SN-1"));
        Assert.Null(RecordLinks.HoldItem("pallet", id, "P-1"));
        // A number that is not one clean path segment is addressed by id.
        Assert.Equal($"/license-plates/{id}", RecordLinks.LicensePlate("LP 1/2", id));
    }
}
