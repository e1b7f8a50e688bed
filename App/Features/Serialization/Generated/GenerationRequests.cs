using System.Text.Json;
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
