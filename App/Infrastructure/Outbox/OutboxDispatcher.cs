using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Outbox;

/// <summary>An outbox row as its handler sees it.</summary>
public sealed record OutboxEvent(Guid Id, Guid OrganizationId, string Topic, string Name, string Subject, string Payload, int Attempts);

/// <summary>What a handler reports: done (with a note for the admin list), or failed with words for people (retried).</summary>
public sealed record OutboxOutcome(bool Succeeded, string Message)
{
    public static OutboxOutcome Done(string note) => new(true, note);

    public static OutboxOutcome Failed(string error) => new(false, error);
}

/// <summary>
/// Carries out the events of one topic. It may be called more than once for one event (a dispatcher that died after the
/// work but before marking it done): it must find its earlier work by <see cref="OutboxEvent.Id"/> instead of repeating it.
/// </summary>
public interface IOutboxHandler
{
    Task<OutboxOutcome> HandleAsync(OutboxEvent message, CancellationToken ct);
}

/// <summary><c>Outbox:*</c> settings.</summary>
public sealed record OutboxOptions
{
    /// <summary>Run the background dispatcher (tests switch it off and dispatch by hand).</summary>
    public bool Dispatch { get; init; } = true;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);
    public int MaxAttempts { get; init; } = 8;
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(1);
    public int BatchSize { get; init; } = 20;

    public static OutboxOptions From(IConfiguration config)
    {
        var defaults = new OutboxOptions();
        return new OutboxOptions
        {
            Dispatch = config.GetValue("Outbox:Dispatch", defaults.Dispatch),
            PollInterval = TimeSpan.FromSeconds(config.GetValue("Outbox:PollSeconds", defaults.PollInterval.TotalSeconds)),
            Lease = TimeSpan.FromSeconds(config.GetValue("Outbox:LeaseSeconds", defaults.Lease.TotalSeconds)),
            MaxAttempts = Math.Max(1, config.GetValue("Outbox:MaxAttempts", defaults.MaxAttempts)),
            RetryBase = TimeSpan.FromSeconds(config.GetValue("Outbox:RetryBaseSeconds", defaults.RetryBase.TotalSeconds)),
            RetryMax = TimeSpan.FromSeconds(config.GetValue("Outbox:RetryMaxSeconds", defaults.RetryMax.TotalSeconds)),
        };
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): base, 2 × base, 4 × base ... up to the maximum.</summary>
    public TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(RetryMax.Ticks, RetryBase.Ticks * Math.Pow(2, Math.Max(0, attempt - 1))));
}

/// <summary>Test seams: pause or stop a dispatcher at the points where two dispatchers or a crash could interleave.</summary>
public sealed class OutboxHooks
{
    public static readonly OutboxHooks None = new();

    /// <summary>Inside the claim's transaction, after the due rows were read (and on PostgreSQL locked), before they are leased.</summary>
    public Func<Task>? AfterClaimRead { get; init; }

    /// <summary>After a handler succeeded, before its event is marked done (a crash here must not repeat the work).</summary>
    public Func<OutboxEvent, Task>? AfterHandled { get; init; }
}

/// <summary>
/// Claims due events and runs their handlers. Exactly once across instances: a claim leases rows in a short transaction
/// (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so concurrent dispatchers take different rows; SQLite: its single writer),
/// so only one dispatcher runs an event at a time; a dispatcher that dies loses its lease and the event runs again,
/// where the handler's own record of the event id keeps the work from being done twice. Failures are retried with
/// exponential backoff and the event ends <c>failed</c> after <see cref="OutboxOptions.MaxAttempts"/>.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, DatabaseSettings settings, TimeProvider time, OutboxOptions options, ILogger<OutboxDispatcher> log)
{
    /// <summary>The role events run under: no policy admits it, so a handler can do only what it does for everyone.</summary>
    public const string SystemRole = "SYSTEM";

    public string Name { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public OutboxHooks Hooks { get; init; } = OutboxHooks.None;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Runs every due event (claiming a batch at a time) and answers how many it ran.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken ct = default)
    {
        var handled = 0;
        while (true)
        {
            var claimed = await ClaimAsync(ct);
            if (claimed.Count == 0) return handled;
            foreach (var message in claimed)
            {
                await RunAsync(message, ct);
                handled++;
            }
        }
    }

    private OperatorDb NewDb() => OperatorDbFactory.Create(settings.Options, settings.Provider, FixedUser.Nobody);

    private async Task<List<OutboxMessage>> ClaimAsync(CancellationToken ct)
    {
        await using var db = NewDb();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Now;
        var ids = await OutboxQueries.DueIdsAsync(db, settings.Provider, now, options.BatchSize, ct);
        if (Hooks.AfterClaimRead is { } paused) await paused();
        if (ids.Count == 0) return [];
        var until = now + options.Lease;
        await db.Set<OutboxMessage>().IgnoreQueryFilters().Where(m => ids.Contains(m.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.LockedUntil, until).SetProperty(m => m.LockedBy, Name).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
        var claimed = await db.Set<OutboxMessage>().IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.Id))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).ToListAsync(ct);
        await tx.CommitAsync(ct);
        return claimed;
    }

    private async Task RunAsync(OutboxMessage message, CancellationToken ct)
    {
        var evt = new OutboxEvent(message.Id, message.OrganizationId, message.Topic, message.Name, message.Subject, message.Payload, message.Attempts);
        if (message.Attempts > options.MaxAttempts)
        {
            // Every attempt died with its dispatcher (the lease ran out each time): stop here rather than loop forever.
            await FinishAsync(message.Id, OutboxStatus.Failed, null,
                message.LastError ?? $"Stopped after {options.MaxAttempts} attempts: the app stopped while the last one ran", null, ct);
            return;
        }

        OutboxOutcome outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(
                FixedUser.For(message.OrganizationId, message.ActorId ?? Guid.Empty, SystemRole, message.ActorEmail ?? "outbox@operator.local").Principal);
            var handler = scope.ServiceProvider.GetKeyedService<IOutboxHandler>(message.Topic);
            outcome = handler is null
                ? OutboxOutcome.Failed($"No handler for outbox topic {message.Topic}")
                : await handler.HandleAsync(evt, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError(e, "Outbox event {Id} ({Name}, {Subject}) failed", message.Id, message.Name, message.Subject);
            outcome = OutboxOutcome.Failed($"{e.GetType().Name}: {e.Message}");
        }

        if (outcome.Succeeded)
        {
            if (Hooks.AfterHandled is { } after) await after(evt);
            await FinishAsync(message.Id, OutboxStatus.Done, null, null, outcome.Message, ct);
            log.LogInformation("Outbox event {Name} for {Subject} done: {Outcome}", message.Name, message.Subject, outcome.Message);
        }
        else if (message.Attempts >= options.MaxAttempts)
        {
            await FinishAsync(message.Id, OutboxStatus.Failed, null, outcome.Message, null, ct);
            log.LogWarning("Outbox event {Name} for {Subject} failed for good after {Attempts} attempts: {Error}", message.Name, message.Subject, message.Attempts, outcome.Message);
        }
        else
        {
            var next = Now + options.Backoff(message.Attempts);
            await FinishAsync(message.Id, OutboxStatus.Pending, next, outcome.Message, null, ct);
            log.LogWarning("Outbox event {Name} for {Subject} failed (attempt {Attempts}), retried at {Next}: {Error}", message.Name, message.Subject, message.Attempts, next, outcome.Message);
        }
    }

    /// <summary>Records the result, only while this dispatcher still holds the claim (else another took it over and records its own).</summary>
    private async Task FinishAsync(Guid id, string status, DateTime? nextAttempt, string? error, string? outcome, CancellationToken ct)
    {
        await using var db = NewDb();
        var now = Now;
        DateTime? completed = status == OutboxStatus.Failed ? now : null;
        var rows = db.Set<OutboxMessage>().IgnoreQueryFilters().Where(m => m.Id == id && m.LockedBy == Name);
        var changed = status == OutboxStatus.Done
            ? await rows.ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, status).SetProperty(m => m.CompletedAt, now).SetProperty(m => m.Outcome, outcome)
                .SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.LockedBy, (string?)null), ct)
            : await rows.ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, status).SetProperty(m => m.LastError, Truncate(error))
                .SetProperty(m => m.NextAttemptAt, m => nextAttempt ?? m.NextAttemptAt).SetProperty(m => m.CompletedAt, completed)
                .SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.LockedBy, (string?)null), ct);
        if (changed == 0) log.LogWarning("Outbox event {Id}: the claim had passed to another dispatcher before {Status} was recorded", id, status);
    }

    private static string? Truncate(string? text) => text is { Length: > 2000 } ? text[..2000] : text;
}

/// <summary>The background loop: dispatch what is due, then wait for a commit's signal or the poll interval.</summary>
public sealed class OutboxWorker(OutboxDispatcher dispatcher, OutboxSignal signal, OutboxOptions options, ILogger<OutboxWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Dispatch) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DispatchPendingAsync(stoppingToken);
                await signal.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database that is briefly unreachable must not end the loop: the next poll tries again.
                log.LogError(e, "Outbox dispatch failed; trying again at the next poll");
                try
                {
                    await Task.Delay(options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>Provider-specific SQL of the outbox.</summary>
public static class OutboxQueries
{
    /// <summary>
    /// Due, unleased pending rows, oldest due first. PostgreSQL locks them and skips rows another claim holds, so two
    /// dispatchers never read the same row as free; SQLite's transaction already holds the database's write lock.
    /// </summary>
    public static async Task<List<Guid>> DueIdsAsync(OperatorDb db, DatabaseProvider provider, DateTime now, int limit, CancellationToken ct)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return await db.Database.SqlQuery<Guid>($"""
                SELECT "Id" AS "Value" FROM "OutboxMessages"
                WHERE "Status" = 'pending' AND "NextAttemptAt" <= {now} AND ("LockedUntil" IS NULL OR "LockedUntil" <= {now})
                ORDER BY "NextAttemptAt", "Id" LIMIT {limit}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
        }
        return await db.Set<OutboxMessage>().IgnoreQueryFilters()
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil <= now))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Select(m => m.Id).Take(limit).ToListAsync(ct);
    }
}

public static class OutboxSetup
{
    public static IServiceCollection AddOperatorOutbox(this IServiceCollection services)
    {
        services.AddSingleton(sp => OutboxOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IInterceptor, OutboxCommitInterceptor>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxWorker>();
        return services;
    }

    /// <summary>Registers the handler of a topic (one line per topic in the feature's setup).</summary>
    public static IServiceCollection AddOutboxHandler<THandler>(this IServiceCollection services, string topic) where THandler : class, IOutboxHandler =>
        services.AddKeyedScoped<IOutboxHandler, THandler>(topic);
}
