using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Reports;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Signatures;
using Operator.Infrastructure.Tenancy;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Serialization;

/// <summary>
/// Serial number uniqueness (spec section 5): check, register, resolve conflicts (RETIRE cancels a unit, KEEP_BOTH
/// accepts the duplicate, MARK_INVALID cancels every claimant), the report per number, pending conflicts and statistics. The rules are in
/// <see cref="UniquenessRules"/>; numbers are compared exactly after trimming. Registering and resolving take the
/// organization's uniqueness lock, so concurrent registrations of one number give one winner and one conflict.
/// </summary>
public sealed class UniquenessService(IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser user, SignatureService signatures)
{
    public const string InvalidInput = PropagationService.InvalidInput;

    public bool CanResolve => Policies.Allows(Policies.QualityManage, user.Role);

    public async Task<Result<UniquenessCheckResponse>> CheckAsync(UniquenessCheckRequest? request, CancellationToken ct = default)
    {
        if (request is null) return Error.Validation(InvalidInput, new FieldIssue([], "A JSON request body is required"));
        var checks = new Checks();
        var number = checks.Text(P("serialNumber"), request.SerialNumber, 1, 100);
        var partText = checks.Text(P("partId"), request.PartId, 1, 100);
        var scopes = Scopes(checks, request.Scope, new ScopeSet(true, true, true));
        var site = Site(checks, request.SiteId);
        if (checks.Failed) return checks.ToError(InvalidInput);

        await using var db = factory.CreateDbContext();
        var part = await LineageService.FindPartAsync(db, partText, ct);
        if (!part.IsSuccess) return part.Error!;
        var claims = await UniquenessRules.LoadClaimsAsync(db, number!, ct);
        var collisions = UniquenessRules.Collisions(claims, part.Value, site, scopes, [], []);
        return new UniquenessCheckResponse(collisions.Count > 0, collisions.Select(c => c.With.Id).ToList(),
            UniquenessRules.Union(collisions).Names(), UniquenessRules.ConflictType(collisions));
    }

    /// <summary>
    /// Records that the number must be unique in the given scopes. The registration belongs to the unit named by
    /// <c>serialId</c>, or else to the one live unit of the part carrying the number; with none (or several), the
    /// number is registered on its own and holds it like a unit would. Registering the same unit again updates its
    /// registration. A collision marks the registration <c>hasConflict</c> and opens (or extends) the number's pending
    /// conflict for the part, for QA to resolve.
    /// </summary>
    public async Task<Result<UniquenessRegisterResponse>> RegisterAsync(UniquenessRegisterRequest? request, CancellationToken ct = default)
    {
        if (request is null) return Error.Validation(InvalidInput, new FieldIssue([], "A JSON request body is required"));
        var checks = new Checks();
        var number = checks.Text(P("serialNumber"), request.SerialNumber, 1, 100);
        var partText = checks.Text(P("partId"), request.PartId, 1, 100);
        var scopes = Scopes(checks, request.Scope, new ScopeSet(true, false, true));
        var site = Site(checks, request.SiteId);
        var serialText = checks.OptionalText(P("serialId"), request.SerialId, 100);
        if (checks.Failed) return checks.ToError(InvalidInput);

        await using var db = factory.CreateDbContext();
        var org = db.TenantId!.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await UniquenessRules.LockAsync(db, org, ct);

        var part = await LineageService.FindPartAsync(db, partText, ct);
        if (!part.IsSuccess) return part.Error!;
        Serial? unit = null;
        if (!string.IsNullOrEmpty(serialText))
        {
            unit = Guid.TryParse(serialText, out var sid) ? await db.Set<Serial>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == sid, ct) : null;
            if (unit is null) return Error.NotFound("Resource not found", "SerialNumber", serialText);
            if (unit.SerialNumber != number || unit.PartId != part.Value)
            {
                return Error.Validation(InvalidInput, new FieldIssue(P("serialId"), $"Serial {unit.SerialNumber} is not number {number} of this part"));
            }
            if (unit.Status == SerialStatus.Cancelled)
            {
                return Error.Conflict($"Serial {unit.SerialNumber} is cancelled; a cancelled unit holds no number");
            }
        }
        else
        {
            var carriers = await db.Set<Serial>().AsNoTracking()
                .Where(s => s.SerialNumber == number && s.PartId == part.Value && s.Status != SerialStatus.Cancelled).Take(2).ToListAsync(ct);
            unit = carriers.Count == 1 ? carriers[0] : null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var registration = unit is null
            ? null
            : await db.Set<UniquenessRegistration>().Where(r => r.SerialId == unit.Id).OrderBy(r => r.RegisteredAt).FirstOrDefaultAsync(ct);
        var before = registration is null ? null : Snapshot(registration);
        if (registration is null)
        {
            registration = new UniquenessRegistration { Id = Guid.NewGuid(), OrganizationId = org, SerialNumber = number!, PartId = part.Value, SerialId = unit?.Id, RegisteredAt = now };
            db.Add(registration);
        }
        registration.SiteId = site ?? unit?.SiteId ?? registration.SiteId;
        registration.SiteLevel = scopes.Site;
        registration.EnterpriseLevel = scopes.Enterprise;
        registration.PartTypeLevel = scopes.PartType;

        var claims = await UniquenessRules.LoadClaimsAsync(db, number!, ct);
        var selfId = unit?.Id ?? registration.Id;
        var accepted = await UniquenessRules.AcceptedTogetherAsync(db, number!, ct);
        var collisions = UniquenessRules.Collisions(claims, part.Value, registration.SiteId, scopes, [selfId], accepted);
        registration.HasConflict = collisions.Count > 0;

        UniquenessConflict? conflict = null;
        if (collisions.Count > 0)
        {
            conflict = await OpenConflictAsync(db, number!, part.Value, [selfId, .. collisions.Select(c => c.With.Id)], UniquenessRules.Union(collisions), now, ct);
            var others = collisions.SelectMany(c => c.With.RegistrationIds).ToList();
            await db.Set<UniquenessRegistration>().Where(r => others.Contains(r.Id)).ForEachAsync(r => r.HasConflict = true, ct);
        }

        await audit.AppendAsync(db, "uniqueness_registered", "UniquenessRegistration", registration.Id.ToString(), before, Snapshot(registration), ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new UniquenessRegisterResponse(registration.SerialNumber, registration.PartId, registration.SiteLevel, registration.EnterpriseLevel,
            registration.PartTypeLevel, registration.HasConflict, registration.Id, registration.SerialId, registration.SiteId,
            collisions.Select(c => c.With.Id).ToList(), UniquenessRules.Union(collisions).Names(), conflict?.Id);
    }

    /// <summary>
    /// Resolves the number's pending conflict for the part (QA_MANAGER, ADMIN). RETIRE: <c>retiredSerialId</c> must be
    /// one of the conflicting claimants; a unit is cancelled (status cancelled, cancel reason "Retired duplicate serial
    /// number: ..."), a number registered without a unit is withdrawn. KEEP_BOTH: nothing is cancelled and the claimants
    /// no longer conflict with each other. MARK_INVALID: every claimant is cancelled (reason "Invalid duplicate serial
    /// number") or withdrawn, so nobody keeps the number. The conflict is then resolved; if claimants that still collide remain (three
    /// or more units), a new pending conflict lists them and the answer says <c>hasConflict: true</c>.
    /// </summary>
    public async Task<Result<ResolveConflictResponse>> ResolveAsync(ResolveConflictRequest? request, CancellationToken ct = default)
    {
        if (request is null) return Error.Validation(InvalidInput, new FieldIssue([], "A JSON request body is required"));
        var checks = new Checks();
        var number = checks.Text(P("serialNumber"), request.SerialNumber, 1, 100);
        var partText = checks.Text(P("partId"), request.PartId, 1, 100);
        var resolution = checks.OneOf(P("conflictResolution"), request.ConflictResolution, ConflictResolutions.All);
        var reason = checks.Text(P("resolutionReason"), request.ResolutionReason, 1, 500);
        Guid? retired = null;
        if (resolution == ConflictResolutions.Retire)
        {
            var text = checks.Text(P("retiredSerialId"), request.RetiredSerialId, 1, 100);
            if (text is not null)
            {
                if (Guid.TryParse(text, out var id)) retired = id;
                else checks.Add(P("retiredSerialId"), "retiredSerialId must be the id of one of the conflicting serials");
            }
        }
        else if (resolution == ConflictResolutions.KeepBoth && !string.IsNullOrEmpty(request.RetiredSerialId))
        {
            checks.Add(P("retiredSerialId"), "KEEP_BOTH retires nothing: leave retiredSerialId out");
        }
        else if (resolution == ConflictResolutions.MarkInvalid && !string.IsNullOrEmpty(request.RetiredSerialId))
        {
            checks.Add(P("retiredSerialId"), "MARK_INVALID cancels every claimant: leave retiredSerialId out");
        }
        if (checks.Failed) return checks.ToError(InvalidInput);
        // A signed decision: the password is checked before the transaction (a failed access is written beside it).
        var signer = await signatures.AuthenticateAsync(request.Signature, rejection: false, InvalidInput, ct);
        if (!signer.IsSuccess) return signer.Error!;

        await using var db = factory.CreateDbContext();
        var org = db.TenantId!.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await UniquenessRules.LockAsync(db, org, ct);
        var part = await LineageService.FindPartAsync(db, partText, ct);
        if (!part.IsSuccess) return part.Error!;
        var conflict = await db.Set<UniquenessConflict>()
            .Where(c => c.SerialNumber == number && c.PartId == part.Value && c.Status == ConflictStatus.Pending)
            .OrderBy(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        if (conflict is null) return Error.NotFound("Resource not found", "UniquenessConflict", number);

        var ids = UniquenessRules.ParseIds(conflict.ConflictingSerialIds).ToList();
        if (retired is { } r && !ids.Contains(r))
        {
            return Error.Validation(InvalidInput, new FieldIssue(P("retiredSerialId"), "retiredSerialId must be the id of one of the conflicting serials"));
        }

        var now = ElectronicSignature.Truncate(time.GetUtcNow().UtcDateTime);
        var before = Snapshot(conflict);
        if (retired is { } retiredId)
        {
            var serial = await db.Set<Serial>().SingleOrDefaultAsync(s => s.Id == retiredId, ct);
            if (serial is not null)
            {
                if (serial.Status != SerialStatus.Cancelled)
                {
                    var was = new { serial.Status, serial.CancelReason };
                    serial.Status = SerialStatus.Cancelled;
                    serial.CancelReason = Cut($"Retired duplicate serial number: {reason}", 500);
                    serial.UpdatedAt = now;
                    await audit.AppendAsync(db, SerialAudit.Retired, SerialAudit.SerialEntity, serial.Id.ToString(), was, new { serial.Status, serial.CancelReason, conflictId = conflict.Id }, ct: ct);
                }
            }
            else if (await db.Set<UniquenessRegistration>().SingleOrDefaultAsync(x => x.Id == retiredId && x.SerialId == null, ct) is { } reservation)
            {
                db.Remove(reservation);
                await audit.AppendAsync(db, "uniqueness_registration_withdrawn", "UniquenessRegistration", reservation.Id.ToString(), Snapshot(reservation), null, ct: ct);
            }
        }

        if (resolution == ConflictResolutions.MarkInvalid)
        {
            await InvalidateAsync(db, ids, conflict.Id, now, ct);
        }

        conflict.Status = ConflictStatus.Resolved;
        conflict.Resolution = resolution;
        conflict.RetiredSerialId = retired;
        conflict.ResolutionReason = reason;
        conflict.ResolvedBy = db.Caller.UserId;
        conflict.ResolvedAt = now;
        var signature = signer.Value is { } s
            ? signatures.Record(db, s, UniquenessSignatures.Type, conflict.Id.ToString(), UniquenessSignatures.ActionResolved, UniquenessSignatures.Content(conflict), now)
            : null;
        await db.SaveChangesAsync(ct);

        // What still collides among the claimants that remain, after the retirement or the KEEP_BOTH acceptance.
        var claims = (await UniquenessRules.LoadClaimsAsync(db, number!, ct)).Where(c => ids.Contains(c.Id)).ToList();
        var accepted = await UniquenessRules.AcceptedTogetherAsync(db, number!, ct);
        var still = new HashSet<Guid>();
        var scopes = default(ScopeSet);
        var conflictScopes = ScopeSet.From(UniquenessRules.ParseScopes(conflict.Scopes));
        foreach (var claim in claims)
        {
            var collisions = UniquenessRules.Collisions(claims, claim.PartId, claim.SiteId, conflictScopes.Or(claim.Declared), [claim.Id], accepted);
            if (collisions.Count == 0) continue;
            still.Add(claim.Id);
            scopes = scopes.Or(UniquenessRules.Union(collisions));
        }
        UniquenessConflict? next = null;
        if (still.Count > 0)
        {
            next = await OpenConflictAsync(db, number!, part.Value, still.ToList(), scopes, now, ct);
        }
        var cleared = claims.Where(c => !still.Contains(c.Id)).SelectMany(c => c.RegistrationIds).ToList();
        await db.Set<UniquenessRegistration>().Where(x => cleared.Contains(x.Id)).ForEachAsync(x => x.HasConflict = false, ct);

        await audit.AppendAsync(db, UniquenessSignatures.ActionResolved, "UniquenessConflict", conflict.Id.ToString(), before,
            signature is null ? Snapshot(conflict) : new { conflict.SerialNumber, conflict.PartId, conflict.Scopes, conflict.ConflictingSerialIds, conflict.Status,
                conflict.Resolution, conflict.RetiredSerialId, conflict.ResolutionReason, SignatureId = signature.Id }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ResolveConflictResponse(conflict.SerialNumber, next is not null, resolution!, now, conflict.Id, retired, next?.Id);
    }

    /// <summary>GET /uniqueness/report/{serialNumber}/{partId}.</summary>
    public async Task<Result<UniquenessReportDto>> ReportAsync(string? serialNumber, string? partId, CancellationToken ct = default)
    {
        var checks = new Checks();
        var number = checks.Text(P("serialNumber"), serialNumber, 1, 100);
        if (checks.Failed) return checks.ToError(InvalidInput);
        await using var db = factory.CreateDbContext();
        var part = await LineageService.FindPartAsync(db, partId, ct);
        if (!part.IsSuccess) return part.Error!;

        var claims = await UniquenessRules.LoadClaimsAsync(db, number!, ct);
        var ofPart = claims.Where(c => c.PartId == part.Value).ToList();
        // Factual, whatever scopes were registered: each flag says whether the number is unique in that scope now.
        var partType = ofPart.Count > 1 ? ofPart : [];
        var siteClashes = claims.Where(c => c.SiteId is not null && claims.Any(o => o.Id != c.Id && o.SiteId == c.SiteId &&
            (c.PartId == part.Value || o.PartId == part.Value))).ToList();
        var enterprise = claims.Count > 1 ? claims : [];
        var involved = new Dictionary<Guid, ScopeSet>();
        foreach (var c in partType) involved[c.Id] = involved.GetValueOrDefault(c.Id).Or(new ScopeSet(false, false, true));
        foreach (var c in siteClashes) involved[c.Id] = involved.GetValueOrDefault(c.Id).Or(new ScopeSet(true, false, false));
        foreach (var c in enterprise) involved[c.Id] = involved.GetValueOrDefault(c.Id).Or(new ScopeSet(false, true, false));

        var conflicts = await db.Set<UniquenessConflict>().AsNoTracking().Where(c => c.SerialNumber == number && c.PartId == part.Value)
            .Select(c => c.Status).ToListAsync(ct);
        var views = await DescribeAsync(db, number!, claims.Where(c => involved.ContainsKey(c.Id)).ToList(), ct);
        return new UniquenessReportDto(number!, part.Value, siteClashes.Count == 0, enterprise.Count == 0, partType.Count == 0, conflicts.Count,
            conflicts.Count(s => s == ConflictStatus.Pending),
            views.Select(v => new ClaimDto(v.Claim.Id, v.Claim.IsUnit ? "SERIAL" : "REGISTRATION", number!, v.Claim.PartId, v.PartNumber, v.Claim.SiteId, v.Status,
                involved[v.Claim.Id].Names())).ToList());
    }

    /// <summary>GET /uniqueness/conflicts/pending: oldest first; partId optional; limit 1-500 (default 50), offset.</summary>
    public async Task<Result<IReadOnlyList<PendingConflictDto>>> PendingAsync(PendingConflictsQuery query, CancellationToken ct = default)
    {
        var checks = new Checks();
        LineageService.Paging(checks, query.Limit, query.Offset);
        if (checks.Failed) return checks.ToError(InvalidInput);
        await using var db = factory.CreateDbContext();
        var pending = db.Set<UniquenessConflict>().AsNoTracking().Where(c => c.Status == ConflictStatus.Pending);
        if (!string.IsNullOrWhiteSpace(query.PartId))
        {
            var part = await LineageService.FindPartAsync(db, query.PartId.Trim(), ct);
            if (!part.IsSuccess) return part.Error!;
            pending = pending.Where(c => c.PartId == part.Value);
        }
        var rows = await pending.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Skip(query.Offset ?? 0).Take(query.Limit ?? ListQuery.DefaultLimit).ToListAsync(ct);
        return rows.Select(ToPending).ToList();
    }

    public static readonly ExportColumns<PendingConflictDto> PendingColumns = ExportColumns<PendingConflictDto>.FromProperties();

    /// <summary>
    /// <c>GET /uniqueness/conflicts/pending/export</c>: every open conflict the list shows for the filter, oldest first,
    /// streamed (claimant ids and scopes as JSON arrays in their cells). Paging and the part are checked as the list checks
    /// them before the file starts; paging is then ignored.
    /// </summary>
    public async Task<Result<CsvExport>> ExportPendingAsync(PendingConflictsQuery query, CancellationToken ct = default)
    {
        var checks = new Checks();
        LineageService.Paging(checks, query.Limit, query.Offset);
        if (checks.Failed) return checks.ToError(InvalidInput);
        Guid? partId = null;
        if (!string.IsNullOrWhiteSpace(query.PartId))
        {
            await using var db = factory.CreateDbContext();
            var part = await LineageService.FindPartAsync(db, query.PartId.Trim(), ct);
            if (!part.IsSuccess) return part.Error!;
            partId = part.Value;
        }
        return PendingColumns.Export(ExportFiles.Name("uniqueness-conflicts", time), ExportPendingRows(partId));
    }

    private async IAsyncEnumerable<PendingConflictDto> ExportPendingRows(Guid? partId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var pending = db.Set<UniquenessConflict>().AsNoTracking().Where(c => c.Status == ConflictStatus.Pending);
        if (partId is { } pid) pending = pending.Where(c => c.PartId == pid);
        await foreach (var row in pending.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).AsAsyncEnumerable().WithCancellation(ct)) yield return ToPending(row);
    }

    /// <summary>Pending conflicts as a page, for the conflicts screen.</summary>
    public async Task<Result<Page<PendingConflictRow>>> PendingPageAsync(ListQuery query, CancellationToken ct = default)
    {
        if (query.Validate() is { } invalid) return invalid;
        await using var db = factory.CreateDbContext();
        var pending = db.Set<UniquenessConflict>().AsNoTracking().Where(c => c.Status == ConflictStatus.Pending);
        if (query.Term is { } term) pending = pending.Where(c => c.SerialNumber.Contains(term));
        var page = await pending
            .Join(db.Set<Part>(), c => c.PartId, p => p.Id, (c, p) => new { c, p.Number })
            .OrderBy(x => x.c.CreatedAt).ThenBy(x => x.c.Id)
            .Select(x => new PendingConflictRow(x.c.Id, x.c.SerialNumber, x.c.PartId, x.Number, x.c.Scopes, x.c.ConflictingSerialIds, x.c.CreatedAt))
            .ToPageAsync(query, ct);
        return page;
    }

    /// <summary>Resolved conflicts as a page, newest resolution first, for the conflicts screen's resolved view.</summary>
    public async Task<Result<Page<ResolvedConflictRow>>> ResolvedPageAsync(ListQuery query, CancellationToken ct = default)
    {
        if (query.Validate() is { } invalid) return invalid;
        await using var db = factory.CreateDbContext();
        var resolved = db.Set<UniquenessConflict>().AsNoTracking().Where(c => c.Status == ConflictStatus.Resolved);
        if (query.Term is { } term) resolved = resolved.Where(c => c.SerialNumber.Contains(term));
        return await resolved
            .Join(db.Set<Part>(), c => c.PartId, p => p.Id, (c, p) => new { c, p.Number })
            .OrderByDescending(x => x.c.ResolvedAt).ThenBy(x => x.c.Id)
            .Select(x => new ResolvedConflictRow(x.c.Id, x.c.SerialNumber, x.Number, x.c.Resolution ?? "", x.c.ResolutionReason, x.c.ResolvedAt))
            .ToPageAsync(query, ct);
    }

    /// <summary>One conflict, pending or resolved, with its claimants described side by side and, once resolved, how.</summary>
    public async Task<Result<ConflictDetail>> GetConflictAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var conflict = await db.Set<UniquenessConflict>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (conflict is null) return Error.NotFound("Resource not found", "UniquenessConflict", id.ToString());
        var ids = UniquenessRules.ParseIds(conflict.ConflictingSerialIds).ToList();
        var units = await db.Set<Serial>().AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new
            {
                s.Id, s.SerialNumber, PartNumber = s.Part!.Number, PartName = s.Part.Name, s.SiteId, s.Status, s.Consumed, s.Origin,
                WorkOrder = s.WorkOrder != null ? s.WorkOrder.Number : null, s.CreatedAt,
            }).ToListAsync(ct);
        var registrations = await db.Set<UniquenessRegistration>().AsNoTracking()
            .Where(r => r.SerialNumber == conflict.SerialNumber && ((r.SerialId != null && ids.Contains(r.SerialId.Value)) || ids.Contains(r.Id)))
            .Join(db.Set<Part>(), r => r.PartId, p => p.Id, (r, p) => new { r, p.Number, p.Name })
            .ToListAsync(ct);
        var partNumber = await db.Set<Part>().Where(p => p.Id == conflict.PartId).Select(p => p.Number).SingleOrDefaultAsync(ct);

        var claims = new List<ClaimView>();
        foreach (var claimId in ids)
        {
            var regs = registrations.Where(x => x.r.SerialId == claimId || x.r.Id == claimId).ToList();
            var scopes = regs.Aggregate(default(ScopeSet), (acc, x) => acc.Or(new ScopeSet(x.r.SiteLevel, x.r.EnterpriseLevel, x.r.PartTypeLevel))).Names();
            var registeredAt = regs.Count == 0 ? (DateTime?)null : Utc(regs.Min(x => x.r.RegisteredAt));
            if (units.FirstOrDefault(u => u.Id == claimId) is { } u)
            {
                claims.Add(new ClaimView(u.Id, "SERIAL", u.SerialNumber, u.PartNumber, u.PartName, u.SiteId, SerialStatus.Public(u.Status, u.Consumed), u.Origin,
                    u.WorkOrder, Utc(u.CreatedAt), registeredAt, scopes));
            }
            else if (regs.FirstOrDefault(x => x.r.Id == claimId && x.r.SerialId == null) is { } reservation)
            {
                claims.Add(new ClaimView(claimId, "REGISTRATION", reservation.r.SerialNumber, reservation.Number, reservation.Name, reservation.r.SiteId, null,
                    null, null, null, registeredAt, scopes));
            }
            else
            {
                // Withdrawn since: shown so the screen does not silently drop a claimant the conflict names.
                claims.Add(new ClaimView(claimId, "GONE", conflict.SerialNumber, null, null, null, null, null, null, null, null, []));
            }
        }
        var resolution = conflict.Status == ConflictStatus.Resolved
            ? new ConflictResolutionView(conflict.Resolution ?? "", conflict.RetiredSerialId, conflict.ResolutionReason, conflict.ResolvedAt is { } at ? Utc(at) : null)
            : null;
        return new ConflictDetail(ToPending(conflict), partNumber, claims, resolution);
    }

    /// <summary>GET /uniqueness/statistics/{partId} (definitions on <see cref="UniquenessStatisticsDto"/>).</summary>
    public async Task<Result<UniquenessStatisticsDto>> StatisticsAsync(string? partId, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var part = await LineageService.FindPartAsync(db, partId, ct);
        if (!part.IsSuccess) return part.Error!;
        var p = part.Value;
        var numbers = await db.Set<Serial>().Where(s => s.PartId == p && s.Status != SerialStatus.Cancelled).Select(s => s.SerialNumber)
            .Union(db.Set<UniquenessRegistration>().Where(r => r.PartId == p).Select(r => r.SerialNumber))
            .LongCountAsync(ct);
        var withConflicts = await db.Set<UniquenessConflict>().Where(c => c.PartId == p).Select(c => c.SerialNumber).Distinct().LongCountAsync(ct);
        var resolved = await db.Set<UniquenessConflict>().LongCountAsync(c => c.PartId == p && c.Status == ConflictStatus.Resolved, ct);
        var rate = numbers == 0 ? 0 : Math.Round(withConflicts * 100.0 / numbers, 2, MidpointRounding.AwayFromZero);
        return new UniquenessStatisticsDto(numbers, withConflicts, resolved, rate);
    }

    /// <summary>The number's pending conflict for the part, extended with these claimants and scopes, or a new one.</summary>
    private static async Task<UniquenessConflict> OpenConflictAsync(OperatorDb db, string number, Guid partId, IReadOnlyList<Guid> ids, ScopeSet scopes,
        DateTime now, CancellationToken ct)
    {
        var conflict = await db.Set<UniquenessConflict>()
            .Where(c => c.SerialNumber == number && c.PartId == partId && c.Status == ConflictStatus.Pending)
            .OrderBy(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        if (conflict is null)
        {
            conflict = new UniquenessConflict
            {
                Id = Guid.NewGuid(), SerialNumber = number, PartId = partId, Scopes = string.Join(",", scopes.Names()),
                ConflictingSerialIds = UniquenessRules.JoinIds(ids), CreatedAt = now,
            };
            db.Add(conflict);
            return conflict;
        }
        conflict.ConflictingSerialIds = UniquenessRules.JoinIds(UniquenessRules.ParseIds(conflict.ConflictingSerialIds).Concat(ids));
        conflict.Scopes = string.Join(",", ScopeSet.From(UniquenessRules.ParseScopes(conflict.Scopes)).Or(scopes).Names());
        return conflict;
    }

    private sealed record Described(Claim Claim, string? PartNumber, string? Status);

    private static async Task<List<Described>> DescribeAsync(OperatorDb db, string number, List<Claim> claims, CancellationToken ct)
    {
        var unitIds = claims.Where(c => c.IsUnit).Select(c => c.Id).ToList();
        var units = await db.Set<Serial>().AsNoTracking().Where(s => unitIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Status, s.Consumed }).ToListAsync(ct);
        var partIds = claims.Select(c => c.PartId).Distinct().ToList();
        var parts = await db.Set<Part>().AsNoTracking().Where(p => partIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Number, ct);
        return claims.Select(c => new Described(c, parts.GetValueOrDefault(c.PartId),
            units.FirstOrDefault(u => u.Id == c.Id) is { } u ? SerialStatus.Public(u.Status, u.Consumed) : null)).ToList();
    }

    /// <summary>
    /// MARK_INVALID: every claimant gives the number up. Units are cancelled and audited one by one like a retirement;
    /// numbers registered without a unit are withdrawn.
    /// </summary>
    private async Task InvalidateAsync(OperatorDb db, IReadOnlyList<Guid> ids, Guid conflictId, DateTime now, CancellationToken ct)
    {
        var units = await db.Set<Serial>().Where(s => ids.Contains(s.Id) && s.Status != SerialStatus.Cancelled).OrderBy(s => s.Id).ToListAsync(ct);
        foreach (var serial in units)
        {
            var was = new { serial.Status, serial.CancelReason };
            serial.Status = SerialStatus.Cancelled;
            serial.CancelReason = InvalidDuplicateReason;
            serial.UpdatedAt = now;
            await audit.AppendAsync(db, SerialAudit.MarkedInvalid, SerialAudit.SerialEntity, serial.Id.ToString(), was, new { serial.Status, serial.CancelReason, conflictId }, ct: ct);
        }
        var reservations = await db.Set<UniquenessRegistration>().Where(x => ids.Contains(x.Id) && x.SerialId == null).OrderBy(x => x.Id).ToListAsync(ct);
        foreach (var reservation in reservations)
        {
            db.Remove(reservation);
            await audit.AppendAsync(db, "uniqueness_registration_withdrawn", "UniquenessRegistration", reservation.Id.ToString(), Snapshot(reservation), null, ct: ct);
        }
    }

    public const string InvalidDuplicateReason = "Invalid duplicate serial number";

    private static PendingConflictDto ToPending(UniquenessConflict c) =>
        new(c.Id, c.SerialNumber, c.PartId, c.Status == ConflictStatus.Pending, UniquenessRules.ParseIds(c.ConflictingSerialIds).ToList(),
            UniquenessRules.ParseScopes(c.Scopes), Utc(c.CreatedAt));

    /// <summary>
    /// The requested scopes: a non-empty list of SITE, ENTERPRISE, PART_TYPE (case-sensitive; repeats ignored). Left out,
    /// the operation's default applies, as the peer systems' callers expect (check: every scope; register: SITE and PART_TYPE).
    /// </summary>
    private static ScopeSet Scopes(Checks checks, List<string?>? scope, ScopeSet whenLeftOut)
    {
        if (scope is null) return whenLeftOut;
        if (scope.Count == 0)
        {
            checks.Add(new FieldIssue(P("scope"), "At least one scope is required: SITE, ENTERPRISE or PART_TYPE", "too_small"));
            return default;
        }
        var valid = new List<string>();
        for (var i = 0; i < scope.Count; i++)
        {
            if (checks.OneOf(P("scope", i), scope[i], UniquenessScopes.All) is { } s) valid.Add(s);
        }
        return ScopeSet.From(valid);
    }

    private static string? Site(Checks checks, string? siteId)
    {
        var site = checks.OptionalText(P("siteId"), siteId, 50);
        return string.IsNullOrEmpty(site) ? null : site;
    }

    private static object Snapshot(UniquenessRegistration r) =>
        new { r.SerialNumber, r.PartId, r.SerialId, r.SiteId, r.SiteLevel, r.EnterpriseLevel, r.PartTypeLevel, r.HasConflict };

    private static object Snapshot(UniquenessConflict c) =>
        new { c.SerialNumber, c.PartId, c.Scopes, c.ConflictingSerialIds, c.Status, c.Resolution, c.RetiredSerialId, c.ResolutionReason };

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}

/// <summary>A row of the conflicts screen's list.</summary>
public sealed record PendingConflictRow(Guid Id, string SerialNumber, Guid PartId, string PartNumber, string Scopes, string ConflictingSerialIds, DateTime DetectedAt)
{
    public int Claimants => UniquenessRules.ParseIds(ConflictingSerialIds).Count();
}

/// <summary>A row of the conflicts screen's resolved view.</summary>
public sealed record ResolvedConflictRow(Guid Id, string SerialNumber, string PartNumber, string Resolution, string? Reason, DateTime? ResolvedAt);
