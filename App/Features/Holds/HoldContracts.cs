using System.Text.Json.Serialization;

namespace Operator.Features.Holds;

// The holds contract is snake_case. HoldsStyle writes snake_case by naming policy; the explicit names below make the
// OpenAPI document (which describes with the app-wide camelCase options) show the names callers actually see.

public sealed record HoldUserDto(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("email")] string Email);

/// <summary>The spec's <c>QualityHold</c>, field for field and in its order.</summary>
public sealed record HoldDto(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("hold_number")] string HoldNumber,
    [property: JsonPropertyName("org_id")] Guid OrgId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("priority")] string Priority,
    [property: JsonPropertyName("hold_type")] string HoldType,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("items_count")] int ItemsCount,
    [property: JsonPropertyName("held_by")] HoldUserDto HeldBy,
    [property: JsonPropertyName("held_at")] DateTime HeldAt,
    [property: JsonPropertyName("released_by")] HoldUserDto? ReleasedBy,
    [property: JsonPropertyName("released_at")] DateTime? ReleasedAt,
    [property: JsonPropertyName("disposition")] string? Disposition,
    [property: JsonPropertyName("release_notes")] string? ReleaseNotes,
    [property: JsonPropertyName("ncr_id")] Guid? NcrId,
    [property: JsonPropertyName("created_by")] Guid CreatedBy,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("updated_by")] Guid UpdatedBy,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt);

/// <summary>The spec's <c>QualityHoldItem</c>.</summary>
public sealed record HoldItemDto(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("hold_id")] Guid HoldId,
    [property: JsonPropertyName("reference_type")] string ReferenceType,
    [property: JsonPropertyName("reference_id")] Guid ReferenceId,
    [property: JsonPropertyName("reference_display")] string ReferenceDisplay,
    [property: JsonPropertyName("quantity_held")] double? QuantityHeld,
    [property: JsonPropertyName("uom")] string? Uom,
    [property: JsonPropertyName("location_id")] Guid? LocationId,
    [property: JsonPropertyName("location_name")] string? LocationName,
    [property: JsonPropertyName("notes")] string? Notes);

/// <summary>The spec's <c>LicensePlateUpdate</c>: one license plate whose QA status this operation changed.</summary>
public sealed record LpUpdateDto(
    [property: JsonPropertyName("lp_id")] Guid LpId,
    [property: JsonPropertyName("lp_number")] string LpNumber,
    [property: JsonPropertyName("previous_status")] string PreviousStatus,
    [property: JsonPropertyName("new_status")] string NewStatus);

/// <summary>
/// Answer of create and release: the hold, its items and the license plates whose QA status changed. <c>item_dispositions</c>
/// (extension) appears only when a release gave some item another disposition than the hold's: item id → disposition.
/// </summary>
public sealed record HoldResponse(
    [property: JsonPropertyName("hold")] HoldDto Hold,
    [property: JsonPropertyName("items")] IReadOnlyList<HoldItemDto> Items,
    [property: JsonPropertyName("lp_updates")] IReadOnlyList<LpUpdateDto> LpUpdates,
    [property: JsonPropertyName("item_dispositions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<Guid, string>? ItemDispositions = null);

/// <summary>The spec's <c>QualityHoldSummary</c> (reason cut to 100 characters).</summary>
public sealed record HoldSummaryDto(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("hold_number")] string HoldNumber,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("priority")] string Priority,
    [property: JsonPropertyName("hold_type")] string HoldType,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("items_count")] int ItemsCount,
    [property: JsonPropertyName("held_by")] HoldUserDto HeldBy,
    [property: JsonPropertyName("held_at")] DateTime HeldAt,
    [property: JsonPropertyName("aging_hours")] int AgingHours,
    [property: JsonPropertyName("aging_status")] string AgingStatus);

public sealed record PaginationDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("total_pages")] int TotalPages,
    [property: JsonPropertyName("has_next")] bool HasNext,
    [property: JsonPropertyName("has_prev")] bool HasPrev);

public sealed record DateRangeDto(
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] string? To);

/// <summary>What the list was filtered by, as understood by the server; a filter not given is null.</summary>
public sealed record FiltersAppliedDto(
    [property: JsonPropertyName("status")] IReadOnlyList<string>? Status,
    [property: JsonPropertyName("priority")] IReadOnlyList<string>? Priority,
    [property: JsonPropertyName("hold_type")] IReadOnlyList<string>? HoldType,
    [property: JsonPropertyName("date_range")] DateRangeDto DateRange,
    [property: JsonPropertyName("search")] string? Search);

public sealed record ListHoldsResponse(
    [property: JsonPropertyName("holds")] IReadOnlyList<HoldSummaryDto> Holds,
    [property: JsonPropertyName("pagination")] PaginationDto Pagination,
    [property: JsonPropertyName("filters_applied")] FiltersAppliedDto FiltersApplied);

/// <summary>A license plate QA status change made by a hold, with when, by whom and through which action.</summary>
public sealed record LpStatusChangeDto(
    [property: JsonPropertyName("lp_id")] Guid LpId,
    [property: JsonPropertyName("lp_number")] string LpNumber,
    [property: JsonPropertyName("previous_status")] string PreviousStatus,
    [property: JsonPropertyName("new_status")] string NewStatus,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("changed_at")] DateTime ChangedAt,
    [property: JsonPropertyName("changed_by")] HoldUserDto? ChangedBy);

/// <summary>One audit trail entry of the hold: hold_created, hold_released or hold_disposed.</summary>
public sealed record HoldHistoryDto(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("at")] DateTime At,
    [property: JsonPropertyName("by")] HoldUserDto? By,
    [property: JsonPropertyName("summary")] string Summary);

/// <summary>GET /{id}: the hold with its aging, items, the license plate status changes it made and its audit history.</summary>
public sealed record HoldDetailDto(
    [property: JsonPropertyName("hold")] HoldDto Hold,
    [property: JsonPropertyName("aging_hours")] int AgingHours,
    [property: JsonPropertyName("aging_status")] string AgingStatus,
    [property: JsonPropertyName("items")] IReadOnlyList<HoldItemDto> Items,
    [property: JsonPropertyName("lp_status_changes")] IReadOnlyList<LpStatusChangeDto> LpStatusChanges,
    [property: JsonPropertyName("history")] IReadOnlyList<HoldHistoryDto> History,
    [property: JsonPropertyName("item_dispositions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<Guid, string>? ItemDispositions = null);

/// <summary>The error body of this contract, for the OpenAPI document (HoldsStyle writes it).</summary>
public sealed record HoldsErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("details")] IReadOnlyList<HoldsErrorDetail>? Details);

public sealed record HoldsErrorDetail(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("path")] IReadOnlyList<object> Path,
    [property: JsonPropertyName("message")] string Message);

/// <summary>What a typed or scanned number (LP-00001, WO-00001, B-00001) refers to in the caller's organization.</summary>
public sealed record ResolvedReference(string ReferenceType, Guid ReferenceId, string Display, string Description, double? Quantity, string? Uom,
    string? LocationName, string? QaStatus);

/// <summary>An active hold that names a work order or batch, which blocks its serials' step advance and completion.</summary>
public sealed record BlockingHold(Guid HoldId, string HoldNumber, string Priority, string HoldType, string Reason, string ReferenceType, string ReferenceDisplay)
{
    /// <summary>The words a station shows: "On hold: QH-20250209-0001 (investigation) holds WO-00001".</summary>
    public string Message => $"On hold: {HoldNumber} ({HoldTypes.Label(HoldType).ToLowerInvariant()}) holds {ReferenceDisplay}";
}

/// <summary>Active holds of the organization by priority and by aging status, for the dashboard.</summary>
public sealed record ActiveHoldCounts(int Total, IReadOnlyDictionary<string, int> ByPriority, IReadOnlyDictionary<string, int> ByAging,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByPriorityAndAging);

/// <summary>A rendered hold report.</summary>
public sealed record HoldReportFile(string FileName, byte[] Content);
