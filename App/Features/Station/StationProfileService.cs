using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Station;

/// <summary>One step a station works at, resolved from its path and step codes.</summary>
public sealed record StationStepDto(Guid StepId, Guid PathId, string PathCode, int Index, string Code, string Name);

/// <summary>A station profile as the admin page and the station show it, with the steps its codes name now.</summary>
public sealed record StationProfileDto(
    Guid Id, string Name, Guid? PathId, string? PathCode, IReadOnlyList<string> StepCodes, StationActions Actions, bool Active,
    IReadOnlyList<StationStepDto> Steps)
{
    public bool Allows(StationActions action) => (Actions & action) == action;

    public bool WorksAt(Guid? stepId) => stepId is { } id && Steps.Any(s => s.StepId == id);

    /// <summary>"Cutting" or "Cutting, Sewing": the words of the wrong-station banner.</summary>
    public string StepNames => string.Join(", ", Steps.Select(s => s.Name).Distinct());
}

public sealed record StationStepChoice(string Code, string Name);

public sealed record StationPathChoice(Guid Id, string Code, string Name, IReadOnlyList<StationStepChoice> Steps);

/// <summary>Create or edit a station profile. <paramref name="StepCodes"/> are the codes of the steps it works at.</summary>
public sealed record SaveStationProfileRequest(string? Name, Guid? PathId, IReadOnlyList<string>? StepCodes, StationActions Actions);

public static class StationProfileRules
{
    public const int NameMax = 100;
    public const int StepCodesMax = 400;
}

/// <summary>
/// The organization's station profiles: everyone who may work at a station reads the active ones (the station's chooser);
/// administrators create, edit, deactivate and reactivate them. Names are unique per organization (a unique index, the
/// service answers a Conflict first). Profiles are never deleted, so audit entries keep naming something. Every change is
/// audited (entity <c>station_profile</c>).
/// </summary>
public sealed class StationProfileService(IDbContextFactory<OperatorDb> factory, ICurrentUser caller, AuditTrail audit, TimeProvider time)
{
    public const string AuditEntity = "station_profile";
    public const string AdminOnly = "Only an administrator defines stations.";

    public bool CanManage => Policies.Allows(Policies.Admin, caller.Role);

    public async Task<IReadOnlyList<StationProfileDto>> ListAsync(bool activeOnly, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var rows = db.Set<StationProfile>().AsNoTracking();
        if (activeOnly) rows = rows.Where(p => p.Active);
        var list = await rows.OrderBy(p => p.Name).ToListAsync(ct);
        var result = new List<StationProfileDto>(list.Count);
        foreach (var row in list) result.Add(await ToDtoAsync(db, row, ct));
        return result;
    }

    /// <summary>The process paths with their steps, for the profile form's choices.</summary>
    public async Task<IReadOnlyList<StationPathChoice>> PathsAsync(CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var paths = await db.Set<ProcessPath>().AsNoTracking().OrderBy(p => p.Code).Select(p => new { p.Id, p.Code, p.Name }).ToListAsync(ct);
        var steps = await db.Set<ProcessStep>().AsNoTracking().OrderBy(s => s.Sequence).Select(s => new { s.PathId, s.Code, s.Name }).ToListAsync(ct);
        return paths.Select(p => new StationPathChoice(p.Id, p.Code, p.Name,
            steps.Where(s => s.PathId == p.Id).Select(s => new StationStepChoice(s.Code, s.Name)).ToList())).ToList();
    }

    public async Task<Result<StationProfileDto>> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var row = await db.Set<StationProfile>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return row is null ? NotFound(id) : await ToDtoAsync(db, row, ct);
    }

    /// <summary>The active profile a browser remembered, or null when it is gone, deactivated or not a profile id.</summary>
    public async Task<StationProfileDto?> FindActiveAsync(string? remembered, CancellationToken ct = default)
    {
        if (!Guid.TryParse(remembered, out var id)) return null;
        var found = await GetAsync(id, ct);
        return found.IsSuccess && found.Value.Active ? found.Value : null;
    }

    public async Task<Result<StationProfileDto>> CreateAsync(SaveStationProfileRequest request, CancellationToken ct = default)
    {
        if (!CanManage) return Error.Forbidden(AdminOnly);
        await using var db = factory.CreateDbContext();
        var valid = await ValidateAsync(db, request, null, ct);
        if (!valid.IsSuccess) return valid.Error!;
        var (name, codes) = valid.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var row = new StationProfile
        {
            Name = name, PathId = request.PathId, StepCodes = string.Join(',', codes), Actions = request.Actions & StationActions.All,
            Active = true, CreatedAt = now, UpdatedAt = now,
        };
        db.Add(row);
        await audit.AppendAsync(db, "station_profile_created", AuditEntity, row.Id.ToString(), after: Facts(row), ct: ct);
        return await SaveAsync(db, row, name, ct);
    }

    public async Task<Result<StationProfileDto>> UpdateAsync(Guid id, SaveStationProfileRequest request, CancellationToken ct = default)
    {
        if (!CanManage) return Error.Forbidden(AdminOnly);
        await using var db = factory.CreateDbContext();
        var row = await db.Set<StationProfile>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (row is null) return NotFound(id);
        var valid = await ValidateAsync(db, request, id, ct);
        if (!valid.IsSuccess) return valid.Error!;
        var (name, codes) = valid.Value;
        var before = Facts(row);
        row.Name = name;
        row.PathId = request.PathId;
        row.StepCodes = string.Join(',', codes);
        row.Actions = request.Actions & StationActions.All;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await audit.AppendAsync(db, "station_profile_updated", AuditEntity, row.Id.ToString(), before, Facts(row), ct: ct);
        return await SaveAsync(db, row, name, ct);
    }

    /// <summary>Deactivated profiles leave the station chooser; a browser that remembered one is asked again.</summary>
    public async Task<Result<StationProfileDto>> SetActiveAsync(Guid id, bool active, CancellationToken ct = default)
    {
        if (!CanManage) return Error.Forbidden(AdminOnly);
        await using var db = factory.CreateDbContext();
        var row = await db.Set<StationProfile>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (row is null) return NotFound(id);
        if (row.Active != active)
        {
            row.Active = active;
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await audit.AppendAsync(db, active ? "station_profile_activated" : "station_profile_deactivated", AuditEntity, row.Id.ToString(),
                new { active = !active }, new { active }, ct: ct);
            await db.SaveChangesAsync(ct);
        }
        return await ToDtoAsync(db, row, ct);
    }

    private async Task<Result<StationProfileDto>> SaveAsync(OperatorDb db, StationProfile row, string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another administrator saved the same name at the same moment: the unique index decided.
            if (await NameTakenAsync(name, row.Id, ct)) return Taken(name);
            throw;
        }
        return await ToDtoAsync(db, row, ct);
    }

    private async Task<bool> NameTakenAsync(string name, Guid except, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        return await db.Set<StationProfile>().AnyAsync(p => p.Name == name && p.Id != except, ct);
    }

    private static async Task<Result<(string Name, List<string> Codes)>> ValidateAsync(OperatorDb db, SaveStationProfileRequest request, Guid? self, CancellationToken ct)
    {
        var issues = new List<FieldIssue>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0) issues.Add(new FieldIssue("name", "Give the station a name."));
        else if (name.Length > StationProfileRules.NameMax) issues.Add(new FieldIssue("name", $"A station name has at most {StationProfileRules.NameMax} characters."));
        else if (name.Any(char.IsControl)) issues.Add(new FieldIssue("name", "A station name cannot hold control characters."));

        var codes = (request.StepCodes ?? []).Select(c => c?.Trim().ToUpperInvariant() ?? "").Where(c => c.Length > 0).Distinct().ToList();
        if (codes.Count == 0) issues.Add(new FieldIssue("stepCodes", "Choose at least one step (or operation code) the station works at."));
        else if (codes.Any(c => c.Contains(',') || c.Any(char.IsControl)) || string.Join(',', codes).Length > StationProfileRules.StepCodesMax)
            issues.Add(new FieldIssue("stepCodes", "Step codes are short codes such as CUT, without commas."));
        else
        {
            var steps = db.Set<ProcessStep>().AsNoTracking();
            if (request.PathId is { } pathId)
            {
                if (!await db.Set<ProcessPath>().AnyAsync(p => p.Id == pathId, ct)) issues.Add(new FieldIssue("pathId", "That process path does not exist."));
                else
                {
                    var known = await steps.Where(s => s.PathId == pathId).Select(s => s.Code).ToListAsync(ct);
                    var missing = codes.Where(c => !known.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
                    if (missing.Count > 0) issues.Add(new FieldIssue("stepCodes", $"The path has no step {string.Join(", ", missing)}."));
                }
            }
        }
        if (issues.Count > 0) return Error.Validation("The station profile is not valid.", issues);
        if (await db.Set<StationProfile>().AnyAsync(p => p.Name == name && p.Id != self, ct)) return Taken(name);
        return (name, codes);
    }

    internal static async Task<StationProfileDto> ToDtoAsync(OperatorDb db, StationProfile row, CancellationToken ct)
    {
        var codes = row.StepCodes.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var steps = db.Set<ProcessStep>().AsNoTracking().Where(s => codes.Contains(s.Code));
        if (row.PathId is { } only) steps = steps.Where(s => s.PathId == only);
        var named = await steps.Select(s => new { s.Id, s.PathId, s.Code, s.Name, s.Sequence }).ToListAsync(ct);
        var pathIds = named.Select(s => s.PathId).Append(row.PathId ?? Guid.Empty).Distinct().ToList();
        var paths = await db.Set<ProcessPath>().AsNoTracking().Where(p => pathIds.Contains(p.Id)).Select(p => new { p.Id, p.Code }).ToDictionaryAsync(p => p.Id, p => p.Code, ct);
        // A serial's CurrentStepIndex is its step's Sequence (see SerialUnitRead).
        var resolved = named
            .Select(s => new StationStepDto(s.Id, s.PathId, paths.GetValueOrDefault(s.PathId, ""), s.Sequence, s.Code, s.Name))
            .OrderBy(s => s.PathCode).ThenBy(s => s.Index).ToList();
        return new StationProfileDto(row.Id, row.Name, row.PathId, row.PathId is { } p ? paths.GetValueOrDefault(p) : null, codes, row.Actions, row.Active, resolved);
    }

    private static object Facts(StationProfile row) => new { row.Name, row.PathId, row.StepCodes, actions = row.Actions.ToString(), row.Active };

    private static Error Taken(string name) => Error.Conflict($"A station named \"{name}\" already exists.") with { Issues = [new FieldIssue("name", $"A station named \"{name}\" already exists.")] };

    private static Error NotFound(Guid id) => Error.NotFound("Station profile not found.", "StationProfile", id.ToString());
}
