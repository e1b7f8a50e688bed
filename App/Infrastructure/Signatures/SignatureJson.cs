using System.Text.Json;
using Operator.Infrastructure.Api;

namespace Operator.Infrastructure.Signatures;

/// <summary>
/// Reads the optional <c>signature</c> object of a decision's body: <c>{"password", "meaning", "comment"?}</c>. Absent or
/// <c>null</c> is no signature; another JSON type, or fields that are no strings, are type issues under <c>signature</c>.
/// </summary>
public static class SignatureJson
{
    public const string Property = "signature";

    public static SignatureInput? Read(JsonElement body, Checks checks)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(Property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var fields = new JsonFields(value, checks, Property);
        return fields.IsObject
            ? new SignatureInput(fields.String("password", nullable: true), fields.String("meaning", nullable: true), fields.String("comment", nullable: true))
            : null;
    }
}
