using Operator.Features.Serials;
namespace Operator.Features.Containment;

/// <summary>The things an impact can start from.</summary>
public static class ImpactOrigins
{
    public const string Certificate = "certificate";
    public const string Serial = "serial";
    public const string LicensePlate = "license_plate";
    public const string WorkOrder = "work_order";
    public const string Batch = "batch";
    public static readonly IReadOnlyList<string> All = [Certificate, Serial, LicensePlate, WorkOrder, Batch];

    public static string Label(string type) => type switch
    {
        Certificate => "Certificate",
        Serial => "Serial",
        LicensePlate => "License plate",
        WorkOrder => "Work order",
        Batch => "Batch",
        _ => type,
    };
}

/// <summary>How a unit of an impact relates to the origin.</summary>
public static class ImpactRelations
{
    /// <summary>Carries the origin: the unit itself, a unit the certificate is attached to, a unit of the work order or batch.</summary>
    public const string Origin = "origin";

    /// <summary>Came out of a carrier through the genealogy (split, merge, transformation), at any depth.</summary>
    public const string Descendant = "descendant";

    /// <summary>Went into a carrier (asked for with <see cref="ImpactRequest.IncludeBackward"/>).</summary>
    public const string Ancestor = "ancestor";
}

/// <summary>
/// What an impact starts from: <paramref name="OriginType"/> one of <see cref="ImpactOrigins.All"/>, <paramref name="Origin"/>
/// the thing's number (or its UUID), and whether the units the origin came from are included too.
/// </summary>
public sealed record ImpactRequest(string? OriginType, string? Origin, bool IncludeBackward = false);

/// <summary>The suspect thing, as found.</summary>
public sealed record ImpactOriginDto(string Type, Guid Id, string Number, string Description);

/// <summary>
/// One affected unit. <c>status</c> is one of <see cref="SerialStages.All"/>; <c>step</c>/<c>stepIndex</c> name the step
/// an in-progress unit is at; <c>usedIn</c> is the assembly a consumed unit went into. <c>holds</c> are the numbers of
/// the active holds on the unit's work order or batch; <c>certificates</c> the numbers of the certificates attached to the
/// unit or to any unit it came from.
/// </summary>
public sealed record ImpactUnitDto(
    Guid Id, string SerialNumber, Guid PartId, string PartNumber, string Relation, string Status, string? Step, int? StepIndex,
    Guid? UsedInId, string? UsedInNumber, Guid? WorkOrderId, string? WorkOrderNumber, Guid? BatchId, string? BatchNumber,
    IReadOnlyList<string> Holds, IReadOnlyList<string> Certificates);

/// <summary>A work order or batch that affected units belong to, with its active holds' numbers.</summary>
public sealed record ImpactGroupDto(Guid Id, string Number, string PartNumber, int Units, IReadOnlyList<string> Holds);

/// <summary>A license plate the impact reaches (a plate origin: the plate itself).</summary>
public sealed record ImpactPlateDto(Guid Id, string Number, string PartNumber, double Quantity, string Uom, string? Location, string QaStatus, IReadOnlyList<string> Holds);

/// <summary>An active hold on something affected: <c>referenceType</c> wo, batch or lp and what it names.</summary>
public sealed record ImpactHoldDto(Guid Id, string HoldNumber, string Priority, string HoldType, string Reason, DateTime HeldAt, string ReferenceType, Guid ReferenceId, string ReferenceDisplay);

/// <summary>A certificate attached to an affected unit or to a unit it came from; <c>units</c> counts the affected units it reaches.</summary>
public sealed record ImpactCertificateDto(Guid Id, string Number, string Type, string Issuer, int Units);

public sealed record ImpactCountsDto(int Units, int InProgress, int Completed, int Consumed, int Scrapped, int Cancelled, int WorkOrders, int Batches, int LicensePlates, int ActiveHolds, int Certificates);

/// <summary>The ids of everything affected, for a containment to hold.</summary>
public sealed record ImpactTargets(IReadOnlyList<Guid> SerialIds, IReadOnlyList<Guid> WorkOrderIds, IReadOnlyList<Guid> BatchIds, IReadOnlyList<Guid> LicensePlateIds);

/// <summary>GET /api/impact: what a suspect thing reaches.</summary>
public sealed record ImpactReport(
    ImpactOriginDto Origin, bool IncludeBackward, ImpactCountsDto Counts, IReadOnlyList<ImpactUnitDto> Units, IReadOnlyList<ImpactGroupDto> WorkOrders,
    IReadOnlyList<ImpactGroupDto> Batches, IReadOnlyList<ImpactPlateDto> LicensePlates, IReadOnlyList<ImpactHoldDto> Holds,
    IReadOnlyList<ImpactCertificateDto> Certificates)
{
    /// <summary>
    /// What Contain holds: every unit that carries the origin or came out of it (not the units it came from, which are
    /// shown to investigate, not suspect), and the origin itself when it is a work order, batch or plate, so its units
    /// still to come are stopped too. The work orders and batches of affected units are not held as a whole: that would
    /// stop their units that the suspect thing never reached.
    /// </summary>
    public ImpactTargets ToTargets() => new(
        Units.Where(u => u.Relation != ImpactRelations.Ancestor).Select(u => u.Id).ToList(),
        Origin.Type == ImpactOrigins.WorkOrder ? [Origin.Id] : [],
        Origin.Type == ImpactOrigins.Batch ? [Origin.Id] : [],
        Origin.Type == ImpactOrigins.LicensePlate ? [Origin.Id] : []);
}

public sealed record ImpactFile(string FileName, string ContentType, byte[] Content);
