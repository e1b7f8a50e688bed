using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Tenancy;
using Operator.Infrastructure.Audit;

namespace Operator.Infrastructure.Data;

/// <summary>What one feature adds to a demo organization. Seeds run in <see cref="Order"/>, inside one transaction.</summary>
public interface IDemoSeed
{
    int Order { get; }
    Task SeedAsync(DemoContext context, CancellationToken ct);
}

/// <summary>The organization being seeded, its users by role, and a deterministic random source.</summary>
public sealed class DemoContext(OperatorDb db, IServiceProvider services, Organization organization, DateTime now)
{
    public OperatorDb Db { get; } = db;
    public IServiceProvider Services { get; } = services;
    public Organization Organization { get; } = organization;
    public DateTime Now { get; } = now;
    public Random Random { get; } = new(organization.Code.GetHashCode(StringComparison.Ordinal) & 0x7fff);
    public Dictionary<string, AppUser> UsersByRole { get; } = [];
    public bool IsPrimary => Organization.Code == DemoData.PrimaryCode;
}

/// <summary>
/// Fills an empty database with two demo organizations (MA01 with one user per role, AC01 with an admin) and the
/// data every feature adds through its <see cref="IDemoSeed"/>. Runs at start unless <c>Demo:Seed=false</c>.
/// </summary>
public static class DemoData
{
    public const string Password = "Operator-demo-1";
    public const string PrimaryCode = "MA01";
    public const string SecondCode = "AC01";

    public static async Task SeedAsync(IServiceProvider root, CancellationToken ct = default)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<OperatorDb>();
        if (await db.Organizations.AnyAsync(ct))
        {
            return;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var audit = services.GetRequiredService<AuditTrail>();
        var seeds = services.GetServices<IDemoSeed>().OrderBy(s => s.Order).ToList();

        foreach (var (code, name) in new[] { (PrimaryCode, "Maison Atelier Leatherworks"), (SecondCode, "Acme Flow Components") })
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var org = new Organization { Code = code, Name = name, CreatedAt = now };
            db.Organizations.Add(org);
            await db.SaveChangesAsync(ct);
            var context = new DemoContext(db, services, org, now);
            foreach (var seed in seeds)
            {
                await seed.SeedAsync(context, ct);
                await db.SaveChangesAsync(ct);
            }
            await audit.AppendAsync(db, "demo_seeded", "organization", org.Id.ToString(), after: new { org.Code, org.Name }, organizationId: org.Id, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }
}
