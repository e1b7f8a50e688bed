using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Holds;

/// <summary>Who acts on a hold: the organization, and the user recorded as held_by / released_by / updated_by.</summary>
public sealed record HoldActor(Guid OrganizationId, Guid UserId, string Name, string Email);

/// <summary>The audit trail's words for holds: the entity type and the actions the history and reports read.</summary>
public static class HoldAudit
{
    public const string EntityType = "quality_hold";
    public const string ActionCreated = "hold_created";
    public const string ActionReleased = "hold_released";
    public const string ActionDisposed = "hold_disposed";
    public const string ActionLpStatus = "qa_status_changed";

    /// <summary>A hold created by a containment (Features/Containment): its origin and counts, beside its hold_created entry.</summary>
    public const string ActionContainment = "containment";
}

/// <summary>What the hold classes share: the not-found answer, the tenant's rows, users and the contract's DTOs.</summary>
internal static class HoldRows
{
    public const string NotFoundMessage = "Quality hold not found";

    public static Error NotFound(string id) => Error.NotFound(NotFoundMessage, "QualityHold", id);

    /// <summary>
    /// A tenant's rows. Requests and circuits see their organization through the context's filter; the demo seed runs
    /// without a caller (the filter shows nothing) and names the organization it seeds instead.
    /// </summary>
    public static IQueryable<T> Rows<T>(OperatorDb db, Guid org) where T : class, ITenantOwned =>
        db.TenantId is null ? db.Set<T>().IgnoreQueryFilters().Where(e => e.OrganizationId == org) : db.Set<T>();

    public static async Task<HoldUserDto> UserAsync(OperatorDb db, Guid id, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new HoldUserDto(u.Id, u.DisplayName, u.Email ?? "")).SingleOrDefaultAsync(ct)
        ?? new HoldUserDto(id, "", "");

    public static HoldDto ToDto(QualityHold h, HoldActor heldBy, HoldUserDto? releasedBy) =>
        ToDto(h, new HoldUserDto(heldBy.UserId, heldBy.Name, heldBy.Email), releasedBy);

    public static HoldDto ToDto(QualityHold h, HoldUserDto heldBy, HoldUserDto? releasedBy) => new(
        h.Id, h.HoldNumber, h.OrganizationId, h.Status, h.Priority, h.HoldType, h.Reason, h.ItemsCount, heldBy, h.HeldAt,
        releasedBy, h.ReleasedAt, h.Disposition, h.ReleaseNotes, h.NcrId, h.CreatedById, h.CreatedAt, h.UpdatedById, h.UpdatedAt);

    public static HoldItemDto ToDto(QualityHoldItem i) => new(
        i.Id, i.HoldId, i.ReferenceType, i.ReferenceId, i.ReferenceDisplay, i.QuantityHeld, i.Uom, i.LocationId, i.LocationName, i.Notes);
}
