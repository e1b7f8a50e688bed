using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Outbox;

/// <summary>
/// Something that must follow a committed change (a trigger firing, later a notification), written in the change's own
/// transaction so it exists exactly when the change does, and carried out by <see cref="OutboxDispatcher"/> outside
/// the request. <see cref="Topic"/> picks the handler; <see cref="Name"/> says what happened (e.g. WORK_ORDER_CREATE).
/// </summary>
public sealed class OutboxMessage : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Topic { get; set; }
    public required string Name { get; set; }

    /// <summary>What the event concerns, in words for the admin list (e.g. "work order WO-00012").</summary>
    public required string Subject { get; set; }

    /// <summary>The handler's input as JSON, captured when the change was made.</summary>
    public required string Payload { get; set; }

    /// <summary>Who made the change: the handler runs as this user of the organization, so the audit trail names them.</summary>
    public Guid? ActorId { get; set; }
    public string? ActorEmail { get; set; }

    public string Status { get; set; } = OutboxStatus.Pending;

    /// <summary>How many times a dispatcher claimed it (a claim that died with its process counts too).</summary>
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }

    /// <summary>A claim's lease: until then no other dispatcher takes it; after it, a dead dispatcher's claim is taken over.</summary>
    public DateTime? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public string? LastError { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>What the handler reported when it finished (e.g. "4 serial(s), 0 placeholder(s)").</summary>
    public string? Outcome { get; set; }
}

public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";
    public static readonly IReadOnlyList<string> All = [Pending, Failed, Done];
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Topic).HasMaxLength(60);
        b.Property(x => x.Name).HasMaxLength(60);
        b.Property(x => x.Subject).HasMaxLength(300);
        b.Property(x => x.ActorEmail).HasMaxLength(256);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.LockedBy).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.Property(x => x.Outcome).HasMaxLength(500);
        // The dispatcher's claim: due pending rows in order.
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        // The admin list: one organization's rows of a status, newest first.
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.CreatedAt });
    }
}
