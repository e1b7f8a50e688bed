using Microsoft.EntityFrameworkCore;
using Operator.Features.Verification;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Admin;

/// <summary>The caller's organization as its administrators see it.</summary>
public sealed record OrganizationDto(Guid Id, string Code, string Name, string VerificationPrivacy, bool SignaturesRequired);

/// <summary>PUT /api/admin/organization/verification body.</summary>
/// <param name="VerificationPrivacy">"minimal" or "standard" (lower case, as the public API spells its modes).</param>
public sealed record SetVerificationPrivacyRequest(string? VerificationPrivacy);

/// <summary>PUT /api/admin/organization/signatures body.</summary>
/// <param name="SignaturesRequired">Whether decisions need an electronic signature (21 CFR Part 11).</param>
public sealed record SetSignaturesRequiredRequest(bool? SignaturesRequired);

/// <summary>
/// Settings of the caller's own organization (never another's: the organization is the caller's, not a parameter).
/// Organizations are not tenant-owned rows, so every query here filters by the caller's organization explicitly.
/// </summary>
public sealed class OrganizationService(IDbContextFactory<OperatorDb> factory, ICurrentUser caller, AuditTrail audit)
{
    public async Task<Result<OrganizationDto>> GetAsync(CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == caller.OrganizationId)
            .Select(o => new OrganizationDto(o.Id, o.Code, o.Name, o.VerificationPrivacy, o.SignaturesRequired)).SingleOrDefaultAsync(ct);
        return org is null ? NotFound() : org;
    }

    /// <summary>
    /// Sets what the public verification API shows of this organization's codes; applies to the next verification.
    /// An unchanged mode writes no audit entry.
    /// </summary>
    public async Task<Result<OrganizationDto>> SetVerificationPrivacyAsync(SetVerificationPrivacyRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var mode = checks.OneOf(P("verificationPrivacy"), request.VerificationPrivacy, VerificationPrivacyModes.All);
        if (checks.Failed) return checks.ToError("Invalid organization settings");

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var org = await db.Organizations.SingleOrDefaultAsync(o => o.Id == caller.OrganizationId, ct);
        if (org is null) return NotFound();
        if (org.VerificationPrivacy != mode)
        {
            var before = new { verificationPrivacy = org.VerificationPrivacy };
            org.VerificationPrivacy = mode!;
            await audit.AppendAsync(db, "organization_verification_privacy_changed", "organization", org.Id.ToString(), before,
                new { verificationPrivacy = mode }, org.Id, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return new OrganizationDto(org.Id, org.Code, org.Name, org.VerificationPrivacy, org.SignaturesRequired);
    }

    /// <summary>
    /// Turns electronic signatures on decisions on or off for the organization; applies to the next decision. Off, the
    /// documented requests without a signature work as before (a signature sent anyway is still checked and kept).
    /// An unchanged setting writes no audit entry.
    /// </summary>
    public async Task<Result<OrganizationDto>> SetSignaturesRequiredAsync(SetSignaturesRequiredRequest request, CancellationToken ct = default)
    {
        if (request.SignaturesRequired is not { } required)
        {
            return Error.Validation("Invalid organization settings", new FieldIssue(P("signaturesRequired"), "signaturesRequired must be true or false", "invalid_type"));
        }
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var org = await db.Organizations.SingleOrDefaultAsync(o => o.Id == caller.OrganizationId, ct);
        if (org is null) return NotFound();
        if (org.SignaturesRequired != required)
        {
            var before = new { signaturesRequired = org.SignaturesRequired };
            org.SignaturesRequired = required;
            await audit.AppendAsync(db, "organization_signatures_required_changed", "organization", org.Id.ToString(), before,
                new { signaturesRequired = required }, org.Id, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return new OrganizationDto(org.Id, org.Code, org.Name, org.VerificationPrivacy, org.SignaturesRequired);
    }

    // Only reachable for a caller without an organization, which sign-in does not produce.
    private Error NotFound() => Error.NotFound("Organization not found", "Organization", caller.OrganizationId?.ToString());
}
