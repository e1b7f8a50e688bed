using Operator.Features.Verification;

namespace Operator.Features.MasterData;

/// <summary>What the parts screens show and offer for a part's public verification settings.</summary>
public static class PartVerificationView
{
    /// <summary>The production types a person picks from; none picked is "not coded".</summary>
    public static readonly IReadOnlyList<string> ProductionTypes = [Verification.ProductionTypes.Hatthasilpa, Verification.ProductionTypes.Oem];

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
