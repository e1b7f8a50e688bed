using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serialization;

public sealed record SerialFormatDto(
    Guid Id, string Name, string Kind, string Pattern, string ResetPolicy, string? ProductionType, bool IsActive,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The next numbers of a format, without drawing them (nothing is written).</summary>
public sealed record FormatPreviewDto(
    Guid? FormatId, string Kind, string Pattern, string ResetPolicy, string Period, long NextSequence, long? Remaining, IReadOnlyList<string> Numbers);

/// <summary>
/// Serial formats (the spec's <c>formatConfigId</c>): an admin's pattern of literal text and tokens
/// (<see cref="SerialPattern"/>) with a reset policy, or the signed public code of DESIGN.md (kind PUBLIC_CODE).
/// <list type="bullet">
/// <item>PATTERN: numbers come from the counter <c>fmt:{formatId}:{period}</c>, drawn inside the generating transaction,
/// so parallel generation never repeats a number and a rollback gives the numbers back. The period follows the reset
/// policy (NEVER, DAILY, MONTHLY, YEARLY; UTC). A draw that would pass the {SEQ:n} width is refused as a
/// VALIDATION_ERROR on <c>formatConfigId</c> naming the format, and nothing is written.</item>
/// <item>PUBLIC_CODE: the part must be publicly verifiable; numbers come from <see cref="SerialNumbering"/> (per
/// organization, production type, SKU and day). Its pattern is the fixed description of the code and its reset
/// policy is DAILY. A production type on the format (HAT/OEM) must match the part's.</item>
/// </list>
/// Changing a pattern or reset policy later applies to the next draw; numbers already issued stay as they are.
/// </summary>
public sealed class SerialFormatService(
    IDbContextFactory<OperatorDb> factory, AuditTrail audit, TimeProvider time, ICurrentUser caller, SerialNumbering numbering, SerialCodeSigner signer)
{
    public const string PublicCodePattern = "{ORG}-{TYPE}-{SKU}-{YYYYMMDD}-{SEQ:5}-{SIG}-{CHECK}";
    public const string AuditType = "serial_format";
    public const int MaxPreview = 50;

    internal static readonly IReadOnlyList<string> ProductionTypeCodes = [ProductionTypes.Hatthasilpa, ProductionTypes.Oem];

    public bool CanEdit => Policies.Allows(Policies.Admin, caller.Role);

    // ---------------------------------------------------------------- create / update

    public async Task<Result<SerialFormatDto>> CreateAsync(CreateSerialFormatRequest request, CancellationToken ct = default)
    {
        if (!CanEdit) return WorkflowErrors.Forbidden();
        var checks = new Checks();
        var (name, kind, reset, productionType, pattern) = request.Check(checks);
        var active = request.IsActive ?? true;
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        var now = Now;
        var format = new SerialFormat
        {
            Name = name!, Kind = kind!, Pattern = pattern!, ResetPolicy = reset ?? SequenceReset.Never, ProductionType = productionType,
            IsActive = active, CreatedBy = caller.UserId, CreatedAt = now, UpdatedAt = now,
        };
        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(format);
        var dto = ToDto(format);
        await audit.AppendAsync(db, "serial_format_created", AuditType, format.Id.ToString(), after: dto, ct: ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Error.Conflict($"A serial format named {format.Name} already exists");
        }
        return dto;
    }

    /// <summary>For pages: nulls are sent, so a cleared production type clears (a null name, pattern or kind keeps the saved one).</summary>
    public Task<Result<SerialFormatDto>> UpdateAsync(Guid id, UpdateSerialFormatRequest request, CancellationToken ct = default) =>
        UpdateAsync(id.ToString(), request, ct);

    public async Task<Result<SerialFormatDto>> UpdateAsync(string id, UpdateSerialFormatRequest request, CancellationToken ct = default)
    {
        if (!CanEdit) return WorkflowErrors.Forbidden();
        var parsed = WorkflowErrors.ParseId(id, "SerialFormat");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        var (name, kind, reset, productionType) = request.Check(checks);
        var clearProductionType = request.Has("productionType") && request.ProductionType is null;
        var active = request.IsActive;
        var raw = request.Pattern;
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var format = await db.Set<SerialFormat>().SingleOrDefaultAsync(x => x.Id == parsed.Value, ct);
        if (format is null) return WorkflowErrors.NotFound("SerialFormat", id);
        var before = ToDto(format);

        var newKind = kind ?? format.Kind;
        var newReset = reset ?? (newKind == FormatKinds.PublicCode ? SequenceReset.Daily : format.ResetPolicy);
        var rawPattern = raw ?? (newKind == format.Kind ? format.Pattern : null);
        var pattern = CheckPattern(checks, newKind, rawPattern, ref newReset);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        if (name is not null) format.Name = name;
        format.Kind = newKind;
        format.Pattern = pattern!;
        format.ResetPolicy = newReset ?? SequenceReset.Never;
        if (productionType is not null) format.ProductionType = productionType;
        if (clearProductionType) format.ProductionType = null;
        if (active is { } a) format.IsActive = a;
        format.UpdatedAt = Now;
        var dto = ToDto(format);
        await audit.AppendAsync(db, "serial_format_updated", AuditType, format.Id.ToString(), before, dto, ct: ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Error.Conflict($"A serial format named {format.Name} already exists");
        }
        return dto;
    }

    /// <summary>A PATTERN's pattern must parse; a PUBLIC_CODE gets the fixed description and a DAILY reset.</summary>
    internal static string? CheckPattern(Checks checks, string kind, string? pattern, ref string? reset)
    {
        if (kind == FormatKinds.PublicCode)
        {
            if (reset is not null && reset != SequenceReset.Daily)
            {
                checks.Add(new FieldIssue("resetPolicy", "A public code's sequence restarts every day: resetPolicy is DAILY for PUBLIC_CODE formats"));
            }
            reset = SequenceReset.Daily;
            return PublicCodePattern;
        }
        SerialPattern.Tokenize(pattern, SerialPattern.Field, checks);
        return pattern;
    }

    // ---------------------------------------------------------------- reads

    public async Task<Result<WorkflowPage<SerialFormatDto>>> ListAsync(SerialFormatListQuery query, CancellationToken ct = default)
    {
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        await using var db = factory.CreateDbContext();
        var rows = db.Set<SerialFormat>().AsNoTracking();
        if (query.IsActive is { } a) rows = rows.Where(x => x.IsActive == a);
        var total = await rows.CountAsync(ct);
        var paging = query.Page;
        var page = await rows.OrderBy(x => x.Name).ThenBy(x => x.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(ct);
        return new WorkflowPage<SerialFormatDto>(page.Select(ToDto).ToList(), total, paging.Limit, paging.Offset);
    }

    /// <summary>For pages: the formats (active ones only when asked), the first <paramref name="limit"/> by name.</summary>
    public Task<Result<WorkflowPage<SerialFormatDto>>> ListAsync(bool? isActive = null, int limit = PageParams.MaxLimit, int offset = 0, CancellationToken ct = default) =>
        ListAsync(new SerialFormatListQuery(new PageParams(limit, offset), isActive), ct);

    public async Task<Result<SerialFormatDto>> GetAsync(string id, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(id, "SerialFormat");
        if (!parsed.IsSuccess) return parsed.Error!;
        await using var db = factory.CreateDbContext();
        var format = await db.Set<SerialFormat>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == parsed.Value, ct);
        return format is null ? WorkflowErrors.NotFound("SerialFormat", id) : ToDto(format);
    }

    // ---------------------------------------------------------------- preview

    /// <summary>GET /formats/{id}/preview: the next <see cref="FormatPreviewQuery.Count"/> numbers of a saved format, nothing drawn.</summary>
    public async Task<Result<FormatPreviewDto>> PreviewAsync(string id, FormatPreviewQuery query, CancellationToken ct = default)
    {
        var parsed = WorkflowErrors.ParseId(id, "SerialFormat");
        if (!parsed.IsSuccess) return parsed.Error!;
        var checks = new Checks();
        query.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);

        await using var db = factory.CreateDbContext();
        var format = await db.Set<SerialFormat>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == parsed.Value, ct);
        if (format is null) return WorkflowErrors.NotFound("SerialFormat", id);
        return await PreviewInAsync(db, format.Id, format.Kind, format.Pattern, format.ResetPolicy, format.ProductionType, query.PartId, query.SiteId, query.Count, ct);
    }

    /// <summary>POST /formats/preview: what a pattern being edited would give (continuing the format's counter when formatId is given).</summary>
    public async Task<Result<FormatPreviewDto>> PreviewAsync(PreviewPatternRequest request, CancellationToken ct = default)
    {
        var checks = new Checks();
        var (kind, reset, partId, siteId, formatId, count, pattern) = request.Check(checks);
        if (checks.Failed) return checks.ToError(WorkflowErrors.InvalidInput);
        await using var db = factory.CreateDbContext();
        string? productionType = null;
        if (formatId is { } fid)
        {
            var saved = await db.Set<SerialFormat>().AsNoTracking().Where(x => x.Id == fid).Select(x => new { x.ProductionType }).SingleOrDefaultAsync(ct);
            if (saved is null) return WorkflowErrors.NotFound("SerialFormat", fid.ToString());
            productionType = saved.ProductionType;
        }
        return await PreviewInAsync(db, formatId, kind, pattern!, reset ?? SequenceReset.Never, productionType, partId, siteId, count, ct);
    }

    private async Task<Result<FormatPreviewDto>> PreviewInAsync(OperatorDb db, Guid? formatId, string kind, string pattern, string reset, string? productionType,
        Guid? partId, string? siteId, int count, CancellationToken ct)
    {
        var org = db.TenantId ?? throw new InvalidOperationException("A preview needs a signed-in user of an organization.");
        Part? part = null;
        if (partId is { } pid)
        {
            part = await db.Set<Part>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == pid, ct);
            if (part is null) return WorkflowErrors.NotFound("Part", pid.ToString());
        }
        var day = Today;
        var orgCode = await db.Organizations.Where(o => o.Id == org).Select(o => o.Code).SingleAsync(ct);

        if (kind == FormatKinds.PublicCode)
        {
            if (part is null) return WorkflowErrors.Invalid("partId", "A public code preview needs the part (its SKU and production type are in the code)");
            var check = CheckPublicCodePart(part, productionType, orgCode);
            if (check is not null) return check;
            var counter = $"pubcode:{part.ProductionType}:{part.Sku}:{day:yyyyMMdd}";
            var current = await CounterValueAsync(db, org, counter, ct);
            var codes = new List<string>(count);
            for (var seq = current + 1; codes.Count < count && seq <= SerialNumbering.MaxPublicSequence; seq++)
            {
                var code = signer.Issue(orgCode, part.ProductionType!, part.Sku, day, (int)seq);
                if (SerialNumbering.Keeps(code, orgCode, part.ProductionType!, part.Sku)) codes.Add(code);
            }
            return new FormatPreviewDto(formatId, kind, PublicCodePattern, SequenceReset.Daily, day.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                current + 1, SerialNumbering.MaxPublicSequence - current, codes);
        }

        var parsed = SerialPattern.Parse(pattern);
        if (!parsed.IsSuccess) return parsed.Error!;
        var compiled = parsed.Value;
        var period = SerialPattern.Period(reset, day);
        var last = formatId is { } id ? await CounterValueAsync(db, org, SerialPattern.CounterName(id, period), ct) : 0;
        var values = new PatternValues(day, orgCode, siteId, part?.Number, part?.Sku);
        var buffer = new StringBuilder();
        var numbers = new List<string>(count);
        for (var seq = last + 1; numbers.Count < count && seq <= compiled.MaxSequence; seq++)
        {
            numbers.Add(compiled.Render(values, seq, buffer));
        }
        return new FormatPreviewDto(formatId, kind, pattern, reset, period, last + 1, Math.Max(0, compiled.MaxSequence - last), numbers);
    }

    private static Task<long> CounterValueAsync(OperatorDb db, Guid org, string name, CancellationToken ct) =>
        db.Counters.AsNoTracking().Where(c => c.OrganizationId == org && c.Name == name).Select(c => c.Value).FirstOrDefaultAsync(ct);

    // ---------------------------------------------------------------- drawing numbers (inside the caller's transaction)

    /// <summary>
    /// Draws <paramref name="count"/> numbers of <paramref name="format"/> for <paramref name="part"/> (or the plant's
    /// default numbering when <paramref name="format"/> is null) inside the caller's open transaction: one counter
    /// update for the whole batch. A sequence that would pass the pattern's width is refused before anything is kept
    /// (the caller rolls back, which gives the counter back).
    /// </summary>
    internal async Task<Result<IReadOnlyList<string>>> DrawInAsync(OperatorDb db, SerialFormat? format, Part part, int count, string? siteId, CancellationToken ct)
    {
        if (format is null) return await numbering.NextAsync(db, part, count, ct);
        if (!format.IsActive)
        {
            return WorkflowErrors.Invalid("formatConfigId", $"Serial format {format.Name} is inactive");
        }
        var org = part.OrganizationId;
        var orgCode = await db.Organizations.Where(o => o.Id == org).Select(o => o.Code).SingleAsync(ct);
        if (format.Kind == FormatKinds.PublicCode)
        {
            var check = CheckPublicCodePart(part, format.ProductionType, orgCode);
            if (check is not null) return check;
            return await numbering.NextAsync(db, part, count, ct);
        }

        var parsed = SerialPattern.Parse(format.Pattern);
        if (!parsed.IsSuccess)
        {
            return WorkflowErrors.Invalid("formatConfigId", $"Serial format {format.Name} has an invalid pattern; fix it under Serial formats");
        }
        var pattern = parsed.Value;
        if (pattern.Uses(PatternTokenKind.Site) && string.IsNullOrEmpty(siteId))
        {
            return WorkflowErrors.Invalid("context.siteId", $"Serial format {format.Name} prints the site ({{SITE}}): give context.siteId");
        }
        var day = Today;
        var period = SerialPattern.Period(format.ResetPolicy, day);
        var last = await db.NextAsync(org, SerialPattern.CounterName(format.Id, period), count, ct);
        if (last > pattern.MaxSequence)
        {
            var first = last - count + 1;
            return WorkflowErrors.Invalid("formatConfigId", first > pattern.MaxSequence
                ? $"Serial format {format.Name} has no numbers left in period {period}: {{SEQ:{pattern.SequenceWidth}}} allows at most {pattern.MaxSequence}"
                : $"Serial format {format.Name} has only {pattern.MaxSequence - first + 1} number(s) left in period {period} ({{SEQ:{pattern.SequenceWidth}}} allows at most {pattern.MaxSequence}); {count} were asked for");
        }
        var values = new PatternValues(day, orgCode, siteId, part.Number, part.Sku);
        var buffer = new StringBuilder(48);
        var numbers = new string[count];
        for (var i = 0; i < count; i++)
        {
            numbers[i] = pattern.Render(values, last - count + 1 + i, buffer);
        }
        if (numbers[0].Length > SerialPattern.MaxNumberLength || numbers[^1].Length > SerialPattern.MaxNumberLength)
        {
            return WorkflowErrors.Invalid("formatConfigId", $"Serial format {format.Name} gives numbers longer than {SerialPattern.MaxNumberLength} characters for this part and site");
        }
        return numbers;
    }

    private static Error? CheckPublicCodePart(Part part, string? formatProductionType, string orgCode)
    {
        if (!part.PubliclyVerifiable)
        {
            return WorkflowErrors.Invalid("partId", $"Part {part.Number} is not publicly verifiable: a PUBLIC_CODE format needs a verifiable part");
        }
        if (formatProductionType is not null && part.ProductionType != formatProductionType)
        {
            return WorkflowErrors.Invalid("formatConfigId", $"The format issues {formatProductionType} codes but part {part.Number} is {part.ProductionType ?? "not coded"}");
        }
        if (part.ProductionType is null || !SerialCodeFormat.IsSku(part.Sku.ToUpperInvariant()))
        {
            return WorkflowErrors.Invalid("partId", $"Part {part.Number} needs a production type and an SKU of 2-12 letters and digits for public codes");
        }
        if (!SerialCodeFormat.IsOrgCode(orgCode))
        {
            return Error.Conflict($"Organization code {orgCode} cannot appear in public codes");
        }
        return null;
    }

    // ---------------------------------------------------------------- helpers

    private DateTime Now => time.GetUtcNow().UtcDateTime;
    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public static SerialFormatDto ToDto(SerialFormat f) =>
        new(f.Id, f.Name, f.Kind, f.Pattern, f.ResetPolicy, f.ProductionType, f.IsActive, f.CreatedAt, f.UpdatedAt);
}
