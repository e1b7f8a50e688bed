using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Holds;

/// <summary>
/// A quality hold: material (license plates), work orders and batches that must not move until QA decides.
/// Status goes active → released (with a disposition) and active/released → disposed (archived); nothing else.
/// </summary>
public sealed class QualityHold : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }

    /// <summary><c>QH-YYYYMMDD-NNNN</c>: UTC date of <see cref="HeldAt"/> and a per-organization, per-day counter.</summary>
    public required string HoldNumber { get; set; }

    public string Status { get; set; } = HoldStatuses.Active;
    public required string Priority { get; set; }

    /// <summary>1 (low) to 4 (critical), stored so that "priority DESC" sorts by severity, not alphabetically, on an index.</summary>
    public int PriorityRank { get; set; }

    public required string HoldType { get; set; }
    public required string Reason { get; set; }

    /// <summary>Items never change after creation, so the count is stored rather than counted for every list row.</summary>
    public int ItemsCount { get; set; }

    public Guid HeldById { get; set; }
    public AppUser? HeldBy { get; set; }
    public DateTime HeldAt { get; set; }

    public Guid? ReleasedById { get; set; }
    public AppUser? ReleasedBy { get; set; }
    public DateTime? ReleasedAt { get; set; }
    public string? Disposition { get; set; }
    public string? ReleaseNotes { get; set; }

    public Guid? DisposedById { get; set; }
    public DateTime? DisposedAt { get; set; }

    public Guid? NcrId { get; set; }

    public Guid CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid UpdatedById { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: two releases racing on PostgreSQL cannot both win (the loser gets a 409).</summary>
    public int Version { get; set; }

    public List<QualityHoldItem> Items { get; set; } = [];
}

/// <summary>One thing a hold holds: a license plate, a work order, a batch or (extension) a serial of the hold's organization.</summary>
public sealed class QualityHoldItem : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public Guid HoldId { get; set; }

    /// <summary>Position in the request, so items come back in the order they were given.</summary>
    public int Sequence { get; set; }

    public required string ReferenceType { get; set; }
    public Guid ReferenceId { get; set; }

    /// <summary>The LP/WO/batch/serial number at hold time, so the hold still reads correctly in reports and lists.</summary>
    public required string ReferenceDisplay { get; set; }

    public double? QuantityHeld { get; set; }
    public string? Uom { get; set; }
    public Guid? LocationId { get; set; }
    public string? LocationName { get; set; }
    public string? Notes { get; set; }

    /// <summary>License plates only: the QA status the plate had before this hold put it on hold.</summary>
    public string? QaStatusBefore { get; set; }

    /// <summary>License plates only: the QA status this hold's release or disposal gave the plate (null while active).</summary>
    public string? QaStatusAfter { get; set; }

    /// <summary>
    /// The disposition this item was released with (null while active, and for holds released before items carried one):
    /// the hold's disposition, or the item's own when the release named one for it (<c>item_dispositions</c>, an extension).
    /// </summary>
    public string? Disposition { get; set; }
}

public static class HoldStatuses
{
    public const string Active = "active";
    public const string Released = "released";
    public const string Disposed = "disposed";
    public static readonly IReadOnlyList<string> All = [Active, Released, Disposed];

    /// <summary>A status's place in the only direction a hold moves: active 1, released 2, disposed 3.</summary>
    public static int Rank(string status) => status switch
    {
        Active => 1,
        Released => 2,
        Disposed => 3,
        _ => 0,
    };
}

public static class HoldTypes
{
    public const string QaPending = "qa_pending";
    public const string Investigation = "investigation";
    public const string Recall = "recall";
    public const string Quarantine = "quarantine";
    public static readonly IReadOnlyList<string> All = [QaPending, Investigation, Recall, Quarantine];

    public static string Label(string type) => type switch
    {
        QaPending => "QA pending",
        Investigation => "Investigation",
        Recall => "Recall",
        Quarantine => "Quarantine",
        _ => type,
    };
}

public static class HoldPriorities
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Critical = "critical";
    public static readonly IReadOnlyList<string> All = [Low, Medium, High, Critical];

    public static int Rank(string priority) => priority switch
    {
        Low => 1,
        Medium => 2,
        High => 3,
        Critical => 4,
        _ => 0,
    };
}

public static class ReferenceTypes
{
    public const string LicensePlate = "lp";
    public const string WorkOrder = "wo";
    public const string Batch = "batch";

    /// <summary>
    /// One unit, by serial number or id: this app's extension of the contract (README, "Quality holds"). It is not in
    /// <see cref="All"/>, so the contract's enum words ("Expected 'lp' | 'wo' | 'batch'") stay exactly as documented.
    /// </summary>
    public const string Serial = "serial";

    /// <summary>The contract's documented types.</summary>
    public static readonly IReadOnlyList<string> All = [LicensePlate, WorkOrder, Batch];

    /// <summary>Every type an item may have: the documented ones and the serial extension.</summary>
    public static readonly IReadOnlyList<string> Accepted = [LicensePlate, WorkOrder, Batch, Serial];

    public static string Label(string type) => type switch
    {
        LicensePlate => "License plate",
        WorkOrder => "Work order",
        Batch => "Batch",
        Serial => "Serial",
        _ => type,
    };
}

public static class Dispositions
{
    public const string Release = "release";
    public const string Rework = "rework";
    public const string Scrap = "scrap";
    public const string Return = "return";
    public static readonly IReadOnlyList<string> All = [Release, Rework, Scrap, Return];

    public static string Label(string disposition) => disposition switch
    {
        Release => "Release to operations",
        Rework => "Rework / retest",
        Scrap => "Scrap",
        Return => "Return to supplier",
        _ => disposition,
    };
}

internal sealed class HoldConfiguration : IEntityTypeConfiguration<QualityHold>, IEntityTypeConfiguration<QualityHoldItem>
{
    public void Configure(EntityTypeBuilder<QualityHold> b)
    {
        b.ToTable("QualityHolds");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.HoldNumber).HasMaxLength(24);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Priority).HasMaxLength(20);
        b.Property(x => x.HoldType).HasMaxLength(20);
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.Disposition).HasMaxLength(20);
        b.Property(x => x.ReleaseNotes).HasMaxLength(1000);
        b.Property(x => x.Version).IsConcurrencyToken();

        // The spec's indexes: list queries, and number lookup (unique within the organization).
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.HeldAt }).IsDescending(false, false, true);
        b.HasIndex(x => x.HoldNumber);
        b.HasIndex(x => new { x.OrganizationId, x.HoldNumber }).IsUnique();
        // "priority DESC" without a status filter.
        b.HasIndex(x => new { x.OrganizationId, x.PriorityRank, x.HeldAt });
        // The list at scale (bench/README.md): a status with "priority DESC" (the active holds by urgency) and the
        // dashboard's active-by-priority counts read one range in order; the unfiltered list (held_at DESC) and date
        // ranges read the organization's holds by held_at, with the filter columns in the index so counting a range
        // never visits the rows.
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.PriorityRank, x.HeldAt });
        b.HasIndex(x => new { x.OrganizationId, x.HeldAt, x.Status, x.PriorityRank, x.HoldType });
        // What changed lately: the search index's catch-up (HoldSearchIndex) and the list sorted by last change.
        b.HasIndex(x => new { x.OrganizationId, x.UpdatedAt });

        b.HasOne(x => x.HeldBy).WithMany().HasForeignKey(x => x.HeldById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.ReleasedBy).WithMany().HasForeignKey(x => x.ReleasedById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.HoldId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<QualityHoldItem> b)
    {
        b.ToTable("QualityHoldItems");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ReferenceType).HasMaxLength(10);
        b.Property(x => x.ReferenceDisplay).HasMaxLength(100);
        b.Property(x => x.Uom).HasMaxLength(20);
        b.Property(x => x.LocationName).HasMaxLength(200);
        b.Property(x => x.Notes).HasMaxLength(500);
        b.Property(x => x.QaStatusBefore).HasMaxLength(20);
        b.Property(x => x.QaStatusAfter).HasMaxLength(20);
        b.Property(x => x.Disposition).HasMaxLength(20);

        // The spec's item lookup, and "which active holds name this work order / batch / plate" for the serials feature.
        b.HasIndex(x => new { x.HoldId, x.ReferenceType, x.ReferenceId }).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.ReferenceType, x.ReferenceId });
    }
}
