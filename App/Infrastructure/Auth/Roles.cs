namespace Operator.Infrastructure.Auth;

public static class Roles
{
    public const string Viewer = "VIEWER";
    public const string Operator = "OPERATOR";
    public const string QaInspector = "QA_INSPECTOR";
    public const string QaManager = "QA_MANAGER";
    public const string Admin = "ADMIN";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, QaInspector, QaManager, Admin];

    public static string Label(string role) => role switch
    {
        Viewer => "Viewer",
        Operator => "Operator",
        QaInspector => "QA inspector",
        QaManager => "QA manager",
        Admin => "Administrator",
        _ => role,
    };
}

/// <summary>
/// The role matrix of DESIGN.md, in one place. Endpoints and pages name a policy; which roles it admits is
/// decided only here. Rules that depend on the record (an inspector releases only own holds) live in the services.
/// </summary>
public static class Policies
{
    /// <summary>Read anything in the own organization: every role.</summary>
    public const string Read = nameof(Read);

    /// <summary>Station work: advance, complete, scrap, attach certificates, assign placeholders, record propagation.</summary>
    public const string StationWork = nameof(StationWork);

    /// <summary>Create and release quality holds.</summary>
    public const string HoldWrite = nameof(HoldWrite);

    /// <summary>
    /// Release any hold, whoever placed it. Written as the roles that may, so a role added to <see cref="HoldWrite"/>
    /// later releases only its own holds until it is named here (fail closed).
    /// </summary>
    public const string ReleaseAnyHold = nameof(ReleaseAnyHold);

    /// <summary>Dispose holds, resolve uniqueness conflicts, accept/reject vendor serials.</summary>
    public const string QualityManage = nameof(QualityManage);

    /// <summary>Triggers, serial formats, users, organization settings, master data.</summary>
    public const string Admin = nameof(Admin);

    public static readonly IReadOnlyDictionary<string, string[]> Matrix = new Dictionary<string, string[]>
    {
        [Read] = [Roles.Viewer, Roles.Operator, Roles.QaInspector, Roles.QaManager, Roles.Admin],
        [StationWork] = [Roles.Operator, Roles.QaInspector, Roles.QaManager, Roles.Admin],
        [HoldWrite] = [Roles.QaInspector, Roles.QaManager, Roles.Admin],
        [ReleaseAnyHold] = [Roles.QaManager, Roles.Admin],
        [QualityManage] = [Roles.QaManager, Roles.Admin],
        [Admin] = [Roles.Admin],
    };

    public static bool Allows(string policy, string? role) => role is not null && Matrix[policy].Contains(role);
}

public static class OperatorClaims
{
    public const string OrganizationId = "org_id";
    public const string OrganizationCode = "org_code";
    public const string DisplayName = "display_name";
}
