using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Features.MasterData;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;

/// <summary>
/// The app's own trigger events go through the outbox: written in the transaction of the change that raised them, fired
/// by <see cref="TriggerEventHandler"/> after the commit, outside the request. An event is written only when the part
/// has an active trigger of its type at that moment (most station moves have none).
/// </summary>
public static class TriggerOutbox
{
    public const string Topic = "serialization.trigger";

    /// <summary>What a trigger event carries: the part and the context its triggers match and generate with.</summary>
    public sealed record Payload(Guid PartId, IReadOnlyDictionary<string, string> Context);

    /// <summary>
    /// Adds the event to the change's context (saved by its SaveChanges, in its transaction) when the part has an active
    /// trigger of <paramref name="triggerType"/>. A new event type is one call of this where the change happens.
    /// </summary>
    public static async Task<OutboxMessage?> AddAsync(OperatorDb db, Guid partId, string triggerType, IReadOnlyDictionary<string, string> context,
        string subject, DateTime now, CancellationToken ct)
    {
        if (!await db.Set<SerialTrigger>().AnyAsync(t => t.PartId == partId && t.TriggerType == triggerType && t.IsActive, ct)) return null;
        return Outbox.Add(db, Topic, triggerType, subject, new Payload(partId, context), now);
    }

    public static Dictionary<string, string> WorkOrderContext(WorkOrderDto order) => new(StringComparer.Ordinal)
    {
        ["workOrderId"] = order.Id.ToString(),
        ["workOrderNumber"] = order.Number,
        ["partId"] = order.PartId.ToString(),
        ["quantity"] = order.Quantity.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// The record that an outbox event fired its triggers, written in the firing's own transaction. Its key is the event
/// id, so a second run of the same event (a dispatcher that died before marking the event done) finds it and does not
/// generate again, and two runs at once cannot both commit.
/// </summary>
public sealed class TriggerEventFiring : ITenantOwned
{
    public Guid EventId { get; set; }
    public Guid OrganizationId { get; set; }
    public DateTime FiredAt { get; set; }
    public int SerialsGenerated { get; set; }
    public int PlaceholdersCreated { get; set; }
}

internal sealed class TriggerEventFiringConfiguration : IEntityTypeConfiguration<TriggerEventFiring>
{
    public void Configure(EntityTypeBuilder<TriggerEventFiring> b)
    {
        b.ToTable("TriggerEventFirings");
        b.HasKey(x => x.EventId);
        b.Property(x => x.EventId).ValueGeneratedNever();
    }
}

/// <summary>Fires the triggers of one outbox event, once: an event that already fired is answered from its record.</summary>
public sealed class TriggerEventHandler(TriggerService triggers, IDbContextFactory<OperatorDb> factory) : IOutboxHandler
{
    public async Task<OutboxOutcome> HandleAsync(OutboxEvent message, CancellationToken ct)
    {
        var payload = Outbox.Read<TriggerOutbox.Payload>(message.Payload);
        if (await EarlierFiringAsync(message.Id, ct) is { } earlier) return earlier;
        try
        {
            var fired = await triggers.FireEventAsync(payload.PartId, message.Name, payload.Context, ct, message.Id);
            if (!fired.IsSuccess) return OutboxOutcome.Failed(WorkflowErrors.ForPeople(fired.Error!));
            return OutboxOutcome.Done(fired.Value is { } firing
                ? $"{firing.FiredTriggerIds.Count} trigger(s) fired: {firing.SerialNumbers.Count} serial(s), {firing.PlaceholderIds.Count} placeholder(s)"
                : "No active trigger matched");
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another run of the same event committed first; its firing stands and this one rolled back.
            return await EarlierFiringAsync(message.Id, ct) ?? throw new InvalidOperationException("A unique index refused the firing, but no earlier firing of the event exists.", e);
        }
    }

    private async Task<OutboxOutcome?> EarlierFiringAsync(Guid eventId, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var earlier = await db.Set<TriggerEventFiring>().AsNoTracking().SingleOrDefaultAsync(f => f.EventId == eventId, ct);
        return earlier is null ? null
            : OutboxOutcome.Done($"Already fired at {earlier.FiredAt:yyyy-MM-dd HH:mm:ss} UTC: {earlier.SerialsGenerated} serial(s), {earlier.PlaceholdersCreated} placeholder(s)");
    }
}
