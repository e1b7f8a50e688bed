using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Infrastructure.Audit;

public sealed record AuditRecord(long Sequence, DateTime At, string? UserEmail, string Action, string EntityType, string EntityId, string? Before, string? After);

/// <summary>The first entry whose hash does not follow from its content and its predecessor, or none.</summary>
public sealed record AuditVerification(bool Intact, long EntriesChecked, long? BrokenAtSequence, Guid? BrokenEntryId, string? Problem);

/// <summary>Appends to and verifies the organization's hash-chained audit trail.</summary>
public sealed class AuditTrail(TimeProvider time)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds an entry to <paramref name="db"/>; it is saved with the caller's SaveChanges, in the caller's transaction
    /// (which must be open: the sequence is drawn from a counter whose lock keeps the chain linear).
    /// </summary>
    public async Task<AuditEntry> AppendAsync(OperatorDb db, string action, string entityType, string entityId, object? before = null, object? after = null,
        Guid? organizationId = null, CancellationToken ct = default)
    {
        var org = organizationId ?? db.TenantId ?? throw new InvalidOperationException("An audit entry needs an organization.");
        var sequence = await db.NextAsync(org, "audit", 1, ct);
        var previous = sequence == 1 ? Genesis : await PreviousHashAsync(db, org, sequence - 1, ct);
        var entry = new AuditEntry
        {
            OrganizationId = org,
            Sequence = sequence,
            // Microsecond precision survives both providers, so the hash recomputes exactly.
            At = Truncate(time.GetUtcNow().UtcDateTime),
            UserId = db.Caller.UserId,
            UserEmail = db.Caller.Email,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = Serialize(before),
            After = Serialize(after),
            PreviousHash = previous,
            Hash = "",
        };
        entry.Hash = ComputeHash(entry);
        db.AuditEntries.Add(entry);
        return entry;
    }

    private static async Task<string> PreviousHashAsync(OperatorDb db, Guid org, long sequence, CancellationToken ct)
    {
        var local = db.AuditEntries.Local.FirstOrDefault(a => a.OrganizationId == org && a.Sequence == sequence);
        if (local is not null)
        {
            return local.Hash;
        }
        return await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == org && a.Sequence == sequence)
            .Select(a => a.Hash).SingleOrDefaultAsync(ct) ?? Genesis;
    }

    /// <summary>Walks the chain of one organization in order and reports the first broken link.</summary>
    public static async Task<AuditVerification> VerifyAsync(OperatorDb db, Guid organizationId, CancellationToken ct = default)
    {
        var expectedPrevious = Genesis;
        long expectedSequence = 1, checkedCount = 0;
        await foreach (var entry in db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
                           .Where(a => a.OrganizationId == organizationId).OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            string? problem = null;
            if (entry.Sequence != expectedSequence) problem = $"entry {expectedSequence} is missing";
            else if (entry.PreviousHash != expectedPrevious) problem = "the link to the previous entry does not match";
            else if (ComputeHash(entry) != entry.Hash) problem = "the entry's content was changed after it was written";
            if (problem is not null)
            {
                return new AuditVerification(false, checkedCount, entry.Sequence, entry.Id, problem);
            }
            expectedPrevious = entry.Hash;
            expectedSequence++;
            checkedCount++;
        }
        return new AuditVerification(true, checkedCount, null, null, null);
    }

    /// <summary>The audit history of one record, oldest first.</summary>
    public static Task<List<AuditRecord>> HistoryAsync(OperatorDb db, string entityType, string entityId, CancellationToken ct = default) =>
        db.AuditEntries.AsNoTracking().Where(a => a.EntityType == entityType && a.EntityId == entityId).OrderBy(a => a.Sequence)
            .Select(a => new AuditRecord(a.Sequence, a.At, a.UserEmail, a.Action, a.EntityType, a.EntityId, a.Before, a.After)).ToListAsync(ct);

    public static string ComputeHash(AuditEntry e)
    {
        var canonical = string.Join('\u001f',
            e.PreviousHash, e.OrganizationId.ToString("N"), e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture), e.UserId?.ToString("N") ?? "", e.UserEmail ?? "",
            e.Action, e.EntityType, e.EntityId, e.Before ?? "", e.After ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string? Serialize(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => JsonSerializer.Serialize(value, Json),
    };

    private static DateTime Truncate(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
}
