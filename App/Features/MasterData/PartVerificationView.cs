using Operator.Features.Verification;

namespace Operator.Features.MasterData;

/// <summary>What the parts screens show and offer for a part's public verification settings.</summary>
public static class PartVerificationView
{
    /// <summary>The production types a person picks from, "not coded" (the empty value) first.</summary>
    public static readonly IReadOnlyList<string> ProductionTypes = [NotCoded, Verification.ProductionTypes.Hatthasilpa, Verification.ProductionTypes.Oem];

    /// <summary>The picker's value for "not coded": an option in words rather than a cleared field; the service gets null.</summary>
    public const string NotCoded = "";

    public static string? ToRequest(string? picked) => string.IsNullOrEmpty(picked) ? null : picked;

    /// <summary>A production type in words, with the code that appears in public codes.</summary>
    public static string Label(string? productionType) => productionType switch
    {
        null or "" => "Not coded",
        Verification.ProductionTypes.Hatthasilpa => "Hatthasilpa (HAT)",
        Verification.ProductionTypes.Oem => "OEM",
        var other => other,
    };

    public const string Explanation =
        "Serials numbered from now on get signed public codes that customers can verify; existing serials keep their numbers. " +
        "Turning it off makes the part's existing codes answer \"not found\" until it is turned on again.";
}
