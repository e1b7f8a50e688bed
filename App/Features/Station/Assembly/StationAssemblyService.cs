using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Station;

/// <summary>
/// The station recording an assembly or a split: its name goes on the links, its profile's actions decide whether it
/// may record one. The generic station (no profiles defined) may do everything the role may.
/// </summary>
public sealed record AssemblyStation(string Name, StationActions Actions)
{
    public static readonly AssemblyStation Generic = new("Station", StationActions.All);

    public static AssemblyStation Of(StationProfileDto? profile) => profile is null ? Generic : new(profile.Name, profile.Actions);

    public bool Allows(StationActions action) => (Actions & action) == action;
}

/// <summary>What the station records when the operator taps Done: a merge or transformation into the parent, or a split of the source.</summary>
public enum AssemblyKind { Merge, Transformation, Split }

/// <summary>A unit as the assembly screen shows it, with what the checks and the recorded operation need.</summary>
public sealed record AssemblyUnit(
    Guid Id, string SerialNumber, Guid PartId, string PartNumber, string PartName, Guid? WorkOrderId, string? WorkOrderNumber, Guid? BatchId,
    int StepIndex, string? StepCode, string? StepName);

/// <summary>
/// One assembly (or split) in progress at a station: the parent (the unit being built, or the unit being split) and the
/// units scanned so far. The page holds it; nothing is in the database until <see cref="StationAssemblyService.DoneAsync"/>.
/// </summary>
public sealed class AssemblySession(AssemblyKind kind)
{
    private readonly List<AssemblyUnit> items = [];

    public AssemblyKind Kind { get; set; } = kind;
    public AssemblyUnit? Parent { get; internal set; }

    /// <summary>The components of an assembly, the existing targets of a split, in scan order.</summary>
    public IReadOnlyList<AssemblyUnit> Items => items;

    /// <summary>Split only: how many new units of the source's work order Done creates as further targets.</summary>
    public int Generate { get; set; }

    public bool IsSplit => Kind == AssemblyKind.Split;

    public bool Remove(Guid id) => items.RemoveAll(u => u.Id == id) > 0;

    public void Clear()
    {
        Parent = null;
        items.Clear();
        Generate = 0;
    }

    internal void Add(AssemblyUnit unit) => items.Add(unit);
}

/// <summary>The station's answer to one scan or tap: the signal kind (<see cref="ScanKind"/>) and its words.</summary>
public sealed record AssemblyAnswer(ScanKind Kind, string Title, string Message)
{
    public StationSignal Signal => StationSignal.For(new ScanResult(Kind, Title, Message, null));
}

/// <summary>What Done recorded: the propagation's group id, its type, the parent and the other units' numbers.</summary>
public sealed record AssemblyRecorded(Guid GroupId, string PropagationType, string ParentSerialNumber, IReadOnlyList<string> SerialNumbers, string Message);

/// <summary>
/// Genealogy recorded by scanning at a station. Each scan is checked at once, against the database as it is now, and
/// answered; Done records everything in one call of <see cref="PropagationService"/> (the same rules, transaction and
/// audit entries as <c>POST /propagation/merge</c>, <c>/transformation</c> and <c>/split</c>), which checks every unit again
/// inside its transaction, so a unit used elsewhere between its scan and Done makes Done refuse and write nothing.
/// The model has no bill of materials: any part may go into any assembly.
/// </summary>
public sealed class StationAssemblyService(
    IDbContextFactory<OperatorDb> factory, PropagationService propagation, SerialBatchService batches, ICurrentUser caller)
{
    public const int MaxScanLength = 200;
    public const int MaxUnits = PropagationService.MaxUnitsPerCall;
    public const int MaxGenerate = 100;

    /// <summary>Scan of the parent: the unit being assembled (merge, transformation) or the unit being split.</summary>
    public async Task<AssemblyAnswer> ScanParentAsync(AssemblySession session, string? scan, CancellationToken ct = default)
    {
        if (Unreadable(scan) is { } bad) return bad;
        await using var db = factory.CreateDbContext();
        var unit = await FindAsync(db, scan!, ct);
        if (unit is null) return Unknown(scan!);
        if (await UnusableAsync(db, unit.Value, session.IsSplit ? "be split" : "be assembled", ct) is { } why) return Refused(why);
        session.Clear();
        session.Parent = unit.Value.Unit;
        var u = unit.Value.Unit;
        return new AssemblyAnswer(ScanKind.Unit, u.SerialNumber,
            session.IsSplit ? $"Splitting {u.SerialNumber} ({u.PartNumber}). Scan the units it becomes, or generate new ones."
                : $"Assembling {u.SerialNumber} ({u.PartNumber}). Scan each component.");
    }

    /// <summary>A new parent of the work order, made as batch creation makes serials (one unit at the first step of its path).</summary>
    public async Task<AssemblyAnswer> CreateParentAsync(AssemblySession session, string? workOrder, CancellationToken ct = default)
    {
        if (session.IsSplit) return Refused("A split starts from an existing unit: scan it.");
        var created = await batches.BatchCreateAsync(new BatchCreateSerialsRequest(workOrder?.Trim(), 1), ct);
        if (!created.IsSuccess) return Refused(created.Error!.Message);
        await using var db = factory.CreateDbContext();
        var unit = await FindAsync(db, created.Value.Serials[0].Id.ToString(), ct)
            ?? throw new InvalidOperationException("The unit just created cannot be read.");
        session.Clear();
        session.Parent = unit.Unit;
        return new AssemblyAnswer(ScanKind.Recorded, $"{unit.Unit.SerialNumber} created",
            $"New unit {unit.Unit.SerialNumber} of {created.Value.WorkOrderNumber}. Scan each component.");
    }

    /// <summary>
    /// Scan of a component (or a split's target), checked in this order: something readable, a unit of the
    /// organization, not the parent, not already in this assembly, not used, scrapped or cancelled, not held (a hold on
    /// it, its work order or its batch), and not one that would make a unit its own ancestor. Accepted units join the list.
    /// </summary>
    public async Task<AssemblyAnswer> ScanItemAsync(AssemblySession session, string? scan, CancellationToken ct = default)
    {
        if (session.Parent is not { } parent)
        {
            return Refused(session.IsSplit ? "Scan the unit to split first." : "Scan the unit being assembled first (or create it from its work order).");
        }
        if (Unreadable(scan) is { } bad) return bad;
        await using var db = factory.CreateDbContext();
        var found = await FindAsync(db, scan!, ct);
        if (found is null) return Unknown(scan!);
        var unit = found.Value.Unit;
        if (unit.Id == parent.Id)
        {
            return Refused(session.IsSplit ? $"{unit.SerialNumber} is the unit being split: it cannot be split into itself."
                : $"{unit.SerialNumber} is the unit being assembled: it cannot go into itself.");
        }
        if (session.Items.Any(i => i.Id == unit.Id))
        {
            return new AssemblyAnswer(ScanKind.AlreadyRecorded, "Already in this assembly", $"{unit.SerialNumber} is already in the list. Nothing was added.");
        }
        if (session.Items.Count >= MaxUnits) return Refused($"At most {MaxUnits} units in one assembly. Tap Done, then go on with a new one.");
        if (await UnusableAsync(db, found.Value, session.IsSplit ? "take part in a split" : "go into an assembly", ct) is { } why) return Refused(why);
        // A link source → target would close a cycle when the target already is the source or one of its ancestors.
        var (source, target) = session.IsSplit ? (parent, unit) : (unit, parent);
        var ancestors = await LineageQueries.ReachableAsync(db, [source.Id], ancestors: true, ct);
        if (ancestors.Contains(target.Id))
        {
            return Refused(session.IsSplit ? $"{unit.SerialNumber} is already an ancestor of {parent.SerialNumber}: it cannot come out of it."
                : $"{unit.SerialNumber} was made from {parent.SerialNumber}: it cannot go into it.");
        }
        session.Add(unit);
        var count = session.Items.Count + (session.IsSplit ? session.Generate : 0);
        return new AssemblyAnswer(ScanKind.Recorded, $"{unit.SerialNumber} added",
            $"{unit.PartNumber} · {unit.PartName}. {count} {(count == 1 ? "unit" : "units")} in the list; tap Done when all are scanned.");
    }

    /// <summary>
    /// Records the session through <see cref="PropagationService"/> as <paramref name="station"/>, in one transaction:
    /// a merge or transformation of the components into the parent, or a split of the source into the scanned targets
    /// and <see cref="AssemblySession.Generate"/> new units of its work order (created first, as batch creation does; if
    /// the split is then refused they stay, as unlinked units of the work order). The operation is the parent's current
    /// step (its code and index), or ASSEMBLY / SPLIT at sequence 0 for a unit not on a path. On success the session is cleared.
    /// </summary>
    public async Task<Result<AssemblyRecorded>> DoneAsync(AssemblySession session, AssemblyStation station, CancellationToken ct = default)
    {
        if (!Policies.Allows(Policies.StationWork, caller.Role)) return Error.Forbidden(SerialService.StationForbidden);
        if (!station.Allows(session.IsSplit ? StationActions.Split : StationActions.Assemble))
        {
            return Error.Forbidden($"{station.Name} may not {(session.IsSplit ? "split units" : "assemble units")}: its station profile does not allow it.");
        }
        var stationName = station.Name;
        if (session.Parent is not { } parent) return Error.Conflict(session.IsSplit ? "Scan the unit to split first." : "Scan the unit being assembled first.");
        if (session.Generate is < 0 or > MaxGenerate) return Error.Validation("generate", $"Generate between 0 and {MaxGenerate} new units.");
        var operation = Cut(parent.StepCode ?? (session.IsSplit ? "SPLIT" : "ASSEMBLY"), 40);
        var sequence = Math.Max(parent.StepIndex, 0);
        var items = session.Items.Select(i => i.Id.ToString()).ToList();
        var numbers = session.Items.Select(i => i.SerialNumber).ToList();

        if (session.IsSplit)
        {
            if (items.Count + session.Generate == 0) return Error.Conflict("Scan at least one unit it was split into, or generate new ones.");
            if (session.Generate > 0)
            {
                if (parent.WorkOrderNumber is null) return Error.Conflict($"{parent.SerialNumber} has no work order: new units cannot be generated for it. Scan existing ones.");
                var created = await batches.BatchCreateAsync(new BatchCreateSerialsRequest(parent.WorkOrderId!.Value.ToString(), session.Generate), ct);
                if (!created.IsSuccess) return created.Error!;
                items.AddRange(created.Value.Serials.Select(s => s.Id.ToString()));
                numbers.AddRange(created.Value.Serials.Select(s => s.SerialNumber));
            }
            var split = await propagation.SplitAsync(new SplitRequest(parent.Id.ToString(), operation, sequence, items!), stationName, ct);
            if (!split.IsSuccess) return split.Error!;
            session.Clear();
            return new AssemblyRecorded(split.Value[0].GroupId, LinkTypes.Split, parent.SerialNumber, numbers,
                $"{parent.SerialNumber} split into {numbers.Count} {(numbers.Count == 1 ? "unit" : "units")}: {string.Join(", ", numbers)}.");
        }

        if (items.Count == 0) return Error.Conflict("Scan at least one component before Done.");
        var merged = session.Kind == AssemblyKind.Transformation
            ? await propagation.TransformAsync(new TransformationRequest(items!, operation, sequence, parent.Id.ToString()), stationName, ct)
            : await propagation.MergeAsync(new MergeRequest(items!, operation, sequence, parent.Id.ToString()), stationName, ct);
        if (!merged.IsSuccess) return merged.Error!;
        session.Clear();
        var verb = merged.Value.PropagationType == LinkTypes.Transformation ? "transformed into" : "assembled into";
        return new AssemblyRecorded(merged.Value.Id, merged.Value.PropagationType, parent.SerialNumber, numbers,
            $"{numbers.Count} {(numbers.Count == 1 ? "component" : "components")} {verb} {parent.SerialNumber}.");
    }

    private readonly record struct Found(AssemblyUnit Unit, string Status, bool Consumed);

    /// <summary>Why a unit cannot take part (used, scrapped, cancelled, held), in the words the station shows; null when it can.</summary>
    private static async Task<string?> UnusableAsync(OperatorDb db, Found found, string verb, CancellationToken ct)
    {
        var u = found.Unit;
        if (found.Status == SerialStatus.Scrapped) return $"{u.SerialNumber} is scrapped: it cannot {verb}.";
        if (found.Status == SerialStatus.Cancelled) return $"{u.SerialNumber} is cancelled: it cannot {verb}.";
        if (found.Consumed) return $"{u.SerialNumber} is already used: it went into another unit and cannot {verb}.";
        var holds = await BlockingHolds.GetBlockingHoldsAsync(db, u.Id, u.WorkOrderId, u.BatchId, ct);
        return holds.Count > 0 ? BlockingHolds.Refusal(u.SerialNumber, verb, holds).Message : null;
    }

    /// <summary>
    /// The unit a scan names, in one query: by UUID or by serial number as scanned or in upper case; when several units
    /// carry the number (until uniqueness resolves it) a live one first, then the exact spelling, then the oldest.
    /// </summary>
    private static async Task<Found?> FindAsync(OperatorDb db, string scan, CancellationToken ct)
    {
        var term = scan.Trim();
        var upper = term.ToUpperInvariant();
        var byId = Guid.TryParse(term, out var uuid);
        var steps = db.Set<ProcessStep>();
        var row = await db.Set<Serial>().AsNoTracking()
            .Where(s => (byId && s.Id == uuid) || s.SerialNumber == term || s.SerialNumber == upper)
            .OrderBy(s => s.Id == uuid ? 0 : 1).ThenBy(s => s.Status == SerialStatus.Cancelled ? 1 : 0)
            .ThenBy(s => s.SerialNumber == term ? 0 : 1).ThenBy(s => s.CreatedAt)
            .Select(s => new
            {
                s.Id, s.SerialNumber, s.PartId, PartNumber = s.Part!.Number, PartName = s.Part.Name, s.WorkOrderId,
                WorkOrderNumber = s.WorkOrder != null ? s.WorkOrder.Number : null, s.BatchId, s.CurrentStepIndex, s.Status, s.Consumed,
                StepCode = steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Code).FirstOrDefault(),
                StepName = steps.Where(st => st.PathId == s.PathId && st.Sequence == s.CurrentStepIndex).Select(st => st.Name).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : new Found(new AssemblyUnit(row.Id, row.SerialNumber, row.PartId, row.PartNumber, row.PartName, row.WorkOrderId,
            row.WorkOrderNumber, row.BatchId, row.CurrentStepIndex, row.StepCode, row.StepName), row.Status, row.Consumed);
    }

    private static AssemblyAnswer? Unreadable(string? scan)
    {
        var code = (scan ?? "").Trim();
        if (code.Length == 0) return Refused("Nothing was scanned. Scan a serial number.");
        if (code.Length > 100 || code.Length > MaxScanLength || code.Any(char.IsControl))
        {
            return Refused($"Not a serial number: \"{SerialRules.Clip(new string(code.Where(c => !char.IsControl(c)).ToArray()))}\"");
        }
        return null;
    }

    private static AssemblyAnswer Unknown(string scan) =>
        Refused($"Unknown serial \"{SerialRules.Clip(scan.Trim())}\": no unit of your organization has this number.");

    private static AssemblyAnswer Refused(string message) => new(ScanKind.Rejected, "Rejected", message);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
