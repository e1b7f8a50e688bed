using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>SQLite's statistics: an index added after the last analysis is found, so its table is analyzed again.</summary>
public sealed class SqliteStatisticsTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task An_index_added_after_the_analysis_marks_its_table_for_analysis()
    {
        await using var db = app.RawDb();
        await SqliteStatistics.AnalyzeAsync(db, CancellationToken.None);
        Assert.Empty(await SqliteStatistics.TablesWithIndexesNotAnalyzedAsync(db, CancellationToken.None));

        await db.Database.ExecuteSqlRawAsync("""CREATE INDEX "IX_Test_Organizations_Name" ON "Organizations" ("Name")""");
        try
        {
            Assert.Equal(["Organizations"], await SqliteStatistics.TablesWithIndexesNotAnalyzedAsync(db, CancellationToken.None));
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "Organizations";""");
            Assert.Empty(await SqliteStatistics.TablesWithIndexesNotAnalyzedAsync(db, CancellationToken.None));
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("""DROP INDEX "IX_Test_Organizations_Name" """);
        }
    }
}
