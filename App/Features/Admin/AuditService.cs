using Microsoft.EntityFrameworkCore;
using Operator.Features.Reports;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Admin;

/// <summary>One audit entry as administrators read it: what changed, on which record, by whom, before and after (JSON).</summary>
public sealed record AuditEntryDto(long Sequence, DateTime At, string? UserEmail, string Action, string EntityType, string EntityId, string? Before, string? After);

/// <summary>
/// The caller's organization's audit trail: its entries newest first, and the check of its hash chain. The list is
/// tenant-filtered by the context; the chain check names the organization explicitly because it reads past the filter.
/// </summary>
public sealed class AuditService(IDbContextFactory<OperatorDb> factory, ICurrentUser caller)
{
    /// <summary>Entries newest first, searched by action, record type, record id or the email of who made the change.</summary>
    public async Task<Result<Page<AuditEntryDto>>> ListAsync(ListQuery query, CancellationToken ct = default)
    {
        if (query.Validate() is { } invalid) return invalid;
        await using var db = factory.CreateDbContext();
        return await Entries(db, query).ToPageAsync(query, ct);
    }

    public static readonly ExportColumns<AuditEntryDto> Columns = ExportColumns<AuditEntryDto>.FromProperties();

    /// <summary><c>GET /api/audit/export</c>: every entry the list shows for <paramref name="query"/>, newest first, streamed.</summary>
    public Result<CsvExport> Export(ListQuery query, TimeProvider time)
    {
        var unpaged = query with { Limit = null, Offset = null };
        if (unpaged.Validate() is { } invalid) return invalid;
        return Columns.Export(ExportFiles.Name("audit", time), ExportRows(unpaged));
    }

    private async IAsyncEnumerable<AuditEntryDto> ExportRows(ListQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        await foreach (var row in Entries(db, query).AsAsyncEnumerable().WithCancellation(ct)) yield return row;
    }

    /// <summary>The list's entries for <paramref name="query"/> in its order (newest first).</summary>
    private static IQueryable<AuditEntryDto> Entries(OperatorDb db, ListQuery query)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (query.Term is { } term)
        {
            var lower = term.ToLowerInvariant();
            entries = entries.Where(a => a.Action.ToLower().Contains(lower) || a.EntityType.ToLower().Contains(lower)
                || a.EntityId.ToLower().Contains(lower) || (a.UserEmail != null && a.UserEmail.ToLower().Contains(lower)));
        }
        return entries.OrderByDescending(a => a.Sequence)
            .Select(a => new AuditEntryDto(a.Sequence, a.At, a.UserEmail, a.Action, a.EntityType, a.EntityId, a.Before, a.After));
    }

    /// <summary>Recomputes the chain and reports the first broken link, if any.</summary>
    public async Task<Result<AuditVerification>> VerifyAsync(CancellationToken ct = default)
    {
        // The Admin policy only admits signed-in users, and every signed-in user belongs to an organization.
        if (caller.OrganizationId is not { } organizationId) return Error.Forbidden("No organization");
        await using var db = factory.CreateDbContext();
        return await AuditTrail.VerifyAsync(db, organizationId, ct);
    }
}
