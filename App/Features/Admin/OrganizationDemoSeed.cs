using Operator.Features.Verification;
using Operator.Infrastructure.Data;

namespace Operator.Features.Admin;

/// <summary>The demo organizations' settings: MA01 shows customers the traceability path of a verified product; AC01 keeps the minimal answer.</summary>
public sealed class OrganizationDemoSeed : IDemoSeed
{
    public int Order => -1;

    public Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        context.Organization.VerificationPrivacy = context.IsPrimary ? VerificationPrivacyModes.Standard : VerificationPrivacyModes.Minimal;
        return Task.CompletedTask;
    }
}
