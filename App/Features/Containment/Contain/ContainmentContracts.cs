namespace Operator.Features.Containment;

/// <summary>
/// What a containment starts from and what it holds. Origin: what turned out suspect (<c>type</c> one of
/// <see cref="ContainmentOrigins.All"/>, its <c>number</c>, and a free-text <c>description</c> for the audit trail).
/// Targets: the ids of the units, work orders, batches and license plates to hold. <c>holdType</c>: quarantine (default)
/// or recall; <c>priority</c> defaults to high; <c>reason</c> is added to the hold's reason, which always names the origin.
/// </summary>
public sealed record ContainRequest(
    ContainmentOrigin? Origin,
    IReadOnlyList<Guid>? SerialIds = null,
    IReadOnlyList<Guid>? WorkOrderIds = null,
    IReadOnlyList<Guid>? BatchIds = null,
    IReadOnlyList<Guid>? LicensePlateIds = null,
    string? HoldType = null,
    string? Priority = null,
    string? Reason = null);

public sealed record ContainmentOrigin(string? Type, string? Number, string? Description = null);

/// <summary>One kind of target: how many were named, how many a containment would hold now, how many active holds already hold.</summary>
public sealed record ContainmentCount(int Targets, int ToHold, int AlreadyHeld);

/// <summary>An active hold that already names a target.</summary>
public sealed record ContainmentHoldRef(Guid HoldId, string HoldNumber, string HoldType, string Priority);

/// <summary>A target that an active hold already names (directly), with the holds.</summary>
public sealed record AlreadyHeldDto(string ReferenceType, Guid ReferenceId, string ReferenceDisplay, IReadOnlyList<ContainmentHoldRef> Holds);

/// <summary>The answer of a preview: the counts per kind and the targets already held (and by which holds).</summary>
public sealed record ContainmentPreviewDto(
    ContainmentCount Units,
    ContainmentCount WorkOrders,
    ContainmentCount Batches,
    ContainmentCount LicensePlates,
    IReadOnlyList<AlreadyHeldDto> AlreadyHeld);

/// <summary>The answer of a containment: the one hold it created, what it holds, and what was already held.</summary>
public sealed record ContainmentDto(
    Guid HoldId,
    string HoldNumber,
    string HoldType,
    string Priority,
    string Reason,
    ContainmentOrigin Origin,
    int ItemsCount,
    int Units,
    int WorkOrders,
    int Batches,
    int LicensePlates,
    IReadOnlyList<AlreadyHeldDto> AlreadyHeld);

/// <summary>A containment as the hold details page shows it: its origin and what it counted, from its audit entry.</summary>
public sealed record ContainmentOriginView(string OriginType, string OriginNumber, string? Description, int Units, int AlreadyHeld, DateTime At, string? By)
{
    public string Label => $"{ContainmentOrigins.Label(OriginType)} {OriginNumber}";
}

/// <summary>What a containment may name as its origin: anything an impact starts from, or something else in words.</summary>
public static class ContainmentOrigins
{
    public const string Other = "other";
    public static readonly IReadOnlyList<string> All = [.. ImpactOrigins.All, Other];

    public static string Label(string type) => type == Other ? "Origin" : ImpactOrigins.Label(type);
}
