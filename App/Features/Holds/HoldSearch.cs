using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>
/// The list's <c>search</c>: holds whose number or reason contains the text, ignoring case, the text taken literally
/// (<c>%</c> and <c>_</c> are characters, not wildcards). Scanning every hold of an organization for a substring does not
/// scale (100,000 holds took seconds), so each provider answers from a trigram index and gives the same rows the plain
/// definition <see cref="Plain"/> gives:
/// <list type="bullet">
/// <item>PostgreSQL: <c>SearchText</c>, a stored generated column <c>lower("HoldNumber" || ' ' || "Reason")</c>, with a GIN
/// index on (organization, SearchText) from pg_trgm and btree_gin, so the index finds the organization's candidates by
/// their trigrams and <c>LIKE '%text%'</c> confirms them. A text with a space cannot be in a hold number, so it must be in
/// the reason; the reason is then checked too, as the space could otherwise match the one between number and reason.</item>
/// <item>SQLite: an FTS5 table with the trigram tokenizer (<see cref="HoldSearchIndex"/>), one row per hold with the hold's
/// organization as a token and its number and reason as columns; a phrase query is exactly "contains" for a text of
/// three characters or more, and one query gives both the matches and their number. FTS5 folds the case of all letters while SQLite's lower() folds only A-Z, so a text with
/// other letters is checked with the plain definition as well; a text of one or two characters (no trigram) uses the
/// plain definition alone.</item>
/// </list>
/// </summary>
public static class HoldSearch
{
    /// <summary>Above this many index matches SQLite checks them while reading the holds in the list's order.</summary>
    private const int FewMatches = 1000;

    /// <summary>
    /// The organization's holds that match <paramref name="text"/>, as a query further filters, sorts and pages compose
    /// on, and their number when the index alone knows it exactly (SQLite, a text of ASCII characters), so the list does
    /// not count them again when no other filter applies.
    /// </summary>
    public static async Task<(IQueryable<QualityHold> Holds, int? Count)> MatchingAsync(OperatorDb db, string text, CancellationToken ct)
    {
        var term = text.ToLowerInvariant();
        var holds = db.Set<QualityHold>();
        if (db.Database.IsNpgsql())
        {
            var pattern = "%" + EscapeLike(term) + "%";
            var matching = holds.Where(h => EF.Functions.Like(h.SearchText!, pattern, "\\"));
            return (term.Contains(' ') ? matching.Where(h => h.Reason.ToLower().Contains(term)) : matching, null);
        }

        if (term.EnumerateRunes().Count() < 3 || db.TenantId is not { } org)
        {
            return (Plain(holds, term), null);
        }
        // One index query gives the matching holds' rowids; the list then counts and pages over them.
        var rowids = await HoldSearchIndex.MatchesAsync(db, org, term, ct);
        var exact = term.All(char.IsAscii);
        if (rowids.Count == 0 && exact) return (holds.Where(_ => false), 0);
        // The plan is said here rather than left to SQLite (which may not have statistics yet). Few matches: read them by rowid (CROSS JOIN fixes that
        // order; "rowid IN" alone may walk every hold of a status checking the list). Many: the unary + stops SQLite from
        // reading thousands one by one and sorting them for one page; it walks the index of the list's filters and
        // order instead, checks each rowid against the set, and stops at the page.
        var sql = rowids.Count <= FewMatches
            ? """SELECT h.* FROM json_each({0}) AS m CROSS JOIN "QualityHolds" AS h ON h.rowid = m.value"""
            : """SELECT * FROM "QualityHolds" WHERE +rowid IN (SELECT value FROM json_each({0}))""";
        var fromIndex = holds.FromSqlRaw(sql, "[" + string.Join(',', rowids) + "]");
        return exact ? (fromIndex, rowids.Count) : (Plain(fromIndex, term), null);
    }

    /// <summary>The definition: number or reason contains the text, both lower-cased by the database.</summary>
    public static IQueryable<QualityHold> Plain(IQueryable<QualityHold> holds, string term) =>
        holds.Where(h => h.HoldNumber.ToLower().Contains(term) || h.Reason.ToLower().Contains(term));

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}

/// <summary>
/// SQLite's half of <see cref="HoldSearch"/>: a contentless FTS5 table <c>QualityHoldSearch</c> (trigram tokenizer) whose
/// rowid is the hold's rowid, fed by triggers on <c>QualityHolds</c> in the same transaction as the hold. The
/// organization is indexed too, as one trigram made from its ordinal in <c>QualityHoldSearchOrgs</c> (numbered as
/// organizations first get a hold), so a query reads only that organization's entries and the number of matches is
/// exact. The EF model cannot describe a virtual table, so this <see cref="ISchemaExtension"/> builds both tables, fills
/// them from the holds and creates the triggers when the triggers are missing: on a new database, and after an EF
/// migration rebuilt QualityHolds (which drops its triggers and renumbers its rows).
/// </summary>
public sealed class HoldSearchIndex : ISchemaExtension
{
    public const string Table = "QualityHoldSearch";
    public const string Organizations = "QualityHoldSearchOrgs";

    // A new suffix when the definition changes, so every database rebuilds the index once.
    private const string Triggers = "QualityHoldSearch_v1";

    public async Task EnsureAsync(OperatorDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return;
        var present = await db.Database.SqlQueryRaw<int>(
                $"SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{Triggers}%'")
            .SingleAsync(ct);
        if (present == 3) return;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var sql in Build())
        {
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Rowids of the organization's holds whose number or reason contains <paramref name="term"/> (three characters or more).</summary>
    public static async Task<List<long>> MatchesAsync(OperatorDb db, Guid organizationId, string term, CancellationToken ct)
    {
        var org = db.Id(organizationId);
        var ordinal = await db.Database.SqlQueryRaw<long>(
            $$"""SELECT "Ordinal" AS "Value" FROM "{{Organizations}}" WHERE "OrganizationId" = {0}""", org).ToListAsync(ct);
        if (ordinal.Count == 0) return [];
        var match = $"\"org\" : \"{Token(ordinal[0])}\" AND {{\"number\" \"reason\"}} : \"{term.Replace("\"", "\"\"")}\"";
        return await db.Database.SqlQueryRaw<long>($$"""SELECT rowid AS "Value" FROM "{{Table}}" WHERE "{{Table}}" MATCH {0}""", match).ToListAsync(ct);
    }

    /// <summary>The statements that (re)build the index from the holds and keep it in step; also used by the bench generator.</summary>
    public static IReadOnlyList<string> Build()
    {
        var row = $"""(rowid, "org", "number", "reason")""";
        var token = TokenSql("o.\"Ordinal\"");
        return
        [
            $"""DROP TRIGGER IF EXISTS "{Triggers}_insert" """,
            $"""DROP TRIGGER IF EXISTS "{Triggers}_update" """,
            $"""DROP TRIGGER IF EXISTS "{Triggers}_delete" """,
            $"""DROP TABLE IF EXISTS "{Table}" """,
            $"""DROP TABLE IF EXISTS "{Organizations}" """,
            $"""CREATE TABLE "{Organizations}" ("Ordinal" INTEGER PRIMARY KEY, "OrganizationId" TEXT NOT NULL UNIQUE)""",
            $"""CREATE VIRTUAL TABLE "{Table}" USING fts5("org", "number", "reason", tokenize = 'trigram', content = '', contentless_delete = 1)""",
            $"""INSERT INTO "{Organizations}" ("OrganizationId") SELECT DISTINCT "OrganizationId" FROM "QualityHolds" ORDER BY 1""",
            $"""
             INSERT INTO "{Table}"{row}
             SELECT h.rowid, {token}, h."HoldNumber", h."Reason" FROM "QualityHolds" h JOIN "{Organizations}" o ON o."OrganizationId" = h."OrganizationId"
             """,
            $"""
             CREATE TRIGGER "{Triggers}_insert" AFTER INSERT ON "QualityHolds" BEGIN
               INSERT INTO "{Organizations}" ("OrganizationId") VALUES (new."OrganizationId") ON CONFLICT DO NOTHING;
               INSERT INTO "{Table}"{row}
               SELECT new.rowid, {token}, new."HoldNumber", new."Reason" FROM "{Organizations}" o WHERE o."OrganizationId" = new."OrganizationId";
             END
             """,
            $"""
             CREATE TRIGGER "{Triggers}_update" AFTER UPDATE OF "OrganizationId", "HoldNumber", "Reason" ON "QualityHolds" BEGIN
               DELETE FROM "{Table}" WHERE rowid = old.rowid;
               INSERT INTO "{Organizations}" ("OrganizationId") VALUES (new."OrganizationId") ON CONFLICT DO NOTHING;
               INSERT INTO "{Table}"{row}
               SELECT new.rowid, {token}, new."HoldNumber", new."Reason" FROM "{Organizations}" o WHERE o."OrganizationId" = new."OrganizationId";
             END
             """,
            $"""
             CREATE TRIGGER "{Triggers}_delete" AFTER DELETE ON "QualityHolds" BEGIN
               DELETE FROM "{Table}" WHERE rowid = old.rowid;
             END
             """,
        ];
    }

    private const int PlaneBase = 0xF0000;

    /// <summary>
    /// Three characters of Unicode plane 15 (private use, untouched by case folding), 16 bits of the ordinal each:
    /// exactly one trigram, so an organization's entries are one doclist.
    /// </summary>
    public static string Token(long ordinal) =>
        char.ConvertFromUtf32(PlaneBase + (int)((ordinal >> 32) & 0xFFFF)) +
        char.ConvertFromUtf32(PlaneBase + (int)((ordinal >> 16) & 0xFFFF)) +
        char.ConvertFromUtf32(PlaneBase + (int)(ordinal & 0xFFFF));

    private static string TokenSql(string ordinal) =>
        $"char({PlaneBase} + (({ordinal} >> 32) & 65535), {PlaneBase} + (({ordinal} >> 16) & 65535), {PlaneBase} + ({ordinal} & 65535))";
}

/// <summary>The provider-specific part of the model for <see cref="HoldSearch"/>.</summary>
internal sealed class HoldSearchModel : IProviderModelConfiguration
{
    public void Configure(ModelBuilder builder, DatabaseProvider provider)
    {
        var holds = builder.Entity<QualityHold>();
        if (provider != DatabaseProvider.Postgres)
        {
            holds.Ignore(h => h.SearchText);
            return;
        }
        builder.HasPostgresExtension("pg_trgm").HasPostgresExtension("btree_gin");
        holds.Property(h => h.SearchText).HasComputedColumnSql("""lower("HoldNumber"::text || ' ' || "Reason"::text)""", stored: true);
        holds.HasIndex(h => new { h.OrganizationId, h.SearchText }).HasMethod("gin").HasOperators("uuid_ops", "gin_trgm_ops");
    }
}
