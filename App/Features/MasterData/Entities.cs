using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.MasterData;

/// <summary>An item the plant makes or receives. <see cref="Sku"/> appears in public serial codes.</summary>
public sealed class Part : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Number { get; set; }
    public required string Sku { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string Uom { get; set; } = "ea";

    /// <summary>HAT (hatthasilpa) or OEM: the production type printed in public serial codes; null when not coded.</summary>
    public string? ProductionType { get; set; }

    /// <summary>Serials of this part carry signed public codes that customers can verify.</summary>
    public bool PubliclyVerifiable { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An ordered route of steps a unit travels.</summary>
public sealed class ProcessPath : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public Guid? PartId { get; set; }
    public Part? Part { get; set; }
    public List<ProcessStep> Steps { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}

/// <summary>One step of a path; <see cref="Sequence"/> is the 0-based index a serial's current step points at.</summary>
public sealed class ProcessStep : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public Guid PathId { get; set; }
    public int Sequence { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>Completing this step is a quality checkpoint: it raises the part's QUALITY_CHECKPOINT triggers.</summary>
    public bool IsQualityCheckpoint { get; set; }
}

/// <summary>A job that runs a quantity of a part along a path.</summary>
public sealed class WorkOrder : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Number { get; set; }
    public Guid PartId { get; set; }
    public Part? Part { get; set; }
    public Guid PathId { get; set; }
    public ProcessPath? Path { get; set; }
    public int Quantity { get; set; }
    public string Status { get; set; } = WorkOrderStatus.Open;
    public DateTime? DueAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class WorkOrderStatus
{
    public const string Open = "open";
    public const string InProgress = "in_progress";
    public const string Closed = "closed";
    public static readonly IReadOnlyList<string> All = [Open, InProgress, Closed];
}

/// <summary>A place material sits (a warehouse, a rack, a quarantine cage).</summary>
public sealed class Location : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
}

/// <summary>A tracked lot of material with its QA status (pending, hold, passed, rejected, scrap).</summary>
public sealed class LicensePlate : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Number { get; set; }
    public Guid PartId { get; set; }
    public Part? Part { get; set; }
    public double Quantity { get; set; }
    public required string Uom { get; set; }
    public Guid? LocationId { get; set; }
    public Location? Location { get; set; }
    public string QaStatus { get; set; } = QaStatuses.Pending;
    public DateTime CreatedAt { get; set; }
}

public static class QaStatuses
{
    public const string Pending = "pending";
    public const string Hold = "hold";
    public const string Passed = "passed";
    public const string Rejected = "rejected";
    public const string Scrap = "scrap";
    public static readonly IReadOnlyList<string> All = [Pending, Hold, Passed, Rejected, Scrap];
}

/// <summary>A production batch of a part.</summary>
public sealed class Batch : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Number { get; set; }
    public Guid PartId { get; set; }
    public Part? Part { get; set; }
    public double Quantity { get; set; }
    public required string Uom { get; set; }
    public DateTime? ProducedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class MasterDataConfiguration :
    IEntityTypeConfiguration<Part>, IEntityTypeConfiguration<ProcessPath>, IEntityTypeConfiguration<ProcessStep>,
    IEntityTypeConfiguration<WorkOrder>, IEntityTypeConfiguration<Location>, IEntityTypeConfiguration<LicensePlate>,
    IEntityTypeConfiguration<Batch>
{
    public void Configure(EntityTypeBuilder<Part> b)
    {
        b.ToTable("Parts");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Number).HasMaxLength(40);
        b.Property(x => x.Sku).HasMaxLength(12);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.Uom).HasMaxLength(20);
        b.Property(x => x.ProductionType).HasMaxLength(3);
        b.HasIndex(x => new { x.OrganizationId, x.Number }).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.Sku }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<ProcessPath> b)
    {
        b.ToTable("ProcessPaths");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => new { x.OrganizationId, x.Code }).IsUnique();
        b.HasOne(x => x.Part).WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Steps).WithOne().HasForeignKey(s => s.PathId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ProcessStep> b)
    {
        b.ToTable("ProcessSteps");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => new { x.PathId, x.Sequence }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<WorkOrder> b)
    {
        b.ToTable("WorkOrders");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Number).HasMaxLength(40);
        b.Property(x => x.Status).HasMaxLength(20);
        b.HasIndex(x => new { x.OrganizationId, x.Number }).IsUnique();
        b.HasOne(x => x.Part).WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Path).WithMany().HasForeignKey(x => x.PathId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<Location> b)
    {
        b.ToTable("Locations");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => new { x.OrganizationId, x.Code }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<LicensePlate> b)
    {
        b.ToTable("LicensePlates");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Number).HasMaxLength(40);
        b.Property(x => x.Uom).HasMaxLength(20);
        b.Property(x => x.QaStatus).HasMaxLength(20);
        b.HasIndex(x => new { x.OrganizationId, x.Number }).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.QaStatus });
        b.HasOne(x => x.Part).WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Location).WithMany().HasForeignKey(x => x.LocationId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<Batch> b)
    {
        b.ToTable("Batches");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Number).HasMaxLength(40);
        b.Property(x => x.Uom).HasMaxLength(20);
        b.HasIndex(x => new { x.OrganizationId, x.Number }).IsUnique();
        b.HasOne(x => x.Part).WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
    }
}
