using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Holds;

/// <summary>
/// How many holds an organization has per status, priority and type. The list's <c>pagination.total</c> must be exact,
/// and counting 100,000 holds of an organization for every page costs 10-30 ms on either provider (an index scan of
/// every entry), more than the rest of the request; summing at most 48 tally rows costs nothing. The list uses the
/// tallies whenever its filters are only status, priority and type (the common case: the default list and the QA
/// screens' filters); a date range or a search is counted from the holds themselves.
/// </summary>
public sealed class HoldTally : ITenantOwned
{
    public Guid OrganizationId { get; set; }
    public required string Status { get; set; }
    public int PriorityRank { get; set; }
    public required string HoldType { get; set; }
    public long Count { get; set; }
}

internal sealed class HoldTallyConfiguration : IEntityTypeConfiguration<HoldTally>
{
    public void Configure(EntityTypeBuilder<HoldTally> b)
    {
        b.ToTable("HoldTallies");
        b.HasKey(t => new { t.OrganizationId, t.Status, t.PriorityRank, t.HoldType });
        b.Property(t => t.Status).HasMaxLength(20);
        b.Property(t => t.HoldType).HasMaxLength(20);
    }
}

/// <summary>
/// Keeps <see cref="HoldTally"/> in step with the holds. Only <see cref="HoldCommands"/> changes a hold's status, and it
/// calls <see cref="MoveAsync"/> in the same transaction as the change, so a rollback takes the tally back with it.
/// </summary>
public static class HoldTallies
{
    /// <summary>One hold enters <paramref name="to"/> (and leaves <paramref name="from"/>, unless it is new).</summary>
    public static async Task MoveAsync(OperatorDb db, QualityHold hold, string? from, string to, CancellationToken ct)
    {
        var org = db.Id(hold.OrganizationId);
        if (from is not null)
        {
            await db.Database.ExecuteSqlRawAsync(
                """UPDATE "HoldTallies" SET "Count" = "Count" - 1 WHERE "OrganizationId" = {0} AND "Status" = {1} AND "PriorityRank" = {2} AND "HoldType" = {3}""",
                [org, from, hold.PriorityRank, hold.HoldType], ct);
        }
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "HoldTallies" ("OrganizationId", "Status", "PriorityRank", "HoldType", "Count") VALUES ({0}, {1}, {2}, {3}, 1)
            ON CONFLICT ("OrganizationId", "Status", "PriorityRank", "HoldType") DO UPDATE SET "Count" = "HoldTallies"."Count" + 1
            """,
            [org, to, hold.PriorityRank, hold.HoldType], ct);
    }

    /// <summary>
    /// Recounts every organization's tallies from the holds: the migration that introduced them, and the bench
    /// generator after writing holds in bulk.
    /// </summary>
    public const string RebuildSql =
        """
        DELETE FROM "HoldTallies";
        INSERT INTO "HoldTallies" ("OrganizationId", "Status", "PriorityRank", "HoldType", "Count")
        SELECT "OrganizationId", "Status", "PriorityRank", "HoldType", COUNT(*) FROM "QualityHolds"
        GROUP BY "OrganizationId", "Status", "PriorityRank", "HoldType";
        """;

    /// <summary>The number of the organization's holds with these statuses, ranks and types (null = any).</summary>
    public static async Task<int> CountAsync(OperatorDb db, IReadOnlyList<string>? statuses, IReadOnlyList<int>? ranks, IReadOnlyList<string>? types, CancellationToken ct)
    {
        var tallies = db.Set<HoldTally>().AsNoTracking();
        if (statuses is not null) tallies = tallies.Where(t => statuses.Contains(t.Status));
        if (ranks is not null) tallies = tallies.Where(t => ranks.Contains(t.PriorityRank));
        if (types is not null) tallies = tallies.Where(t => types.Contains(t.HoldType));
        // Summed here: at most 48 rows, and SQLite's SUM over a 64-bit column would come back as a long anyway.
        var counts = await tallies.Select(t => t.Count).ToListAsync(ct);
        return (int)counts.Sum();
    }
}
