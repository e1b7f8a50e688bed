using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Serials;

/// <summary>
/// How many serials an organization created on one UTC day with one origin. The dashboard's "serials created per day"
/// chart reads these (at most 30 days times a handful of origins) instead of counting the serials of 30 days, which
/// walks one index entry per serial and grows with the plant's output.
/// </summary>
public sealed class SerialDayTally : ITenantOwned
{
    public Guid OrganizationId { get; set; }
    public DateOnly Day { get; set; }
    public required string Origin { get; set; }
    public long Count { get; set; }
}

internal sealed class SerialDayTallyConfiguration : IEntityTypeConfiguration<SerialDayTally>
{
    public void Configure(EntityTypeBuilder<SerialDayTally> b)
    {
        b.ToTable("SerialDayTallies");
        b.HasKey(t => new { t.OrganizationId, t.Day, t.Origin });
        b.Property(t => t.Origin).HasMaxLength(20);
    }
}

/// <summary>
/// Keeps <see cref="SerialDayTally"/> in step with the serials. Every path that inserts serials calls
/// <see cref="AddAsync"/> inside the transaction that inserts them, so a rollback takes the tally back with it. Each row
/// is an increment (<c>INSERT ... ON CONFLICT DO UPDATE SET "Count" = "Count" + excluded."Count"</c>), never a value read
/// and written back, so concurrent inserts add up on both providers.
/// </summary>
public static class SerialDayTallies
{
    private const string AddSql = """
        INSERT INTO "SerialDayTallies" ("OrganizationId", "Day", "Origin", "Count") VALUES ({0}, {1}, {2}, {3})
        ON CONFLICT ("OrganizationId", "Day", "Origin") DO UPDATE SET "Count" = "SerialDayTallies"."Count" + excluded."Count"
        """;

    /// <summary>Counts new serials into their organization's tallies (one statement per organization, day and origin).</summary>
    public static async Task AddAsync(OperatorDb db, IEnumerable<Serial> serials, CancellationToken ct)
    {
        var groups = serials.GroupBy(s => (s.OrganizationId, Day: DateOnly.FromDateTime(s.CreatedAt), s.Origin))
            .Select(g => (g.Key.OrganizationId, g.Key.Day, g.Key.Origin, Count: (long)g.Count()))
            // A fixed order: two transactions adding to the same rows take their row locks in the same order.
            .OrderBy(g => g.OrganizationId).ThenBy(g => g.Day).ThenBy(g => g.Origin, StringComparer.Ordinal).ToList();
        foreach (var g in groups)
            await db.Database.ExecuteSqlRawAsync(AddSql, [db.Id(g.OrganizationId), g.Day, g.Origin, g.Count], ct);
    }

    /// <summary>Counts one new serial into its organization's tally.</summary>
    public static Task AddAsync(OperatorDb db, Serial serial, CancellationToken ct) => AddAsync(db, [serial], ct);

    /// <summary>
    /// Recounts every organization's tallies from the serials: the migration that introduced them (per provider, since
    /// the UTC day of a timestamp is spelled differently), and the bench generator after writing serials in bulk.
    /// </summary>
    public const string RebuildSqlite =
        """
        DELETE FROM "SerialDayTallies";
        INSERT INTO "SerialDayTallies" ("OrganizationId", "Day", "Origin", "Count")
        SELECT "OrganizationId", date("CreatedAt"), "Origin", COUNT(*) FROM "Serials"
        GROUP BY "OrganizationId", date("CreatedAt"), "Origin";
        """;

    /// <inheritdoc cref="RebuildSqlite"/>
    public const string RebuildPostgres =
        """
        DELETE FROM "SerialDayTallies";
        INSERT INTO "SerialDayTallies" ("OrganizationId", "Day", "Origin", "Count")
        SELECT "OrganizationId", ("CreatedAt" AT TIME ZONE 'UTC')::date, "Origin", COUNT(*) FROM "Serials"
        GROUP BY "OrganizationId", ("CreatedAt" AT TIME ZONE 'UTC')::date, "Origin";
        """;

    public static string RebuildSql(OperatorDb db) => db.Database.IsSqlite() ? RebuildSqlite : RebuildPostgres;
}
