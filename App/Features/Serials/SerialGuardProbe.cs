namespace Operator.Features.Serials;

/// <summary>
/// Called by a serial's write right after it read what the write depends on (the unit's current step, the blocking
/// holds) and before it writes. Production does nothing here; race tests hold one operation at this point while
/// another runs, to prove that what was read is still true when the write commits.
/// </summary>
public interface ISerialGuardProbe
{
    /// <param name="operation"><c>advance</c>, <c>complete</c> or <c>attach</c>.</param>
    Task GuardReadAsync(string operation, Guid serialId, CancellationToken ct);
}

public sealed class NoGuardProbe : ISerialGuardProbe
{
    public Task GuardReadAsync(string operation, Guid serialId, CancellationToken ct) => Task.CompletedTask;
}
