using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Operator.Infrastructure.Tenancy;

/// <summary>A tenant. Its <see cref="Code"/> (4 of A-Z0-9) also opens its public serial codes.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>
    /// What the public verification API may show: minimal (validity and status) or standard (adds the traceability
    /// path). The Verification feature names the modes (VerificationPrivacyModes); the tenant only keeps the choice,
    /// and starts on the minimal mode, which shows the least.
    /// </summary>
    public string VerificationPrivacy { get; set; } = "minimal";

    /// <summary>
    /// Whether decisions (hold release and disposal, uniqueness resolutions, vendor serial acceptance and rejection)
    /// need an electronic signature (21 CFR Part 11). On unless an administrator turns it off; existing organizations
    /// got it on with the migration that added it.
    /// </summary>
    public bool SignaturesRequired { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.ToTable("Organizations");
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.Code).HasMaxLength(4);
        b.Property(o => o.Name).HasMaxLength(200);
        b.Property(o => o.VerificationPrivacy).HasMaxLength(10);
        b.HasIndex(o => o.Code).IsUnique();
    }
}
