using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;

namespace Operator.Features.Admin;

public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapApiGroup("/api/users", PlainStyle.Instance).WithTags("Users").RequireAuthorization(Policies.Admin);
        users.MapGet("", ([AsParameters] ListQuery q, UsersService s, CancellationToken ct) => s.ListAsync(q, ct))
            .WithName("ListUsers").WithSummary("Users of the caller's organization.").Produces<Page<UserDto>>();
        users.MapPost("", (JsonRecord<CreateUserRequest> r, UsersService s, CancellationToken ct) => s.CreateAsync(r.Value, ct))
            .SucceedsWith(201).WithName("CreateUser").WithSummary("Create a user with one role.").Produces<UserDto>(201);
        users.MapPut("/{id:guid}/role", (Guid id, JsonRecord<ChangeRoleRequest> r, UsersService s, CancellationToken ct) => s.ChangeRoleAsync(id, r.Value, ct))
            .WithName("ChangeUserRole").WithSummary("Set a user's role.").Produces<UserDto>();
        users.MapPut("/{id:guid}/active", (Guid id, JsonRecord<SetActiveRequest> r, UsersService s, CancellationToken ct) => s.SetActiveAsync(id, r.Value, ct))
            .WithName("SetUserActive").WithSummary("Activate or deactivate a user.").Produces<UserDto>();

        var organization = app.MapApiGroup("/api/admin/organization", PlainStyle.Instance).WithTags("Organization").RequireAuthorization(Policies.Admin);
        organization.MapGet("", (OrganizationService s, CancellationToken ct) => s.GetAsync(ct))
            .WithName("GetOrganization").WithSummary("The caller's organization: id, code, name, public verification privacy mode and whether decisions need signatures.")
            .WithDescription("ADMIN. Answers {\"id\", \"code\", \"name\", \"verificationPrivacy\": \"minimal\" | \"standard\", \"signaturesRequired\": bool}.")
            .Produces<OrganizationDto>();
        organization.MapPut("/verification", (JsonRecord<SetVerificationPrivacyRequest> r, OrganizationService s, CancellationToken ct) => s.SetVerificationPrivacyAsync(r.Value, ct))
            .WithName("SetVerificationPrivacy").WithSummary("Set what the public verification API shows of the organization's serial codes.")
            .WithDescription("""
                ADMIN. Body {"verificationPrivacy": "minimal" | "standard"} (lower case). minimal: validity, status, SKU, production
                type, manufacturing date, origin; standard adds data.traceability (the process path's step names and the completed
                steps with their times, never who did them). "internal" needs a signed-in user and is never served publicly, so it
                cannot be chosen. Applies to the next verification, of codes already printed too. Writes an
                "organization_verification_privacy_changed" audit entry (before/after) when the mode changed. Answers the organization.
                """)
            .Produces<OrganizationDto>();

        organization.MapPut("/signatures", (JsonRecord<SetSignaturesRequiredRequest> r, OrganizationService s, CancellationToken ct) => s.SetSignaturesRequiredAsync(r.Value, ct))
            .WithName("SetSignaturesRequired").WithSummary("Turn electronic signatures on decisions (21 CFR Part 11) on or off for the organization.")
            .WithDescription("""
                ADMIN. Body {"signaturesRequired": true | false}. On (the default), releasing and disposing holds, resolving uniqueness
                conflicts and accepting or rejecting vendor serials need a signature {"password", "meaning", "comment"?} in the request;
                off, the documented requests work without one. Writes an "organization_signatures_required_changed" audit entry when
                the setting changed. Answers the organization.
                """)
            .Produces<OrganizationDto>();

        var auditGroup = app.MapApiGroup("/api/audit", PlainStyle.Instance).WithTags("Audit").RequireAuthorization(Policies.Admin);
        auditGroup.MapGet("", ([AsParameters] ListQuery q, AuditService s, CancellationToken ct) => s.ListAsync(q, ct))
            .WithName("ListAuditEntries").WithSummary("The organization's audit entries, newest first, searched by action, record or user email.")
            .Produces<Page<AuditEntryDto>>();
        auditGroup.MapGet("/verify", (AuditService s, CancellationToken ct) => s.VerifyAsync(ct))
            .WithName("VerifyAuditTrail").WithSummary("Recompute the organization's audit hash chain and report the first broken link.").Produces<AuditVerification>();
        return app;
    }
}

public static class AdminFeature
{
    public static IServiceCollection AddAdminFeature(this IServiceCollection services) => services
        .AddScoped<UsersService>()
        .AddScoped<OrganizationService>()
        .AddScoped<AuditService>()
        .AddScoped<IDemoSeed, OrganizationDemoSeed>()
        .AddScoped<IDemoSeed, UsersDemoSeed>();
}
