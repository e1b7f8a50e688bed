using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Serials;

/// <summary>One scrap reason as the organization page, the station and the API show it.</summary>
public sealed record ScrapReasonCodeDto(string Code, string Label, bool Active, bool RequiresText, int Position);

/// <summary>POST /api/admin/organization/scrap-reasons body.</summary>
/// <param name="Code">2-32 of A-Z, 0-9 and _, starting with a letter; stored in upper case and never changed.</param>
/// <param name="Label">What people read, 1-100 characters.</param>
/// <param name="RequiresText">Whether scrapping with this code also needs a written reason (default false).</param>
public sealed record CreateScrapReasonRequest(string? Code, string? Label, bool? RequiresText = null);

/// <summary>PUT /api/admin/organization/scrap-reasons/{code} body: only the fields given change.</summary>
public sealed record UpdateScrapReasonRequest(string? Label = null, bool? Active = null, bool? RequiresText = null);

/// <summary>The shape rules of a reason code, shared by the list's administration and the scrap request.</summary>
public static class ScrapReasonRules
{
    public const int CodeMax = 32;
    public const int LabelMax = 100;

    /// <summary>Trimmed and in upper case when it has the shape of a code, else null.</summary>
    public static string? Normalize(string? code)
    {
        var c = code?.Trim().ToUpperInvariant();
        if (c is null || c.Length < 2 || c.Length > CodeMax || c[0] is < 'A' or > 'Z') return null;
        return c.All(ch => ch is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_') ? c : null;
    }

    public const string ShapeMessage = "must be 2-32 of A-Z, 0-9 and _, starting with a letter";
}

/// <summary>
/// The organization's scrap reason list: anyone of the organization reads it (the station offers the active codes);
/// administrators add codes, relabel them, switch the need for text, and take codes out of use. Codes are never deleted,
/// since serials name them for good. Every change is audited (entity <c>scrap_reason_code</c>, id = the code).
/// </summary>
public sealed class ScrapReasonService(IDbContextFactory<OperatorDb> factory, ICurrentUser caller, AuditTrail audit, TimeProvider time)
{
    public const string AuditEntity = "scrap_reason_code";
    public const string AdminOnly = "Only an administrator changes the scrap reason list";

    public bool CanManage => Policies.Allows(Policies.Admin, caller.Role);

    /// <summary>The list in the station's order; <paramref name="activeOnly"/> for what may be chosen now.</summary>
    public async Task<Result<IReadOnlyList<ScrapReasonCodeDto>>> ListAsync(bool activeOnly = false, CancellationToken ct = default)
    {
        await using var db = factory.CreateDbContext();
        var codes = db.Set<ScrapReasonCode>().AsNoTracking();
        if (activeOnly) codes = codes.Where(c => c.Active);
        return await codes.OrderBy(c => c.Position).ThenBy(c => c.Code).Select(c => new ScrapReasonCodeDto(c.Code, c.Label, c.Active, c.RequiresText, c.Position))
            .ToListAsync(ct);
    }

    public async Task<Result<ScrapReasonCodeDto>> CreateAsync(CreateScrapReasonRequest request, CancellationToken ct = default)
    {
        if (!CanManage) return Error.Forbidden(AdminOnly);
        var checks = new Checks();
        string? code = null;
        if (request.Code is null) checks.Text(P("code"), null);
        else if ((code = ScrapReasonRules.Normalize(request.Code)) is null) checks.Add(P("code"), $"code {ScrapReasonRules.ShapeMessage}", "invalid_string");
        var label = Label(checks, request.Label, required: true);
        if (checks.Failed) return checks.ToError("Invalid scrap reason");

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var set = db.Set<ScrapReasonCode>();
        if (await set.AnyAsync(c => c.Code == code, ct)) return Exists(code!);
        var now = time.GetUtcNow().UtcDateTime;
        var row = new ScrapReasonCode
        {
            Code = code!, Label = label!, RequiresText = request.RequiresText ?? false, Active = true,
            Position = (await set.MaxAsync(c => (int?)c.Position, ct) ?? 0) + 1, CreatedAt = now, UpdatedAt = now,
        };
        set.Add(row);
        var dto = ToDto(row);
        await audit.AppendAsync(db, "scrap_reason_code_created", AuditEntity, row.Code, after: dto, ct: ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same code added at the same moment by another administrator: the key decided, this one lost.
            return Exists(code!);
        }
        return dto;
    }

    public async Task<Result<ScrapReasonCodeDto>> UpdateAsync(string code, UpdateScrapReasonRequest request, CancellationToken ct = default)
    {
        if (!CanManage) return Error.Forbidden(AdminOnly);
        var checks = new Checks();
        var label = Label(checks, request.Label, required: false);
        if (checks.Failed) return checks.ToError("Invalid scrap reason");
        var key = ScrapReasonRules.Normalize(code);
        if (key is null) return NotFound(code);

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.Set<ScrapReasonCode>().SingleOrDefaultAsync(c => c.Code == key, ct);
        if (row is null) return NotFound(code);
        var before = ToDto(row);
        if (label is not null) row.Label = label;
        if (request.Active is { } active) row.Active = active;
        if (request.RequiresText is { } requires) row.RequiresText = requires;
        var after = ToDto(row);
        if (after == before) return after;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await audit.AppendAsync(db, "scrap_reason_code_updated", AuditEntity, row.Code, before, after, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return after;
    }

    private static string? Label(Checks checks, string? value, bool required)
    {
        if (value is null && !required) return null;
        var label = checks.Text(P("label"), value, 1, ScrapReasonRules.LabelMax);
        if (label is not null && label.Any(char.IsControl)) checks.Add(P("label"), "label must not contain control characters", "invalid_string");
        return label;
    }

    private static ScrapReasonCodeDto ToDto(ScrapReasonCode c) => new(c.Code, c.Label, c.Active, c.RequiresText, c.Position);

    private static Error Exists(string code) => Error.Conflict($"Scrap reason code {code} already exists (codes are never deleted: reactivate or relabel it)");

    private static Error NotFound(string? code) => Error.NotFound($"Scrap reason code not found: {code}", "ScrapReasonCode", code);
}
