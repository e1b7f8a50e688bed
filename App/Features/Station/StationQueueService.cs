using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;

namespace Operator.Features.Station;

/// <summary>One unit (or placeholder) waiting at the station; a held unit lists the holds that stop it.</summary>
public sealed record StationQueueItem(
    Guid Id, string Kind, string Number, string PartNumber, string? WorkOrderNumber, string StepName, DateTime ArrivedAt, IReadOnlyList<string> HoldNumbers)
{
    public const string Unit = "serial";
    public const string Placeholder = "placeholder";
    public bool IsHeld => HoldNumbers.Count > 0;
    public bool IsPlaceholder => Kind == Placeholder;
}

/// <summary>The station's queue: the first <see cref="StationQueueService.Shown"/> units oldest first, how many wait in all, and the day's counts.</summary>
public sealed record StationQueueDto(
    IReadOnlyList<StationQueueItem> Units, int UnitsWaiting, IReadOnlyList<StationQueueItem> Placeholders, int PlaceholdersWaiting,
    int DoneToday, int DoneThisShift, StationShift Shift);

/// <summary>One of the day's three 8-hour shifts (06:00, 14:00, 22:00 local time), with its start as UTC.</summary>
public sealed record StationShift(string Name, DateTime StartUtc, DateTime DayStartUtc)
{
    public static readonly (string Name, int Hour)[] Starts = [("Early", 6), ("Late", 14), ("Night", 22)];

    /// <summary>The shift <paramref name="now"/> falls in, and the start of the local calendar day, in <paramref name="zone"/>.</summary>
    public static StationShift At(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = local.Date;
        // Before 06:00 the night shift that began at 22:00 yesterday is still on.
        var (name, start) = local.Hour switch
        {
            < 6 => ("Night", day.AddDays(-1).AddHours(22)),
            < 14 => ("Early", day.AddHours(6)),
            < 22 => ("Late", day.AddHours(14)),
            _ => ("Night", day.AddHours(22)),
        };
        return new StationShift(name, ToUtc(start, zone), ToUtc(day, zone));
    }

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
}

/// <summary>
/// What waits at a station and what it did today. A unit waits at a step while it is in progress there; it arrived when it
/// was last moved (a serial's UpdatedAt is written by creation and each advance, and by nothing else while it is in
/// progress). Every query is a range of an index: the serials' (organization, path, step, status, updated) index per
/// step, and the step events' (organization, step, event, at) index for the counts.
/// </summary>
public sealed class StationQueueService(IDbContextFactory<OperatorDb> factory, TimeProvider time)
{
    public const int Shown = 50;

    /// <summary>The units in progress at one step, oldest arrival first: the query the serials' station index serves.</summary>
    public static IQueryable<Serial> WaitingAt(OperatorDb db, StationStepDto step) =>
        db.Set<Serial>().AsNoTracking()
            .Where(s => s.PathId == step.PathId && s.CurrentStepIndex == step.Index && s.Status == SerialStatus.InProgress)
            .OrderBy(s => s.UpdatedAt).ThenBy(s => s.Id);

    /// <summary>The "left this step" events since <paramref name="since"/>: advanced from it or completed at it.</summary>
    public static IQueryable<SerialStepEvent> DoneAt(OperatorDb db, IReadOnlyList<Guid> stepIds, DateTime since) =>
        db.Set<SerialStepEvent>().AsNoTracking()
            .Where(e => e.StepId != null && stepIds.Contains(e.StepId.Value) && e.Event == StepEvents.Completed && e.At >= since);

    public async Task<StationQueueDto> GetAsync(StationProfileDto station, int limit = Shown, CancellationToken ct = default)
    {
        limit = Math.Clamp(limit, 1, Shown);
        await using var db = factory.CreateDbContext();
        var waiting = 0;
        var rows = new List<(Guid Id, string Number, Guid PartId, Guid? WorkOrderId, Guid? BatchId, DateTime At, string StepName)>();
        foreach (var step in station.Steps)
        {
            var at = WaitingAt(db, step);
            waiting += await at.CountAsync(ct);
            var top = await at.Take(limit).Select(s => new { s.Id, s.SerialNumber, s.PartId, s.WorkOrderId, s.BatchId, s.UpdatedAt }).ToListAsync(ct);
            rows.AddRange(top.Select(s => (s.Id, s.SerialNumber, s.PartId, s.WorkOrderId, s.BatchId, s.UpdatedAt, step.Name)));
        }
        rows = rows.OrderBy(r => r.At).ThenBy(r => r.Id).Take(limit).ToList();

        var partIds = rows.Select(r => r.PartId).Distinct().ToList();
        var orderIds = rows.Where(r => r.WorkOrderId is not null).Select(r => r.WorkOrderId!.Value).Distinct().ToList();
        var parts = await db.Set<Part>().AsNoTracking().Where(p => partIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Number, ct);
        var orders = await db.Set<WorkOrder>().AsNoTracking().Where(w => orderIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Number, ct);
        var holds = await HoldsAsync(db, rows.Select(r => r.Id).ToList(), orderIds,
            rows.Where(r => r.BatchId is not null).Select(r => r.BatchId!.Value).Distinct().ToList(), ct);

        var units = rows.Select(r => new StationQueueItem(r.Id, StationQueueItem.Unit, r.Number, parts.GetValueOrDefault(r.PartId, ""),
            r.WorkOrderId is { } w ? orders.GetValueOrDefault(w) : null, r.StepName, r.At,
            HoldsOf(holds, r.Id, r.WorkOrderId, r.BatchId))).ToList();

        var (placeholders, placeholdersWaiting) = station.Allows(StationActions.AssignPlaceholders)
            ? await PlaceholdersAsync(db, station, limit, ct)
            : ([], 0);

        var now = time.GetUtcNow();
        var shift = StationShift.At(now, time.LocalTimeZone);
        var stepIds = station.Steps.Select(s => s.StepId).ToList();
        var today = stepIds.Count == 0 ? 0 : await DoneAt(db, stepIds, shift.DayStartUtc).CountAsync(ct);
        var thisShift = stepIds.Count == 0 ? 0 : await DoneAt(db, stepIds, shift.StartUtc).CountAsync(ct);
        return new StationQueueDto(units, waiting, placeholders, placeholdersWaiting, today, thisShift, shift);
    }

    private static async Task<(IReadOnlyList<StationQueueItem>, int)> PlaceholdersAsync(OperatorDb db, StationProfileDto station, int limit, CancellationToken ct)
    {
        var codes = station.StepCodes.ToList();
        var pending = db.Set<Placeholder>().AsNoTracking().Where(p => p.Status == PlaceholderStatus.Pending && p.OperationCode != null && codes.Contains(p.OperationCode));
        if (station.PathId is { } path)
        {
            var onPath = db.Set<WorkOrder>().Where(w => w.PathId == path).Select(w => (Guid?)w.Id);
            pending = pending.Where(p => p.WorkOrderId == null || onPath.Contains(p.WorkOrderId));
        }
        var total = await pending.CountAsync(ct);
        var page = await pending.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Take(limit).Select(p => new
        {
            p.Id, p.CreatedAt, p.OperationCode, p.Quantity,
            WorkOrderNumber = db.Set<WorkOrder>().Where(w => w.Id == p.WorkOrderId).Select(w => w.Number).FirstOrDefault(),
            PartNumber = db.Set<Part>().Where(x => x.Id == p.PartId).Select(x => x.Number).FirstOrDefault(),
        }).ToListAsync(ct);
        var stepName = (string? code) => station.Steps.FirstOrDefault(s => s.Code == code)?.Name ?? code ?? "";
        return (page.Select(p => new StationQueueItem(p.Id, StationQueueItem.Placeholder, p.Quantity > 1 ? $"Placeholder × {p.Quantity}" : "Placeholder",
            p.PartNumber ?? "", p.WorkOrderNumber, stepName(p.OperationCode), p.CreatedAt, [])).ToList(), total);
    }

    private static async Task<List<(string Type, Guid Ref, string Number)>> HoldsAsync(OperatorDb db, List<Guid> serials, List<Guid> orders, List<Guid> batches, CancellationToken ct)
    {
        if (serials.Count == 0) return [];
        var rows = await db.Set<QualityHoldItem>().AsNoTracking()
            .Where(i => (i.ReferenceType == ReferenceTypes.Serial && serials.Contains(i.ReferenceId)) ||
                        (i.ReferenceType == ReferenceTypes.WorkOrder && orders.Contains(i.ReferenceId)) ||
                        (i.ReferenceType == ReferenceTypes.Batch && batches.Contains(i.ReferenceId)))
            .Join(db.Set<QualityHold>().Where(h => h.Status == HoldStatuses.Active), i => i.HoldId, h => h.Id, (i, h) => new { i.ReferenceType, i.ReferenceId, h.HoldNumber })
            .ToListAsync(ct);
        return rows.Select(r => (r.ReferenceType, r.ReferenceId, r.HoldNumber)).ToList();
    }

    private static IReadOnlyList<string> HoldsOf(List<(string Type, Guid Ref, string Number)> holds, Guid serial, Guid? order, Guid? batch) =>
        holds.Where(h => (h.Type == ReferenceTypes.Serial && h.Ref == serial) || (h.Type == ReferenceTypes.WorkOrder && h.Ref == order) || (h.Type == ReferenceTypes.Batch && h.Ref == batch))
            .Select(h => h.Number).Distinct().OrderBy(n => n).ToList();
}
