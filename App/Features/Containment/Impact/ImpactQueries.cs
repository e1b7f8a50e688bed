using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Features.Containment;

/// <summary>An affected unit, as the walk found it.</summary>
internal sealed class ImpactUnitRow
{
    public Guid SerialId { get; set; }

    /// <summary>2 = carries the origin, 1 = descendant, 0 = ancestor.</summary>
    public int Rank { get; set; }

    public string SerialNumber { get; set; } = "";
    public Guid PartId { get; set; }
    public Guid? PathId { get; set; }
    public string Status { get; set; } = "";
    public bool Consumed { get; set; }
    public int CurrentStepIndex { get; set; }
    public Guid? WorkOrderId { get; set; }
    public Guid? BatchId { get; set; }
    public Guid? UsedInId { get; set; }
}

/// <summary>A row of the impact's one statement (<see cref="ImpactQueries.WalkAsync"/>): a unit (<c>U</c>), a link or an attachment; column names are the property names.</summary>
internal sealed class ImpactWalkRow
{
    public string Kind { get; set; } = "";
    public Guid A { get; set; }
    public Guid? B { get; set; }
    public int Rank { get; set; }
    public string? SerialNumber { get; set; }
    public Guid? PartId { get; set; }
    public Guid? PathId { get; set; }
    public string? Status { get; set; }
    public bool? Consumed { get; set; }
    public int CurrentStepIndex { get; set; }
    public Guid? WorkOrderId { get; set; }
    public Guid? BatchId { get; set; }
    public Guid? UsedInId { get; set; }
}

/// <summary>A row of the roll-up: a link (<c>L</c>: A the target, B the source) or an attachment (<c>C</c>: A the unit, B the certificate).</summary>
internal sealed class ImpactRollupRow
{
    public string Kind { get; set; } = "";
    public Guid A { get; set; }
    public Guid B { get; set; }
}

/// <summary>
/// Which units carry the origin: the units a certificate is attached to, a work order's or batch's units, or given units.
/// </summary>
internal sealed record ImpactAnchor(string Kind, IReadOnlyList<Guid> Ids);

/// <summary>
/// The impact's walks, done by the database (WITH RECURSIVE, the same text on SQLite and PostgreSQL) from the set of
/// units that carry the origin, never unit by unit: downwards to every descendant and, when asked, upwards to every
/// ancestor of the carriers. The walks are pure reachability (rows are unit ids), so UNION ends them on any data and
/// each unit is expanded once whatever the number of paths that reach it. Every step follows an index of SerialLinks:
/// (SourceSerialId, TargetSerialId) downwards, (TargetSerialId, SourceSerialId) upwards.
/// </summary>
internal static class ImpactQueries
{
    /// <summary>
    /// One statement, one walk: every affected unit with its part, path, status, step index, work order, batch and the
    /// assembly it was used in (rows <c>U</c>), then what the certificate roll-up needs (rows <c>L</c> and <c>C</c>): every
    /// link into the affected units and into their ancestors (to any depth), and every certificate attachment of those
    /// units. The walk up for the roll-up starts from the walk down's result, so the genealogy below the carriers is
    /// walked once. Names (part, step, work order, batch and assembly numbers) are looked up apart, once per distinct id:
    /// a few rows, where joining them here would cost several index lookups per unit.
    /// </summary>
    public static async Task<(List<ImpactUnitRow> Units, List<ImpactRollupRow> Rollup)> WalkAsync(
        OperatorDb db, ImpactAnchor anchor, Guid organizationId, bool backward, CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        // See LineageQueries.WalkAsync: SQLite must not pick the organization index for the walk's steps, and the walk's
        // rows must drive the joins.
        var org = sqlite ? "+l.\"OrganizationId\"" : "l.\"OrganizationId\"";
        var join = sqlite ? "CROSS JOIN" : "JOIN";
        var sql = $"""
            {Affected(anchor, sqlite, backward)},
            "lineage"("SerialId") AS (
                SELECT a."SerialId" FROM "affected" AS a
                UNION
                SELECT l."SourceSerialId"
                FROM "lineage" AS x
                JOIN "SerialLinks" AS l ON l."TargetSerialId" = x."SerialId"
                WHERE {org} = {"{0}"}
            )
            SELECT 'U' AS "Kind", a."SerialId" AS "A", NULL AS "B", a."Rank", s."SerialNumber", s."PartId", s."PathId", s."Status",
                   s."Consumed", s."CurrentStepIndex", s."WorkOrderId", s."BatchId", u."TargetSerialId" AS "UsedInId"
            FROM "affected" AS a
            {join} "Serials" AS s ON s."Id" = a."SerialId"
            LEFT JOIN "SerialLinks" AS u ON s."Consumed" AND u."SourceSerialId" = s."Id" AND u."TargetSerialId" IS NOT NULL
                AND u."Type" IN ('MERGE', 'TRANSFORMATION')
            WHERE s."OrganizationId" = {"{0}"}
            UNION ALL
            SELECT 'L', l."TargetSerialId", l."SourceSerialId", 0, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL
            FROM "lineage" AS x
            {join} "SerialLinks" AS l ON l."TargetSerialId" = x."SerialId"
            WHERE {org} = {"{0}"}
            UNION ALL
            SELECT 'C', c."SerialId", c."CertificateId", 0, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL
            FROM "lineage" AS x
            {join} "CertAttachments" AS c ON c."SerialId" = x."SerialId"
            """;
        var rows = await db.Database.SqlQueryRaw<ImpactWalkRow>(sql, Parameters(db, organizationId, anchor)).ToListAsync(ct);
        var units = new List<ImpactUnitRow>();
        var rollup = new List<ImpactRollupRow>(rows.Count);
        foreach (var r in rows)
        {
            if (r.Kind == "U")
            {
                units.Add(new ImpactUnitRow
                {
                    SerialId = r.A, Rank = r.Rank, SerialNumber = r.SerialNumber ?? "", PartId = r.PartId ?? Guid.Empty, PathId = r.PathId,
                    Status = r.Status ?? "", Consumed = r.Consumed ?? false, CurrentStepIndex = r.CurrentStepIndex, WorkOrderId = r.WorkOrderId,
                    BatchId = r.BatchId, UsedInId = r.UsedInId,
                });
            }
            else
            {
                rollup.Add(new ImpactRollupRow { Kind = r.Kind, A = r.A, B = r.B ?? Guid.Empty });
            }
        }
        return (units, rollup);
    }

    /// <summary>
    /// The CTEs "origin" (the carriers), "down" (carriers and descendants), "up" (carriers and ancestors, when asked) and
    /// "affected" (each unit once, with its closest relation: carrier 2, descendant 1, ancestor 0). Parameter {0} is the
    /// organization, {1}... the anchor's ids.
    /// </summary>
    private static string Affected(ImpactAnchor anchor, bool sqlite, bool backward)
    {
        var org = sqlite ? "+l.\"OrganizationId\"" : "l.\"OrganizationId\"";
        var origin = anchor.Kind switch
        {
            ImpactOrigins.Certificate => """SELECT c."SerialId" FROM "CertAttachments" AS c WHERE c."CertificateId" = {1} AND c."OrganizationId" = {0}""",
            ImpactOrigins.WorkOrder => """SELECT s."Id" FROM "Serials" AS s WHERE s."WorkOrderId" = {1} AND s."OrganizationId" = {0}""",
            ImpactOrigins.Batch => """SELECT s."Id" FROM "Serials" AS s WHERE s."BatchId" = {1} AND s."OrganizationId" = {0}""",
            ImpactOrigins.Serial =>
                $"""SELECT s."Id" FROM "Serials" AS s WHERE s."OrganizationId" = {"{0}"} AND s."Id" IN ({string.Join(", ", anchor.Ids.Select((_, i) => $"{{{i + 1}}}"))})""",
            _ => throw new ArgumentOutOfRangeException(nameof(anchor), anchor.Kind, "No units carry this origin."),
        };
        var up = backward
            ? $"""
              ,
              "up"("SerialId", "Rank") AS (
                  SELECT o."SerialId", 2 FROM "origin" AS o
                  UNION
                  SELECT l."SourceSerialId", 0
                  FROM "up" AS u
                  JOIN "SerialLinks" AS l ON l."TargetSerialId" = u."SerialId"
                  WHERE {org} = {"{0}"}
              )
              """
            : "";
        var all = backward ? """SELECT "SerialId", "Rank" FROM "down" UNION ALL SELECT "SerialId", "Rank" FROM "up" """ : """SELECT "SerialId", "Rank" FROM "down" """;
        return $"""
            WITH RECURSIVE "origin"("SerialId") AS (
                {origin}
            ),
            "down"("SerialId", "Rank") AS (
                SELECT o."SerialId", 2 FROM "origin" AS o
                UNION
                SELECT l."TargetSerialId", 1
                FROM "down" AS d
                JOIN "SerialLinks" AS l ON l."SourceSerialId" = d."SerialId"
                WHERE {org} = {"{0}"} AND l."TargetSerialId" IS NOT NULL
            ){up},
            "affected"("SerialId", "Rank") AS (
                SELECT x."SerialId", MAX(x."Rank") FROM ({all}) AS x GROUP BY x."SerialId"
            )
            """;
    }

    private static object[] Parameters(OperatorDb db, Guid organizationId, ImpactAnchor anchor) =>
        [db.Id(organizationId), .. anchor.Ids.Select(id => db.Id(id))];
}
