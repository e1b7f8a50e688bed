using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Operator.Features.Serialization;
using Operator.Infrastructure.Signatures;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// A signed uniqueness resolution and a signed vendor serial acceptance show their signature on their screens (printed
/// name, email, meaning, UTC time, comment, check against the record), and a record changed after signing shows that
/// the signature no longer matches it. SQLite, the app's real services.
/// </summary>
public sealed class SignatureScreensTests(OperatorFactory app) : SerializationPageTest, IClassFixture<OperatorFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private void Open(string relative) => Services.GetRequiredService<NavigationManager>().NavigateTo(relative);

    private static void AssertSigned<T>(IRenderedComponent<T> host, string comment) where T : IComponent
    {
        Assert.Equal("Max Manager", Text(host, "signature-name"));
        Assert.Contains(DemoUsers.Manager, Text(host, "signature"));
        Assert.Equal("Approved", Text(host, "signature-meaning"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", Text(host, "signature-time"));
        Assert.Equal(comment, Text(host, "signature-comment"));
        Assert.StartsWith("Signature verified against the record", Text(host, "signature-check"));
    }

    [Fact]
    public async Task A_signed_resolution_shows_its_signature_on_the_resolved_conflict_and_an_altered_conflict_does_not_match()
    {
        var part = await NewPartAsync(app);
        var number = Number("SIGC");
        var first = await UnitAsync(app, number, part);
        await UnitAsync(app, number, part);
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var registered = await PostOkAsync(op, "/uniqueness/register", new { serialNumber = number, partId = part, scope = new[] { "PART_TYPE" }, serialId = first });
        var conflict = Guid.Parse(registered["conflictId"]!.GetValue<string>());
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        await PostOkAsync(manager, "/uniqueness/conflict/resolve",
            Sign.Body(new { serialNumber = number, partId = part, conflictResolution = "KEEP_BOTH", resolutionReason = "Both are real units" }, comment: "Labels checked on the line"),
            HttpStatusCode.OK);

        // The resolved view lists it; opening it shows the resolution and its signature, verified.
        await SignInAsync(app, DemoUsers.Manager);
        Open($"/uniqueness?view=resolved&q={number}");
        var page = Render<UniquenessPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='conflict-link']")), Patience);
        page.Find("[data-testid='conflict-link']").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='signature']")), Patience);
        Assert.Equal("Kept both", Text(page, "conflict-resolution-kind"));
        Assert.Equal("Both are real units", Text(page, "conflict-resolution-reason"));
        AssertSigned(page, "Labels checked on the line");
        Assert.Empty(page.FindAll("[data-testid='resolve-keep']"));
        Assert.Contains($"conflict={conflict}", Services.GetRequiredService<NavigationManager>().Uri);

        // The reason changed behind the application's back: the signature no longer matches its record.
        await using (var db = app.RawDb())
        {
            var row = await db.Set<UniquenessConflict>().IgnoreQueryFilters().SingleAsync(c => c.Id == conflict);
            row.ResolutionReason = "Changed after signing";
            await db.SaveChangesAsync();
        }
        Open($"/uniqueness?view=resolved&conflict={conflict}");
        var reopened = Render<UniquenessPage>();
        reopened.WaitForAssertion(() => Assert.NotEmpty(reopened.FindAll("[data-testid='signature']")), Patience);
        Assert.StartsWith("Signature does NOT match the record", Text(reopened, "signature-check"));
    }

    [Fact]
    public async Task A_signed_vendor_acceptance_shows_its_signature_from_the_row_and_an_altered_row_does_not_match()
    {
        var part = await NewPartAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var accepted = await WorkflowKit.ReceiveAsync(manager, part, Number("SIGV"));
        await WorkflowKit.ReceiveAsync(manager, part, Number("SIGP"));
        var answer = await manager.PostSignedAsync($"{Base}/vendor/{accepted}/accept", new { }, SignatureMeanings.Approved, "Certificate of conformity on file");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        await SignInAsync(app, DemoUsers.Viewer);
        var dialogs = Render<MudDialogProvider>();
        Open($"/serialization/vendor?partId={part}");
        var page = Render<VendorSerialsPage>();
        // Only the decided row has a signature to show; the pending one has none yet.
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='vendor-row-status']").Count), Patience);
        Assert.Single(page.FindAll("[data-testid='vendor-signature']"));
        page.Find("[data-testid='vendor-signature']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='signature']")), Patience);
        AssertSigned(dialogs, "Certificate of conformity on file");
        dialogs.Find("[data-testid='signatures-close']").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid='signatures-dialog']")), Patience);

        // The acceptance's vendor name changed behind the application's back: the signature no longer matches its record.
        await using (var db = app.RawDb())
        {
            var row = await db.Set<VendorSerial>().IgnoreQueryFilters().SingleAsync(v => v.Id == accepted);
            row.VendorName = "Someone Else Ltd";
            await db.SaveChangesAsync();
        }
        page.Find("[data-testid='vendor-signature']").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid='signature']")), Patience);
        Assert.StartsWith("Signature does NOT match the record", Text(dialogs, "signature-check"));
    }
}
