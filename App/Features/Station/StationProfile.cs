using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Station;

/// <summary>What a station may do. Stored as one integer; a profile with none of them only shows its queue.</summary>
[Flags]
public enum StationActions
{
    None = 0,
    Advance = 1,
    Complete = 2,
    AttachCertificates = 4,
    Assemble = 8,
    Split = 16,
    AssignPlaceholders = 32,
    Scrap = 64,
    All = Advance | Complete | AttachCertificates | Assemble | Split | AssignPlaceholders | Scrap,
}

/// <summary>
/// A named station an administrator defines: where on the process it works (a path and the codes of its steps there, or
/// step codes alone to work at every path's step of that code, which is also the placeholders' operation code) and what
/// it may do. A browser remembers one and becomes that station.
/// </summary>
public sealed class StationProfile : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public Guid? PathId { get; set; }

    /// <summary>Step codes, comma-separated, in the order given (at least one).</summary>
    public required string StepCodes { get; set; }

    public StationActions Actions { get; set; }
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class StationProfileConfiguration : IEntityTypeConfiguration<StationProfile>
{
    public void Configure(EntityTypeBuilder<StationProfile> b)
    {
        b.ToTable("StationProfiles");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(StationProfileRules.NameMax);
        b.Property(x => x.StepCodes).HasMaxLength(StationProfileRules.StepCodesMax);
        b.Property(x => x.Actions).HasConversion<int>();
        b.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
        b.HasOne<Operator.Features.MasterData.ProcessPath>().WithMany().HasForeignKey(x => x.PathId).OnDelete(DeleteBehavior.Restrict);
    }
}
