using Microsoft.EntityFrameworkCore;
using Operator.Features.Holds;
using Operator.Features.Home;
using Operator.Features.MasterData;
using Operator.Features.Serialization;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Home;

/// <summary>
/// A fresh organization with a known set of rows for the dashboard, on a fixed clock (today is 2026-03-15, 10:30 UTC), and
/// the dashboard service as one of its users. The demo organizations' rows sit in the same database: exact counts prove
/// that nothing of theirs is counted.
/// </summary>
public sealed class DashboardKit
{
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 10, 30, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    public required Guid OrganizationId { get; init; }
    public required string Code { get; init; }
    public required Guid OperatorId { get; init; }
    public required OperatorFactory App { get; init; }

    private static DateTime At(int daysAgo, int hour, int minute = 0) => Now.UtcDateTime.Date.AddDays(-daysAgo).AddHours(hour).AddMinutes(minute);

    public static async Task<DashboardKit> SeedAsync(OperatorFactory app)
    {
        var org = new Organization { Code = "D" + Guid.NewGuid().ToString("N")[..3].ToUpperInvariant(), Name = "Dashboard test" };
        var operatorId = Guid.NewGuid();
        await using var db = app.RawDb();
        var someone = await db.Users.Select(u => u.Id).FirstAsync();
        db.Organizations.Add(org);
        var part = new Part { OrganizationId = org.Id, Number = "P-1", Sku = "DASH", Name = "Bag" };
        var path = new ProcessPath { OrganizationId = org.Id, Code = "PTH", Name = "Sewing", PartId = part.Id };
        path.Steps.Add(new ProcessStep { OrganizationId = org.Id, PathId = path.Id, Sequence = 0, Code = "CUT", Name = "Cut" });
        path.Steps.Add(new ProcessStep { OrganizationId = org.Id, PathId = path.Id, Sequence = 1, Code = "SEW", Name = "Sew" });
        db.AddRange(part, path);
        var n = 0;
        Serial Unit(string status, int step, string origin, DateTime created) => new()
        {
            OrganizationId = org.Id, SerialNumber = $"{org.Code}-{++n}", PartId = part.Id, PathId = path.Id, CurrentStepIndex = step,
            Status = status, Origin = origin, CreatedAt = created, UpdatedAt = created,
        };
        var units = new[]
        {
            Unit(SerialStatus.InProgress, 0, SerialOrigins.AutoJob, At(0, 8)),
            Unit(SerialStatus.InProgress, 0, SerialOrigins.AutoJob, At(0, 9)),
            Unit(SerialStatus.InProgress, 0, SerialOrigins.Generated, At(0, 9)),
            Unit(SerialStatus.InProgress, 1, SerialOrigins.Vendor, At(1, 9)),
            Unit(SerialStatus.Completed, Serial.CompletedStepIndex, SerialOrigins.LateAssignment, At(1, 9)),
            Unit(SerialStatus.Scrapped, 0, SerialOrigins.Propagation, At(1, 23, 59)),
            Unit(SerialStatus.Completed, Serial.CompletedStepIndex, SerialOrigins.Generated, At(40, 9)),
        };
        db.AddRange(units);
        await SerialDayTallies.AddAsync(db, units, default);
        SerialStepEvent Step(Guid? user, string what, DateTime at) => new()
        {
            OrganizationId = org.Id, SerialId = units[0].Id, StepIndex = 0, StepName = "Cut", Event = what, UserId = user, At = at,
        };
        db.AddRange(
            Step(operatorId, StepEvents.Completed, At(0, 9, 10)), Step(operatorId, StepEvents.Completed, At(0, 9, 50)),
            Step(operatorId, StepEvents.Completed, At(0, 10, 5)), Step(operatorId, StepEvents.Started, At(0, 10, 6)),
            Step(operatorId, StepEvents.Completed, At(1, 9)), Step(Guid.NewGuid(), StepEvents.Completed, At(0, 9)));
        var h = 0;
        QualityHold Hold(string priority, string type, string reason, DateTime held, DateTime? released = null) => new()
        {
            OrganizationId = org.Id, HoldNumber = $"QH-20260315-{++h:0000}", Priority = priority, PriorityRank = HoldPriorities.Rank(priority),
            HoldType = type, Reason = reason, HeldAt = held, HeldById = someone, CreatedById = someone, UpdatedById = someone, CreatedAt = held, UpdatedAt = held,
            Status = released is null ? HoldStatuses.Active : HoldStatuses.Released, ReleasedAt = released, ReleasedById = released is null ? null : someone,
        };
        db.AddRange(
            Hold(HoldPriorities.High, HoldTypes.Recall, "Seal", At(0, 8)),
            Hold(HoldPriorities.High, HoldTypes.Investigation, "Seal", At(3, 8)),
            Hold(HoldPriorities.Low, HoldTypes.Quarantine, "Dent", At(10, 8)),
            Hold(HoldPriorities.Critical, HoldTypes.Recall, "Crack", At(45, 8)),
            Hold(HoldPriorities.Medium, HoldTypes.Recall, "Seal", At(2, 8), released: At(0, 9)));
        UniquenessConflict Conflict(string status) => new()
        {
            OrganizationId = org.Id, SerialNumber = "X", PartId = part.Id, Scopes = "[]", ConflictingSerialIds = "[]", Status = status, CreatedAt = At(0, 1),
        };
        db.AddRange(Conflict(ConflictStatus.Pending), Conflict(ConflictStatus.Pending), Conflict(ConflictStatus.Resolved));
        db.AddRange(
            new VendorSerial { OrganizationId = org.Id, VendorSerialNumber = "V1", VendorName = "Acme", PartId = part.Id, Status = VendorSerialStatus.Pending },
            new VendorSerial { OrganizationId = org.Id, VendorSerialNumber = "V2", VendorName = "Acme", PartId = part.Id, Status = VendorSerialStatus.Accepted });
        db.AddRange(
            new VerificationScanDay { OrganizationId = org.Id, Day = Today, Genuine = 5, NotGenuine = 2 },
            new VerificationScanDay { OrganizationId = org.Id, Day = Today.AddDays(-1), Genuine = 0, NotGenuine = 1 },
            new VerificationScanDay { OrganizationId = org.Id, Day = Today.AddDays(-40), Genuine = 9, NotGenuine = 9 });
        OutboxMessage Message(string topic, string status) => new()
        {
            OrganizationId = org.Id, Topic = topic, Name = "work_order_created", Subject = "WO", Payload = "{}", Status = status,
        };
        db.AddRange(Message(TriggerOutbox.Topic, OutboxStatus.Failed), Message(TriggerOutbox.Topic, OutboxStatus.Done), Message("other.topic", OutboxStatus.Failed));
        await db.SaveChangesAsync();
        return new DashboardKit { OrganizationId = org.Id, Code = org.Code, OperatorId = operatorId, App = app };
    }

    /// <summary>The dashboard as a user of this organization with this role sees it.</summary>
    public Task<DashboardData> AsAsync(string role)
    {
        var user = FixedUser.For(OrganizationId, role == Roles.Operator ? OperatorId : Guid.NewGuid(), role, orgCode: Code);
        var settings = (App.Services.GetService(typeof(DatabaseSettings)) as DatabaseSettings)!;
        var factory = new OperatorDbFactory(settings.Options, settings.Provider, user);
        var clock = new TestClock(Now);
        return new DashboardService(factory, user, new HoldDashboard(factory, clock), clock).GetAsync();
    }
}
