using Operator.Features.Serials;
namespace Operator.Features.Serialization;

/// <summary>The unit a lineage is about. <c>status</c> is the public status: active, used, scrapped or cancelled.</summary>
public sealed record LineageSerialDto(Guid Id, string SerialNumber, Guid PartId, string PartNumber, string Status);

/// <summary>
/// One ancestor or descendant. <c>depth</c> is the number of links between it and the unit (1 = direct parent or
/// child), the shortest when several paths lead to it. <c>parentId</c> is the unit one level closer to the unit the
/// lineage is about, through the link described by <c>linkId</c>, <c>linkType</c>, <c>operationCode</c>,
/// <c>routingSequence</c> and <c>performedAt</c>; following parentId turns the genealogy into a tree.
/// </summary>
public sealed record LineageNodeDto(
    Guid Id, string SerialNumber, Guid PartId, string PartNumber, string Status, int Depth, Guid ParentId, Guid LinkId, string LinkType,
    string OperationCode, int RoutingSequence, DateTime PerformedAt);

/// <summary>One propagation the unit took part in (as source or target), oldest first.</summary>
public sealed record PropagationEventDto(
    Guid Id, Guid GroupId, Guid SourceSerialId, Guid? TargetSerialId, string OperationCode, int RoutingSequence, string PropagationType,
    string? WorkCenterId, double Quantity, DateTime PerformedAt);

/// <summary>GET /propagation/lineage/{serialId} (spec 4.4).</summary>
public sealed record LineageDto(
    LineageSerialDto Serial, IReadOnlyList<LineageNodeDto> Ancestors, IReadOnlyList<LineageNodeDto> Descendants,
    IReadOnlyList<PropagationEventDto> PropagationHistory);

/// <summary>A certificate attached to a unit at one of its steps.</summary>
public sealed record UnitCertificate(Guid CertificateId, string Number, string Type, string Issuer, string StepName, DateTime AttachedAt);

/// <summary>An active hold on a unit's work order or batch.</summary>
public sealed record UnitHold(Guid HoldId, string HoldNumber, string Priority, string Reason, string ReferenceType, string ReferenceDisplay);

/// <summary>
/// What the explorer and the report show per unit beyond its place in the tree. <c>Stage</c> is the unit's place in its
/// lifecycle (<see cref="SerialStages"/>), finer than the public status, which joins in progress and completed as active.
/// </summary>
public sealed record UnitFacts(
    Guid Id, string? WorkOrderNumber, string? BatchNumber, string? SiteId, DateTime CreatedAt, IReadOnlyList<UnitCertificate> Certificates,
    IReadOnlyList<UnitHold> Holds, UnitScrap? Scrap = null, string Stage = SerialStages.InProgress);

/// <summary>Why a scrapped unit was scrapped: the code of the organization's list (with its label) and the words, either may be absent.</summary>
public sealed record UnitScrap(string? Code, string? Label, string? Reason)
{
    public string Text => Operator.Features.Serials.SerialAudit.ScrapNote(Code, Label ?? Code, Reason);
}

/// <summary>
/// The lineage with the facts of every unit in it (the explorer and the PDF report). <c>Stations</c>: the station that
/// recorded a link, by link id, for links recorded at a station (the API's answers do not carry it; the pages show it).
/// </summary>
public sealed record LineageView(LineageDto Lineage, IReadOnlyDictionary<Guid, UnitFacts> Units, IReadOnlyDictionary<Guid, string>? Stations = null)
{
    public UnitFacts? FactsOf(Guid id) => Units.TryGetValue(id, out var facts) ? facts : null;

    public string? StationOf(Guid linkId) => Stations is not null && Stations.TryGetValue(linkId, out var name) ? name : null;
}

/// <summary>A unit found by its number in the explorer's search.</summary>
public sealed record SerialMatch(Guid Id, string SerialNumber, string PartNumber, string PartName, string Status, DateTime CreatedAt);

public sealed record LineageReportFile(string FileName, byte[] Content);
