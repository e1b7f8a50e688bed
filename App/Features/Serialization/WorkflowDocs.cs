namespace Operator.Features.Serialization;

/// <summary>For the OpenAPI document: the success envelope every /api/v1/serialization answer comes in.</summary>
public sealed record WorkflowEnvelope<T>(bool Success, T Data, string? Error, DateTime Timestamp);

public sealed record WorkflowErrorDetail(string Field, string Message);

/// <summary>For the OpenAPI document: the error envelope (details for VALIDATION_ERROR, resourceType/resourceId for NOT_FOUND).</summary>
public sealed record WorkflowErrorEnvelope(
    bool Success, object? Data, string Error, string Message, IReadOnlyList<WorkflowErrorDetail>? Details, string? ResourceType, string? ResourceId, DateTime Timestamp);

public static class WorkflowDocs
{
    public static RouteHandlerBuilder ProducesWorkflowErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<WorkflowErrorEnvelope>(status);
        }
        return builder;
    }
}
