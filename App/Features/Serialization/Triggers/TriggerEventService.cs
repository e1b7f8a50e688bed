using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;

/// <summary>
/// A trigger event of the outbox as admins see it. status: pending (waiting for its first or next attempt), failed
/// (gave up after maxAttempts; retry puts it back), done. nextAttemptAt is null once the event is no longer pending.
/// </summary>
public sealed record TriggerEventDto(
    Guid Id, string TriggerType, string Subject, Guid? PartId, string Status, int Attempts, int MaxAttempts, DateTime CreatedAt,
    DateTime? NextAttemptAt, string? LastError, DateTime? CompletedAt, string? Outcome);

/// <summary>The list's filter: status pending, failed, done, or open (pending and failed, the default), and a page.</summary>
public sealed record TriggerEventQuery(string? Status, PageParams Page)
{
    public void Check(Checks checks)
    {
        if (Status is not null && !TriggerEventService.Statuses.Contains(Status))
        {
            checks.Add(Checks.P("status"), $"status must be one of {string.Join(", ", TriggerEventService.Statuses)}");
        }
        Page.Check(checks);
    }
}

/// <summary>The list's query string (<c>status</c>, <c>limit</c>, <c>offset</c>), typed at the group's edge.</summary>
public sealed class TriggerEventQueryString : IBoundRequest
{
    private Result<TriggerEventQuery>? bound;

    [FromQuery(Name = "status")] public string? Status { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "offset")] public string? Offset { get; init; }

    public TriggerEventQuery Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<TriggerEventQuery> Bound => bound ??= Bind();

    private Result<TriggerEventQuery> Bind()
    {
        var text = new QueryText("status", "limit", "offset");
        return text.Bind(new TriggerEventQuery(Status, text.Page(Limit, Offset)), (query, checks) => query.Check(checks));
    }
}

/// <summary>Admins' view of the trigger outbox: pending and failed events with their error, and a retry for failed ones.</summary>
public sealed class TriggerEventService(IDbContextFactory<OperatorDb> factory, ICurrentUser caller, AuditTrail audit, TimeProvider time,
    OutboxOptions options, OutboxSignal signal)
{
    public const string StatusOpen = "open";
    public static readonly IReadOnlyList<string> Statuses = [StatusOpen, .. OutboxStatus.All];

    public bool CanView => Policies.Allows(Policies.Admin, caller.Role);

    public int MaxAttempts => options.MaxAttempts;

    public async Task<Result<WorkflowPage<TriggerEventDto>>> ListAsync(TriggerEventQuery query, CancellationToken ct = default)
    {
        if (!CanView) return WorkflowErrors.Forbidden();
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        var status = query.Status ?? StatusOpen;
        var page = query.Page;

        await using var db = factory.CreateDbContext();
        var rows = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Topic == TriggerOutbox.Topic);
        rows = status == StatusOpen ? rows.Where(m => m.Status == OutboxStatus.Pending || m.Status == OutboxStatus.Failed) : rows.Where(m => m.Status == status);
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return new WorkflowPage<TriggerEventDto>(list.Select(ToDto).ToList(), total, page.Limit, page.Offset);
    }

    /// <summary>Puts a failed event back in the queue with a fresh set of attempts; the dispatcher takes it at once.</summary>
    public async Task<Result<TriggerEventDto>> RetryAsync(Guid id, CancellationToken ct = default)
    {
        if (!CanView) return WorkflowErrors.Forbidden();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var message = await db.Set<OutboxMessage>().SingleOrDefaultAsync(m => m.Id == id && m.Topic == TriggerOutbox.Topic, ct);
        if (message is null) return WorkflowErrors.NotFound("TriggerEvent", id.ToString());
        if (message.Status != OutboxStatus.Failed)
        {
            return Error.Conflict(message.Status == OutboxStatus.Done
                ? "This trigger event has already fired; there is nothing to retry"
                : "This trigger event is still pending: the dispatcher retries it on its own");
        }
        // Guarded by status, so two admins retrying at once reset it once.
        var changed = await db.Set<OutboxMessage>().Where(m => m.Id == id && m.Status == OutboxStatus.Failed)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, OutboxStatus.Pending).SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now).SetProperty(m => m.CompletedAt, (DateTime?)null), ct);
        if (changed == 0) return Error.Conflict("This trigger event was retried at the same time by someone else");
        await audit.AppendAsync(db, "trigger_event_retried", "trigger_event", id.ToString(),
            before: new { status = message.Status, message.Attempts, message.LastError }, after: new { status = OutboxStatus.Pending }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        signal.Notify();
        var fresh = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id, ct);
        return ToDto(fresh);
    }

    private TriggerEventDto ToDto(OutboxMessage m)
    {
        Guid? partId = null;
        try
        {
            partId = Outbox.Read<TriggerOutbox.Payload>(m.Payload).PartId;
        }
        catch (System.Text.Json.JsonException)
        {
            // A payload this version cannot read still lists; its handler reports the problem as the event's error.
        }
        return new TriggerEventDto(m.Id, m.Name, m.Subject, partId, m.Status, m.Attempts, options.MaxAttempts, m.CreatedAt,
            m.Status == OutboxStatus.Pending ? m.NextAttemptAt : null, m.LastError, m.CompletedAt, m.Outcome);
    }
}
