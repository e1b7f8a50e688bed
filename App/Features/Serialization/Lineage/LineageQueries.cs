using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Features.Serialization;

/// <summary>A row of the recursive lineage query (column names are the property names).</summary>
internal sealed class LineageRow
{
    public Guid SerialId { get; set; }
    public int Depth { get; set; }
    public Guid ParentId { get; set; }
    public Guid LinkId { get; set; }
    public string SerialNumber { get; set; } = "";
    public Guid PartId { get; set; }
    public string PartNumber { get; set; } = "";
    public string Status { get; set; } = "";
    public bool Consumed { get; set; }
    public string LinkType { get; set; } = "";
    public string OperationCode { get; set; } = "";
    public int RoutingSequence { get; set; }
    public DateTime PerformedAt { get; set; }
}

/// <summary>
/// The genealogy walks, done by the database with one recursive query each (WITH RECURSIVE, the same text on SQLite
/// and PostgreSQL), never by loading links row by row. Every step follows an index: (SourceSerialId, TargetSerialId)
/// downwards, (TargetSerialId, SourceSerialId) upwards, so the cost depends on the size of the unit's genealogy, not
/// on the size of the table.
/// </summary>
internal static class LineageQueries
{
    /// <summary>
    /// The walk stops this many levels away from the unit. Links are acyclic by construction (a link that would make a
    /// unit its own ancestor is refused), so the limit only guarantees termination on data written around the API;
    /// genealogies are expected to be at most some tens of levels deep.
    /// </summary>
    public const int MaxDepth = 500;


    /// <summary>
    /// Ancestors (what went into the unit) or descendants (where it went), each at its shortest distance, with the link
    /// that reaches it from the unit's side. Rows of the walk are (unit, depth, link): UNION drops a row seen before,
    /// so a unit reached by several paths of one length is expanded once per link, and the depth limit bounds the rest.
    /// </summary>
    public static Task<List<LineageRow>> WalkAsync(OperatorDb db, Guid serialId, Guid organizationId, bool ancestors, CancellationToken ct)
    {
        // Downwards a link leads from its source to its target; upwards the other way round.
        var (from, to) = ancestors ? ("TargetSerialId", "SourceSerialId") : ("SourceSerialId", "TargetSerialId");
        // Without statistics (a new database before its first analysis), with "OrganizationId = ?" beside the link
        // column, SQLite may pick the organization index and read every link of the organization at each step (minutes
        // at 500,000 links); the unary + takes the organization out of index selection, so each step is one lookup in
        // the link-column index. PostgreSQL plans from statistics (and has no unary + on uuid).
        var org = db.Database.IsSqlite() ? "+l.\"OrganizationId\"" : "l.\"OrganizationId\"";
        // And the walk's few rows must drive the joins: with statistics SQLite otherwise starts from the (small) parts
        // table and re-runs the walk for each part (seconds). CROSS JOIN fixes SQLite's join order; PostgreSQL has no
        // CROSS JOIN ... ON and needs no hint.
        var join = db.Database.IsSqlite() ? "CROSS JOIN" : "JOIN";
        // The link's facts travel with the walk (they depend on the link alone, so UNION drops the same rows), which spares
        // a second lookup of every link (SQLite, 1,000 relatives at 2 M serials: p95 54 -> 46 ms).
        var sql = $"""
            WITH RECURSIVE "walk"("SerialId", "Depth", "ParentId", "LinkId", "LinkType", "OperationCode", "RoutingSequence", "PerformedAt") AS (
                SELECT l."{to}", 1, l."{from}", l."Id", l."Type", l."OperationCode", l."RoutingSequence", l."CreatedAt"
                FROM "SerialLinks" AS l
                WHERE l."{from}" = {"{0}"} AND {org} = {"{1}"} AND l."TargetSerialId" IS NOT NULL
                UNION
                SELECT l."{to}", w."Depth" + 1, l."{from}", l."Id", l."Type", l."OperationCode", l."RoutingSequence", l."CreatedAt"
                FROM "walk" AS w
                JOIN "SerialLinks" AS l ON l."{from}" = w."SerialId"
                WHERE w."Depth" < {"{2}"} AND {org} = {"{1}"} AND l."TargetSerialId" IS NOT NULL
            ),
            "ranked" AS (
                SELECT w."SerialId", w."Depth", w."ParentId", w."LinkId", w."LinkType", w."OperationCode", w."RoutingSequence", w."PerformedAt",
                       ROW_NUMBER() OVER (PARTITION BY w."SerialId" ORDER BY w."Depth", w."LinkId") AS "Rank"
                FROM "walk" AS w
            )
            SELECT r."SerialId", r."Depth", r."ParentId", r."LinkId", s."SerialNumber", s."PartId", p."Number" AS "PartNumber",
                   s."Status", s."Consumed", r."LinkType", r."OperationCode", r."RoutingSequence", r."PerformedAt"
            FROM "ranked" AS r
            {join} "Serials" AS s ON s."Id" = r."SerialId"
            {join} "Parts" AS p ON p."Id" = s."PartId"
            WHERE r."Rank" = 1 AND r."SerialId" <> {"{0}"}
            ORDER BY r."Depth", s."SerialNumber", r."SerialId"
            """;
        return db.Database.SqlQueryRaw<LineageRow>(sql, db.Id(serialId), db.Id(organizationId), MaxDepth).ToListAsync(ct);
    }

    /// <summary>
    /// The ids of every unit reachable from <paramref name="serialIds"/> upwards (ancestors) or downwards, the start
    /// units included. Pure reachability: rows are unit ids only, so UNION ends the walk on any data, cycles included.
    /// Used to refuse a link that would close a cycle.
    /// </summary>
    public static Task<List<Guid>> ReachableAsync(OperatorDb db, IReadOnlyCollection<Guid> serialIds, bool ancestors, CancellationToken ct)
    {
        var (from, to) = ancestors ? ("TargetSerialId", "SourceSerialId") : ("SourceSerialId", "TargetSerialId");
        var starts = serialIds.ToList();
        var anchor = string.Join(" UNION ", starts.Select((_, i) => $"SELECT {{{i}}}"));
        var sql = $"""
            WITH RECURSIVE "reach"("SerialId") AS (
                {anchor}
                UNION
                SELECT l."{to}"
                FROM "reach" AS r
                JOIN "SerialLinks" AS l ON l."{from}" = r."SerialId"
                WHERE l."TargetSerialId" IS NOT NULL
            )
            SELECT "SerialId" AS "Value" FROM "reach"
            """;
        return db.Database.SqlQueryRaw<Guid>(sql, starts.Select(id => db.Id(id)).ToArray()).ToListAsync(ct);
    }

    /// <summary>
    /// The mean generation depth of a part's most recently propagated units: for each of the part's units that is the
    /// target of a link (the newest <paramref name="sample"/>), the longest chain of links back to a unit nothing went
    /// into; averaged. 0 when no unit of the part came out of a propagation.
    /// </summary>
    public static async Task<double> AverageDepthAsync(OperatorDb db, Guid partId, Guid organizationId, int sample, CancellationToken ct)
    {
        var sql = """
            WITH RECURSIVE "units"("SerialId") AS (
                SELECT s."Id"
                FROM "Serials" AS s
                WHERE s."OrganizationId" = {0} AND s."PartId" = {1}
                  AND EXISTS (SELECT 1 FROM "SerialLinks" AS l WHERE l."TargetSerialId" = s."Id")
                ORDER BY s."CreatedAt" DESC, s."Id"
                LIMIT {2}
            ),
            "up"("StartId", "SerialId", "Depth") AS (
                SELECT u."SerialId", u."SerialId", 0 FROM "units" AS u
                UNION
                SELECT up."StartId", l."SourceSerialId", up."Depth" + 1
                FROM "up" AS up
                JOIN "SerialLinks" AS l ON l."TargetSerialId" = up."SerialId"
                WHERE up."Depth" < {3}
            ),
            "deepest" AS (
                SELECT "StartId", MAX("Depth") AS "Depth" FROM "up" GROUP BY "StartId"
            )
            SELECT CAST(COALESCE(AVG(CAST("Depth" AS DOUBLE PRECISION)), 0) AS DOUBLE PRECISION) AS "Value" FROM "deepest"
            """;
        if (db.Database.IsSqlite())
        {
            // SQLite has no DOUBLE PRECISION keyword in CAST... it accepts any type name and gives it REAL affinity.
            sql = sql.Replace("DOUBLE PRECISION", "REAL");
        }
        var values = await db.Database.SqlQueryRaw<double>(sql, db.Id(organizationId), db.Id(partId), sample, MaxDepth).ToListAsync(ct);
        return values.SingleOrDefault();
    }
}
