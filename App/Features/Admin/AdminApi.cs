using Operator.Features.Reports;
using Operator.Features.Serials;
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
        organization.MapScrapReasonCodes();

        organization.MapPut("/signatures", (JsonRecord<SetSignaturesRequiredRequest> r, OrganizationService s, CancellationToken ct) => s.SetSignaturesRequiredAsync(r.Value, ct))
            .WithName("SetSignaturesRequired").WithSummary("Turn electronic signatures on decisions (21 CFR Part 11) on or off for the organization.")
            .WithDescription("""
                ADMIN. Body {"signaturesRequired": true | false}. On (the default), releasing and disposing holds, resolving uniqueness
                conflicts and accepting or rejecting vendor serials need a signature {"password", "meaning", "comment"?} in the request;
                off, the documented requests work without one. Writes an "organization_signatures_required_changed" audit entry when
                the setting changed. Answers the organization.
                """)
            .Produces<OrganizationDto>();

        // Every role reads the audit trail export of a serial, hold or certificate; the rest of the group is ADMIN's.
        var auditGroup = app.MapApiGroup("/api/audit", PlainStyle.Instance).WithTags("Audit").RequireAuthorization(Policies.Read);
        auditGroup.MapGet("", ([AsParameters] ListQuery q, AuditService s, CancellationToken ct) => s.ListAsync(q, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("ListAuditEntries").WithSummary("The organization's audit entries, newest first, searched by action, record or user email.")
            .Produces<Page<AuditEntryDto>>();
        auditGroup.MapGet("/export", ([AsParameters] ListQuery q, AuditService s, TimeProvider time, string? format) => s.Export(q, time).ToFile(format))
            .RequireAuthorization(Policies.Admin)
            .WithName("ExportAuditEntries").WithSummary("The organization's audit entries as a file: the list's search, newest first, every entry, streamed.")
            .WithExportDescription("ADMIN, as the list. Same parameters as GET /api/audit; limit and offset are ignored. Columns: the list item's field names (before and after are JSON text).")
            .ProducesExport();
        auditGroup.MapGet("/verify", (AuditService s, CancellationToken ct) => s.VerifyAsync(ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("VerifyAuditTrail").WithSummary("Recompute the organization's audit hash chain and report the first broken link.").Produces<AuditVerification>();
        MapAuditExport(auditGroup);
        return app;
    }

    private const string ExportDescription = """
        recordType: serial (by serial number or UUID), hold (QH-... or UUID), certificate (number or UUID) or user (UUID). Every
        role exports a serial's, hold's or certificate's trail; a user's trail (entries about the account and every entry the
        user made) is ADMIN's (403 otherwise). Another organization's record answers 404. Each entry: sequence, time (UTC), who,
        action, record, before and after (JSON) and whether its hash and its link to the entry before it check out; the export
        also states the organization's whole hash-chain verification ("intact" or "BROKEN at entry #n: ...").
        """;

    private static void MapAuditExport(RouteGroupBuilder audit)
    {
        audit.MapGet("/{recordType}/{id}/export.pdf", async Task<object> (string recordType, string id, AuditExportService s, CancellationToken ct) =>
                File(await s.PdfAsync(recordType, id, ct)))
            .WithName("ExportAuditTrailPdf").WithSummary("A record's audit trail as PDF, with the hash-chain verification printed on it.")
            .WithDescription(ExportDescription)
            .Produces(200, contentType: "application/pdf").Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404);
        audit.MapGet("/{recordType}/{id}/export.csv", async Task<object> (string recordType, string id, AuditExportService s, CancellationToken ct) =>
                File(await s.CsvAsync(recordType, id, ct)))
            .WithName("ExportAuditTrailCsv").WithSummary("A record's audit trail as CSV (RFC 4180), with the hash-chain verification in its first records.")
            .WithDescription(ExportDescription + """

                The first records are facts (record, organization, time, "Hash chain", "This record's entries"), then an empty
                record, then the header sequence,at_utc,user,action,record_type,record_id,before,after,hash,check and one record
                per entry. UTF-8 with a byte order mark; text a spreadsheet would run as a formula starts with an apostrophe.
                """)
            .Produces(200, contentType: "text/csv").Produces<SerialsErrorBody>(403).Produces<SerialsErrorBody>(404);
    }

    private static object File(Result<AuditExportFile> file) =>
        file.IsSuccess ? Results.File(file.Value.Content, file.Value.ContentType, file.Value.FileName) : file;
}

public static class AdminFeature
{
    public static IServiceCollection AddAdminFeature(this IServiceCollection services) => services
        .AddScoped<UsersService>()
        .AddScoped<OrganizationService>()
        .AddScoped<AuditService>()
        .AddScoped<AuditExportService>()
        .AddScoped<IDemoSeed, OrganizationDemoSeed>()
        .AddScoped<IDemoSeed, UsersDemoSeed>();
}
