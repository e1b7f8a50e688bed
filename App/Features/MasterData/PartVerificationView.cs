using Operator.Features.Verification;

namespace Operator.Features.MasterData;

/// <summary>What the parts screens show and offer for a part's public verification settings.</summary>
public static class PartVerificationView
{
    public sealed record ProductionTypeOption(string Value, string Label);

    /// <summary>The production types a person picks from; none picked is "not coded".</summary>
    public static readonly IReadOnlyList<ProductionTypeOption> ProductionTypeOptions =
    [
        new(ProductionTypes.Hatthasilpa, "HAT · hatthasilpa"),
        new(ProductionTypes.Oem, "OEM"),
    ];

    public const string Explanation =
        "Serials numbered from now on get signed public codes that customers can verify; existing serials keep their numbers. " +
        "Turning it off makes the part's existing codes answer \"not found\" until it is turned on again.";
}
