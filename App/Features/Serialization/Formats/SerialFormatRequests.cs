using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serialization;

// The serial formats' bodies. FromJson reads the JSON types (in the order the contract reports them); Check is the value
// rule the service runs (pages call the service with the record directly and get the same words).

/// <summary>POST /formats. Nullable text so the rule, not the binder, names what is wrong.</summary>
public sealed record CreateSerialFormatRequest(
    string? Name, string? Kind = FormatKinds.Pattern, string? Pattern = null, string? ResetPolicy = null, string? ProductionType = null,
    bool? IsActive = null, string? CreatedBy = null) : IJsonRequest<CreateSerialFormatRequest>
{
    public static Result<CreateSerialFormatRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        var name = f.String("name");
        var kind = f.Enum("kind", FormatKinds.All);
        var reset = f.Enum("resetPolicy", SequenceReset.All);
        var productionType = f.Enum("productionType", SerialFormatService.ProductionTypeCodes);
        var active = f.Bool("isActive");
        var createdBy = f.String("createdBy");
        var pattern = f.String("pattern");
        return f.Bind(new CreateSerialFormatRequest(name, kind, pattern, reset, productionType, active, createdBy), (r, c) => r.Check(c));
    }

    internal (string? Name, string? Kind, string? Reset, string? ProductionType, string? Pattern) Check(Checks c)
    {
        var name = c.FieldText("name", Name, true, 100);
        var kind = c.FieldEnum("kind", Kind ?? FormatKinds.Pattern, FormatKinds.All, false);
        var reset = c.FieldEnum("resetPolicy", ResetPolicy, SequenceReset.All, false);
        var productionType = c.FieldEnum("productionType", ProductionType, SerialFormatService.ProductionTypeCodes, false);
        c.Actor("createdBy", CreatedBy);
        var pattern = kind is null ? null : SerialFormatService.CheckPattern(c, kind, Pattern, ref reset);
        return (name, kind, reset, productionType, pattern);
    }
}

/// <summary>
/// PATCH /formats/{id}: only the fields present change; a null productionType clears it. <see cref="Given"/> names the
/// properties the body had; null (pages) means the whole form, so a cleared production type clears.
/// </summary>
public sealed record UpdateSerialFormatRequest(
    string? Name = null, string? Kind = null, string? Pattern = null, string? ResetPolicy = null, string? ProductionType = null,
    bool? IsActive = null, string? UpdatedBy = null) : IJsonRequest<UpdateSerialFormatRequest>
{
    public IReadOnlySet<string>? Given { get; init; }

    public bool Has(string property) => Given?.Contains(property) ?? true;

    public static Result<UpdateSerialFormatRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        var name = f.String("name");
        var kind = f.Enum("kind", FormatKinds.All);
        var reset = f.Enum("resetPolicy", SequenceReset.All);
        var productionType = f.Enum("productionType", SerialFormatService.ProductionTypeCodes);
        var active = f.Bool("isActive");
        var updatedBy = f.String("updatedBy");
        var pattern = f.String("pattern");
        var request = new UpdateSerialFormatRequest(name, kind, pattern, reset, productionType, active, updatedBy)
        {
            Given = f.Present("productionType") ? new HashSet<string>(StringComparer.Ordinal) { "productionType" } : new HashSet<string>(StringComparer.Ordinal),
        };
        return f.Bind(request, (r, c) => r.Check(c));
    }

    /// <summary>What can be checked before the saved format is read (the pattern against the new kind is checked after).</summary>
    internal (string? Name, string? Kind, string? Reset, string? ProductionType) Check(Checks c)
    {
        var name = c.FieldText("name", Name, false, 100);
        var kind = c.FieldEnum("kind", Kind, FormatKinds.All, false);
        var reset = c.FieldEnum("resetPolicy", ResetPolicy, SequenceReset.All, false);
        var productionType = c.FieldEnum("productionType", ProductionType, SerialFormatService.ProductionTypeCodes, false);
        c.Actor("updatedBy", UpdatedBy);
        if (Pattern is not null && (Kind ?? FormatKinds.Pattern) == FormatKinds.Pattern) SerialPattern.Tokenize(Pattern, SerialPattern.Field, c);
        return (name, kind, reset, productionType);
    }
}

/// <summary>POST /formats/preview: numbers an unsaved (or edited) pattern would give.</summary>
public sealed record PreviewPatternRequest(
    string? Pattern, string? Kind = FormatKinds.Pattern, string? ResetPolicy = null, string? PartId = null, string? SiteId = null,
    string? FormatId = null, int? Count = null) : IJsonRequest<PreviewPatternRequest>
{
    public static Result<PreviewPatternRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        var kind = f.Enum("kind", FormatKinds.All);
        var reset = f.Enum("resetPolicy", SequenceReset.All);
        var partId = f.String("partId");
        var siteId = f.String("siteId");
        var formatId = f.String("formatId");
        var count = f.Int("count");
        var pattern = f.String("pattern");
        return f.Bind(new PreviewPatternRequest(pattern, kind, reset, partId, siteId, formatId, count), (r, c) => r.Check(c));
    }

    internal (string Kind, string? Reset, Guid? PartId, string? SiteId, Guid? FormatId, int Count, string? Pattern) Check(Checks c)
    {
        var kind = c.FieldEnum("kind", Kind, FormatKinds.All, false) ?? FormatKinds.Pattern;
        var reset = c.FieldEnum("resetPolicy", ResetPolicy, SequenceReset.All, false);
        var partId = c.FieldUuid("partId", PartId, false);
        var siteId = c.FieldText("siteId", SiteId, false, 50);
        var formatId = c.FieldUuid("formatId", FormatId, false);
        var count = c.FieldRange("count", Count, 1, SerialFormatService.MaxPreview) ?? 5;
        var pattern = SerialFormatService.CheckPattern(c, kind, Pattern, ref reset);
        return (kind, reset, partId, siteId, formatId, count, pattern);
    }
}

/// <summary>GET /formats: isActive filters (none: every format); a page.</summary>
public sealed record SerialFormatListQuery(PageParams Page, bool? IsActive = null)
{
    public void Check(Checks checks) => Page.Check(checks);
}

/// <summary>The formats list's query string, typed at the group's edge (see <see cref="QueryText"/>).</summary>
public sealed class SerialFormatListQueryString : IBoundRequest
{
    private Result<SerialFormatListQuery>? bound;

    [FromQuery(Name = "isActive")] public string? IsActive { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "offset")] public string? Offset { get; init; }

    public SerialFormatListQuery Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<SerialFormatListQuery> Bound => bound ??= Bind();

    private Result<SerialFormatListQuery> Bind()
    {
        var text = new QueryText("limit", "offset", "isActive");
        var page = text.Page(Limit, Offset);
        return text.Bind(new SerialFormatListQuery(page, text.Bool("isActive", IsActive)), (query, checks) => query.Check(checks));
    }
}

/// <summary>GET /formats/{id}/preview: how many numbers (1-50, default 5), and the part and site that fill {PART}, {SKU}, {SITE}.</summary>
public sealed record FormatPreviewQuery(int Count = FormatPreviewQuery.DefaultCount, Guid? PartId = null, string? SiteId = null)
{
    public const int DefaultCount = 5;
    public const int MaxSite = 50;

    public static readonly string CountMessage = $"count must be an integer between 1 and {SerialFormatService.MaxPreview}";

    public void Check(Checks checks)
    {
        if (Count is < 1 or > SerialFormatService.MaxPreview) checks.Add(Checks.P("count"), CountMessage, "invalid_type");
        if (SiteId is { Length: > MaxSite }) checks.Add(Checks.P("siteId"), $"String must contain at most {MaxSite} character(s)", "too_big");
    }
}

/// <summary>The preview's query string, typed at the group's edge (see <see cref="QueryText"/>).</summary>
public sealed class FormatPreviewQueryString : IBoundRequest
{
    private Result<FormatPreviewQuery>? bound;

    [FromQuery(Name = "count")] public string? Count { get; init; }
    [FromQuery(Name = "partId")] public string? PartId { get; init; }
    [FromQuery(Name = "siteId")] public string? SiteId { get; init; }

    public FormatPreviewQuery Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<FormatPreviewQuery> Bound => bound ??= Bind();

    private Result<FormatPreviewQuery> Bind()
    {
        var text = new QueryText("count", "partId", "siteId");
        var count = text.Int("count", Count, FormatPreviewQuery.CountMessage) ?? FormatPreviewQuery.DefaultCount;
        return text.Bind(new FormatPreviewQuery(count, text.Uuid("partId", PartId), SiteId), (query, checks) => query.Check(checks));
    }
}
