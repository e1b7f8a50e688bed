using System.Text.Json;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serialization;

// Spec section 6's bodies and the firing event of 2.2. FromJson reads the JSON types; Check is the value rule the
// service runs (pages call the service with the record directly and get the same words).

public sealed record CreateTriggerRequest(
    string? PartId, string? TriggerType, string? AssignmentType, string? FormatConfigId = null, string? OperationCode = null,
    bool? IsConditional = null, IReadOnlyDictionary<string, string>? Conditions = null, bool? BatchMode = null, int? BatchSize = null,
    bool? IsActive = null, string? CreatedBy = null) : IJsonRequest<CreateTriggerRequest>
{
    public static Result<CreateTriggerRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new CreateTriggerRequest(
            f.String("partId"), f.Enum("triggerType", TriggerTypes.All), f.Enum("assignmentType", AssignmentTypes.All), f.String("formatConfigId"),
            f.String("operationCode"), f.Bool("isConditional"), f.Scalars("conditions", TriggerService.MaxConditions), f.Bool("batchMode"),
            f.Int("batchSize"), f.Bool("isActive"), f.String("createdBy")), (r, c) => r.Check(c));
    }

    internal (Guid? PartId, string? TriggerType, string? AssignmentType, Guid? FormatId, string? OperationCode) Check(Checks c)
    {
        var partId = c.FieldUuid("partId", PartId, true);
        var triggerType = c.FieldEnum("triggerType", TriggerType, TriggerTypes.All, true);
        var assignment = c.FieldEnum("assignmentType", AssignmentType, AssignmentTypes.All, true);
        var formatId = c.FieldUuid("formatConfigId", FormatConfigId, false);
        var operation = c.FieldText("operationCode", OperationCode, false, 40);
        ScalarRules.Check(c, "conditions", Conditions, TriggerService.MaxConditions);
        c.FieldRange("batchSize", BatchSize, 1, GenerationService.MaxBatch);
        c.Actor("createdBy", CreatedBy);
        TriggerService.CheckConditions(c, IsConditional ?? Conditions is { Count: > 0 }, Conditions);
        return (partId, triggerType, assignment, formatId, operation);
    }
}

/// <summary>
/// PATCH /triggers/{id}: fields present change, <c>null</c> clears formatConfigId, operationCode, conditions and batchSize.
/// <see cref="Given"/> names the properties the body had; null (pages) means the whole form: every field but partId.
/// </summary>
public sealed record UpdateTriggerRequest(
    string? TriggerType = null, string? AssignmentType = null, string? FormatConfigId = null, string? OperationCode = null,
    bool? IsConditional = null, IReadOnlyDictionary<string, string>? Conditions = null, bool? BatchMode = null, int? BatchSize = null,
    bool? IsActive = null, string? UpdatedBy = null) : IJsonRequest<UpdateTriggerRequest>
{
    public IReadOnlySet<string>? Given { get; init; }

    public bool Has(string property) => Given?.Contains(property) ?? property != "partId";

    private static readonly string[] Properties =
        ["partId", "triggerType", "assignmentType", "formatConfigId", "operationCode", "isConditional", "conditions", "batchMode", "batchSize", "isActive", "updatedBy"];

    public static Result<UpdateTriggerRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        f.Mark("partId");
        var request = new UpdateTriggerRequest(
            f.Enum("triggerType", TriggerTypes.All), f.Enum("assignmentType", AssignmentTypes.All), f.String("formatConfigId"), f.String("operationCode"),
            f.Bool("isConditional"), f.Scalars("conditions", TriggerService.MaxConditions), f.Bool("batchMode"), f.Int("batchSize"), f.Bool("isActive"),
            f.String("updatedBy"))
        {
            Given = Properties.Where(f.Present).ToHashSet(StringComparer.Ordinal),
        };
        return f.Bind(request, (r, c) => r.Check(c));
    }

    internal (string? TriggerType, string? AssignmentType, Guid? FormatId, string? OperationCode) Check(Checks c)
    {
        if (Has("partId")) c.Add(Checks.P("partId"), "A trigger's part cannot be changed: create a trigger for the other part");
        var triggerType = c.FieldEnum("triggerType", TriggerType, TriggerTypes.All, false);
        var assignment = c.FieldEnum("assignmentType", AssignmentType, AssignmentTypes.All, false);
        var formatId = c.FieldUuid("formatConfigId", FormatConfigId, false);
        var operation = c.FieldText("operationCode", OperationCode, false, 40);
        ScalarRules.Check(c, "conditions", Conditions, TriggerService.MaxConditions);
        c.FieldRange("batchSize", BatchSize, 1, GenerationService.MaxBatch);
        c.Actor("updatedBy", UpdatedBy);
        return (triggerType, assignment, formatId, operation);
    }
}

/// <summary>POST /triggers/{id}/enable: the optional body (who; the audit trail records the signed-in caller).</summary>
public sealed record EnableTriggerRequest(string? EnabledBy = null) : IJsonRequest<EnableTriggerRequest>
{
    public static bool BodyOptional => true;

    public static Result<EnableTriggerRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new EnableTriggerRequest(f.String("enabledBy")), (r, c) => r.Check(c));
    }

    internal void Check(Checks c) => c.Actor("enabledBy", EnabledBy);
}

/// <summary>POST /triggers/{id}/disable: the optional body (who; the audit trail records the signed-in caller).</summary>
public sealed record DisableTriggerRequest(string? DisabledBy = null) : IJsonRequest<DisableTriggerRequest>
{
    public static bool BodyOptional => true;

    public static Result<DisableTriggerRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new DisableTriggerRequest(f.String("disabledBy")), (r, c) => r.Check(c));
    }

    internal void Check(Checks c) => c.Actor("disabledBy", DisabledBy);
}

/// <summary>DELETE /triggers/{id}: the optional body (who; the audit trail records the signed-in caller).</summary>
public sealed record DeleteTriggerRequest(string? DeletedBy = null) : IJsonRequest<DeleteTriggerRequest>
{
    public static bool BodyOptional => true;

    public static Result<DeleteTriggerRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new DeleteTriggerRequest(f.String("deletedBy")), (r, c) => r.Check(c));
    }

    internal void Check(Checks c) => c.Actor("deletedBy", DeletedBy);
}

/// <summary>POST /system-generated/trigger: an event that fires the part's matching active triggers.</summary>
public sealed record FireTriggerRequest(string? PartId, string? TriggerType, IReadOnlyDictionary<string, string>? Context = null, string? TriggeredBy = null)
    : IJsonRequest<FireTriggerRequest>
{
    public static Result<FireTriggerRequest> FromJson(JsonElement body)
    {
        var f = new RequestFields(body);
        return f.Bind(new FireTriggerRequest(f.String("partId"), f.Enum("triggerType", TriggerTypes.All), f.Scalars("context"), f.String("triggeredBy")),
            (r, c) => r.Check(c));
    }

    internal (Guid? PartId, string? TriggerType) Check(Checks c)
    {
        var partId = c.FieldUuid("partId", PartId, true);
        var triggerType = c.FieldEnum("triggerType", TriggerType, TriggerTypes.All, true);
        ScalarRules.Check(c, "context", Context);
        c.Actor("triggeredBy", TriggeredBy);
        return (partId, triggerType);
    }
}
