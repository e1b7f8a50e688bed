using System.Text.Json;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serialization;

// Requests of spec section 4. Every field is nullable so a missing value is named in the VALIDATION_ERROR details
// instead of failing binding. Serial ids are the serial's UUID (the spec's "serial-001"); any other text is looked
// up like an id and answers 404 NOT_FOUND (resourceType SerialNumber). createdBy is accepted for compatibility and
// ignored: the authenticated caller is recorded as the one who performed the propagation.

/// <summary>POST /propagation/pass-through: a unit passed through an operation without becoming another unit.</summary>
public sealed record PassThroughRequest(
    string? SourceSerialId, string? OperationCode, int? RoutingSequence, string? WorkCenterId = null, double? Quantity = null, string? CreatedBy = null) : IJsonRequest<PassThroughRequest>
{
    public static Result<PassThroughRequest> FromJson(JsonElement body) => SerializerBinder.FromJson<PassThroughRequest>(body);
}

/// <summary>POST /propagation/split: one unit became several (each target gets one link of <c>quantity</c>, default 1).</summary>
public sealed record SplitRequest(
    string? SourceSerialId, string? OperationCode, int? RoutingSequence, List<string?>? TargetSerialIds, string? WorkCenterId = null,
    double? Quantity = null, string? CreatedBy = null) : IJsonRequest<SplitRequest>
{
    public static Result<SplitRequest> FromJson(JsonElement body) => SerializerBinder.FromJson<SplitRequest>(body);
}

/// <summary>POST /propagation/merge: several units went into one; the sources are consumed (public status "used").</summary>
public sealed record MergeRequest(
    List<string?>? SourceSerialIds, string? OperationCode, int? RoutingSequence, string? TargetSerialId, string? WorkCenterId = null,
    double? Quantity = null, string? CreatedBy = null) : IJsonRequest<MergeRequest>
{
    public static Result<MergeRequest> FromJson(JsonElement body) => SerializerBinder.FromJson<MergeRequest>(body);
}

/// <summary>
/// POST /propagation/transformation: one or more units were transformed into a different unit (a new part, e.g. hide
/// into panels' parent assembly); like a merge, the sources are consumed. Give <c>sourceSerialIds</c>, or
/// <c>sourceSerialId</c> for the one-to-one case (not both).
/// </summary>
public sealed record TransformationRequest(
    List<string?>? SourceSerialIds, string? OperationCode, int? RoutingSequence, string? TargetSerialId, string? SourceSerialId = null,
    string? WorkCenterId = null, double? Quantity = null, string? CreatedBy = null) : IJsonRequest<TransformationRequest>
{
    public static Result<TransformationRequest> FromJson(JsonElement body) => SerializerBinder.FromJson<TransformationRequest>(body);
}

/// <summary>The recorded pass-through (spec 4.1, plus what was recorded).</summary>
public sealed record PassThroughResponse(
    Guid Id, Guid SourceSerialId, string PropagationType, string OperationCode, int RoutingSequence, string? WorkCenterId, double Quantity,
    string Status, DateTime RecordedAt, Guid? CreatedBy);

/// <summary>One link of a split (spec 4.2 answers an array of these); <c>groupId</c> is shared by the links of one call.</summary>
public sealed record SplitLinkResponse(
    Guid Id, Guid GroupId, Guid SourceSerialId, Guid TargetSerialId, string PropagationType, string OperationCode, int RoutingSequence, double Quantity);

/// <summary>
/// A merge or transformation (spec 4.3): <c>id</c> is the operation's group id (each source has its own link,
/// listed in <c>linkIds</c> in source order); <c>quantity</c> is the sum of the links' quantities.
/// </summary>
public sealed record MergeResponse(
    Guid Id, IReadOnlyList<Guid> SourceSerialIds, Guid TargetSerialId, string PropagationType, string OperationCode, int RoutingSequence,
    double Quantity, IReadOnlyList<Guid> LinkIds, DateTime RecordedAt, Guid? CreatedBy);

/// <summary>GET /propagation/history/{partId}: one link whose source is a unit of the part.</summary>
public sealed record PropagationRecordDto(
    Guid Id, Guid GroupId, Guid SourceSerialId, Guid? TargetSerialId, string OperationCode, int RoutingSequence, string PropagationType,
    string? WorkCenterId, double Quantity, DateTime RecordedAt, Guid? CreatedBy);

/// <summary>GET /propagation/history/{partId} query: filters and paging (limit 1-500, default 50).</summary>
public sealed record PropagationHistoryQuery(string? OperationCode = null, string? PropagationType = null, int? Limit = null, int? Offset = null);

/// <summary>GET /propagation/statistics/{partId}.</summary>
public sealed record PropagationStatisticsDto(
    long TotalPropagations, IReadOnlyDictionary<string, long> ByType, IReadOnlyDictionary<string, long> ByOperation, double AverageDepth);
