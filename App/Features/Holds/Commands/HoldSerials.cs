using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>
/// The serial items of a new hold (the extension of the contract): each names one unit of the caller's organization by
/// serial number or id, found as the serials feature finds a unit (<see cref="SerialLookup"/>), so the station, the API
/// and a hold agree on which unit a number means. A unit of another organization is not found, exactly as a missing one.
/// </summary>
internal static class HoldSerials
{
    public const string NotFoundMessage = "Serial not found";

    public static Error NotFound(string text) => Error.NotFound(NotFoundMessage, "Serial", text);

    public static async Task<Result<Found>> ResolveAsync(OperatorDb db, Guid org, IReadOnlyList<ValidHoldItem> items, CancellationToken ct)
    {
        var wanted = items.Where(i => i.ReferenceType == ReferenceTypes.Serial).ToList();
        if (wanted.Count == 0) return Found.None;

        // Ids in one read (containment names thousands of units by id); numbers one by one, by the serials feature's rule.
        var ids = wanted.Select(i => Guid.TryParse(i.Serial, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var byId = new Dictionary<Guid, string>();
        foreach (var chunk in ids.Chunk(1000))
        {
            var rows = await db.Set<Serial>().IgnoreQueryFilters().AsNoTracking().Where(s => chunk.Contains(s.Id))
                .Select(s => new { s.Id, s.OrganizationId, s.SerialNumber }).ToListAsync(ct);
            foreach (var row in rows.Where(r => r.OrganizationId == org)) byId[row.Id] = row.SerialNumber;
        }

        var units = new Dictionary<int, (Guid Id, string Number)>();
        var first = new Dictionary<Guid, int>();
        var duplicates = new Checks();
        foreach (var item in wanted)
        {
            (Guid Id, string Number)? unit = Guid.TryParse(item.Serial, out var id) && byId.TryGetValue(id, out var number) ? (id, number) : null;
            if (unit is null && db.TenantId == org && await SerialLookup.FindAsync(db, item.Serial, ct) is { } found) unit = (found.Id, found.SerialNumber);
            if (unit is not { } u) return NotFound(item.Serial!);
            // A number and an id (or two spellings of one number) that name the same unit are one item given twice.
            if (!first.TryAdd(u.Id, item.Index)) duplicates.Add(HoldValidation.Duplicate(item.Index, first[u.Id]));
            units[item.Index] = u;
        }
        if (duplicates.Failed) return duplicates.ToError(HoldValidation.InvalidData);
        return new Found(units);
    }

    public sealed class Found(IReadOnlyDictionary<int, (Guid Id, string Number)> units)
    {
        public static readonly Found None = new(new Dictionary<int, (Guid, string)>());

        public IReadOnlyCollection<Guid> Ids { get; } = units.Values.Select(u => u.Id).Distinct().ToList();

        public Guid IdOf(ValidHoldItem item) => item.ReferenceType == ReferenceTypes.Serial ? units[item.Index].Id : item.ReferenceId;

        public string NumberOf(ValidHoldItem item) => units[item.Index].Number;
    }
}
