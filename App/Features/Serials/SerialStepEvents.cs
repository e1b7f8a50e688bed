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
    /// <param name="db">The move's context, in its open transaction, with the move already written.</param>
    /// <param name="step">The serial that moved and the step it finished.</param>
    Task StepCompletedAsync(OperatorDb db, SerialStepCompleted step, CancellationToken ct = default);
}

/// <param name="SerialId">The serial that moved.</param>
/// <param name="StepId">The step it finished.</param>
/// <param name="OperationCode">The code of that step (e.g. OP-020).</param>
/// <param name="SerialCompleted">The step was the last: the serial is now completed.</param>
public sealed record SerialStepCompleted(Guid SerialId, Guid? StepId, string OperationCode, bool SerialCompleted);
