using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using System.Net;
using System.Net.Http.Json;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Features.MasterData;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// The per-day tallies of serials created (what the dashboard reads) against a count of the serials themselves, on
/// SQLite and on PostgreSQL: after the demo seed, after each insert path, under concurrent increments, and after the
/// migration's backfill.
/// </summary>
public abstract class SerialDayTallyTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    /// <summary>Every organization's tallies equal its serials counted by UTC day and origin.</summary>
    internal static async Task AssertTalliesMatchAsync(OperatorDb db)
    {
        var serials = await db.Set<Serial>().IgnoreQueryFilters().AsNoTracking().Select(s => new { s.OrganizationId, s.CreatedAt, s.Origin }).ToListAsync();
        var expected = serials.GroupBy(s => (s.OrganizationId, Day: DateOnly.FromDateTime(s.CreatedAt), s.Origin))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var tallies = await db.Set<SerialDayTally>().IgnoreQueryFilters().AsNoTracking().ToListAsync();
        var actual = tallies.Where(t => t.Count != 0).ToDictionary(t => (t.OrganizationId, t.Day, t.Origin), t => t.Count);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), actual.OrderBy(e => e.Key).ToList());
    }

    [Fact]
    public async Task The_demo_seed_and_batch_creation_keep_the_tallies_equal_to_the_serials()
    {
        await using (var db = app.RawDb()) await AssertTalliesMatchAsync(db);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        await VerificationSettingsKit.BatchCreateAsync(admin, "P-1002", 3);
        await VerificationSettingsKit.BatchCreateAsync(admin, "P-1002", 1);
        await using (var db = app.RawDb()) await AssertTalliesMatchAsync(db);
    }

    [Fact]
    public async Task Generation_keeps_the_tallies_equal_to_the_serials()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var order = await NewWorkOrderAsync(app, part.Id);
        await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate",
            new { partId = part.Id, context = new { workOrderId = order.WorkOrderId.ToString() } }), HttpStatusCode.Created);
        await using var db = app.RawDb();
        await AssertTalliesMatchAsync(db);
    }

    [Fact]
    public async Task Vendor_acceptance_keeps_the_tallies_equal_to_the_serials()
    {
        var part = await NewPartAsync(app);
        var id = await ReceiveAsync(await app.ClientForAsync(DemoUsers.Operator), part.Id, $"VT-{Guid.NewGuid():N}"[..12]);
        var manager = await app.ClientForAsync(DemoUsers.Manager);
        await OkAsync(await manager.PostSignedAsync($"{Base}/vendor/{id}/accept", null));
        await using var db = app.RawDb();
        await AssertTalliesMatchAsync(db);
    }

    [Fact]
    public async Task Late_assignment_keeps_the_tallies_equal_to_the_serials()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var part = await NewPartAsync(app);
        var placeholder = await CreatePlaceholderAsync(client, part.Id);
        await OkAsync(await client.PostAsJsonAsync($"{Base}/late-assignment/placeholder/{placeholder}/assign", new { serialNumber = $"LT-{Guid.NewGuid():N}"[..12] }));
        await using var db = app.RawDb();
        await AssertTalliesMatchAsync(db);
    }

    [Fact]
    public async Task Two_transactions_adding_to_the_same_day_add_up()
    {
        var org = await app.OrganizationIdAsync(DemoData.SecondCode);
        var day = new DateTime(2031, 5, 17, 10, 0, 0, DateTimeKind.Utc);
        Serial[] Units(int n) => Enumerable.Range(0, n).Select(_ => new Serial
        {
            OrganizationId = org, SerialNumber = "X", PartId = Guid.Empty, Origin = SerialOrigins.Vendor, CreatedAt = day, UpdatedAt = day,
        }).ToArray();

        await using var first = app.RawDb();
        await using var second = app.RawDb();
        await using var firstTx = await first.Database.BeginTransactionAsync();
        // The first transaction creates the day's row and keeps it uncommitted; the second one's increment must wait
        // for it (PostgreSQL: the key's row lock; SQLite: the write lock) and then add to it instead of replacing it.
        await SerialDayTallies.AddAsync(first, Units(3), default);
        var secondAdds = Task.Run(async () =>
        {
            await using var tx = await second.Database.BeginTransactionAsync();
            await SerialDayTallies.AddAsync(second, Units(4), default);
            await tx.CommitAsync();
        });
        await firstTx.CommitAsync();
        await secondAdds;

        await using var db = app.RawDb();
        var tally = await db.Set<SerialDayTally>().IgnoreQueryFilters().SingleAsync(t => t.OrganizationId == org && t.Day == DateOnly.FromDateTime(day));
        Assert.Equal((SerialOrigins.Vendor, 7L), (tally.Origin, tally.Count));
        // No serials stand behind this row: it goes, so the other tests of the class can compare tallies with serials.
        await db.Set<SerialDayTally>().IgnoreQueryFilters().Where(t => t.OrganizationId == org).Where(t => t.Day == tally.Day).ExecuteDeleteAsync();
    }

    [Fact]
    public async Task The_migration_counts_the_existing_serials()
    {
        var provider = app.Provider;
        var connection = provider == DatabaseProvider.Postgres
            ? TestDatabases.NewPostgresDatabase()
            : $"Data Source={Path.Combine(Path.GetTempPath(), $"operator-tally-{Guid.NewGuid():N}.db")}";
        await using var db = OperatorDbFactory.Create(OperatorDbFactory.BuildOptions(provider, connection), provider, FixedUser.Nobody);
        var migrator = db.GetService<IMigrator>();
        var all = db.Database.GetMigrations().ToList();
        var tallies = all.Single(m => m.EndsWith("_SerialDayTallies", StringComparison.Ordinal));
        await migrator.MigrateAsync(all[all.IndexOf(tallies) - 1]);

        var org = new Organization { Code = "TLY1", Name = "Tally" };
        var part = new Part { OrganizationId = org.Id, Number = "P-1", Sku = "TLY", Name = "Bag" };
        db.AddRange(org, part);
        var n = 0;
        Serial Unit(string origin, DateTime created) => new()
        {
            OrganizationId = org.Id, SerialNumber = $"T-{++n}", PartId = part.Id, Status = SerialStatus.InProgress, Origin = origin, CreatedAt = created, UpdatedAt = created,
        };
        var day = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        db.AddRange(Unit(SerialOrigins.AutoJob, day), Unit(SerialOrigins.AutoJob, day.AddHours(23).AddMinutes(59)), Unit(SerialOrigins.Generated, day.AddHours(12)),
            Unit(SerialOrigins.AutoJob, day.AddDays(1)), Unit(SerialOrigins.Vendor, day.AddDays(-20).AddSeconds(1)));
        await db.SaveChangesAsync();

        await migrator.MigrateAsync();
        await AssertTalliesMatchAsync(db);
        Assert.Equal(4, await db.Set<SerialDayTally>().IgnoreQueryFilters().CountAsync());
    }
}

public sealed class SqliteSerialDayTallyTests(OperatorFactory app) : SerialDayTallyTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG.</summary>
public sealed class PostgresSerialDayTallyTests(PostgresOperatorFactory app) : SerialDayTallyTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
