using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// Told when a serial finishes the operation of a step (an advance leaves it, a completion ends the last one), inside
/// the move's transaction, before its SaveChanges: a listener adds what must follow the move (an outbox event) to the
/// move's context, so it commits or rolls back with the move. Defined here so serials need no knowledge of who listens;
/// serialization implements it to raise the part's OPERATION_COMPLETE triggers.
/// </summary>
public interface ISerialStepEvents
{
    /// <param name="db">The move's context, in its open transaction.</param>
    /// <param name="serialId">The serial that moved.</param>
    /// <param name="operationCode">The code of the step it finished (e.g. OP-020).</param>
    Task StepCompletedAsync(OperatorDb db, Guid serialId, string operationCode, CancellationToken ct = default);
}
