using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Holds;

/// <summary>
/// Releasing with one disposition per item (the <c>item_dispositions</c> extension of the release): which QA status a
/// disposition gives a license plate, and which items were released otherwise than the hold as a whole.
/// </summary>
internal static class HoldItemDispositions
{
    /// <summary>release → passed, rework → pending (back to await QA), scrap → scrap, return → rejected (back to the supplier).</summary>
    public static string QaStatus(string disposition) => disposition switch
    {
        Dispositions.Release => QaStatuses.Passed,
        Dispositions.Rework => QaStatuses.Pending,
        Dispositions.Scrap => QaStatuses.Scrap,
        _ => QaStatuses.Rejected,
    };

    /// <summary>A 400 naming each key that is no item of <paramref name="hold"/>.</summary>
    public static Error? Unknown(QualityHold hold, IReadOnlyDictionary<Guid, string>? perItem)
    {
        if (perItem is null || perItem.Count == 0) return null;
        var ids = hold.Items.Select(i => i.Id).ToHashSet();
        var checks = new Checks();
        foreach (var key in perItem.Keys.Where(k => !ids.Contains(k)))
        {
            checks.Add(P("item_dispositions", key.ToString()), "Not an item of this quality hold");
        }
        return checks.Failed ? checks.ToError(HoldValidation.InvalidData) : null;
    }

    /// <summary>Items released with another disposition than the hold's (item id → disposition), or null when there are none.</summary>
    public static IReadOnlyDictionary<Guid, string>? Differing(QualityHold hold, IEnumerable<QualityHoldItem>? items = null)
    {
        var differing = (items ?? hold.Items).Where(i => i.Disposition is not null && i.Disposition != hold.Disposition)
            .OrderBy(i => i.Sequence).ToDictionary(i => i.Id, i => i.Disposition!);
        return differing.Count == 0 ? null : differing;
    }
}
