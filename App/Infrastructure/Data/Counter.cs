using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Operator.Infrastructure.Data;

/// <summary>A per-organization sequence (hold numbers per day, LP numbers, the audit chain...).</summary>
public sealed class Counter
{
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public long Value { get; set; }
}

internal sealed class CounterConfiguration : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> b)
    {
        b.ToTable("Counters");
        b.HasKey(c => new { c.OrganizationId, c.Name });
        b.Property(c => c.Name).HasMaxLength(100);
    }
}

/// <summary>Values for hand-written SQL, in the form each provider's columns hold them.</summary>
public static class RawSql
{
    /// <summary>
    /// A Guid as a raw SQL parameter: SQLite stores Guids as upper-case text and compares them as text; PostgreSQL has
    /// a uuid type.
    /// </summary>
    public static object Id(this OperatorDb db, Guid id) => db.Database.IsSqlite() ? id.ToString("D").ToUpperInvariant() : id;
}

public static class Counters
{
    /// <summary>
    /// Takes the next <paramref name="count"/> numbers of a counter and returns the last one. Must run inside the
    /// caller's transaction: the UPDATE holds the counter's row lock (PostgreSQL) or the write lock (SQLite's
    /// BEGIN IMMEDIATE) until commit, so concurrent callers never draw the same number and a rollback gives it back.
    /// </summary>
    public static async Task<long> NextAsync(this OperatorDb db, Guid organizationId, string name, long count = 1, CancellationToken ct = default)
    {
        var org = db.Id(organizationId);
        // One statement (one round trip per number drawn, which every audited write pays): a new counter starts at
        // count, an existing one is incremented under its row lock (PostgreSQL) or the write lock (SQLite).
        var values = await db.Database.SqlQueryRaw<long>(
            """
            INSERT INTO "Counters" ("OrganizationId", "Name", "Value") VALUES ({0}, {1}, {2})
            ON CONFLICT ("OrganizationId", "Name") DO UPDATE SET "Value" = "Counters"."Value" + {2}
            RETURNING "Value" AS "Value"
            """,
            org, name, count).ToListAsync(ct);
        return values.Single();
    }
}
