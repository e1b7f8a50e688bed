using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Signatures;

namespace Operator.Features.Serialization;

// Spec section 1's bodies. FromJson reads the JSON types; Check is the value rule the service runs (pages call the
// service with the record directly and get the same words).

public sealed record ReceiveVendorSerialRequest(string? VendorSerialNumber, string? VendorName, string? PartId, DateTime? ReceivedDate = null)
    : IJsonRequest<ReceiveVendorSerialRequest>
{
    public static Result<ReceiveVendorSerialRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new ReceiveVendorSerialRequest(f.String("vendorSerialNumber"), f.String("vendorName"), f.String("partId"), f.Time("receivedDate")),
            (r, c) => r.Check(c));
    }

    internal (string? Number, string? Vendor, Guid? PartId) Check(Checks c) =>
        (c.FieldText("vendorSerialNumber", VendorSerialNumber, true, 100), c.FieldText("vendorName", VendorName, true, 200), c.FieldUuid("partId", PartId, true));
}

/// <summary><c>signature</c> (an extension): the signer's password and meaning, required when the organization requires signatures.</summary>
public sealed record AcceptVendorSerialRequest(string? AcceptedBy = null, string? InternalSerialId = null, SignatureInput? Signature = null)
    : IJsonRequest<AcceptVendorSerialRequest>
{
    public static bool BodyOptional => true;

    public static Result<AcceptVendorSerialRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new AcceptVendorSerialRequest(f.String("acceptedBy"), f.String("internalSerialId"), SignatureJson.Read(body, f.Fields.Checks)), (r, c) => r.Check(c));
    }

    internal string? Check(Checks c)
    {
        c.Actor("acceptedBy", AcceptedBy);
        return c.FieldText("internalSerialId", InternalSerialId, false, 100);
    }
}

/// <summary><c>signature</c> (an extension): as for accept; a rejection's signature needs a comment.</summary>
public sealed record RejectVendorSerialRequest(string? RejectionReason, string? RejectedBy = null, SignatureInput? Signature = null)
    : IJsonRequest<RejectVendorSerialRequest>
{
    public static Result<RejectVendorSerialRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new RejectVendorSerialRequest(f.String("rejectionReason"), f.String("rejectedBy"), SignatureJson.Read(body, f.Fields.Checks)), (r, c) => r.Check(c));
    }

    internal string? Check(Checks c)
    {
        var reason = c.FieldText("rejectionReason", RejectionReason, true, 500);
        c.Actor("rejectedBy", RejectedBy);
        return reason;
    }
}

/// <summary>GET /vendor/part/{partId}'s filter and page (and the vendor serials page's): status PENDING, ACCEPTED or REJECTED.</summary>
public sealed record VendorSerialListQuery(PageParams Page, string? Status = null)
{
    public void Check(Checks checks)
    {
        Page.Check(checks);
        if (Status is not null) checks.OneOf(Checks.P("status"), Status, VendorSerialStatus.All);
    }
}

/// <summary>The list's query string, typed at the group's edge (see <see cref="QueryText"/>).</summary>
public sealed class VendorSerialListQueryString : IBoundRequest
{
    private Result<VendorSerialListQuery>? bound;

    [FromQuery(Name = "status")] public string? Status { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }
    [FromQuery(Name = "offset")] public string? Offset { get; init; }

    public VendorSerialListQuery Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<VendorSerialListQuery> Bound => bound ??= Bind();

    private Result<VendorSerialListQuery> Bind()
    {
        var text = new QueryText("limit", "offset", "status");
        return text.Bind(new VendorSerialListQuery(text.Page(Limit, Offset), Status), (query, checks) => query.Check(checks));
    }
}
