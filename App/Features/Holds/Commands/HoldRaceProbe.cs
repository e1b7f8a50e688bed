namespace Operator.Features.Holds;

/// <summary>Where a hold command stands when it calls <see cref="IHoldRaceProbe"/>.</summary>
public enum HoldRacePoint
{
    /// <summary>Release or dispose has read which of its plates another active hold still holds, and not yet written them.</summary>
    PlatesChecked,
}

/// <summary>
/// A test seam at the points of the hold commands where a concurrent write could interleave: a race test pauses one
/// command here while another runs, so the interleaving is forced rather than hoped for. The app registers
/// <see cref="NoHoldRaceProbe"/>.
/// </summary>
public interface IHoldRaceProbe
{
    ValueTask ReachedAsync(HoldRacePoint point, Guid holdId, CancellationToken ct);
}

public sealed class NoHoldRaceProbe : IHoldRaceProbe
{
    public ValueTask ReachedAsync(HoldRacePoint point, Guid holdId, CancellationToken ct) => ValueTask.CompletedTask;
}
