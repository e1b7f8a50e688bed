namespace Operator.Features.Serials;

/// <summary>
/// Told after a serial finished the operation of a step (an advance leaves it, a completion ends the last one), once
/// the move is committed. Defined here so serials need no knowledge of who listens; serialization implements it to
/// fire the part's OPERATION_COMPLETE triggers. Implementations must not throw for their own failures: the move stands.
/// </summary>
public interface ISerialStepEvents
{
    /// <param name="serialId">The serial that moved.</param>
    /// <param name="operationCode">The code of the step it finished (e.g. OP-020).</param>
    Task StepCompletedAsync(Guid serialId, string operationCode, CancellationToken ct = default);
}
