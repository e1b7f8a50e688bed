using System.Text.Json;
using Operator.Infrastructure.Api;

namespace Operator.Features.Serialization;

/// <summary>
/// The scopes a serial number can be unique in (spec section 5), always within the caller's organization:
/// <c>SITE</c> = no other unit at the same site carries the number (units and registrations whose site is not known
/// never collide in this scope); <c>ENTERPRISE</c> = no other unit anywhere in the organization, of any part;
/// <c>PART_TYPE</c> = no other unit of the same part.
/// </summary>
public static class UniquenessScopes
{
    public const string Site = "SITE";
    public const string Enterprise = "ENTERPRISE";
    public const string PartType = "PART_TYPE";
    public static readonly IReadOnlyList<string> All = [Site, Enterprise, PartType];
}

public static class ConflictResolutions
{
    /// <summary>Cancel one of the claimants (status cancelled, with the reason); the others keep the number.</summary>
    public const string Retire = "RETIRE";

    /// <summary>Accept the duplicate as legitimate: nothing is cancelled and these claimants no longer conflict with each other.</summary>
    public const string KeepBoth = "KEEP_BOTH";

    /// <summary>
    /// The number is invalid for everyone: every claimant is cancelled (reason "Invalid duplicate serial number") or,
    /// when registered without a unit, withdrawn; nothing keeps the number.
    /// </summary>
    public const string MarkInvalid = "MARK_INVALID";

    public static readonly IReadOnlyList<string> All = [Retire, KeepBoth, MarkInvalid];
}

public static class ConflictTypes
{
    /// <summary>Another unit (serial) carries the number in a scope.</summary>
    public const string DuplicateSerial = "DUPLICATE_SERIAL";

    /// <summary>Only numbers registered without a unit (reservations) collide.</summary>
    public const string DuplicateRegistration = "DUPLICATE_REGISTRATION";
}

/// <summary>POST /uniqueness/check: could a (new) unit of <c>partId</c> take <c>serialNumber</c> in these scopes?</summary>
public sealed record UniquenessCheckRequest(string? SerialNumber, string? PartId, List<string?>? Scope, string? SiteId = null) : IJsonRequest<UniquenessCheckRequest>
{
    public static Result<UniquenessCheckRequest> FromJson(JsonElement body) => SerializerBinder.FromJson<UniquenessCheckRequest>(body);
}

/// <summary>POST /uniqueness/register. <c>serialId</c> (optional, an extension) names the unit carrying the number.</summary>
public sealed record UniquenessRegisterRequest(string? SerialNumber, string? PartId, List<string?>? Scope, string? SiteId = null, string? SerialId = null) : IJsonRequest<UniquenessRegisterRequest>
{
    public static Result<UniquenessRegisterRequest> FromJson(JsonElement body) => SerializerBinder.FromJson<UniquenessRegisterRequest>(body);
}

/// <summary>
/// POST /uniqueness/conflict/resolve. <c>resolvedBy</c> is accepted and ignored: the caller is recorded. <c>signature</c>
/// (an extension): the signer's password and meaning, required when the organization requires electronic signatures.
/// </summary>
public sealed record ResolveConflictRequest(
    string? SerialNumber, string? PartId, string? ConflictResolution, string? RetiredSerialId, string? ResolutionReason, string? ResolvedBy = null,
    Operator.Infrastructure.Signatures.SignatureInput? Signature = null) : IJsonRequest<ResolveConflictRequest>
{
    public static Result<ResolveConflictRequest> FromJson(JsonElement body) => SerializerBinder.FromJson<ResolveConflictRequest>(body);
}

/// <summary>
/// <c>conflictingSerialIds</c> are the ids of the claimants the number collides with: a unit's serial id, or for a
/// number registered without a unit, that registration's id. <c>conflictType</c> is null, DUPLICATE_SERIAL or
/// DUPLICATE_REGISTRATION.
/// </summary>
public sealed record UniquenessCheckResponse(bool HasConflict, IReadOnlyList<Guid> ConflictingSerialIds, IReadOnlyList<string> ConflictingScopes, string? ConflictType);

public sealed record UniquenessRegisterResponse(
    string SerialNumber, Guid PartId, bool SiteLevel, bool EnterpriseLevel, bool PartTypeLevel, bool HasConflict, Guid Id, Guid? SerialId,
    string? SiteId, IReadOnlyList<Guid> ConflictingSerialIds, IReadOnlyList<string> ConflictingScopes, Guid? ConflictId);

public sealed record ResolveConflictResponse(
    string SerialNumber, bool HasConflict, string ConflictResolution, DateTime ResolvedAt, Guid ConflictId, Guid? RetiredSerialId, Guid? PendingConflictId);

/// <summary>A claimant of a number: a unit (kind SERIAL) or a number registered without a unit (kind REGISTRATION).</summary>
public sealed record ClaimDto(
    Guid Id, string Kind, string SerialNumber, Guid PartId, string? PartNumber, string? SiteId, string? Status, IReadOnlyList<string> Scopes);

/// <summary>
/// GET /uniqueness/report/{serialNumber}/{partId}. <c>totalConflicts</c> counts the conflicts ever recorded for the
/// number and part (pending and resolved), <c>pendingConflicts</c> those still open; <c>conflictingSerials</c> are
/// the claimants that break one of the three uniqueness flags now, each with the scopes it collides in.
/// </summary>
public sealed record UniquenessReportDto(
    string SerialNumber, Guid PartId, bool IsSiteUnique, bool IsEnterpriseUnique, bool IsPartTypeUnique, int TotalConflicts, int PendingConflicts,
    IReadOnlyList<ClaimDto> ConflictingSerials);

/// <summary>GET /uniqueness/conflicts/pending: one open conflict.</summary>
public sealed record PendingConflictDto(
    Guid Id, string SerialNumber, Guid PartId, bool HasConflict, IReadOnlyList<Guid> ConflictingSerialIds, IReadOnlyList<string> ConflictingScopes,
    DateTime DetectedAt);

public sealed record PendingConflictsQuery(string? PartId = null, int? Limit = null, int? Offset = null);

/// <summary>
/// GET /uniqueness/statistics/{partId}: <c>totalUniqueSerials</c> = distinct numbers the part's live units and
/// registrations carry; <c>serialsWithConflicts</c> = distinct numbers of the part that have had a conflict (pending
/// or resolved); <c>resolvedConflicts</c> = the part's resolved conflicts; <c>conflictRate</c> = serialsWithConflicts
/// as a percentage of totalUniqueSerials, two decimals (0 when there are none).
/// </summary>
public sealed record UniquenessStatisticsDto(long TotalUniqueSerials, long SerialsWithConflicts, long ResolvedConflicts, double ConflictRate);

/// <summary>A claimant as the conflicts screen shows it, side by side with the others.</summary>
public sealed record ClaimView(
    Guid Id, string Kind, string SerialNumber, string? PartNumber, string? PartName, string? SiteId, string? Status, string? Origin,
    string? WorkOrderNumber, DateTime? CreatedAt, DateTime? RegisteredAt, IReadOnlyList<string> RegisteredScopes);

/// <summary>How a resolved conflict was decided, as the conflicts screen shows it beside the resolution's signature.</summary>
public sealed record ConflictResolutionView(string Resolution, Guid? RetiredSerialId, string? Reason, DateTime? ResolvedAt);

/// <summary>A conflict as the conflicts screen shows it; <see cref="Resolution"/> is null while it is pending.</summary>
public sealed record ConflictDetail(PendingConflictDto Conflict, string? PartNumber, IReadOnlyList<ClaimView> Claims, ConflictResolutionView? Resolution = null);
