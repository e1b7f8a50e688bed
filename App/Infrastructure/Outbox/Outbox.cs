using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Operator.Infrastructure.Data;

namespace Operator.Infrastructure.Outbox;

/// <summary>Writes outbox rows into a change's context, so they commit (or roll back) with the change.</summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Contexts that hold an outbox row not yet committed: the commit wakes the dispatcher.
    private static readonly ConditionalWeakTable<DbContext, object> Written = new();

    /// <summary>
    /// Adds an event to <paramref name="db"/>; it is saved by the caller's SaveChanges, in the caller's transaction. The
    /// caller's organization and user are recorded: the handler runs as them.
    /// </summary>
    public static OutboxMessage Add(OperatorDb db, string topic, string name, string subject, object payload, DateTime now)
    {
        var message = new OutboxMessage
        {
            Topic = topic, Name = name, Subject = subject.Length > 300 ? subject[..300] : subject,
            Payload = JsonSerializer.Serialize(payload, Json), ActorId = db.Caller.UserId, ActorEmail = db.Caller.Email,
            CreatedAt = now, NextAttemptAt = now,
        };
        db.Add(message);
        Written.AddOrUpdate(db, Written);
        return message;
    }

    public static T Read<T>(string payload) => JsonSerializer.Deserialize<T>(payload, Json) ?? throw new InvalidOperationException("Empty outbox payload.");

    internal static bool TakeWritten(DbContext? db) => db is not null && Written.Remove(db);
}

/// <summary>
/// Wakes the in-process dispatcher as soon as an event is committed, so dispatch normally starts without waiting for the
/// poll; other app instances find the event by polling.
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up dispatches everything that is due.
        }
    }

    /// <summary>Waits for a signal or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan poll, CancellationToken ct) => _wake.WaitAsync(poll, ct);
}

/// <summary>Tells <see cref="OutboxSignal"/> when a context that wrote an outbox row commits.</summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    // A save outside an explicit transaction commits on its own.
    private void Saved(DbContext? db)
    {
        if (db?.Database.CurrentTransaction is null && Outbox.TakeWritten(db)) signal.Notify();
    }

    private void Committed(DbContext? db)
    {
        if (Outbox.TakeWritten(db)) signal.Notify();
    }
}
