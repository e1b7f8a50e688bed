using Microsoft.AspNetCore.Identity;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;

namespace Operator.Features.Admin;

/// <summary>MA01: viewer, operator, inspector, manager and admin; AC01: an admin. All share the README's demo password.</summary>
public sealed class UsersDemoSeed : IDemoSeed
{
    public int Order => 0;

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var users = context.Services.GetRequiredService<UserManager<AppUser>>();
        var domain = context.Organization.Code.ToLowerInvariant() + ".demo";
        (string Local, string Name, string Role)[] people = context.IsPrimary
            ?
            [
                ("viewer", "Vera Viewer", Roles.Viewer),
                ("operator", "Oskar Operator", Roles.Operator),
                ("inspector", "Ines Inspector", Roles.QaInspector),
                ("manager", "Max Manager", Roles.QaManager),
                ("admin", "Ada Admin", Roles.Admin),
            ]
            : [("admin", "Alan Acme-Admin", Roles.Admin)];
        foreach (var (local, name, role) in people)
        {
            var email = $"{local}@{domain}";
            var user = new AppUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, Role = role,
                OrganizationId = context.Organization.Id, CreatedAt = context.Now,
            };
            var result = await users.CreateAsync(user, DemoData.Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo user {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
            context.UsersByRole[role] = user;
        }
    }
}
