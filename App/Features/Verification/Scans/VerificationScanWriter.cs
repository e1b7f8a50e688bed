using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Verification;

/// <summary>
/// Adds this instance's counted scans to <see cref="VerificationScanDay"/> every few seconds and once more at shutdown.
/// Each row is an increment (<c>INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n</c>), never a value read and
/// written back, so several instances sharing one database add up instead of overwriting each other. A code naming no
/// organization of this database is not stored at all.
/// </summary>
public sealed class VerificationScanWriter(VerificationScanCounter counter, DatabaseSettings settings, ILogger<VerificationScanWriter> log)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private const string AddSql = """
        INSERT INTO "VerificationScanDays" ("OrganizationId", "Day", "Genuine", "NotGenuine")
        SELECT o."Id", {1}, {2}, {3} FROM "Organizations" AS o WHERE o."Code" = {0}
        ON CONFLICT ("OrganizationId", "Day") DO UPDATE SET
            "Genuine" = "VerificationScanDays"."Genuine" + excluded."Genuine",
            "NotGenuine" = "VerificationScanDays"."NotGenuine" + excluded."NotGenuine"
        """;

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Test seam: runs after the counts were taken and before they are written.</summary>
    internal Func<Task>? BeforeWrite { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await WriteSafelyAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The last seconds of counts: written at shutdown rather than lost with the process.
        await WriteSafelyAsync(CancellationToken.None);
    }

    private async Task WriteSafelyAsync(CancellationToken ct)
    {
        try
        {
            await WriteAsync(ct);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Public scan counts could not be written; they are kept for the next attempt");
        }
    }

    /// <summary>Writes every count taken so far in one transaction; on failure the counts go back to the counter.</summary>
    public async Task WriteAsync(CancellationToken ct = default)
    {
        await _one.WaitAsync(ct);
        try
        {
            var counts = counter.Take();
            if (counts.Count == 0) return;
            if (BeforeWrite is { } pause) await pause();
            try
            {
                // Scans belong to no signed-in user: the organization comes from the code, so the context has no tenant filter.
                await using var db = OperatorDbFactory.Create(settings.Options, settings.Provider, FixedUser.Nobody);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                foreach (var c in counts)
                {
                    await db.Database.ExecuteSqlRawAsync(AddSql, [c.OrganizationCode, c.Day, c.Genuine, c.NotGenuine], ct);
                }
                await tx.CommitAsync(ct);
            }
            catch
            {
                counter.Return(counts);
                throw;
            }
        }
        finally
        {
            _one.Release();
        }
    }
}
