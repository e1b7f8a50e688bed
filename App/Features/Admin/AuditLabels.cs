namespace Operator.Features.Admin;

/// <summary>Audit codes (<c>user_role_changed</c>, <c>process_path</c>) as words for the audit page.</summary>
public static class AuditLabels
{
    /// <summary>"user_role_changed" → "User role changed"; codes are snake_case by convention, so this reads every feature's actions.</summary>
    public static string Action(string code) => Words(code);

    public static string EntityType(string code) => Words(code);

    private static string Words(string code)
    {
        var text = code.Replace('_', ' ').Trim();
        return text.Length == 0 ? code : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
