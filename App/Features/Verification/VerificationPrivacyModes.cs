namespace Operator.Features.Verification;

/// <summary>
/// The privacy modes an organization may choose for the anonymous verification API (<c>Organization.VerificationPrivacy</c>):
/// what <see cref="VerificationService"/> answers and what the organization settings offer. The spec's third mode,
/// "internal", needs a signed-in user and is never served by the public API, so it is not offered.
/// </summary>
public static class VerificationPrivacyModes
{
    public const string Minimal = "minimal";
    public const string Standard = "standard";
    public static readonly IReadOnlyList<string> All = [Minimal, Standard];

    /// <summary>One line a person choosing the mode can act on.</summary>
    public static string Describe(string mode) => mode switch
    {
        Minimal => "Anyone verifying a code sees whether it is genuine, its status, SKU, production type and manufacturing date.",
        Standard => "Adds how it was made: the process steps and when each was completed (never who did them).",
        _ => mode,
    };
}
