using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serialization;

// Spec section 3's bodies. FromJson reads the JSON types; Check is the value rule the service runs (pages call the
// service with the record directly and get the same words).

public sealed record CreatePlaceholderRequest(string? PartId, string? WorkOrderId = null, string? OperationCode = null, int? Quantity = null, string? CreatedBy = null)
    : IJsonRequest<CreatePlaceholderRequest>
{
    public static Result<CreatePlaceholderRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new CreatePlaceholderRequest(f.String("partId"), f.String("workOrderId"), f.String("operationCode"), f.Int("quantity"), f.String("createdBy")),
            (r, c) => r.Check(c));
    }

    internal (Guid? PartId, Guid? WorkOrderId, string? OperationCode, int Quantity) Check(Checks c)
    {
        var partId = c.FieldUuid("partId", PartId, true);
        var workOrderId = c.FieldUuid("workOrderId", WorkOrderId, false);
        var operation = c.FieldText("operationCode", OperationCode, false, 40);
        var quantity = c.FieldRange("quantity", Quantity, 1, PlaceholderService.MaxQuantity) ?? 1;
        c.Actor("createdBy", CreatedBy);
        return (partId, workOrderId, operation, quantity);
    }
}

public sealed record AssignPlaceholderRequest(string? SerialNumber, string? AssignedBy = null) : IJsonRequest<AssignPlaceholderRequest>
{
    public static Result<AssignPlaceholderRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new AssignPlaceholderRequest(f.String("serialNumber"), f.String("assignedBy")), (r, c) => r.Check(c));
    }

    internal string? Check(Checks c)
    {
        var number = c.FieldText("serialNumber", SerialNumber, true, 100);
        c.Actor("assignedBy", AssignedBy);
        if (number is not null && number.Any(ch => ch is < '!' or > '~'))
        {
            c.Add(Checks.P("serialNumber"), "Serial number format invalid: printable ASCII without spaces");
        }
        return number;
    }
}

public sealed record FailPlaceholderRequest(string? Reason, string? FailedBy = null) : IJsonRequest<FailPlaceholderRequest>
{
    public static Result<FailPlaceholderRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new FailPlaceholderRequest(f.String("reason"), f.String("failedBy")), (r, c) => r.Check(c));
    }

    internal string? Check(Checks c)
    {
        var reason = c.FieldText("reason", Reason, true, 500);
        c.Actor("failedBy", FailedBy);
        return reason;
    }
}

/// <summary>GET /late-assignment/pending: a page, optionally of one part, work order and operation (1-40).</summary>
public sealed record PendingPlaceholderQuery(PageParams Page, Guid? PartId = null, Guid? WorkOrderId = null, string? OperationCode = null)
{
    public const int MaxOperationCode = 40;

    public void Check(Checks checks)
    {
        Page.Check(checks);
        if (OperationCode is { Length: > MaxOperationCode })
        {
            checks.Add(Checks.P("operationCode"), $"String must contain at most {MaxOperationCode} character(s)", "too_big");
        }
    }
}

/// <summary>The pending list's query string, typed at the group's edge (see <see cref="QueryText"/>).</summary>
public sealed class PendingPlaceholderQueryString : IBoundRequest
{
    private Result<PendingPlaceholderQuery>? bound;

    [FromQuery(Name = "partId")] public string? PartId { get; init; }
    [FromQuery(Name = "workOrderId")] public string? WorkOrderId { get; init; }
    [FromQuery(Name = "operationCode")] public string? OperationCode { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "offset")] public string? Offset { get; init; }

    public PendingPlaceholderQuery Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<PendingPlaceholderQuery> Bound => bound ??= Bind();

    private Result<PendingPlaceholderQuery> Bind()
    {
        var text = new QueryText("limit", "offset", "partId", "workOrderId", "operationCode");
        var page = text.Page(Limit, Offset);
        var query = new PendingPlaceholderQuery(page, text.Uuid("partId", PartId), text.Uuid("workOrderId", WorkOrderId), OperationCode);
        return text.Bind(query, (q, checks) => q.Check(checks));
    }
}
