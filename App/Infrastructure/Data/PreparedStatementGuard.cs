using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Operator.Infrastructure.Data;

/// <summary>
/// Keeps one failed statement from breaking the next request on the same pooled PostgreSQL connection.
/// <para>
/// Npgsql 10's automatic preparation prepares a statement on the use that reaches <c>AutoPrepareMinUsages</c>. When the
/// server refuses that very execution (a U+0000 in a text parameter, a division by zero, a unique violation), Npgsql's
/// record of the connection's prepared statements no longer matches the server's, and the next execution of the same SQL
/// on that physical connection fails with "Received unexpected backend message DataRow": whoever drew the connection from
/// the pool next got a 500 for someone else's bad input. Turning automatic preparation off would avoid it at the price of
/// parsing and planning every statement again; instead, after every error the server reports, the connection's prepared
/// statements are dropped (<see cref="NpgsqlConnection.UnprepareAll"/>), which brings both sides back in step. Inside a
/// transaction the server accepts nothing until the rollback, so the reset waits until the connection is closed; a reset
/// that cannot be done retires the pool instead (<see cref="NpgsqlConnection.ClearPool"/>), so a broken connection is
/// never handed out again.
/// </para>
/// </summary>
public sealed class PreparedStatementGuard : DbCommandInterceptor, IDbConnectionInterceptor
{
    public static readonly PreparedStatementGuard Instance = new();

    /// <summary>Connections whose reset waits for the end of their transaction.</summary>
    private static readonly ConditionalWeakTable<DbConnection, object> Pending = [];

    private PreparedStatementGuard()
    {
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => AfterFailure(command, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterFailure(command, eventData.Exception);
        return Task.CompletedTask;
    }

    // A reset that waited for its transaction is done before the connection's next command outside one (a retry on the
    // same context), else when the connection is closed.
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        BeforeCommand(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        BeforeCommand(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        BeforeCommand(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        BeforeCommand(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        BeforeCommand(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        BeforeCommand(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ResetIfPending(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ResetIfPending(connection);
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// For code that runs its own commands on a context's connection (EF sees neither them nor their failures): call it
    /// when such a command failed, before the connection goes back to the pool.
    /// </summary>
    public static void AfterFailure(DbCommand command, Exception exception)
    {
        if (command.Connection is not NpgsqlConnection connection || !ReportedByServer(exception)) return;
        if (command.Transaction is null && connection.State == ConnectionState.Open && TryReset(connection)) return;
        Pending.AddOrUpdate(connection, Pending);
    }

    private static void BeforeCommand(DbCommand command)
    {
        if (command.Transaction is null && command.Connection is { } connection)
        {
            ResetIfPending(connection);
        }
    }

    private static void ResetIfPending(DbConnection connection)
    {
        if (connection is not NpgsqlConnection npgsql || !Pending.TryGetValue(connection, out _)) return;
        Pending.Remove(connection);
        if (!TryReset(npgsql))
        {
            NpgsqlConnection.ClearPool(npgsql);
        }
    }

    private static bool TryReset(NpgsqlConnection connection)
    {
        try
        {
            connection.UnprepareAll();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Still in an aborted transaction or with a reader open: the caller retires the connection instead.
            return false;
        }
    }

    /// <summary>An error the server answered with: the connection itself is alive, only its bookkeeping may be off.</summary>
    private static bool ReportedByServer(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException) return true;
        }
        return false;
    }
}
