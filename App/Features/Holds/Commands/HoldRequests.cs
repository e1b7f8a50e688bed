using System.Text.Json;
using System.Text.Json.Serialization;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Signatures;
using static Operator.Infrastructure.Api.Checks;

namespace Operator.Features.Holds;

// The holds contract is snake_case. The explicit names make the OpenAPI document (which describes with the app-wide
// camelCase options) show the names callers actually send.

/// <summary>
/// POST body. Everything is nullable so that the value rules (<see cref="HoldValidation.Create(CreateHoldRequest)"/>), not
/// the binder, say what is missing or out of bounds, for the API and the pages alike.
/// </summary>
public sealed record CreateHoldRequest(
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("hold_type")] string? HoldType,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("items")] IReadOnlyList<CreateHoldItemRequest?>? Items) : IJsonRequest<CreateHoldRequest>
{
    /// <summary>
    /// Checks the JSON types. A wrong type is reported together with the value rules of the fields that did bind, in the
    /// contract's order; the reader before it has already refused unreadable text, duplicate keys and excessive depth.
    /// </summary>
    public static Result<CreateHoldRequest> FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return HoldRequests.NotAnObject(body);
        var checks = new Checks();
        var fields = new JsonFields(body, checks);
        var reason = fields.String("reason", nullable: false);
        var holdType = fields.String("hold_type", nullable: false, HoldValidation.Expected(HoldTypes.All));
        var priority = fields.String("priority", nullable: true, HoldValidation.Expected(HoldPriorities.All));
        var list = fields.Array("items", nullable: false);
        var items = list is null ? null
            // Too many items are refused whatever they say, so they are not read (their count is what matters).
            : list.Count > HoldValidation.MaxItems ? new CreateHoldItemRequest?[list.Count]
            : list.Select((element, index) => CreateHoldItemRequest.Bind(element, checks, index)).ToArray();
        var request = new CreateHoldRequest(reason, holdType, priority, items);
        return checks.Failed ? HoldValidation.Create(request, checks.Issues).Error! : request;
    }
}

public sealed record CreateHoldItemRequest(
    [property: JsonPropertyName("reference_type")] string? ReferenceType,
    [property: JsonPropertyName("reference_id")] string? ReferenceId,
    [property: JsonPropertyName("quantity_held")] double? QuantityHeld = null,
    [property: JsonPropertyName("uom")] string? Uom = null,
    [property: JsonPropertyName("notes")] string? Notes = null)
{
    internal static CreateHoldItemRequest? Bind(JsonElement element, Checks checks, int index)
    {
        var fields = new JsonFields(element, checks, "items", index);
        if (!fields.IsObject) return null;
        return new CreateHoldItemRequest(
            fields.String("reference_type", nullable: false, HoldValidation.Expected(ReferenceTypes.All)),
            fields.String("reference_id", nullable: false),
            fields.Number("quantity_held"),
            fields.String("uom", nullable: true),
            fields.String("notes", nullable: true));
    }
}

/// <summary>
/// PATCH /{id}/release body. Extensions of the contract: <see cref="ItemDispositions"/> (<c>item_dispositions</c>): item id →
/// disposition for items that take another disposition than the hold's, the others take <see cref="Disposition"/>;
/// <c>signature</c>: the signer's password and meaning.
/// </summary>
public sealed record ReleaseHoldRequest(
    [property: JsonPropertyName("disposition")] string? Disposition,
    [property: JsonPropertyName("release_notes")] string? ReleaseNotes = null,
    [property: JsonPropertyName("item_dispositions")] IReadOnlyDictionary<string, string>? ItemDispositions = null,
    [property: JsonPropertyName("signature")] SignatureInput? Signature = null) : IJsonRequest<ReleaseHoldRequest>
{
    public static Result<ReleaseHoldRequest> FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return HoldRequests.NotAnObject(body);
        var checks = new Checks();
        var fields = new JsonFields(body, checks);
        var request = new ReleaseHoldRequest(
            fields.String("disposition", nullable: false, HoldValidation.Expected(Dispositions.All)),
            fields.String("release_notes", nullable: true),
            fields.Scalars("item_dispositions", maxEntries: int.MaxValue, maxKey: 100, maxValue: 100),
            SignatureJson.Read(body, checks));
        return checks.Failed ? HoldValidation.Release(request, checks.Issues).Error! : request;
    }
}

/// <summary>
/// DELETE /{id} body (an extension of the contract: the documented DELETE has none, and none is still accepted when the
/// organization does not require signatures): <c>{"signature": {"password", "meaning", "comment"?}}</c>.
/// </summary>
public sealed record DisposeHoldRequest([property: JsonPropertyName("signature")] SignatureInput? Signature = null) : IJsonRequest<DisposeHoldRequest>
{
    public static bool BodyOptional => true;

    public static Result<DisposeHoldRequest> FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return HoldRequests.NotAnObject(body);
        var checks = new Checks();
        var request = new DisposeHoldRequest(SignatureJson.Read(body, checks));
        return checks.Failed ? checks.ToError(HoldValidation.InvalidData) : request;
    }
}

internal static class HoldRequests
{
    /// <summary>A body that is JSON but no object: zod's issue at the root (path []).</summary>
    public static Error NotAnObject(JsonElement body) =>
        new Checks().Add(HoldValidation.TypeIssue(P(), "object", JsonFields.Received(body))).ToError(HoldValidation.InvalidData);
}
