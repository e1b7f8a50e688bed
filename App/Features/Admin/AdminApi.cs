using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Admin;

public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapApiGroup("/api/users", PlainStyle.Instance).WithTags("Users").RequireAuthorization(Policies.Admin);
        users.MapGet("", ([AsParameters] ListQuery q, UsersService s, CancellationToken ct) => s.ListAsync(q, ct))
            .WithName("ListUsers").WithSummary("Users of the caller's organization.").Produces<Page<UserDto>>();
        users.MapPost("", (CreateUserRequest r, UsersService s, CancellationToken ct) => s.CreateAsync(r, ct))
            .SucceedsWith(201).WithName("CreateUser").WithSummary("Create a user with one role.").Produces<UserDto>(201);
        users.MapPut("/{id:guid}/role", (Guid id, ChangeRoleRequest r, UsersService s, CancellationToken ct) => s.ChangeRoleAsync(id, r, ct))
            .WithName("ChangeUserRole").WithSummary("Set a user's role.").Produces<UserDto>();
        users.MapPut("/{id:guid}/active", (Guid id, SetActiveRequest r, UsersService s, CancellationToken ct) => s.SetActiveAsync(id, r, ct))
            .WithName("SetUserActive").WithSummary("Activate or deactivate a user.").Produces<UserDto>();

        var auditGroup = app.MapApiGroup("/api/audit", PlainStyle.Instance).WithTags("Audit").RequireAuthorization(Policies.Admin);
        auditGroup.MapGet("/verify", async (ICurrentUser user, IDbContextFactory<OperatorDb> factory, CancellationToken ct) =>
            {
                await using var db = factory.CreateDbContext();
                return Result<AuditVerification>.Ok(await AuditTrail.VerifyAsync(db, user.OrganizationId!.Value, ct));
            })
            .WithName("VerifyAuditTrail").WithSummary("Recompute the organization's audit hash chain and report the first broken link.").Produces<AuditVerification>();
        return app;
    }
}

public static class AdminFeature
{
    public static IServiceCollection AddAdminFeature(this IServiceCollection services) => services
        .AddScoped<UsersService>()
        .AddScoped<IDemoSeed, UsersDemoSeed>();
}
