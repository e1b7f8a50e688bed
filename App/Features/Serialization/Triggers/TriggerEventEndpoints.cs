using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Serialization;

/// <summary>Admins' view of the trigger outbox. Thin adapters over <see cref="TriggerEventService"/>.</summary>
public static class TriggerEventEndpoints
{
    public static RouteGroupBuilder MapTriggerEventEndpoints(this RouteGroupBuilder group)
    {
        var events = group.MapGroup("/trigger-events").WithTags("Serialization: trigger events");

        events.MapGet("", ([AsParameters] TriggerEventQueryString query, HttpContext http, TriggerEventService s) => s.ListAsync(query.Value, http.RequestAborted))
            .RequireAuthorization(Policies.Admin)
            .WithName("ListTriggerEvents")
            .WithSummary("Trigger events of the outbox (work order created, operation complete): pending and failed by default, newest first.")
            .WithDescription("""
                ADMIN. The app's own trigger events are written in the same transaction as the change that raised them and fired
                after the commit by a background dispatcher, exactly once per event (a second run of an event finds its earlier
                firing). A failing event is retried with exponential backoff (10 s, 20 s, 40 s ... by default, at most 1 h apart)
                and ends failed after maxAttempts (default 8), with its lastError. status: open (pending and failed, the
                default), pending, failed or done. limit 1-500 (default 50), offset. Answers {data, total, limit, offset}.
                """)
            .Produces<WorkflowEnvelope<WorkflowPage<TriggerEventDto>>>().ProducesWorkflowErrors(400, 401, 403);

        events.MapPost("/{eventId}/retry", (string eventId, HttpContext http, TriggerEventService s) =>
            {
                var parsed = WorkflowErrors.ParseId(eventId, "TriggerEvent");
                return parsed.IsSuccess ? s.RetryAsync(parsed.Value, http.RequestAborted) : Task.FromResult<Result<TriggerEventDto>>(parsed.Error!);
            })
            .RequireAuthorization(Policies.Admin)
            .WithName("RetryTriggerEvent")
            .WithSummary("Retry a failed trigger event: it is pending again with a fresh set of attempts and is dispatched at once.")
            .WithDescription("ADMIN. Only a failed event can be retried: a pending or done one answers 409. No body.")
            .Produces<WorkflowEnvelope<TriggerEventDto>>().ProducesWorkflowErrors(401, 403, 404, 409);

        return group;
    }
}
