using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Operator.Features.Verification.Cache;

/// <summary>
/// SQLite: tells <see cref="VerificationCache"/> when this process writes a table that verification reads. The
/// statement's text names the table (EF Core's saves, ExecuteUpdate/Delete and raw SQL alike); the whole cache is
/// dropped when the statement starts, so nothing read during it is kept, and again when its change is committed (the
/// statement's end outside a transaction, else the transaction's commit), so nothing read before the commit outlives
/// it.
/// </summary>
/// <remarks>
/// Rows written by <see cref="Infrastructure.Data.BulkInsert"/> bypass this: it only inserts new serials and their
/// first events, which change no answer that was cached (only found codes are kept, and a later serial with a number
/// already found does not replace the first registered). PostgreSQL needs none of this: its triggers announce every
/// committed change to every instance.
/// </remarks>
public sealed partial class RegistryWriteInterceptor(VerificationCache cache) : DbCommandInterceptor, IDbTransactionInterceptor
{
    // Transactions that wrote a table verification reads and have not ended yet.
    private readonly ConditionalWeakTable<DbTransaction, object> _pending = new();

    [GeneratedRegex("""(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|REPLACE\s+INTO)\s+"(?:Serials|Parts|Organizations|ProcessSteps|SerialStepEvents)"\s""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WritesRegistry();

    private void Starting(DbCommand command)
    {
        if (cache.AnnouncedByDatabase || !cache.Enabled || !WritesRegistry().IsMatch(command.CommandText)) return;
        cache.ChangedAll();
        if (command.Transaction is { } transaction) _pending.AddOrUpdate(transaction, this);
    }

    // Outside a transaction the statement commits when it ends.
    private void Ended(DbCommand command)
    {
        if (!cache.AnnouncedByDatabase && cache.Enabled && command.Transaction is null && WritesRegistry().IsMatch(command.CommandText)) cache.ChangedAll();
    }

    private void TransactionEnded(DbTransaction transaction)
    {
        if (_pending.Remove(transaction)) cache.ChangedAll();
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Starting(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Starting(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Starting(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Starting(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Starting(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Starting(command);
        return ValueTask.FromResult(result);
    }

    // A reader's statement (INSERT ... RETURNING) ends when the reader is done with, not when it is handed out.
    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Ended(command);
        return result;
    }

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Ended(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Ended(command);
        return result;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Ended(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Ended(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Ended(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Ended(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => TransactionEnded(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionEnded(transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => TransactionEnded(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionEnded(transaction);
        return Task.CompletedTask;
    }
}
