using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Data;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Serialization;

/// <summary>
/// Records the genealogy (spec section 4): pass-through, split, merge and transformation. Each call is one transaction
/// holding all its links (one GroupId), the consumed flags of merged or transformed sources and one audit entry; any
/// refusal writes nothing. Order of checks: the body (400 VALIDATION_ERROR), the units (404 NOT_FOUND, units of
/// another organization included), their state, their quality holds (split, merge, transformation) and the cycle rule (409 CONFLICT).
/// </summary>
public sealed class PropagationService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time)
{
    public const string InvalidInput = "Invalid input data";
    public const int MaxUnitsPerCall = 500;
    public const string Recorded = "RECORDED";

    public async Task<Result<PassThroughResponse>> PassThroughAsync(PassThroughRequest? request, CancellationToken ct = default)
    {
        if (request is null) return Error.Validation(InvalidInput, new FieldIssue([], "A JSON request body is required"));
        var checks = new Checks();
        var source = RequiredId(checks, "sourceSerialId", request.SourceSerialId);
        var common = Common(checks, request.OperationCode, request.RoutingSequence, request.WorkCenterId, request.Quantity);
        if (checks.Failed) return checks.ToError(InvalidInput);

        return await WriteAsync([source!], [], LinkTypes.PassThrough, common, null, ct).ContinueWithResult(written =>
        {
            var link = written.Links.Single();
            return new PassThroughResponse(link.Id, link.SourceSerialId, link.Type, link.OperationCode, link.RoutingSequence, link.WorkCenterId,
                link.Quantity, Recorded, link.CreatedAt, link.CreatedBy);
        });
    }

    public Task<Result<IReadOnlyList<SplitLinkResponse>>> SplitAsync(SplitRequest? request, CancellationToken ct = default) =>
        SplitAsync(request, null, ct);

    /// <summary>The split as <see cref="SplitAsync(SplitRequest?, CancellationToken)"/>, recorded as done at <paramref name="stationName"/> (null: the API).</summary>
    public async Task<Result<IReadOnlyList<SplitLinkResponse>>> SplitAsync(SplitRequest? request, string? stationName, CancellationToken ct = default)
    {
        if (request is null) return Error.Validation(InvalidInput, new FieldIssue([], "A JSON request body is required"));
        var checks = new Checks();
        var source = RequiredId(checks, "sourceSerialId", request.SourceSerialId);
        var targets = IdList(checks, "targetSerialIds", request.TargetSerialIds);
        var common = Common(checks, request.OperationCode, request.RoutingSequence, request.WorkCenterId, request.Quantity);
        SourceIsNotTarget(checks, source is null ? [] : [source], targets, "targetSerialIds");
        if (checks.Failed) return checks.ToError(InvalidInput);

        return await WriteAsync([source!], targets, LinkTypes.Split, common, StationOf(stationName), ct).ContinueWithResult(written =>
            (IReadOnlyList<SplitLinkResponse>)written.Links.Select(l => new SplitLinkResponse(
                l.Id, l.GroupId, l.SourceSerialId, l.TargetSerialId!.Value, l.Type, l.OperationCode, l.RoutingSequence, l.Quantity)).ToList());
    }

    public Task<Result<MergeResponse>> MergeAsync(MergeRequest? request, CancellationToken ct = default) => MergeAsync(request, null, ct);

    /// <summary>The merge as <see cref="MergeAsync(MergeRequest?, CancellationToken)"/>, recorded as done at <paramref name="stationName"/> (null: the API).</summary>
    public Task<Result<MergeResponse>> MergeAsync(MergeRequest? request, string? stationName, CancellationToken ct = default) =>
        request is null
            ? Task.FromResult<Result<MergeResponse>>(Error.Validation(InvalidInput, new FieldIssue([], "A JSON request body is required")))
            : ManyToOneAsync(LinkTypes.Merge, request.SourceSerialIds, null, request.TargetSerialId, request.OperationCode, request.RoutingSequence,
                request.WorkCenterId, request.Quantity, stationName, ct);

    public Task<Result<MergeResponse>> TransformAsync(TransformationRequest? request, CancellationToken ct = default) => TransformAsync(request, null, ct);

    /// <summary>The transformation as <see cref="TransformAsync(TransformationRequest?, CancellationToken)"/>, recorded at <paramref name="stationName"/> (null: the API).</summary>
    public Task<Result<MergeResponse>> TransformAsync(TransformationRequest? request, string? stationName, CancellationToken ct = default) =>
        request is null
            ? Task.FromResult<Result<MergeResponse>>(Error.Validation(InvalidInput, new FieldIssue([], "A JSON request body is required")))
            : ManyToOneAsync(LinkTypes.Transformation, request.SourceSerialIds, request.SourceSerialId, request.TargetSerialId, request.OperationCode,
                request.RoutingSequence, request.WorkCenterId, request.Quantity, stationName, ct);

    private async Task<Result<MergeResponse>> ManyToOneAsync(string type, List<string?>? sourceList, string? singleSource, string? targetText,
        string? operationCode, int? routingSequence, string? workCenterId, double? quantity, string? stationName, CancellationToken ct)
    {
        var checks = new Checks();
        List<string> sources;
        if (type == LinkTypes.Transformation && singleSource is not null)
        {
            if (sourceList is not null)
            {
                checks.Add(P("sourceSerialId"), "Give sourceSerialId or sourceSerialIds, not both");
                sources = [];
            }
            else
            {
                sources = RequiredId(checks, "sourceSerialId", singleSource) is { } one ? [one] : [];
            }
        }
        else
        {
            sources = IdList(checks, "sourceSerialIds", sourceList);
        }
        var target = RequiredId(checks, "targetSerialId", targetText);
        var common = Common(checks, operationCode, routingSequence, workCenterId, quantity);
        if (target is not null)
        {
            for (var i = 0; i < sources.Count; i++)
            {
                if (SameId(sources[i], target))
                {
                    checks.Add(P(sourceList is null ? "sourceSerialId" : "sourceSerialIds", i), "A serial cannot be propagated into itself: source and target are the same");
                }
            }
        }
        if (checks.Failed) return checks.ToError(InvalidInput);

        return await WriteAsync(sources, [target!], type, common, StationOf(stationName), ct).ContinueWithResult(written => new MergeResponse(
            written.GroupId, written.Links.Select(l => l.SourceSerialId).ToList(), written.Links[0].TargetSerialId!.Value, type,
            written.Links[0].OperationCode, written.Links[0].RoutingSequence, written.Links.Sum(l => l.Quantity), written.Links.Select(l => l.Id).ToList(),
            written.Links[0].CreatedAt, written.Links[0].CreatedBy));
    }

    private sealed record CommonFields(string OperationCode, int RoutingSequence, string? WorkCenterId, double Quantity);

    private sealed record Written(Guid GroupId, IReadOnlyList<SerialLink> Links);

    /// <summary>
    /// Writes the links from every source to every target (targets empty: a pass-through, one link without target),
    /// all in one transaction after every check passed.
    /// </summary>
    private async Task<Result<Written>> WriteAsync(IReadOnlyList<string> sourceTexts, IReadOnlyList<string> targetTexts, string type, CommonFields common,
        string? stationName, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var org = db.TenantId ?? throw new InvalidOperationException("Propagation needs an organization.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One genealogy writer at a time per organization (a row lock on PostgreSQL, SQLite's write lock already), so two
        // concurrent calls cannot each pass the cycle check and together close a cycle.
        await db.NextAsync(org, "genealogy", 1, ct);

        var sources = await FindAsync(db, sourceTexts, ct);
        if (!sources.IsSuccess) return sources.Error!;
        var targets = await FindAsync(db, targetTexts, ct);
        if (!targets.IsSuccess) return targets.Error!;

        foreach (var unit in sources.Value.Concat(targets.Value))
        {
            if (Unavailable(unit) is { } why)
            {
                return Error.Conflict($"Serial {unit.SerialNumber} is {why} and cannot take part in a propagation");
            }
        }

        if (type != LinkTypes.PassThrough && await HeldAsync(db, type, sources.Value.Concat(targets.Value).ToList(), ct) is { } held) return held;

        if (targets.Value.Count > 0)
        {
            // A new link source → target closes a cycle exactly when the target already is the source or one of its ancestors.
            var ancestors = (await LineageQueries.ReachableAsync(db, sources.Value.Select(s => s.Id).ToList(), ancestors: true, ct)).ToHashSet();
            if (targets.Value.FirstOrDefault(t => ancestors.Contains(t.Id)) is { } looping)
            {
                return Error.Conflict($"Serial {looping.SerialNumber} is already an ancestor of the source: the link would make a serial its own ancestor");
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var groupId = Guid.NewGuid();
        var user = db.Caller.UserId;
        var links = new List<SerialLink>();
        foreach (var source in sources.Value)
        {
            if (targets.Value.Count == 0)
            {
                links.Add(NewLink(source, null));
            }
            foreach (var target in targets.Value)
            {
                links.Add(NewLink(source, target));
            }
        }
        if (type == LinkTypes.PassThrough)
        {
            // A single link: the operation is the link, so both ids are the same.
            links[0].Id = groupId;
        }
        db.AddRange(links);

        var consumed = new List<Guid>();
        if (type is LinkTypes.Merge or LinkTypes.Transformation)
        {
            foreach (var source in sources.Value)
            {
                source.Consumed = true;
                source.UpdatedAt = now;
                consumed.Add(source.Id);
            }
        }

        await audit.AppendAsync(db, AuditAction(type), "SerialLinkGroup", groupId.ToString(), after: new
        {
            type,
            sources = sources.Value.Select(s => new { s.Id, s.SerialNumber }),
            targets = targets.Value.Select(t => new { t.Id, t.SerialNumber }),
            common.OperationCode,
            common.RoutingSequence,
            common.WorkCenterId,
            common.Quantity,
            links = links.Select(l => l.Id),
            consumed,
        }, ct: ct);
        await RecordOnUnitsAsync(db, type, groupId, sources.Value, targets.Value, common, now, user, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Written(groupId, links);

        SerialLink NewLink(Serial source, Serial? target) => new()
        {
            Id = Guid.NewGuid(),
            OrganizationId = org,
            GroupId = groupId,
            SourceSerialId = source.Id,
            TargetSerialId = target?.Id,
            Type = type,
            OperationCode = common.OperationCode,
            RoutingSequence = common.RoutingSequence,
            WorkCenterId = common.WorkCenterId,
            Quantity = common.Quantity,
            // History and statistics per part are about what happened to the part's units: the source's part.
            PartId = source.PartId,
            CreatedBy = user,
            CreatedAt = now,
            StationName = stationName,
        };
    }

    /// <summary>
    /// The operation also belongs to the history of every unit it touched (source and target): a step event and an
    /// audit entry on each, naming the units on the other side, so a unit's own page tells where it came from and went.
    /// </summary>
    private async Task RecordOnUnitsAsync(OperatorDb db, string type, Guid groupId, IReadOnlyList<Serial> sources, IReadOnlyList<Serial> targets,
        CommonFields common, DateTime now, Guid? user, CancellationToken ct)
    {
        var touched = sources.Select(u => (Unit: u, Role: "source", Others: targets))
            .Concat(targets.Select(u => (Unit: u, Role: "target", Others: sources))).ToList();
        var pathIds = touched.Select(x => x.Unit.PathId).OfType<Guid>().Distinct().ToList();
        var steps = await db.Set<ProcessStep>().AsNoTracking().Where(s => pathIds.Contains(s.PathId))
            .Select(s => new { s.Id, s.PathId, s.Sequence, s.Name }).ToListAsync(ct);
        foreach (var (unit, role, others) in touched)
        {
            var step = steps.FirstOrDefault(s => s.PathId == unit.PathId && s.Sequence == unit.CurrentStepIndex);
            var note = Cut(GenealogyNote(type, role, others.Select(o => o.SerialNumber).ToList(), common.OperationCode), 500);
            db.Add(new SerialStepEvent
            {
                OrganizationId = unit.OrganizationId, SerialId = unit.Id, StepId = step?.Id, StepIndex = unit.CurrentStepIndex,
                StepName = Cut(step?.Name ?? common.OperationCode, 200), Event = GenealogyEvent(type), UserId = user, At = now, Note = note,
            });
            await audit.AppendAsync(db, SerialAudit.Genealogy, SerialAudit.SerialEntity, unit.Id.ToString(), after: new
            {
                type, role, groupId, common.OperationCode, common.RoutingSequence,
                counterparts = others.Select(o => new { o.Id, o.SerialNumber }), note,
            }, ct: ct);
        }
    }

    public static string GenealogyEvent(string type) => type switch
    {
        LinkTypes.PassThrough => StepEvents.PassThrough,
        LinkTypes.Split => StepEvents.Split,
        LinkTypes.Merge => StepEvents.Merge,
        _ => StepEvents.Transformation,
    };

    /// <summary>What the unit's history says, from the unit's side: "Split into SN-2, SN-3 at OP-10", "Merged from SN-1 at OP-20".</summary>
    public static string GenealogyNote(string type, string role, IReadOnlyList<string> others, string operationCode)
    {
        var names = string.Join(", ", others.Order(StringComparer.Ordinal));
        var direction = role == "source" ? "into" : "from";
        return type switch
        {
            LinkTypes.PassThrough => $"Passed through {operationCode}",
            LinkTypes.Split => $"Split {direction} {names} at {operationCode}",
            LinkTypes.Merge => $"Merged {direction} {names} at {operationCode}",
            _ => $"Transformed {direction} {names} at {operationCode}",
        };
    }

    /// <summary>A station's name as stored: trimmed, cut to the column, none when blank.</summary>
    private static string? StationOf(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : Cut(name.Trim(), SerialLink.StationNameMax);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static string AuditAction(string type) => type switch
    {
        LinkTypes.PassThrough => "serial_passed_through",
        LinkTypes.Split => "serial_split",
        LinkTypes.Merge => "serial_merged",
        _ => "serial_transformed",
    };

    /// <summary>
    /// A split, merge or transformation never takes a held unit (an active hold naming it, its work order or its batch)
    /// as source or target: 409 naming the holds, in the words of a held unit's refused move. The units are locked for
    /// update and their work orders and batches shared before the holds are read, as a move does, so a hold created
    /// meanwhile (which locks them for update) commits either before this read or after this write.
    /// </summary>
    private static async Task<Error?> HeldAsync(OperatorDb db, string type, IReadOnlyList<Serial> units, CancellationToken ct)
    {
        await db.LockAsync<Serial>(units.Select(u => u.Id).ToList(), RowLock.Update, ct);
        await db.LockAsync<WorkOrder>(units.Select(u => u.WorkOrderId).OfType<Guid>().Distinct().ToList(), RowLock.Share, ct);
        await db.LockAsync<Batch>(units.Select(u => u.BatchId).OfType<Guid>().Distinct().ToList(), RowLock.Share, ct);
        var verb = type switch
        {
            LinkTypes.Split => "take part in a split",
            LinkTypes.Merge => "take part in a merge",
            _ => "take part in a transformation",
        };
        foreach (var unit in units)
        {
            var blocking = await BlockingHolds.GetBlockingHoldsAsync(db, unit.Id, unit.WorkOrderId, unit.BatchId, ct);
            if (blocking.Count > 0) return BlockingHolds.Refusal(unit.SerialNumber, verb, blocking);
        }
        return null;
    }

    /// <summary>Why a unit can no longer be propagated: it was consumed into another, scrapped or cancelled.</summary>
    private static string? Unavailable(Serial unit) => unit.Status switch
    {
        SerialStatus.Scrapped => "scrapped",
        SerialStatus.Cancelled => "cancelled",
        _ when unit.Consumed => "used (consumed into another unit)",
        _ => null,
    };

    /// <summary>The units named, in request order, tracked for update; the first id that is no unit of the caller's organization is a 404.</summary>
    private static async Task<Result<List<Serial>>> FindAsync(OperatorDb db, IReadOnlyList<string> texts, CancellationToken ct)
    {
        if (texts.Count == 0) return new List<Serial>();
        var ids = texts.Select(t => Guid.TryParse(t, out var id) ? id : Guid.Empty).ToList();
        var wanted = ids.Where(id => id != Guid.Empty).Distinct().ToList();
        var found = await db.Set<Serial>().Where(s => wanted.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var units = new List<Serial>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!found.TryGetValue(ids[i], out var unit))
            {
                return Error.NotFound("Resource not found", "SerialNumber", texts[i]);
            }
            units.Add(unit);
        }
        return units;
    }

    private static CommonFields Common(Checks checks, string? operationCode, int? routingSequence, string? workCenterId, double? quantity)
    {
        var code = checks.Text(P("operationCode"), operationCode, 1, 40);
        var sequence = checks.Range(P("routingSequence"), routingSequence, 0, 1_000_000, required: true);
        var center = checks.OptionalText(P("workCenterId"), workCenterId, 50);
        var amount = checks.Positive(P("quantity"), quantity);
        if (quantity is { } q && (double.IsNaN(q) || double.IsInfinity(q) || q > 1_000_000_000))
        {
            checks.Add(P("quantity"), "Number must be less than or equal to 1000000000", "too_big");
        }
        return new CommonFields(code ?? "", sequence ?? 0, string.IsNullOrEmpty(center) ? null : center, amount ?? 1);
    }

    private static string? RequiredId(Checks checks, string field, string? value)
    {
        var text = checks.Text(P(field), value, 1, 100);
        return text;
    }

    /// <summary>A non-empty list of serial ids, each given once (compared as ids, so letter case does not hide a repeat).</summary>
    private static List<string> IdList(Checks checks, string field, List<string?>? values)
    {
        if (values is null)
        {
            checks.Add(new FieldIssue(P(field), "Required", "invalid_type"));
            return [];
        }
        if (values.Count == 0)
        {
            checks.Add(new FieldIssue(P(field), "At least one serial is required", "too_small"));
            return [];
        }
        if (values.Count > MaxUnitsPerCall)
        {
            checks.Add(new FieldIssue(P(field), $"At most {MaxUnitsPerCall} serials per call", "too_big"));
            return [];
        }
        var list = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < values.Count; i++)
        {
            var text = checks.Text(P(field, i), values[i], 1, 100);
            if (text is null) continue;
            var key = Guid.TryParse(text, out var id) ? id.ToString() : text;
            if (!seen.Add(key))
            {
                checks.Add(P(field, i), $"Serial {text} is listed more than once");
                continue;
            }
            list.Add(text);
        }
        return list;
    }

    private static void SourceIsNotTarget(Checks checks, IReadOnlyList<string> sources, IReadOnlyList<string> targets, string targetField)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            if (sources.Any(s => SameId(s, targets[i])))
            {
                checks.Add(P(targetField, i), "A serial cannot be propagated into itself: source and target are the same");
            }
        }
    }

    private static bool SameId(string a, string b) =>
        Guid.TryParse(a, out var x) && Guid.TryParse(b, out var y) ? x == y : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

internal static class ResultTasks
{
    public static async Task<Result<TOut>> ContinueWithResult<TIn, TOut>(this Task<Result<TIn>> task, Func<TIn, TOut> map)
    {
        var result = await task;
        return result.IsSuccess ? map(result.Value) : result.Error!;
    }
}
