using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Features.Station;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Tests.Features.Holds;
using Operator.Tests.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Station;

/// <summary>
/// Station profiles and the station's work on SQLite and PostgreSQL: profile administration and unique names, the
/// profile's refusals in the station service, the queue's order and held units, the day's and the shift's counts, and a
/// placeholder getting its serial number at the station through the late-assignment service.
/// </summary>
public abstract class StationProfileTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private Task<T> As<T>(string email, Func<IServiceProvider, Task<T>> work) => app.AsUserAsync(email, work);

    private Task<ScanResult> AtStation(Func<StationService, Task<ScanResult>> work) =>
        As(DemoUsers.Operator, sp => work(sp.GetRequiredService<StationService>()));

    private Task<StationQueueDto> QueueAsync(StationProfileDto station) =>
        As(DemoUsers.Operator, sp => sp.GetRequiredService<StationQueueService>().GetAsync(station));

    private Task<SerialDetailDto> UnitAsync(string serial) =>
        As(DemoUsers.Operator, async sp => (await sp.GetRequiredService<SerialDetailService>().GetAsync(serial)).Value);

    [Fact]
    public async Task Profiles_are_created_edited_and_deactivated_by_admins_with_names_unique_per_organization()
    {
        var path = await StationKit.NewPathAsync(app);
        var name = $"Cutting {Guid.NewGuid():N}"[..16];
        var created = await StationKit.CreateAsync(app, new SaveStationProfileRequest($"  {name} ", path.Id, ["cut"], StationActions.Advance | StationActions.Scrap));
        Assert.True(created.IsSuccess, created.Error?.Message);
        var profile = created.Value;
        Assert.Equal(name, profile.Name);
        Assert.Equal(["CUT"], profile.StepCodes);
        var step = Assert.Single(profile.Steps);
        Assert.Equal(("Cutting", 0, path.Code), (step.Name, step.Index, step.PathCode));
        Assert.True(profile.Allows(StationActions.Advance) && profile.Allows(StationActions.Scrap) && !profile.Allows(StationActions.Complete));

        // The same name again (another path, other steps) is a conflict on the name field, in words.
        var twice = await StationKit.CreateAsync(app, new SaveStationProfileRequest(name, null, ["SEW"], StationActions.All));
        Assert.Equal(ErrorKind.Conflict, twice.Error!.Kind);
        Assert.Equal("name", Assert.Single(twice.Error.Issues).Field);
        Assert.Contains(name, twice.Error.Message);

        // Another organization may use the name.
        var other = await StationKit.CreateAsync(app, new SaveStationProfileRequest(name, null, ["CUT"], StationActions.All), DemoUsers.OtherAdmin);
        Assert.True(other.IsSuccess, other.Error?.Message);

        var invalid = await StationKit.CreateAsync(app, new SaveStationProfileRequest(" ", path.Id, ["NOPE"], StationActions.All));
        Assert.Equal(ErrorKind.Validation, invalid.Error!.Kind);
        Assert.Equal(["name", "stepCodes"], invalid.Error.Issues.Select(i => i.Field).Order());
        Assert.Contains("NOPE", invalid.Error.Issues.Single(i => i.Field == "stepCodes").Message);

        var forbidden = await StationKit.CreateAsync(app, new SaveStationProfileRequest("Operator's own", path.Id, ["CUT"], StationActions.All), DemoUsers.Operator);
        Assert.Equal(ErrorKind.Forbidden, forbidden.Error!.Kind);

        var edited = await As(DemoUsers.Admin, sp => sp.GetRequiredService<StationProfileService>()
            .UpdateAsync(profile.Id, new SaveStationProfileRequest(name + " 2", path.Id, ["CUT", "SEW"], StationActions.Complete)));
        Assert.True(edited.IsSuccess, edited.Error?.Message);
        Assert.Equal(["Cutting", "Stitching"], edited.Value.Steps.Select(s => s.Name));
        Assert.Equal(StationActions.Complete, edited.Value.Actions);

        var off = await As(DemoUsers.Admin, sp => sp.GetRequiredService<StationProfileService>().SetActiveAsync(profile.Id, false));
        Assert.False(off.Value.Active);
        var active = await As(DemoUsers.Operator, sp => sp.GetRequiredService<StationProfileService>().ListAsync(activeOnly: true));
        Assert.DoesNotContain(active, p => p.Id == profile.Id);
        Assert.Null(await As(DemoUsers.Operator, sp => sp.GetRequiredService<StationProfileService>().FindActiveAsync(profile.Id.ToString())));

        await using var db = app.RawDb();
        var audit = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == profile.Id.ToString()).Select(a => a.Action).ToListAsync();
        Assert.Equal(["station_profile_created", "station_profile_deactivated", "station_profile_updated"], audit.Order());
    }

    [Fact]
    public async Task The_service_refuses_what_the_profile_does_not_allow_and_units_of_other_steps()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var path = await StationKit.NewPathAsync(app);
        var (serials, _) = await StationKit.UnitsAsync(app, client, path.Code, 2);
        var certsOnly = await StationKit.ProfileAsync(app, path.Id, StationKit.Cut, StationActions.AttachCertificates);
        var unit = await UnitAsync(serials[0]);

        var advance = await AtStation(s => s.AdvanceAsync(unit, certsOnly));
        Assert.Equal((ScanKind.Rejected, $"{certsOnly.Name} does not advance units."), (advance.Kind, advance.Message));
        Assert.Equal(ScanKind.Rejected, (await AtStation(s => s.ScrapAsync(unit, new ScrapSerialRequest("Torn at the edge"), certsOnly))).Kind);
        Assert.Equal(0, (await UnitAsync(serials[0])).CurrentStepIndex);
        Assert.Equal(SerialStatus.InProgress, (await UnitAsync(serials[0])).Status);

        // A station at Stitching: a unit at Cutting is answered in words, and cannot be moved there.
        var stitching = await StationKit.ProfileAsync(app, path.Id, StationKit.Sew, StationActions.All);
        var scanned = await AtStation(s => s.ScanAsync(serials[1], null, stitching));
        Assert.Equal(ScanKind.WrongStation, scanned.Kind);
        Assert.Equal($"{serials[1]} is at Cutting; this station works at Stitching.", scanned.Message);
        Assert.Equal("elsewhere", StationSignal.For(scanned).Kind);
        var moved = await AtStation(s => s.AdvanceAsync(scanned.Unit!, stitching));
        Assert.Equal((ScanKind.Rejected, scanned.Message), (moved.Kind, moved.Message));
        Assert.Equal(0, (await UnitAsync(serials[1])).CurrentStepIndex);

        // The cutting station may advance; its own unit moves.
        var cutting = await StationKit.ProfileAsync(app, path.Id, StationKit.Cut, StationActions.Advance);
        var ok = await AtStation(s => s.AdvanceAsync(unit, cutting));
        Assert.Equal(ScanKind.Recorded, ok.Kind);
        Assert.Equal(1, (await UnitAsync(serials[0])).CurrentStepIndex);
    }

    [Fact]
    public async Task The_queue_lists_units_at_the_station_oldest_first_with_held_units_marked()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var path = await StationKit.NewPathAsync(app);
        var (first, _) = await StationKit.UnitsAsync(app, client, path.Code, 2);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var (held, heldOrder) = await StationKit.UnitsAsync(app, client, path.Code, 1);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var (late, _) = await StationKit.UnitsAsync(app, client, path.Code, 1);
        var station = await StationKit.ProfileAsync(app, path.Id, StationKit.Cut, StationActions.All);

        // The oldest unit moves on: it leaves the queue, and arrives at Stitching's queue after the others were created.
        Assert.Equal(ScanKind.Recorded, (await AtStation(async s => await s.AdvanceAsync(await UnitAsync(first[0]), station))).Kind);

        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var hold = await inspector.PostAsJsonAsync(HoldsKit.Path, HoldsKit.Body([HoldsKit.Wo(heldOrder)]));
        Assert.Equal(HttpStatusCode.Created, hold.StatusCode);

        var queue = await QueueAsync(station);
        Assert.Equal([first[1], held[0], late[0]], queue.Units.Select(u => u.Number));
        Assert.Equal(3, queue.UnitsWaiting);
        Assert.Equal([false, true, false], queue.Units.Select(u => u.IsHeld));
        Assert.All(queue.Units, u => Assert.Equal("Cutting", u.StepName));
        Assert.Equal(1, queue.DoneToday);

        var capped = await As(DemoUsers.Operator, sp => sp.GetRequiredService<StationQueueService>().GetAsync(station, limit: 2));
        Assert.Equal(2, capped.Units.Count);
        Assert.Equal(3, capped.UnitsWaiting);

        var sewing = await StationKit.ProfileAsync(app, path.Id, StationKit.Sew, StationActions.All);
        Assert.Equal([first[0]], (await QueueAsync(sewing)).Units.Select(u => u.Number));
    }

    [Fact]
    public async Task Units_done_here_are_counted_for_today_and_for_the_shift()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var path = await StationKit.NewPathAsync(app);
        var (serials, _) = await StationKit.UnitsAsync(app, client, path.Code, 3);
        var station = await StationKit.ProfileAsync(app, path.Id, StationKit.Cut, StationActions.Advance);
        var units = new List<SerialDetailDto>();
        foreach (var s in serials) units.Add(await UnitAsync(s));

        var zone = app.Clock.LocalTimeZone;
        var restore = app.Clock.GetUtcNow();
        var yesterday = TimeZoneInfo.ConvertTime(restore, zone).Date.AddDays(-1);
        DateTimeOffset Local(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
        try
        {
            // The day before at 20:00 (neither today nor this shift), at 09:00 (early shift) and at 14:30 (late shift).
            var times = new[] { yesterday.AddDays(-1).AddHours(20), yesterday.AddHours(9), yesterday.AddHours(14.5) };
            for (var i = 0; i < 3; i++)
            {
                app.Clock.Set(Local(times[i]));
                Assert.Equal(ScanKind.Recorded, (await AtStation(s => s.AdvanceAsync(units[i], station))).Kind);
            }
            app.Clock.Set(Local(yesterday.AddHours(15)));
            var queue = await QueueAsync(station);
            Assert.Equal("Late", queue.Shift.Name);
            Assert.Equal((2, 1), (queue.DoneToday, queue.DoneThisShift));
        }
        finally
        {
            app.Clock.Set(restore);
        }
    }

    [Fact]
    public async Task A_placeholder_waiting_at_the_station_gets_the_scanned_serial_number_with_the_same_audit_entries()
    {
        var path = await StationKit.NewPathAsync(app);
        var order = await SerialsKit.NewWorkOrderAsync(app, pathCode: path.Code);
        Guid partId;
        await using (var db = app.RawDb())
        {
            partId = await db.Set<Operator.Features.MasterData.WorkOrder>().IgnoreQueryFilters().Where(w => w.Id == order.Id).Select(w => w.PartId).SingleAsync();
        }
        var placeholder = await As(DemoUsers.Operator, sp => sp.GetRequiredService<PlaceholderService>()
            .CreateAsync(new CreatePlaceholderRequest(partId.ToString(), order.Id.ToString(), StationKit.Sew)));
        Assert.True(placeholder.IsSuccess, placeholder.Error?.Message);
        var id = placeholder.Value.Id;

        var noPlaceholders = await StationKit.ProfileAsync(app, path.Id, StationKit.Sew, StationActions.Advance);
        Assert.Empty((await QueueAsync(noPlaceholders)).Placeholders);
        var refused = await AtStation(s => s.AssignPlaceholderAsync(id, "SN-NOT-GIVEN", noPlaceholders));
        Assert.Equal(ScanKind.Rejected, refused.Kind);

        var station = await StationKit.ProfileAsync(app, path.Id, StationKit.Sew, StationActions.AssignPlaceholders | StationActions.Advance);
        var waiting = Assert.Single((await QueueAsync(station)).Placeholders);
        Assert.Equal((id, "Stitching", order.Number), (waiting.Id, waiting.StepName, waiting.WorkOrderNumber));

        var number = $"LA-{Guid.NewGuid():N}"[..14].ToUpperInvariant();
        var assigned = await AtStation(s => s.AssignPlaceholderAsync(id, $" {number} ", station));
        Assert.Equal(ScanKind.Recorded, assigned.Kind);
        Assert.Equal(number, assigned.Unit!.SerialNumber);
        Assert.Equal("Stitching", assigned.Unit.CurrentStepName);
        Assert.Equal(SerialOrigins.LateAssignment, assigned.Unit.Origin);
        Assert.Empty((await QueueAsync(station)).Placeholders);
        Assert.Equal([number], (await QueueAsync(station)).Units.Select(u => u.Number));

        var again = await AtStation(s => s.AssignPlaceholderAsync(id, "SN-SECOND", station));
        Assert.Equal(ScanKind.Rejected, again.Kind);

        await using var check = app.RawDb();
        Assert.Equal(1, await check.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.EntityId == id.ToString() && a.Action == "placeholder_serialized"));
        Assert.Equal(1, await check.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.EntityId == assigned.Unit.Id.ToString() && a.Action == "serial_created"));
    }

    [Fact]
    public void Shifts_are_three_eight_hour_shifts_from_six_in_the_morning()
    {
        var zone = TimeZoneInfo.Utc;
        var night = StationShift.At(new DateTimeOffset(2026, 3, 4, 3, 0, 0, TimeSpan.Zero), zone);
        Assert.Equal(("Night", new DateTime(2026, 3, 3, 22, 0, 0), new DateTime(2026, 3, 4)), (night.Name, night.StartUtc, night.DayStartUtc));
        Assert.Equal("Early", StationShift.At(new DateTimeOffset(2026, 3, 4, 6, 0, 0, TimeSpan.Zero), zone).Name);
        Assert.Equal("Late", StationShift.At(new DateTimeOffset(2026, 3, 4, 21, 59, 0, TimeSpan.Zero), zone).Name);
        var late = StationShift.At(new DateTimeOffset(2026, 3, 4, 23, 0, 0, TimeSpan.Zero), zone);
        Assert.Equal(("Night", new DateTime(2026, 3, 4, 22, 0, 0)), (late.Name, late.StartUtc));
    }
}

public sealed class SqliteStationProfileTests(OperatorFactory app) : StationProfileTests<OperatorFactory>(app), IClassFixture<OperatorFactory>
{
    private readonly OperatorFactory _app = app;

    /// <summary>The queue and the counts are index searches, never a scan of the organization's serials or step events.</summary>
    [Fact]
    public async Task The_queue_and_the_counts_are_served_by_their_indexes()
    {
        // A context of a signed-in user: the organization filter holds a value, as in the station's own queries.
        await using var scope = _app.Services.CreateAsyncScope();
        var user = new Operator.Infrastructure.Tenancy.FixedUser(await DemoUsers.PrincipalAsync(scope.ServiceProvider, DemoUsers.Operator));
        await using var db = OperatorDbFactory.Create(_app.Services.GetRequiredService<DbContextOptions>(), _app.Provider, user);
        var step = new StationStepDto(Guid.NewGuid(), Guid.NewGuid(), "P", 0, "CUT", "Cutting");
        var queue = await PlanAsync(db, StationQueueService.WaitingAt(db, step).Take(50).ToQueryString());
        Assert.True(queue.Contains("USING INDEX IX_Serials_StationQueue"), queue);
        // Ties on the arrival time are ordered by id within the index range ("RIGHT PART"), never a sort of the whole step.
        Assert.DoesNotContain("USE TEMP B-TREE FOR ORDER BY", queue);
        var count = await PlanAsync(db, StationQueueService.DoneAt(db, [Guid.NewGuid()], DateTime.UtcNow.Date).ToQueryString());
        Assert.Contains("IX_SerialStepEvents_StationDone", count);
    }

    private static async Task<string> PlanAsync(OperatorDb db, string queryString)
    {
        // ToQueryString lists parameters as ".param set" lines; unbound they are NULL, which does not change the plan.
        var sql = string.Join("\n", queryString.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
        return string.Join("\n", lines);
    }
}

/// <summary>Needs the PostgreSQL server of OPERATOR_TEST_PG.</summary>
public sealed class PostgresStationProfileTests(PostgresOperatorFactory app) : StationProfileTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
