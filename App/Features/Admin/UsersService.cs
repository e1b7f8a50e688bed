using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Admin;

public sealed record UserDto(Guid Id, string Email, string Name, string Role, bool IsActive, bool IsLockedOut, DateTime CreatedAt);
public sealed record CreateUserRequest(string? Email, string? Name, string? Role, string? Password);
public sealed record ChangeRoleRequest(string? Role);
public sealed record SetActiveRequest(bool? Active);

/// <summary>
/// User administration within the caller's organization. Identity's stores need a context from the container, so
/// each operation opens its own scope (one context per operation, also inside a long-lived Blazor circuit) and
/// writes the user change and its audit entry in one transaction.
/// </summary>
public sealed class UsersService(IServiceScopeFactory scopes, ICurrentUser caller, IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, UserAccess access)
{
    public async Task<Result<Page<UserDto>>> ListAsync(ListQuery query, CancellationToken ct = default)
    {
        if (query.Validate() is { } invalid) return invalid;
        await using var db = factory.CreateDbContext();
        var now = time.GetUtcNow();
        // Users are not tenant-filtered by the context (sign-in must find them by email), so filter here, explicitly.
        var users = db.Users.AsNoTracking().Where(u => u.OrganizationId == caller.OrganizationId);
        if (query.Term is { } term)
        {
            var lower = term.ToLowerInvariant();
            users = users.Where(u => u.Email!.ToLower().Contains(lower) || u.DisplayName.ToLower().Contains(lower));
        }
        return await users.OrderBy(u => u.Email)
            .Select(u => new UserDto(u.Id, u.Email!, u.DisplayName, u.Role, u.IsActive, u.LockoutEnd != null && u.LockoutEnd > now, u.CreatedAt))
            .ToPageAsync(query, ct);
    }

    public async Task<Result<UserDto>> CreateAsync(CreateUserRequest request, CancellationToken ct = default)
    {
        // Each missing or unfit field is named in words a person filling in the form understands (the form shows each
        // message next to its field; the API prints them as details), rather than one "Invalid user".
        var checks = new Checks();
        var email = Filled(checks, "email", request.Email, "Enter the user's email address", 256);
        if (email is not null && !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            checks.Add(P("email"), "Enter a valid email address, such as name@company.com", "invalid_string");
            email = null;
        }
        var name = Filled(checks, "name", request.Name, "Enter the user's display name", 200);
        string? role = null;
        if (string.IsNullOrEmpty(request.Role)) checks.Add(P("role"), "Choose a role", "invalid_type");
        else role = checks.OneOf(P("role"), request.Role, Roles.All);
        if (string.IsNullOrEmpty(request.Password)) checks.Add(P("password"), "Enter an initial password", "invalid_type");
        else if (request.Password.Length < MinPasswordLength) checks.Add(P("password"), $"The initial password needs at least {MinPasswordLength} characters", "too_small");
        else if (request.Password.Length > 200) checks.Add(P("password"), "The initial password may have at most 200 characters", "too_big");
        if (checks.Failed) return checks.ToError("Invalid user");

        return await InScopeAsync(async (users, db) =>
        {
            var user = new AppUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = name!, Role = role!,
                OrganizationId = caller.OrganizationId!.Value, CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            var created = await users.CreateAsync(user, request.Password!);
            if (!created.Succeeded)
            {
                return created.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                    ? Error.Conflict($"A user with email {email} already exists")
                    : Error.Validation("Invalid user", created.Errors.Select(e => new FieldIssue(e.Code.Contains("Password") ? "password" : "email", e.Description)));
            }
            var dto = ToDto(user);
            await audit.AppendAsync(db, "user_created", "user", user.Id.ToString(), after: new { dto.Email, dto.Name, dto.Role }, ct: ct);
            return dto;
        }, ct);
    }

    public Task<Result<UserDto>> ChangeRoleAsync(Guid id, ChangeRoleRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var role = checks.OneOf(P("role"), request.Role, Roles.All);
        if (checks.Failed) return Task.FromResult<Result<UserDto>>(checks.ToError("Invalid role"));
        return ChangeAsync(id, "user_role_changed", user =>
        {
            var before = user.Role;
            user.Role = role!;
            return (new { role = before }, new { role });
        }, ct);
    }

    public Task<Result<UserDto>> SetActiveAsync(Guid id, SetActiveRequest request, CancellationToken ct = default)
    {
        if (request.Active is not { } active) return Task.FromResult<Result<UserDto>>(Error.Validation("active", "active is required"));
        if (!active && id == caller.UserId) return Task.FromResult<Result<UserDto>>(Error.Conflict("You cannot deactivate yourself"));
        return ChangeAsync(id, active ? "user_activated" : "user_deactivated", user =>
        {
            var before = user.IsActive;
            user.IsActive = active;
            return (new { active = before }, new { active });
        }, ct);
    }

    private const int MinPasswordLength = 10;

    /// <summary>Required text, trimmed: a blank value is reported with <paramref name="missing"/>; bounds as <see cref="Checks.Text"/>.</summary>
    private static string? Filled(Checks checks, string field, string? value, string missing, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            checks.Add(P(field), missing, value is null ? "invalid_type" : "too_small");
            return null;
        }
        return checks.Text(P(field), value, 1, max);
    }

    /// <summary>
    /// Changes one user of the caller's organization. The security stamp changes too, which revokes refresh tokens,
    /// cookies and open circuits; the bearer check on this instance forgets the user at once (other instances within
    /// their window), so the user's next API call answers with what the record now allows.
    /// </summary>
    private async Task<Result<UserDto>> ChangeAsync(Guid id, string action, Func<AppUser, (object Before, object After)> change, CancellationToken ct)
    {
        var result = await InScopeAsync(async (users, db) =>
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.OrganizationId == caller.OrganizationId, ct);
            if (user is null) return Error.NotFound($"User not found: {id}", "User", id.ToString());
            var (before, after) = change(user);
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded) return Error.Validation("Invalid user", updated.Errors.Select(e => new FieldIssue("user", e.Description)));
            await users.UpdateSecurityStampAsync(user);
            await audit.AppendAsync(db, action, "user", user.Id.ToString(), before, after, ct: ct);
            return ToDto(user);
        }, ct);
        access.Invalidate(id);
        return result;
    }

    private async Task<Result<UserDto>> InScopeAsync(Func<UserManager<AppUser>, OperatorDb, Task<Result<UserDto>>> work, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(caller.Principal);
        var db = scope.ServiceProvider.GetRequiredService<OperatorDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await work(users, db);
        if (result.IsSuccess)
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return result;
    }

    private UserDto ToDto(AppUser u) => new(u.Id, u.Email!, u.DisplayName, u.Role, u.IsActive, u.LockoutEnd > time.GetUtcNow(), u.CreatedAt);
}
