using System.Text.Json;
using System.Text.Json.Serialization;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serials;

// /api/serials and /api/certificates answer in the plain convention (camelCase, {"error": ...} on failure).
// A serial is named by its serial number in every response ("serialId" in the attachment, as the spec's example
// shows); its internal UUID is "id" where a whole serial is described.

/// <summary>POST /api/serials/{id}/attach-cert body.</summary>
/// <param name="CertId">The certificate's UUID or its number (<c>CERT-0001</c>).</param>
/// <param name="UserId">UUID of the user of the caller's organization who performs the attachment.</param>
public sealed record AttachCertRequest(string? CertId, Guid? UserId) : IJsonRequest<AttachCertRequest>
{
    /// <summary>The value rules; null when the request is valid.</summary>
    public Error? Check(List<FieldIssue>? issues = null)
    {
        issues ??= [];
        SerialRules.Reference("certId", CertId, required: true, issues);
        SerialRules.Required("userId", UserId, issues);
        return SerialRules.Failure(issues);
    }

    public static Result<AttachCertRequest> FromJson(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        if (SerialFields.Of(body, "a JSON object with certId and userId", issues) is not { } fields) return SerialRules.Failure(issues)!;
        var certId = fields.String("certId", out var certBound);
        if (certBound) SerialRules.Reference("certId", certId, required: true, issues);
        var before = issues.Count;
        var userId = fields.Uuid("userId", "a user id (UUID)", echo: true);
        if (issues.Count == before) SerialRules.Required("userId", userId, issues);
        return SerialRules.Failure(issues) is { } error ? error : new AttachCertRequest(certId, userId);
    }
}

/// <summary>The spec's CertAttachment record, field for field and in its order.</summary>
/// <param name="Id">The attachment's UUID.</param>
/// <param name="SerialId">The serial number (e.g. <c>SN-00001</c> or a signed public code).</param>
/// <param name="CertId">The certificate's UUID.</param>
/// <param name="StepId">UUID of the process step the serial was at when the certificate was attached.</param>
/// <param name="AttachedAt">When the attachment was first recorded (ISO 8601, UTC).</param>
/// <param name="AttachedBy">UUID of the user named in the request that created the attachment.</param>
public sealed record CertAttachmentDto(Guid Id, string SerialId, Guid CertId, Guid StepId, DateTime AttachedAt, Guid AttachedBy);

/// <summary>What an attachment did: <see cref="Created"/> is false when the same certificate was already attached at that step.</summary>
public sealed record AttachOutcome(CertAttachmentDto Attachment, bool Created, string SerialNumber, string CertificateNumber, string StepName);

/// <summary>POST /api/serials/{id}/advance body (optional): refuse when the serial has moved on since the caller looked.</summary>
/// <param name="ExpectedStepId">The step the caller believes the serial is at; 409 when it is somewhere else.</param>
public sealed record AdvanceSerialRequest(Guid? ExpectedStepId = null) : IJsonRequest<AdvanceSerialRequest>
{
    public static bool BodyOptional => true;

    public static Result<AdvanceSerialRequest> FromJson(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Null) return new AdvanceSerialRequest();
        var issues = new List<FieldIssue>();
        if (SerialFields.Of(body, "empty or a JSON object with an optional expectedStepId", issues) is not { } fields) return SerialRules.Failure(issues)!;
        var expected = fields.Uuid("expectedStepId", "a step id (UUID)", echo: false);
        return SerialRules.Failure(issues) is { } error ? error : new AdvanceSerialRequest(expected);
    }
}

/// <summary>POST /api/serials/{id}/scrap body.</summary>
/// <param name="Reason">Why the unit is scrapped, 3-500 characters. Required without a reason code, and with a code that
/// requires text; optional with any other code.</param>
/// <param name="ReasonCode">Optional: an active code of the organization's scrap reason list (<c>GET /api/serials/scrap-reasons</c>).</param>
public sealed record ScrapSerialRequest(string? Reason, string? ReasonCode = null) : IJsonRequest<ScrapSerialRequest>
{
    public static Result<ScrapSerialRequest> FromJson(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        if (SerialFields.Of(body, "a JSON object with a reason and an optional reasonCode", issues) is not { } fields) return SerialRules.Failure(issues)!;
        var reason = fields.String("reason", out var bound);
        var code = fields.String("reasonCode", out var codeBound);
        if (bound && codeBound) SerialRules.ScrapRequest(reason, code, issues);
        return SerialRules.Failure(issues) is { } error ? error : new ScrapSerialRequest(reason, code);
    }
}

/// <summary>POST /api/serials/batch body.</summary>
/// <param name="WorkOrderId">The work order's UUID or number (<c>WO-00001</c>).</param>
/// <param name="Quantity">How many serials to create, 1-10,000.</param>
/// <param name="CertId">Optional certificate (UUID or number) attached to every new serial at the path's first step.</param>
public sealed record BatchCreateSerialsRequest(string? WorkOrderId, int? Quantity, string? CertId = null) : IJsonRequest<BatchCreateSerialsRequest>
{
    /// <summary>The value rules; null when the request is valid.</summary>
    public Error? Check(List<FieldIssue>? issues = null)
    {
        issues ??= [];
        SerialRules.Reference("workOrderId", WorkOrderId, required: true, issues);
        SerialRules.Quantity(Quantity, issues);
        SerialRules.Reference("certId", CertId, required: false, issues);
        return SerialRules.Failure(issues);
    }

    public static Result<BatchCreateSerialsRequest> FromJson(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        if (SerialFields.Of(body, "a JSON object with workOrderId, quantity and an optional certId", issues) is not { } fields) return SerialRules.Failure(issues)!;
        var workOrder = fields.String("workOrderId", out var woBound);
        if (woBound) SerialRules.Reference("workOrderId", workOrder, required: true, issues);
        var quantity = fields.WholeNumber("quantity", $"quantity must be a whole number from 1 to {SerialRules.MaxBatchQuantity:N0}", out var quantityBound);
        if (quantityBound) SerialRules.Quantity(quantity, issues);
        var certId = fields.String("certId", out var certBound);
        if (certBound) SerialRules.Reference("certId", certId, required: false, issues);
        return SerialRules.Failure(issues) is { } error ? error : new BatchCreateSerialsRequest(workOrder, quantity, certId);
    }
}

public sealed record CreatedSerialDto(Guid Id, string SerialNumber);

/// <summary>Answer of a batch create: every new serial, all at the first step of the work order's path.</summary>
public sealed record BatchCreateSerialsResponse(
    Guid WorkOrderId, string WorkOrderNumber, Guid PartId, string PartNumber, Guid PathId, string PathCode,
    Guid StepId, string StepName, int Count, string FirstSerialNumber, string LastSerialNumber, Guid? CertId, string? CertNumber,
    IReadOnlyList<CreatedSerialDto> Serials);

/// <summary>One row of the serials list.</summary>
public sealed record SerialSummaryDto(
    Guid Id, string SerialNumber, string Status, Guid PartId, string PartNumber, string PartName, Guid? WorkOrderId, string? WorkOrderNumber,
    Guid? PathId, string? PathCode, int CurrentStepIndex, int StepCount, string? CurrentStepName, DateTime CreatedAt, DateTime? CompletedAt);

public sealed record SerialPartDto(Guid Id, string Number, string Name, string Sku);

public sealed record SerialWorkOrderDto(Guid Id, string Number, string Status);

public sealed record SerialBatchDto(Guid Id, string Number);

public sealed record SerialPathDto(Guid Id, string Code, string Name);

/// <summary>A certificate attached at a step, as the serial's page and the station show it.</summary>
public sealed record StepAttachmentDto(
    Guid Id, Guid CertId, string CertNumber, string CertType, string Issuer, DateTime AttachedAt, Guid AttachedBy, string AttachedByName);

/// <summary>
/// One step of the serial's path. <see cref="State"/>: <c>done</c> (passed), <c>current</c> (where the unit is),
/// <c>next</c> (the step an advance moves to) or <c>pending</c> (later). A completed serial has every step done.
/// </summary>
public sealed record SerialStepDto(Guid Id, int Sequence, string Code, string Name, string State, IReadOnlyList<StepAttachmentDto> Attachments);

/// <summary>An active quality hold on the serial's work order or batch: advance and complete are refused while it lasts.</summary>
public sealed record SerialHoldDto(Guid HoldId, string HoldNumber, string Priority, string HoldType, string Reason, string ReferenceType, string ReferenceDisplay, string Message);

/// <summary>One entry of the step history: what happened at which step, by whom, when.</summary>
public sealed record StepEventDto(Guid? StepId, int StepIndex, string StepName, string Event, Guid? UserId, string? UserName, DateTime At, string? Note);

/// <summary>One audit trail entry of the serial.</summary>
public sealed record SerialAuditDto(long Sequence, DateTime At, string? UserEmail, string Action, string Summary);

/// <summary>GET /api/serials/{id}: the unit with its path progress, certificates per step, blocking holds and history.</summary>
public sealed record SerialDetailDto(
    Guid Id, string SerialNumber, string Status, int CurrentStepIndex, Guid? CurrentStepId, string? CurrentStepName,
    SerialPartDto Part, SerialWorkOrderDto? WorkOrder, SerialBatchDto? Batch, SerialPathDto? Path,
    IReadOnlyList<SerialStepDto> Steps, IReadOnlyList<SerialHoldDto> BlockingHolds, IReadOnlyList<StepEventDto> History,
    IReadOnlyList<SerialAuditDto> Audit,
    string Origin, string? ScrapReason, string? CancelReason, DateTime CreatedAt, DateTime? CompletedAt, DateTime? ScrappedAt, DateTime UpdatedAt,
    string? ScrapReasonCode = null, string? ScrapReasonLabel = null)
{
    // Conveniences for the pages; not part of the API's answer.
    [JsonIgnore] public bool IsCompleted => Status == SerialStatus.Completed || CurrentStepIndex == Serial.CompletedStepIndex;
    [JsonIgnore] public bool IsBlocked => BlockingHolds.Count > 0;
    [JsonIgnore] public bool CanMove => Status == SerialStatus.InProgress && CurrentStepId is not null;
    [JsonIgnore] public bool AtLastStep => CanMove && CurrentStepIndex == Steps.Count - 1;
    [JsonIgnore] public SerialStepDto? NextStep => CanMove && CurrentStepIndex + 1 < Steps.Count ? Steps[CurrentStepIndex + 1] : null;
}

/// <summary><c>GET /api/serials</c> query.</summary>
public sealed record SerialListQuery(string? Search = null, Guid? PartId = null, Guid? WorkOrderId = null, string? Status = null, int? Limit = null, int? Offset = null);

// ---------------------------------------------------------------- certificates

/// <summary>POST /api/certificates body.</summary>
/// <param name="Number">Optional; drawn from the organization's counter (<c>CERT-0001</c>) when not given. At most 60 characters, unique in the organization.</param>
/// <param name="Type"><c>material</c> or <c>process</c>.</param>
/// <param name="Issuer">Who issued it (mill, lab, notified body), 1-200 characters.</param>
/// <param name="IssuedAt">Issue date (ISO 8601).</param>
/// <param name="ExpiresAt">Optional expiry, not before the issue date.</param>
/// <param name="Description">Optional, up to 1000 characters.</param>
public sealed record CreateCertificateRequest(string? Number, string? Type, string? Issuer, DateTime? IssuedAt, DateTime? ExpiresAt = null, string? Description = null);

public sealed record CertificateDto(
    Guid Id, string Number, string Type, string Issuer, DateTime IssuedAt, DateTime? ExpiresAt, string? Description,
    bool HasDocument, string? DocumentName, long? DocumentSize, string? DocumentSha256, DateTime CreatedAt);

/// <summary>Where a certificate is attached: which serial, at which step, when and by whom.</summary>
public sealed record CertificateUseDto(Guid AttachmentId, Guid SerialUuid, string SerialId, string SerialStatus, Guid StepId, string StepName, int StepIndex,
    DateTime AttachedAt, Guid AttachedBy, string AttachedByName);

/// <summary>GET /api/certificates/{id}: the certificate, how often it is attached, and its latest attachments.</summary>
public sealed record CertificateDetailDto(CertificateDto Certificate, int AttachmentCount, IReadOnlyList<CertificateUseDto> Attachments);

public sealed record CertificateListQuery(string? Search = null, string? Type = null, int? Limit = null, int? Offset = null);

/// <summary>A certificate's PDF, for download.</summary>
public sealed record CertificateDocumentFile(byte[] Content, string FileName, string ContentType);
