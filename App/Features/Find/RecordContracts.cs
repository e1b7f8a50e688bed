using Operator.Features.Holds;

namespace Operator.Features.Find;

/// <summary>
/// A hold that names the record (active or past): its number and state, and for a license plate the QA status the hold
/// found and the one its release gave.
/// </summary>
public sealed record RecordHoldDto(
    Guid HoldId, string HoldNumber, string Status, string Priority, string HoldType, string Reason, DateTime HeldAt, DateTime? ReleasedAt,
    string? Disposition, double? QuantityHeld, string? Uom, string? QaStatusBefore, string? QaStatusAfter);

/// <summary>One audit entry of the record, with a line that says what it recorded.</summary>
public sealed record RecordHistoryDto(long Sequence, DateTime At, string? UserEmail, string Action, string Summary);

/// <summary>The license plate page: the plate's facts and the holds naming it (active first, then newest).</summary>
public sealed record LicensePlateRecordDto(
    Guid Id, string Number, Guid PartId, string PartNumber, string PartName, double Quantity, string Uom, string? LocationCode, string? LocationName,
    string QaStatus, DateTime CreatedAt, IReadOnlyList<RecordHoldDto> Holds)
{
    public IReadOnlyList<RecordHoldDto> ActiveHolds => Holds.Where(h => h.Status == HoldStatuses.Active).ToList();
}

/// <summary>The batch page: the batch's facts, how many units it has and the holds naming it (active first, then newest).</summary>
public sealed record BatchRecordDto(
    Guid Id, string Number, Guid PartId, string PartNumber, string PartName, double Quantity, string Uom, DateTime? ProducedAt, DateTime CreatedAt,
    int Units, IReadOnlyList<RecordHoldDto> Holds)
{
    public IReadOnlyList<RecordHoldDto> ActiveHolds => Holds.Where(h => h.Status == HoldStatuses.Active).ToList();
}

/// <summary>What a unit list belongs to.</summary>
public enum UnitOwner
{
    WorkOrder,
    Batch,
}

/// <summary>One unit of a work order or batch: where it is and what it is now.</summary>
public sealed record RecordUnitDto(Guid Id, string SerialNumber, string Status, bool Consumed, string PartNumber, string? WorkOrderNumber, string? BatchNumber,
    int CurrentStepIndex, string? StepName, DateTime CreatedAt);
