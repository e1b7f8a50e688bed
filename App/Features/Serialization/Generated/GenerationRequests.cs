using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serialization;

/// <summary>POST /system-generated/generate. FromJson reads the JSON types; Check is the value rule the service runs.</summary>
public sealed record GenerateSerialRequest(string? PartId, string? FormatConfigId = null, string? GeneratedBy = null, IReadOnlyDictionary<string, string>? Context = null)
    : IJsonRequest<GenerateSerialRequest>
{
    public static Result<GenerateSerialRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new GenerateSerialRequest(f.String("partId"), f.String("formatConfigId"), f.String("generatedBy"), f.Scalars("context")),
            (r, c) => r.Check(c));
    }

    internal (Guid? PartId, Guid? FormatId) Check(Checks c)
    {
        var partId = c.FieldUuid("partId", PartId, true);
        var formatId = c.FieldUuid("formatConfigId", FormatConfigId, false);
        c.Actor("generatedBy", GeneratedBy);
        ScalarRules.Check(c, "context", Context);
        return (partId, formatId);
    }
}

/// <summary>GET /system-generated/part/{partId}: a page, optionally of one work order's serials.</summary>
public sealed record GeneratedSerialListQuery(PageParams Page, Guid? WorkOrderId = null)
{
    public void Check(Checks checks) => Page.Check(checks);
}

/// <summary>The list's query string, typed at the group's edge (see <see cref="QueryText"/>).</summary>
public sealed class GeneratedSerialListQueryString : IBoundRequest
{
    private Result<GeneratedSerialListQuery>? bound;

    [FromQuery(Name = "workOrderId")] public string? WorkOrderId { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "offset")] public string? Offset { get; init; }

    public GeneratedSerialListQuery Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<GeneratedSerialListQuery> Bound => bound ??= Bind();

    private Result<GeneratedSerialListQuery> Bind()
    {
        var text = new QueryText("limit", "offset", "workOrderId");
        var page = text.Page(Limit, Offset);
        return text.Bind(new GeneratedSerialListQuery(page, text.Uuid("workOrderId", WorkOrderId)), (query, checks) => query.Check(checks));
    }
}
