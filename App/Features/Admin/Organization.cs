using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Operator.Features.Admin;

/// <summary>A tenant. Its <see cref="Code"/> (4 of A-Z0-9) also opens its public serial codes.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>What the public verification API may show: minimal (validity and status) or standard (adds the traceability path).</summary>
    public string VerificationPrivacy { get; set; } = Verification.VerificationPrivacyModes.Minimal;
    public DateTime CreatedAt { get; set; }
}

/// <summary>A person who signs in. Belongs to exactly one organization and holds exactly one role.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public AppUser()
    {
        Id = Guid.NewGuid();
        SecurityStamp = Guid.NewGuid().ToString();
    }

    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string DisplayName { get; set; }
    public required string Role { get; set; }
    public bool IsActive { get; set; } = true;
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

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.Id).ValueGeneratedNever();
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.Role).HasMaxLength(20);
        b.HasOne(u => u.Organization).WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => new { u.OrganizationId, u.Email });
    }
}
