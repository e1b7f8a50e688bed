namespace Operator.Features.MasterData;

/// <summary>A part. <see cref="ProductionType"/> is HAT or OEM (null: not coded); <see cref="PubliclyVerifiable"/>: its new serials get signed public codes.</summary>
public sealed record PartDto(Guid Id, string Number, string Sku, string Name, string? Description, string Uom, string? ProductionType, bool PubliclyVerifiable, DateTime CreatedAt);
/// <summary><c>isQualityCheckpoint</c>: completing the step raises the part's QUALITY_CHECKPOINT serialization triggers.</summary>
public sealed record StepDto(Guid Id, int Sequence, string Code, string Name, bool IsQualityCheckpoint = false);
public sealed record PathDto(Guid Id, string Code, string Name, Guid? PartId, IReadOnlyList<StepDto> Steps);
public sealed record WorkOrderDto(Guid Id, string Number, Guid PartId, string PartNumber, string PartName, Guid PathId, string PathCode, int Quantity, string Status, DateTime? DueAt, DateTime CreatedAt);
public sealed record LocationDto(Guid Id, string Code, string Name);
public sealed record LicensePlateDto(Guid Id, string Number, Guid PartId, string PartNumber, double Quantity, string Uom, Guid? LocationId, string? LocationName, string QaStatus, DateTime CreatedAt);
public sealed record BatchDto(Guid Id, string Number, Guid PartId, string PartNumber, double Quantity, string Uom, DateTime? ProducedAt, DateTime CreatedAt);

/// <summary>POST /api/parts body.</summary>
/// <param name="ProductionType">HAT or OEM (case-insensitive; the long names hatthasilpa and oem are accepted too), or null when the part is not coded.</param>
/// <param name="PubliclyVerifiable">Whether the part's serials get signed public codes; default false. True needs a production type.</param>
public sealed record CreatePartRequest(string? Number, string? Sku, string? Name, string? Description, string? Uom, string? ProductionType = null, bool? PubliclyVerifiable = null);

/// <summary>PUT /api/parts/{id}/verification body: the part's public verification settings, both replaced.</summary>
/// <param name="PubliclyVerifiable">Required. True: serials numbered from now on get signed public codes.</param>
/// <param name="ProductionType">HAT or OEM (case-insensitive; hatthasilpa and oem too), or null. Required when publicly verifiable.</param>
public sealed record UpdatePartVerificationRequest(bool? PubliclyVerifiable, string? ProductionType);
public sealed record CreateStepRequest(string? Code, string? Name, bool? IsQualityCheckpoint = null);
/// <summary>PUT /api/paths/{id}/steps/{stepId} body.</summary>
/// <param name="IsQualityCheckpoint">Required. True: completing the step raises the part's QUALITY_CHECKPOINT triggers from now on.</param>
public sealed record UpdateStepRequest(bool? IsQualityCheckpoint);
public sealed record CreatePathRequest(string? Code, string? Name, Guid? PartId, IReadOnlyList<CreateStepRequest>? Steps);
public sealed record CreateWorkOrderRequest(string? Number, Guid? PartId, Guid? PathId, int? Quantity, DateTime? DueAt);
public sealed record CreateLocationRequest(string? Code, string? Name);
public sealed record CreateLicensePlateRequest(string? Number, Guid? PartId, double? Quantity, string? Uom, Guid? LocationId);
public sealed record CreateBatchRequest(string? Number, Guid? PartId, double? Quantity, string? Uom, DateTime? ProducedAt);
