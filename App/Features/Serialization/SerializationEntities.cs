using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;

/// <summary>A serial number printed by a supplier, received PENDING and then accepted (becoming a <see cref="Serial"/>) or rejected.</summary>
public sealed class VendorSerial : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string VendorSerialNumber { get; set; }
    public required string VendorName { get; set; }
    public Guid PartId { get; set; }
    public string Status { get; set; } = VendorSerialStatus.Pending;
    public DateTime ReceivedAt { get; set; }
    public Guid? InternalSerialId { get; set; }
    public Guid? AcceptedBy { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public string? RejectionReason { get; set; }
    public Guid? RejectedBy { get; set; }
    public DateTime? RejectedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class VendorSerialStatus
{
    public const string Pending = "PENDING";
    public const string Accepted = "ACCEPTED";
    public const string Rejected = "REJECTED";
    public static readonly IReadOnlyList<string> All = [Pending, Accepted, Rejected];
}

/// <summary>
/// How generated serial numbers look: literal text and tokens ({YYYY}, {MM}, {DD}, {ORG}, {SITE}, {PART}, {SKU},
/// {SEQ:n}), or the signed public code of DESIGN.md. The sequence resets per <see cref="ResetPolicy"/> and is drawn
/// from a per-format counter inside the transaction.
/// </summary>
public sealed class SerialFormat : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string Pattern { get; set; }
    public string ResetPolicy { get; set; } = SequenceReset.Never;
    public string? ProductionType { get; set; }
    public bool IsActive { get; set; } = true;
    public Guid? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class FormatKinds
{
    public const string Pattern = "PATTERN";
    public const string PublicCode = "PUBLIC_CODE";
    public static readonly IReadOnlyList<string> All = [Pattern, PublicCode];
}

public static class SequenceReset
{
    public const string Never = "NEVER";
    public const string Daily = "DAILY";
    public const string Monthly = "MONTHLY";
    public const string Yearly = "YEARLY";
    public static readonly IReadOnlyList<string> All = [Never, Daily, Monthly, Yearly];
}

/// <summary>When an event (material receipt, work order creation, operation completion, manual) serializes a part, and how.</summary>
public sealed class SerialTrigger : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public Guid PartId { get; set; }
    public required string TriggerType { get; set; }
    public required string AssignmentType { get; set; }
    public Guid? FormatId { get; set; }
    public string? OperationCode { get; set; }
    public bool IsConditional { get; set; }

    /// <summary>JSON object of key/value pairs that must all equal the event context's values.</summary>
    public string? Conditions { get; set; }
    public bool BatchMode { get; set; }
    public int? BatchSize { get; set; }
    public bool IsActive { get; set; } = true;
    public long FiredCount { get; set; }
    public DateTime? LastFiredAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class TriggerTypes
{
    public const string MaterialReceipt = "MATERIAL_RECEIPT";
    public const string WorkOrderCreate = "WORK_ORDER_CREATE";
    public const string OperationComplete = "OPERATION_COMPLETE";
    public const string Manual = "MANUAL";

    /// <summary>Fired by the app when the last open unit of a work order or batch completes.</summary>
    public const string BatchCompletion = "BATCH_COMPLETION";

    /// <summary>Fired by the app when a unit completes a step its path marks as a quality checkpoint.</summary>
    public const string QualityCheckpoint = "QUALITY_CHECKPOINT";

    /// <summary>The types the contract's examples list; the statistics always count these, the later ones when present.</summary>
    public static readonly IReadOnlyList<string> Documented = [MaterialReceipt, WorkOrderCreate, OperationComplete, Manual];

    public static readonly IReadOnlyList<string> All = [.. Documented, BatchCompletion, QualityCheckpoint];
}

public static class AssignmentTypes
{
    public const string SystemGenerated = "SYSTEM_GENERATED";
    public const string Vendor = "VENDOR";
    public const string LateAssignment = "LATE_ASSIGNMENT";
    public static readonly IReadOnlyList<string> All = [SystemGenerated, Vendor, LateAssignment];
}

/// <summary>A unit (or quantity of units) to be serialized later, after an operation.</summary>
public sealed class Placeholder : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public Guid PartId { get; set; }
    public Guid? WorkOrderId { get; set; }
    public string? OperationCode { get; set; }
    public int Quantity { get; set; } = 1;
    public string Status { get; set; } = PlaceholderStatus.Pending;
    public string? SerialNumber { get; set; }
    public Guid? SerialId { get; set; }
    public string? FailureReason { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? AssignedBy { get; set; }
    public DateTime? AssignedAt { get; set; }
    public Guid? FailedBy { get; set; }
    public DateTime? FailedAt { get; set; }
}

public static class PlaceholderStatus
{
    public const string Pending = "PENDING";
    public const string Serialized = "SERIALIZED";
    public const string Failed = "FAILED";
}

/// <summary>
/// One edge of the genealogy: a source unit went into a target unit at an operation (split, merge, transformation),
/// or passed through an operation (no target). Links of one call share a <see cref="GroupId"/>.
/// </summary>
public sealed class SerialLink : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public Guid GroupId { get; set; }
    public Guid SourceSerialId { get; set; }
    public Guid? TargetSerialId { get; set; }
    public required string Type { get; set; }
    public required string OperationCode { get; set; }
    public int RoutingSequence { get; set; }
    public string? WorkCenterId { get; set; }
    public double Quantity { get; set; } = 1;
    public Guid PartId { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The station that recorded it (its profile's name); null when it came through the API.</summary>
    public string? StationName { get; set; }

    public const int StationNameMax = 100;
}

public static class LinkTypes
{
    public const string PassThrough = "PASS_THROUGH";
    public const string Split = "SPLIT";
    public const string Merge = "MERGE";
    public const string Transformation = "TRANSFORMATION";
    public static readonly IReadOnlyList<string> All = [PassThrough, Split, Merge, Transformation];
}

/// <summary>A serial number registered for uniqueness tracking in the scopes it must be unique in.</summary>
public sealed class UniquenessRegistration : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string SerialNumber { get; set; }
    public Guid PartId { get; set; }
    public Guid? SerialId { get; set; }
    public string? SiteId { get; set; }
    public bool SiteLevel { get; set; }
    public bool EnterpriseLevel { get; set; }
    public bool PartTypeLevel { get; set; }
    public bool HasConflict { get; set; }
    public DateTime RegisteredAt { get; set; }
}

/// <summary>Two or more units claiming one number in a scope, pending until someone decides (RETIRE cancels one).</summary>
public sealed class UniquenessConflict : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string SerialNumber { get; set; }
    public Guid PartId { get; set; }
    public required string Scopes { get; set; }
    public required string ConflictingSerialIds { get; set; }
    public string Status { get; set; } = ConflictStatus.Pending;
    public string? Resolution { get; set; }
    public Guid? RetiredSerialId { get; set; }
    public string? ResolutionReason { get; set; }
    public Guid? ResolvedBy { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class ConflictStatus
{
    public const string Pending = "PENDING";
    public const string Resolved = "RESOLVED";
}

internal sealed class SerializationConfiguration :
    IEntityTypeConfiguration<VendorSerial>, IEntityTypeConfiguration<SerialFormat>, IEntityTypeConfiguration<SerialTrigger>,
    IEntityTypeConfiguration<Placeholder>, IEntityTypeConfiguration<SerialLink>, IEntityTypeConfiguration<UniquenessRegistration>,
    IEntityTypeConfiguration<UniquenessConflict>
{
    public void Configure(EntityTypeBuilder<VendorSerial> b)
    {
        b.ToTable("VendorSerials");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.VendorSerialNumber).HasMaxLength(100);
        b.Property(x => x.VendorName).HasMaxLength(200);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.RejectionReason).HasMaxLength(500);
        // A number is the vendor's: two vendors of one part may both use it (the uniqueness guard decides at accept).
        b.HasIndex(x => new { x.OrganizationId, x.PartId, x.VendorName, x.VendorSerialNumber }).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.PartId, x.Status });
        // Find (the top bar's search) looks a vendor's number up knowing neither the part nor the vendor.
        b.HasIndex(x => new { x.OrganizationId, x.VendorSerialNumber });
        b.HasOne<Part>().WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<SerialFormat> b)
    {
        b.ToTable("SerialFormats");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.Pattern).HasMaxLength(200);
        b.Property(x => x.ResetPolicy).HasMaxLength(10);
        b.Property(x => x.ProductionType).HasMaxLength(3);
        b.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<SerialTrigger> b)
    {
        b.ToTable("SerialTriggers");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.TriggerType).HasMaxLength(30);
        b.Property(x => x.AssignmentType).HasMaxLength(30);
        b.Property(x => x.OperationCode).HasMaxLength(40);
        b.Property(x => x.Conditions).HasMaxLength(4000);
        b.HasIndex(x => new { x.OrganizationId, x.PartId, x.TriggerType, x.IsActive });
        b.HasOne<Part>().WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SerialFormat>().WithMany().HasForeignKey(x => x.FormatId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<Placeholder> b)
    {
        b.ToTable("Placeholders");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.OperationCode).HasMaxLength(40);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.SerialNumber).HasMaxLength(100);
        b.Property(x => x.FailureReason).HasMaxLength(500);
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.WorkOrderId });
        b.HasIndex(x => new { x.OrganizationId, x.PartId, x.Status });
        b.HasOne<Part>().WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<SerialLink> b)
    {
        b.ToTable("SerialLinks");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Type).HasMaxLength(20);
        b.Property(x => x.OperationCode).HasMaxLength(40);
        b.Property(x => x.WorkCenterId).HasMaxLength(50);
        b.Property(x => x.StationName).HasMaxLength(SerialLink.StationNameMax);
        // Lineage walks these two indexes in both directions with a recursive query.
        b.HasIndex(x => new { x.SourceSerialId, x.TargetSerialId });
        b.HasIndex(x => new { x.TargetSerialId, x.SourceSerialId });
        b.HasIndex(x => new { x.OrganizationId, x.PartId, x.Type });
        b.HasIndex(x => x.GroupId);
        b.HasOne<Serial>().WithMany().HasForeignKey(x => x.SourceSerialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Serial>().WithMany().HasForeignKey(x => x.TargetSerialId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<UniquenessRegistration> b)
    {
        b.ToTable("UniquenessRegistrations");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.SerialNumber).HasMaxLength(100);
        b.Property(x => x.SiteId).HasMaxLength(50);
        b.HasIndex(x => new { x.OrganizationId, x.SerialNumber, x.PartId });
        b.HasIndex(x => x.SerialNumber);
    }

    public void Configure(EntityTypeBuilder<UniquenessConflict> b)
    {
        b.ToTable("UniquenessConflicts");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.SerialNumber).HasMaxLength(100);
        b.Property(x => x.Scopes).HasMaxLength(100);
        b.Property(x => x.ConflictingSerialIds).HasMaxLength(4000);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Resolution).HasMaxLength(20);
        b.Property(x => x.ResolutionReason).HasMaxLength(500);
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.PartId });
        b.HasIndex(x => new { x.OrganizationId, x.SerialNumber, x.PartId });
    }
}
