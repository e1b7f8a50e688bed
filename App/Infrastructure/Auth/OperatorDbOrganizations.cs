using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Infrastructure.Auth;

/// <summary>Organization codes for the claims factory (organizations are not tenant-filtered: they are the tenants).</summary>
public sealed class OperatorDbOrganizations(IDbContextFactory<OperatorDb> factory)
{
    public async Task<string?> CodeOfAsync(Guid organizationId)
    {
        await using var db = factory.CreateDbContext();
        return await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Code).SingleOrDefaultAsync();
    }
}
