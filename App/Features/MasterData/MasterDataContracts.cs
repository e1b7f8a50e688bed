namespace Operator.Features.MasterData;

public sealed record PartDto(Guid Id, string Number, string Sku, string Name, string? Description, string Uom, DateTime CreatedAt);
public sealed record StepDto(Guid Id, int Sequence, string Code, string Name);
public sealed record PathDto(Guid Id, string Code, string Name, Guid? PartId, IReadOnlyList<StepDto> Steps);
public sealed record WorkOrderDto(Guid Id, string Number, Guid PartId, string PartNumber, string PartName, Guid PathId, string PathCode, int Quantity, string Status, DateTime? DueAt, DateTime CreatedAt);
public sealed record LocationDto(Guid Id, string Code, string Name);
public sealed record LicensePlateDto(Guid Id, string Number, Guid PartId, string PartNumber, double Quantity, string Uom, Guid? LocationId, string? LocationName, string QaStatus, DateTime CreatedAt);
public sealed record BatchDto(Guid Id, string Number, Guid PartId, string PartNumber, double Quantity, string Uom, DateTime? ProducedAt, DateTime CreatedAt);

public sealed record CreatePartRequest(string? Number, string? Sku, string? Name, string? Description, string? Uom);
public sealed record CreateStepRequest(string? Code, string? Name);
public sealed record CreatePathRequest(string? Code, string? Name, Guid? PartId, IReadOnlyList<CreateStepRequest>? Steps);
public sealed record CreateWorkOrderRequest(string? Number, Guid? PartId, Guid? PathId, int? Quantity, DateTime? DueAt);
public sealed record CreateLocationRequest(string? Code, string? Name);
public sealed record CreateLicensePlateRequest(string? Number, Guid? PartId, double? Quantity, string? Uom, Guid? LocationId);
public sealed record CreateBatchRequest(string? Number, Guid? PartId, double? Quantity, string? Uom, DateTime? ProducedAt);
