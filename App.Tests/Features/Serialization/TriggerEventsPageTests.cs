using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Operator.Features.Serialization;
using Operator.Infrastructure.Outbox;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serialization;

/// <summary>The admin page of the trigger outbox: a failed event with its error and a retry that queues it again.</summary>
public sealed class TriggerEventsPageTests(OperatorFactory app) : SerializationPageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task A_failed_event_shows_its_error_and_attempts_and_retry_puts_it_back_in_the_queue()
    {
        var org = await app.OrganizationIdAsync("MA01");
        var subject = $"work order WO-PG{Guid.NewGuid():N}"[..28];
        var failed = new OutboxMessage
        {
            OrganizationId = org, Topic = TriggerOutbox.Topic, Name = "WORK_ORDER_CREATE", Subject = subject, Status = OutboxStatus.Failed, Attempts = 8,
            Payload = """{"partId":"00000000-0000-0000-0000-000000000001","context":{}}""", LastError = "formatConfigId: The format has no numbers left.",
            CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow, CompletedAt = DateTime.UtcNow,
        };
        await using (var db = app.RawDb())
        {
            db.Add(failed);
            await db.SaveChangesAsync();
        }

        await SignInAsync(app, DemoUsers.Admin);
        Render<MudSnackbarProvider>();
        var page = Render<TriggerEventsPage>();
        page.WaitForAssertion(() => Assert.Contains(subject, page.FindAll("[data-testid='trigger-event-subject']").Select(e => e.TextContent.Trim())));
        var row = page.FindAll("tr").Single(r => r.TextContent.Contains(subject));
        Assert.Contains("Work order created", row.TextContent);
        Assert.Equal("Failed", row.QuerySelector("[data-testid='trigger-event-status']")!.TextContent.Trim());
        Assert.Equal("8 of 8 attempts", row.QuerySelector("[data-testid='trigger-event-attempts']")!.TextContent.Trim());
        Assert.Equal("formatConfigId: The format has no numbers left.", row.QuerySelector("[data-testid='trigger-event-last-error']")!.TextContent.Trim());

        row.QuerySelector("[data-testid='trigger-event-retry']")!.Click();
        page.WaitForAssertion(() => Assert.Equal("Pending",
            page.FindAll("tr").Single(r => r.TextContent.Contains(subject)).QuerySelector("[data-testid='trigger-event-status']")!.TextContent.Trim()));
        Assert.Empty(page.FindAll("tr").Single(r => r.TextContent.Contains(subject)).QuerySelectorAll("[data-testid='trigger-event-retry']"));
        await using var check = app.RawDb();
        var stored = await check.Set<OutboxMessage>().IgnoreQueryFilters().SingleAsync(m => m.Id == failed.Id);
        Assert.Equal((OutboxStatus.Pending, 0), (stored.Status, stored.Attempts));
    }
}
