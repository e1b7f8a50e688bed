using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Reports;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Serialization;

/// <summary>
/// Reads the genealogy: a unit's lineage (ancestors and descendants to any depth, by recursive queries in the
/// database), the explorer's and the report's view of it (certificates and holds of every unit), propagation history
/// and statistics per part.
/// </summary>
public sealed class LineageService(IDbContextFactory<OperatorDb> factory, TimeProvider time)
{
    public const int AverageDepthSample = 1000;

    public async Task<Result<LineageDto>> GetLineageAsync(string? serialId, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        return await LineageAsync(db, serialId, ct);
    }

    /// <summary>The lineage with, for every unit in it, its work order, batch, certificates (by step) and active holds.</summary>
    public async Task<Result<LineageView>> GetViewAsync(string? serialId, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var lineage = await LineageAsync(db, serialId, ct);
        if (!lineage.IsSuccess) return lineage.Error!;
        var l = lineage.Value;
        var ids = l.Ancestors.Select(a => a.Id).Concat(l.Descendants.Select(d => d.Id)).Append(l.Serial.Id).Distinct().ToList();
        var linkIds = l.Ancestors.Select(a => a.LinkId).Concat(l.Descendants.Select(d => d.LinkId)).Concat(l.PropagationHistory.Select(h => h.Id)).Distinct().ToList();
        var stations = await db.Set<SerialLink>().AsNoTracking().Where(k => linkIds.Contains(k.Id) && k.StationName != null)
            .Select(k => new { k.Id, k.StationName }).ToDictionaryAsync(k => k.Id, k => k.StationName!, ct);
        return new LineageView(l, await FactsAsync(db, ids, ct), stations);
    }

    /// <summary>GET .../lineage/{serialId}/report.pdf: the printable lineage with its certificate roll-up.</summary>
    public async Task<Result<LineageReportFile>> GetReportAsync(string? serialId, CancellationToken ct = default)
    {
        var view = await GetViewAsync(serialId, ct);
        if (!view.IsSuccess) return view.Error!;
        await using var db = factory.CreateDbContext();
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == db.TenantId).Select(o => o.Name).SingleAsync(ct);
        var bytes = LineageReport.Render(view.Value, organization, time.GetUtcNow().UtcDateTime);
        return new LineageReportFile($"lineage-{FileSafe(view.Value.Lineage.Serial.SerialNumber)}.pdf", bytes);
    }

    /// <summary>
    /// Units whose number is the term (exactly, then ignoring case), else whose number starts with it; at most 20, for
    /// the explorer's search.
    /// </summary>
    public async Task<IReadOnlyList<SerialMatch>> FindAsync(string? term, CancellationToken ct = default)
    {
        var text = term?.Trim() ?? "";
        if (text.Length is 0 or > 100) return [];
        await using var db = factory.CreateDbContext();
        var upper = text.ToUpperInvariant();
        var query = db.Set<Serial>().AsNoTracking();
        var exact = await Project(query.Where(s => s.SerialNumber == text || s.SerialNumber == upper)).Take(20).ToListAsync(ct);
        if (exact.Count > 0) return exact;
        // Ordered and cut on the entity, before the projection: ordering by a member of the projected record cannot be
        // translated (EF saw "OrderBy(new SerialMatch(...).SerialNumber)" and threw, which ended the explorer's circuit).
        return await Project(query.Where(s => s.SerialNumber.StartsWith(text) || s.SerialNumber.StartsWith(upper))
            .OrderBy(s => s.SerialNumber).ThenBy(s => s.Id).Take(20)).ToListAsync(ct);

        static IQueryable<SerialMatch> Project(IQueryable<Serial> q) =>
            q.Select(s => new SerialMatch(s.Id, s.SerialNumber, s.Part!.Number, s.Part.Name, SerialStatus.Public(s.Status, s.Consumed), s.CreatedAt));
    }

    /// <summary>
    /// GET /propagation/history/{partId}: links whose source is a unit of the part, newest first, optionally of one
    /// operation code and/or propagation type; limit 1-500 (default 50), offset 0 or more.
    /// </summary>
    public async Task<Result<IReadOnlyList<PropagationRecordDto>>> GetHistoryAsync(string? partId, PropagationHistoryQuery query, CancellationToken ct = default)
    {
        var filter = CheckHistory(query);
        if (!filter.IsSuccess) return filter.Error!;
        await using var db = factory.CreateDbContext();
        var part = await FindPartAsync(db, partId, ct);
        if (!part.IsSuccess) return part.Error!;
        return await History(db, part.Value, filter.Value)
            .Skip(query.Offset ?? 0).Take(query.Limit ?? ListQuery.DefaultLimit)
            .ToListAsync(ct);
    }

    public static readonly ExportColumns<PropagationRecordDto> HistoryColumns = ExportColumns<PropagationRecordDto>.FromProperties();

    /// <summary>
    /// <c>GET /propagation/history/{partId}/export</c>: every propagation the history shows for the part and filters,
    /// newest first, streamed. Filters (paging too) and the part are checked as the list checks them before the file starts.
    /// </summary>
    public async Task<Result<CsvExport>> ExportHistoryAsync(string? partId, PropagationHistoryQuery query, CancellationToken ct = default)
    {
        var filter = CheckHistory(query);
        if (!filter.IsSuccess) return filter.Error!;
        Guid part;
        await using (var db = factory.CreateDbContext())
        {
            var found = await FindPartAsync(db, partId, ct);
            if (!found.IsSuccess) return found.Error!;
            part = found.Value;
        }
        return HistoryColumns.Export(ExportFiles.Name("propagation-history", time), ExportHistoryRows(part, filter.Value));
    }

    private async IAsyncEnumerable<PropagationRecordDto> ExportHistoryRows(Guid partId, (string? Type, string? Operation) filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        await foreach (var row in History(db, partId, filter).AsAsyncEnumerable().WithCancellation(ct)) yield return row;
    }

    /// <summary>The history's filters, checked: the link type and operation code to keep (null: any).</summary>
    private static Result<(string? Type, string? Operation)> CheckHistory(PropagationHistoryQuery query)
    {
        var checks = new Checks();
        var type = checks.OneOf(P("propagationType"), query.PropagationType, LinkTypes.All, required: false);
        var operation = checks.OptionalText(P("operationCode"), query.OperationCode, 40);
        Paging(checks, query.Limit, query.Offset);
        if (checks.Failed) return checks.ToError(PropagationService.InvalidInput);
        return (type, string.IsNullOrEmpty(operation) ? null : operation);
    }

    /// <summary>The part's propagations for the filters, newest first.</summary>
    private static IQueryable<PropagationRecordDto> History(OperatorDb db, Guid partId, (string? Type, string? Operation) filter)
    {
        var links = db.Set<SerialLink>().AsNoTracking().Where(l => l.PartId == partId);
        if (filter.Type is { } type) links = links.Where(l => l.Type == type);
        if (filter.Operation is { } operation) links = links.Where(l => l.OperationCode == operation);
        return links.OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Id)
            .Select(l => new PropagationRecordDto(l.Id, l.GroupId, l.SourceSerialId, l.TargetSerialId, l.OperationCode, l.RoutingSequence, l.Type,
                l.WorkCenterId, l.Quantity, l.CreatedAt, l.CreatedBy));
    }

    /// <summary>
    /// GET /propagation/statistics/{partId}: links whose source is a unit of the part, in total, by type (all four
    /// types, 0 included) and by operation code; <c>averageDepth</c> = the mean generation depth of the part's units
    /// that came out of a propagation (the longest chain of links back to a unit nothing went into: 1 for a unit split
    /// from a root unit), over the part's 1,000 most recent such units, two decimals; 0 when there are none.
    /// </summary>
    public async Task<Result<PropagationStatisticsDto>> GetStatisticsAsync(string? partId, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var part = await FindPartAsync(db, partId, ct);
        if (!part.IsSuccess) return part.Error!;
        var links = db.Set<SerialLink>().AsNoTracking().Where(l => l.PartId == part.Value);
        var byType = await links.GroupBy(l => l.Type).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var byOperation = await links.GroupBy(l => l.OperationCode).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var types = LinkTypes.All.ToDictionary(t => t, t => byType.Where(b => b.Key == t).Sum(b => b.Count));
        var operations = new SortedDictionary<string, long>(byOperation.ToDictionary(b => b.Key, b => b.Count), StringComparer.Ordinal);
        var depth = await LineageQueries.AverageDepthAsync(db, part.Value, db.TenantId!.Value, AverageDepthSample, ct);
        return new PropagationStatisticsDto(types.Values.Sum(), types, operations, Math.Round(depth, 2, MidpointRounding.AwayFromZero));
    }

    private async Task<Result<LineageDto>> LineageAsync(OperatorDb db, string? serialIdText, CancellationToken ct)
    {
        if (!Guid.TryParse(serialIdText, out var id)) return NotFound(serialIdText);
        var unit = await db.Set<Serial>().AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.Id, s.SerialNumber, s.PartId, PartNumber = s.Part!.Number, s.Status, s.Consumed, s.OrganizationId })
            .SingleOrDefaultAsync(ct);
        if (unit is null) return NotFound(serialIdText);

        // The two walks are independent reads: the descendants' runs at the same time on a second context (its own
        // connection; SQLite's readers do not block each other in WAL mode), so a unit's lineage costs the longer walk,
        // not both (SQLite, 2 x 500 relatives at 2 M serials: each walk 13-15 ms). Task.Run because SQLite's "async"
        // calls complete synchronously on the calling thread.
        await using var other = factory.CreateDbContext();
        var descendantsWalk = Task.Run(() => LineageQueries.WalkAsync(other, id, unit.OrganizationId, ancestors: false, ct), ct);
        var ancestors = await LineageQueries.WalkAsync(db, id, unit.OrganizationId, ancestors: true, ct);
        var descendants = await descendantsWalk;
        var history = await db.Set<SerialLink>().AsNoTracking()
            .Where(l => l.SourceSerialId == id || l.TargetSerialId == id)
            .OrderBy(l => l.CreatedAt).ThenBy(l => l.RoutingSequence).ThenBy(l => l.Id)
            .Select(l => new PropagationEventDto(l.Id, l.GroupId, l.SourceSerialId, l.TargetSerialId, l.OperationCode, l.RoutingSequence, l.Type,
                l.WorkCenterId, l.Quantity, l.CreatedAt))
            .ToListAsync(ct);
        return new LineageDto(
            new LineageSerialDto(unit.Id, unit.SerialNumber, unit.PartId, unit.PartNumber, SerialStatus.Public(unit.Status, unit.Consumed)),
            ancestors.Select(ToNode).ToList(), descendants.Select(ToNode).ToList(),
            history.Select(h => h with { PerformedAt = Utc(h.PerformedAt) }).ToList());
    }

    private static LineageNodeDto ToNode(LineageRow r) => new(
        r.SerialId, r.SerialNumber, r.PartId, r.PartNumber, SerialStatus.Public(r.Status, r.Consumed), r.Depth, r.ParentId, r.LinkId, r.LinkType,
        r.OperationCode, r.RoutingSequence, Utc(r.PerformedAt));

    /// <summary>Work order, batch, certificates and active holds of each unit: four set-based queries, whatever the tree's size.</summary>
    private static async Task<IReadOnlyDictionary<Guid, UnitFacts>> FactsAsync(OperatorDb db, List<Guid> ids, CancellationToken ct)
    {
        var units = await db.Set<Serial>().AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new
            {
                s.Id, s.Status, s.Consumed, s.WorkOrderId, WorkOrder = s.WorkOrder != null ? s.WorkOrder.Number : null, s.BatchId,
                Batch = s.Batch != null ? s.Batch.Number : null, s.SiteId, s.CreatedAt,
                Scrap = s.Status == SerialStatus.Scrapped
                    ? new UnitScrap(s.ScrapReasonCode, db.Set<ScrapReasonCode>().Where(c => c.Code == s.ScrapReasonCode).Select(c => c.Label).FirstOrDefault(), s.ScrapReason)
                    : null,
            })
            .ToListAsync(ct);

        var certificates = await (
                from a in db.Set<CertAttachment>().AsNoTracking()
                where ids.Contains(a.SerialId)
                join c in db.Set<Certificate>() on a.CertificateId equals c.Id
                join st in db.Set<ProcessStep>() on a.StepId equals st.Id into steps
                from st in steps.DefaultIfEmpty()
                select new { a.SerialId, Certificate = new UnitCertificate(c.Id, c.Number, c.Type, c.Issuer, st != null ? st.Name : "", a.AttachedAt) })
            .ToListAsync(ct);
        var certsBySerial = certificates.GroupBy(c => c.SerialId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<UnitCertificate>)g.Select(c => c.Certificate with { AttachedAt = Utc(c.Certificate.AttachedAt) })
                .OrderBy(c => c.AttachedAt).ThenBy(c => c.Number, StringComparer.Ordinal).ToList());

        // The rule of BlockingHolds.GetBlockingHoldsAsync (an active hold on the unit's work order or batch), for all units at once.
        var orders = units.Where(u => u.WorkOrderId != null).Select(u => u.WorkOrderId!.Value).Distinct().ToList();
        var batches = units.Where(u => u.BatchId != null).Select(u => u.BatchId!.Value).Distinct().ToList();
        var holds = orders.Count + batches.Count == 0
            ? []
            : await (
                    from i in db.Set<QualityHoldItem>().AsNoTracking()
                    where (i.ReferenceType == ReferenceTypes.WorkOrder && orders.Contains(i.ReferenceId)) ||
                          (i.ReferenceType == ReferenceTypes.Batch && batches.Contains(i.ReferenceId))
                    join h in db.Set<QualityHold>() on i.HoldId equals h.Id
                    where h.Status == HoldStatuses.Active
                    orderby h.PriorityRank descending, h.HeldAt
                    select new { i.ReferenceType, i.ReferenceId, Hold = new UnitHold(h.Id, h.HoldNumber, h.Priority, h.Reason, i.ReferenceType, i.ReferenceDisplay) })
                .ToListAsync(ct);

        return units.ToDictionary(u => u.Id, u => new UnitFacts(
            u.Id, u.WorkOrder, u.Batch, u.SiteId, Utc(u.CreatedAt), certsBySerial.GetValueOrDefault(u.Id) ?? [],
            holds.Where(h => (h.ReferenceType == ReferenceTypes.WorkOrder && h.ReferenceId == u.WorkOrderId) ||
                             (h.ReferenceType == ReferenceTypes.Batch && h.ReferenceId == u.BatchId))
                .Select(h => h.Hold).ToList(), u.Scrap, SerialStages.Of(u.Status, u.Consumed)));
    }

    internal static async Task<Result<Guid>> FindPartAsync(OperatorDb db, string? partId, CancellationToken ct)
    {
        if (Guid.TryParse(partId, out var id) && await db.Set<Part>().AnyAsync(p => p.Id == id, ct)) return id;
        return Error.NotFound("Resource not found", "Part", partId);
    }

    internal static void Paging(Checks checks, int? limit, int? offset)
    {
        checks.Range(P("limit"), limit, 1, ListQuery.MaxLimit);
        checks.Range(P("offset"), offset, 0, int.MaxValue);
    }

    private static Error NotFound(string? id) => Error.NotFound("Resource not found", "SerialNumber", id);

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private static string FileSafe(string text) =>
        new(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
}
