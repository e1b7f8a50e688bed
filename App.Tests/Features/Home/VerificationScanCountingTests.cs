using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Verification;
using Operator.Tests.Features.Verification;

namespace Operator.Tests.Features.Home;

/// <summary>What the public verification counts for the dashboard: genuine codes and codes that claim the organization falsely; typos and garbage are not scans of anyone.</summary>
public sealed class VerificationScanCountingTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    private async Task<(long Genuine, long NotGenuine)> CountsAsync(string orgCode)
    {
        await app.Services.GetRequiredService<VerificationScanWriter>().WriteAsync();
        var day = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var org = await app.OrganizationIdAsync(orgCode);
        await using var db = app.RawDb();
        var row = await db.Set<VerificationScanDay>().IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(s => s.OrganizationId == org && s.Day == day);
        return (row?.Genuine ?? 0, row?.NotGenuine ?? 0);
    }

    [Fact]
    public async Task Genuine_and_forged_codes_are_counted_for_their_organization_and_typos_are_not()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var before = await CountsAsync("MA01");
        var anonymous = app.AnonymousFrom("198.51.100.77");
        const string path = "/api/public/serial/verify";
        await anonymous.GetAsync($"{path}/{code}");
        await anonymous.GetAsync($"{path}/{code.ToLowerInvariant()}");
        await anonymous.GetAsync($"{path}/{VerificationKit.Forge(code)}");
        await anonymous.GetAsync($"{path}/{VerificationKit.BreakChecksum(code)}");
        await anonymous.GetAsync($"{path}/not-a-code");
        var after = await CountsAsync("MA01");
        Assert.Equal((2L, 1L), (after.Genuine - before.Genuine, after.NotGenuine - before.NotGenuine));
    }
}
