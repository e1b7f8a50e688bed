using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Features.Verification;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Home;

/// <summary>
/// Public scans counted in memory and added to the database in batches: at each write, at shutdown, and by several
/// instances (several writers) into one row without losing any count.
/// </summary>
public abstract class VerificationScanCounterTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(DashboardKit.Now.UtcDateTime);

    private async Task<(string Code, Guid Id)> NewOrganizationAsync()
    {
        var org = new Organization { Code = "S" + Guid.NewGuid().ToString("N")[..3].ToUpperInvariant(), Name = "Scans" };
        await using var db = app.RawDb();
        db.Organizations.Add(org);
        await db.SaveChangesAsync();
        return (org.Code, org.Id);
    }

    private (VerificationScanCounter Counter, VerificationScanWriter Writer) NewInstance()
    {
        var counter = new VerificationScanCounter(new TestClock(DashboardKit.Now));
        return (counter, new VerificationScanWriter(counter, app.Services.GetRequiredService<DatabaseSettings>(), NullLogger<VerificationScanWriter>.Instance));
    }

    private async Task<(long Genuine, long NotGenuine)?> RowAsync(Guid org)
    {
        await using var db = app.RawDb();
        var row = await db.Set<VerificationScanDay>().IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(s => s.OrganizationId == org && s.Day == Day);
        return row is null ? null : (row.Genuine, row.NotGenuine);
    }

    [Fact]
    public async Task Counts_are_written_in_batches_as_increments_and_nothing_is_written_before()
    {
        var (code, id) = await NewOrganizationAsync();
        var (counter, writer) = NewInstance();
        for (var i = 0; i < 3; i++) counter.Record(code, genuine: true);
        counter.Record(code, genuine: false);
        Assert.Null(await RowAsync(id));

        await writer.WriteAsync();
        Assert.Equal((3L, 1L), await RowAsync(id));
        await writer.WriteAsync();
        Assert.Equal((3L, 1L), await RowAsync(id));

        counter.Record(code, genuine: false);
        await writer.WriteAsync();
        Assert.Equal((3L, 2L), await RowAsync(id));
    }

    [Fact]
    public async Task Counts_left_at_shutdown_are_written()
    {
        var (code, id) = await NewOrganizationAsync();
        var (counter, writer) = NewInstance();
        await writer.StartAsync(CancellationToken.None);
        counter.Record(code, genuine: true);
        counter.Record(code, genuine: true);
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal((2L, 0L), await RowAsync(id));
    }

    [Fact]
    public async Task Two_instances_writing_the_same_day_at_once_add_up()
    {
        var (code, id) = await NewOrganizationAsync();
        var (counterA, writerA) = NewInstance();
        var (counterB, writerB) = NewInstance();
        counterA.Record(code, genuine: true);
        counterA.Record(code, genuine: false);
        counterB.Record(code, genuine: true);

        // A has taken its counts and waits; B writes the row first; then A writes on top of B's row.
        var taken = new TaskCompletionSource();
        var go = new TaskCompletionSource();
        writerA.BeforeWrite = async () => { taken.SetResult(); await go.Task; };
        var writingA = writerA.WriteAsync();
        await taken.Task;
        await writerB.WriteAsync();
        Assert.Equal((1L, 0L), await RowAsync(id));
        go.SetResult();
        await writingA;
        Assert.Equal((2L, 1L), await RowAsync(id));
    }

    [Fact]
    public async Task A_code_naming_no_organization_stores_nothing()
    {
        var (counter, writer) = NewInstance();
        var unknown = "Z" + Guid.NewGuid().ToString("N")[..3].ToUpperInvariant();
        counter.Record(unknown, genuine: false);
        await writer.WriteAsync();
        await using var db = app.RawDb();
        Assert.False(await db.Set<VerificationScanDay>().IgnoreQueryFilters().AnyAsync(s => s.Day == Day
            && !db.Organizations.Any(o => o.Id == s.OrganizationId)));
        Assert.Empty(counter.Take());
    }
}

public sealed class SqliteVerificationScanCounterTests(OperatorFactory app) : VerificationScanCounterTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG.</summary>
public sealed class PostgresVerificationScanCounterTests(PostgresOperatorFactory app) : VerificationScanCounterTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
