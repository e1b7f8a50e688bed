using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Verification;

/// <summary>
/// How many public verification scans named an organization on one UTC day, genuine or not. Only counts: no code, no
/// address, nothing that could tell who scanned. Written as increments by <see cref="VerificationScanWriter"/>.
/// </summary>
public sealed class VerificationScanDay : ITenantOwned
{
    public Guid OrganizationId { get; set; }
    public DateOnly Day { get; set; }

    /// <summary>Codes that verified: a real unit of the organization (any public status).</summary>
    public long Genuine { get; set; }

    /// <summary>Codes that claimed the organization but failed its signature or named no unit of it: the counterfeit signal.</summary>
    public long NotGenuine { get; set; }
}

internal sealed class VerificationScanDayConfiguration : IEntityTypeConfiguration<VerificationScanDay>
{
    public void Configure(EntityTypeBuilder<VerificationScanDay> b)
    {
        b.ToTable("VerificationScanDays");
        b.HasKey(x => new { x.OrganizationId, x.Day });
    }
}
