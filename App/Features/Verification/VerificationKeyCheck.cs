using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Data;

namespace Operator.Features.Verification;

/// <summary>
/// At start: every organization with publicly verifiable parts needs its signing secret in configuration. Without it
/// those parts' serials cannot be numbered (409 at batch create), so the log says which setting is missing before the
/// first operator meets it. Making a part verifiable is refused with the same words (MasterDataService).
/// </summary>
public static class VerificationKeyCheck
{
    public static async Task<IReadOnlyList<string>> WarnAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var signer = scope.ServiceProvider.GetRequiredService<SerialCodeSigner>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(VerificationKeyCheck));
        await using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<OperatorDb>>().CreateDbContext();
        var orgs = await db.Set<Part>().IgnoreQueryFilters().Where(p => p.PubliclyVerifiable)
            .Join(db.Organizations, p => p.OrganizationId, o => o.Id, (_, o) => o.Code).Distinct().ToListAsync(ct);
        var missing = orgs.Where(code => !signer.HasKeys(code)).Order(StringComparer.Ordinal).ToList();
        foreach (var code in missing)
        {
            log.LogWarning("Organization {Org} has publicly verifiable parts but {Setting} is not set: its serials cannot be given public codes until the setting is made",
                code, $"Verification:Keys:{code}");
        }
        return missing;
    }
}
