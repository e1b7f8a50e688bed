using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serials;

/// <summary>
/// Finding the serial a text names, for every job of the feature: the unit view's read (<see cref="SerialDetailService"/>),
/// the writes (<see cref="SerialService"/>), which read it again under its row lock inside their transaction.
/// </summary>
internal static class SerialLookup
{
    /// <summary>
    /// The serials of the caller's organization that <paramref name="id"/> names, best first: by UUID, or by serial
    /// number as given or in upper case (public codes are normalized that way). Numbers are not unique until the
    /// uniqueness feature resolves a conflict, so the UUID wins, then a live unit over a cancelled one, then the exact
    /// spelling, then the oldest. Null when the text cannot be a serial: nothing that long or with control characters
    /// is one (and PostgreSQL refuses NUL in text). One indexed query whatever the form. The unit view's read
    /// (<see cref="SerialUnitRead"/>) states the same rule in SQL: change both together.
    /// </summary>
    private static IQueryable<Serial>? Matching(OperatorDb db, string? id)
    {
        var term = id?.Trim() ?? "";
        if (term.Length is 0 or > 100 || term.Any(char.IsControl)) return null;
        var upper = term.ToUpperInvariant();
        var serials = db.Set<Serial>().AsNoTracking();
        var matching = Guid.TryParse(term, out var uuid)
            ? serials.Where(s => s.Id == uuid || s.SerialNumber == term || s.SerialNumber == upper)
            : upper == term ? serials.Where(s => s.SerialNumber == term) : serials.Where(s => s.SerialNumber == term || s.SerialNumber == upper);
        return matching.OrderBy(s => s.Id == uuid ? 0 : 1).ThenBy(s => s.Status == SerialStatus.Cancelled ? 1 : 0)
            .ThenBy(s => s.SerialNumber == term ? 0 : 1).ThenBy(s => s.CreatedAt);
    }

    /// <summary>
    /// <see cref="Matching"/>'s rule for the unit view's read (<see cref="SerialUnitRead"/>): which form the text has, the
    /// text trimmed, in upper case and as a UUID (empty when it is not one). Null when the text cannot be a serial.
    /// </summary>
    internal static (SerialUnitRead.Form Form, string Term, string Upper, Guid Uuid)? Addressing(string? id)
    {
        var term = id?.Trim() ?? "";
        if (term.Length is 0 or > 100 || term.Any(char.IsControl)) return null;
        var upper = term.ToUpperInvariant();
        var form = Guid.TryParse(term, out var uuid) ? SerialUnitRead.Form.IdOrNumber
            : upper == term ? SerialUnitRead.Form.Number : SerialUnitRead.Form.NumberOrUpper;
        return (form, term, upper, uuid);
    }

    internal static async Task<SerialRef?> FindAsync(OperatorDb db, string? id, CancellationToken ct) =>
        Matching(db, id) is { } matching ? await Project(db, matching).FirstOrDefaultAsync(ct) : null;

    /// <summary>
    /// The serial <paramref name="id"/> names, locked for the rest of the write's transaction and read again under the
    /// lock (on PostgreSQL the first read may predate a move that committed while this one waited for the lock).
    /// </summary>
    internal static async Task<SerialRef?> LockedAsync(OperatorDb db, string? id, CancellationToken ct)
    {
        var found = await FindAsync(db, id, ct);
        if (found is null || db.Database.IsSqlite()) return found;
        await SerialQueries.LockUnitAsync(db, found.Id, ct);
        return await Project(db, db.Set<Serial>().AsNoTracking().Where(s => s.Id == found.Id)).FirstOrDefaultAsync(ct);
    }

    private static IQueryable<SerialRef> Project(OperatorDb db, IQueryable<Serial> matching)
    {
        var steps = db.Set<ProcessStep>();
        return matching.Select(s => new SerialRef(
                s.Id, s.SerialNumber, s.Status, s.CurrentStepIndex, s.PartId, s.WorkOrderId, s.WorkOrder != null ? s.WorkOrder.Number : null, s.BatchId, s.PathId,
                s.Path != null ? s.Path.Code : null,
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => (Guid?)st.Id).FirstOrDefault(),
                steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Name).FirstOrDefault()));
    }

    /// <summary>Microsecond precision survives both providers, so a stored time reads back exactly as answered.</summary>
    internal static DateTime Truncate(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
}

/// <summary>A serial as the write operations need it, with its path and current step resolved in the same query.</summary>
internal sealed record SerialRef(Guid Id, string SerialNumber, string Status, int CurrentStepIndex, Guid PartId, Guid? WorkOrderId, string? WorkOrderNumber,
    Guid? BatchId, Guid? PathId, string? PathCode, Guid? StepId, string? StepName)
{
    public bool IsCompleted => Status == SerialStatus.Completed || CurrentStepIndex == Serial.CompletedStepIndex;
}

internal sealed record StepRef(Guid? Id, int Sequence, string Name, string? Code = null);
