using Microsoft.AspNetCore.Identity;
using Operator.Features.Serials;
using Operator.Infrastructure.Tenancy;
using Operator.Infrastructure.Auth;

namespace Operator.Bench.Generators;

/// <summary>
/// Organizations B001, B002... and one user per role in each: viewer@, operator@, inspector@, manager@ and admin@
/// b0001.bench (the domain is "b" + the 4-digit organization index), all with the demo password.
/// </summary>
public sealed class OrganizationsGenerator : IGenerator
{
    public const string Password = "Operator-demo-1";
    public static readonly BenchOption Orgs = new("orgs", "10", "organizations B001.. (codes never collide with the demo's MA01/AC01)");

    private static readonly (string Local, string Title, string Role)[] People =
    [
        ("viewer", "Viewer", Roles.Viewer),
        ("operator", "Operator", Roles.Operator),
        ("inspector", "Inspector", Roles.QaInspector),
        ("manager", "Manager", Roles.QaManager),
        ("admin", "Admin", Roles.Admin),
    ];

    public string Name => "organizations";
    public int Order => 0;
    public IReadOnlyList<BenchOption> Options => [Orgs];

    public async Task GenerateAsync(GenerationContext context, CancellationToken ct = default)
    {
        var count = context.Args.Int(Orgs);
        var ids = context.IdsFor("organizations");
        var orgs = new List<Organization>(count);
        for (var i = 1; i <= count; i++)
        {
            var code = CodeFor(i);
            var org = new Organization { Id = ids.Next(), Code = code, Name = $"Bench Organization {i:D4}", CreatedAt = context.Now.AddDays(-365) };
            orgs.Add(org);
            context.Organizations.Add(new BenchOrganization(i, org.Id, code, $"b{i:D4}.bench"));
        }
        await context.InsertAsync("Organizations", orgs, ct);
        // Every organization starts with the default scrap reason list, as the app gives it.
        await context.InsertAsync("ScrapReasonCodes", orgs.SelectMany(o => ScrapReasonDefaults.For(o.Id, context.Now.AddDays(-365))), ct);

        // PBKDF2 with 100k iterations costs ~50 ms; one hash serves every user (the salt is the only thing lost).
        var hash = new PasswordHasher<AppUser>().HashPassword(null!, Password);
        var normalizer = new UpperInvariantLookupNormalizer();
        await context.InsertAsync("AspNetUsers (users)", Users(), ct);

        IEnumerable<AppUser> Users()
        {
            var userIds = context.IdsFor("users");
            foreach (var org in context.Organizations)
            {
                foreach (var (local, title, role) in People)
                {
                    var email = $"{local}@{org.EmailDomain}";
                    yield return new AppUser
                    {
                        Id = userIds.Next(),
                        UserName = email,
                        NormalizedUserName = normalizer.NormalizeName(email),
                        Email = email,
                        NormalizedEmail = normalizer.NormalizeEmail(email),
                        EmailConfirmed = true,
                        PasswordHash = hash,
                        SecurityStamp = userIds.Next().ToString("N").ToUpperInvariant(),
                        ConcurrencyStamp = userIds.Next().ToString(),
                        LockoutEnabled = true,
                        DisplayName = $"Bench {title} {org.Index:D4}",
                        Role = role,
                        OrganizationId = org.Id,
                        CreatedAt = context.Now.AddDays(-365),
                    };
                }
            }
        }
    }

    /// <summary>
    /// B001..B999, then C000..ZZZZ-style codes (a letter and three base-36 characters), skipping the letters A and M
    /// so no code can collide with the demo organizations MA01 and AC01.
    /// </summary>
    public static string CodeFor(int index)
    {
        if (index is < 1) throw new ArgumentOutOfRangeException(nameof(index));
        if (index <= 999) return $"B{index:D3}";
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const string prefixes = "CDEFGHIJKLNOPQRSTUVWXYZ";
        var n = index - 1000;
        var block = n / (36 * 36 * 36);
        if (block >= prefixes.Length) throw new BenchUsageException("Too many organizations for 4-character codes.");
        var rest = n % (36 * 36 * 36);
        return $"{prefixes[block]}{digits[rest / 1296]}{digits[rest / 36 % 36]}{digits[rest % 36]}";
    }
}
