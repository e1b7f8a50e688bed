using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Auth;

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
