using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Operator.Infrastructure.Data;

namespace Operator.Features.Verification.Cache;

/// <summary>
/// PostgreSQL: listens on <see cref="Channel"/>, where the triggers of the migration RegistryChangeNotifications
/// announce every committed change to what verification reads, and hands each announcement to
/// <see cref="VerificationCache"/>. The cache answers from memory only while this listens; when the connection is lost
/// it falls back to the registry, and listens again a second later.
/// </summary>
/// <remarks>
/// PostgreSQL delivers a notification after its transaction commits, to every listening session, in commit order; a
/// dedicated connection (not pooled, keep-alive on so a silently dropped connection is noticed) holds the LISTEN.
/// </remarks>
public sealed class RegistryChangeListener(DatabaseSettings settings, VerificationCache cache, ILogger<RegistryChangeListener> log) : BackgroundService
{
    public const string Channel = "operator_registry";

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Provider != DatabaseProvider.Postgres || !cache.Enabled) return;
        var connectionString = ListenerConnection(settings);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => cache.Apply(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                cache.Listening();
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Whatever broke the connection, the answer is the same: stop answering from memory, listen again.
                log.LogWarning(e, "The verification cache stopped listening for registry changes; verifications read the database until it listens again");
            }
            finally
            {
                cache.Deaf();
            }
            try
            {
                await Task.Delay(RetryAfter, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static string ListenerConnection(DatabaseSettings settings)
    {
        var connectionString = RelationalOptionsExtension.Extract(settings.Options).ConnectionString
            ?? throw new InvalidOperationException("The database options carry no connection string.");
        return new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Multiplexing = false,
            KeepAlive = 10,
            MaxAutoPrepare = 0,
        }.ConnectionString;
    }
}
