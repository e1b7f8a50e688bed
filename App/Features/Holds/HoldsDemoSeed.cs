using Microsoft.EntityFrameworkCore;
using Operator.Features.Admin;
using Operator.Features.MasterData;
using Operator.Infrastructure.Audit;
using Operator.Infrastructure.Auth;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>
/// A few holds per demo organization in every state and priority, made by the service's own steps (numbers from the
/// counter, license plate statuses, audit entries), backdated so that aging and history read like a working week.
/// MA01's LP-00001..LP-00004, WO-00001 and B-00001 are left untouched for walkthroughs and tests.
/// </summary>
public sealed class HoldsDemoSeed : IDemoSeed
{
    public int Order => 20;

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var db = context.Db;
        var org = context.Organization.Id;
        var service = context.Services.GetRequiredService<HoldCommands>();
        var now = context.Now;

        var plates = await db.Set<LicensePlate>().IgnoreQueryFilters().Where(l => l.OrganizationId == org).ToDictionaryAsync(l => l.Number, l => l.Id, ct);
        var orders = await db.Set<WorkOrder>().IgnoreQueryFilters().Where(w => w.OrganizationId == org).ToDictionaryAsync(w => w.Number, w => w.Id, ct);
        var batches = await db.Set<Batch>().IgnoreQueryFilters().Where(b => b.OrganizationId == org).ToDictionaryAsync(b => b.Number, b => b.Id, ct);

        var inspector = context.UsersByRole.GetValueOrDefault(Roles.QaInspector) ?? context.UsersByRole[Roles.Admin];
        var manager = context.UsersByRole.GetValueOrDefault(Roles.QaManager) ?? context.UsersByRole[Roles.Admin];

        ValidHoldItem Lp(int index, string number, double? quantity = null, string? uom = null, string? notes = null) =>
            new(index, ReferenceTypes.LicensePlate, plates[number], quantity, uom, notes);
        ValidHoldItem Wo(int index, string number, string? notes = null) => new(index, ReferenceTypes.WorkOrder, orders[number], null, null, notes);
        ValidHoldItem Bt(int index, string number, string? notes = null) => new(index, ReferenceTypes.Batch, batches[number], null, null, notes);

        if (context.IsPrimary)
        {
            await CreateAsync(service, db, inspector, now.AddHours(-30), new ValidHold(
                "Stitching tension out of tolerance on the tote bag line; seams may open under load.", HoldTypes.Investigation, HoldPriorities.High,
                [Lp(0, "LP-00005", notes: "Cut panels waiting for stitching"), Lp(1, "LP-00006"), Wo(2, "WO-00002", "Stop stitching until the machine is re-calibrated")]), ct);
            await CreateAsync(service, db, manager, now.AddHours(-27), new ValidHold(
                "Hide lot shows mould spots after humid storage; keep apart from other leather.", HoldTypes.Quarantine, HoldPriorities.Critical,
                [Lp(0, "LP-00007", notes: "Moved to the quarantine cage")]), ct);
            await CreateAsync(service, db, inspector, now.AddHours(-5), new ValidHold(
                "Edge paint colour of batch B-00002 to be checked against the approved sample.", HoldTypes.QaPending, HoldPriorities.Low,
                [Bt(0, "B-00002")]), ct);
            var reworked = await CreateAsync(service, db, inspector, now.AddDays(-4), new ValidHold(
                "Skiving depth measured too thin on two samples of this lot.", HoldTypes.Investigation, HoldPriorities.Medium,
                [Lp(0, "LP-00008", 40, "sqft", "Two of five samples below 1.2 mm")]), ct);
            await ReleaseAsync(service, db, manager, reworked, Dispositions.Rework, "Re-skive and measure every piece before release.", now.AddDays(-2), ct);
            var recalled = await CreateAsync(service, db, manager, now.AddDays(-10), new ValidHold(
                "Supplier recall notice for buckle hardware with nickel above the limit.", HoldTypes.Recall, HoldPriorities.High,
                [Lp(0, "LP-00009", notes: "Buckles from the recalled supplier lot")]), ct);
            await ReleaseAsync(service, db, manager, recalled, Dispositions.Return, "Returned to supplier, credit note requested.", now.AddDays(-9), ct);
            await DisposeAsync(service, db, manager, recalled, now.AddDays(-8), ct);
        }
        else
        {
            await CreateAsync(service, db, inspector, now.AddHours(-50), new ValidHold(
                "Pressure test leak rate above the limit on valve housings from this lot.", HoldTypes.Investigation, HoldPriorities.Medium,
                [Lp(0, "LP-00003", notes: "Retest on the second test bench"), Wo(1, "WO-00002")]), ct);
            var passed = await CreateAsync(service, db, inspector, now.AddDays(-3), new ValidHold(
                "Certificate of conformity missing for the CF8M castings of this plate.", HoldTypes.QaPending, HoldPriorities.Low,
                [Lp(0, "LP-00004")]), ct);
            await ReleaseAsync(service, db, manager, passed, Dispositions.Release, "Certificate received and checked.", now.AddDays(-2), ct);
        }
    }

    private static HoldActor Actor(AppUser user) => new(user.OrganizationId, user.Id, user.DisplayName, user.Email ?? "");

    private static async Task<QualityHold> CreateAsync(HoldCommands service, OperatorDb db, AppUser user, DateTime at, ValidHold input, CancellationToken ct)
    {
        var added = await RecordAsync(db, user, at, () => service.CreateInAsync(db, Actor(user), input, at, ct), ct);
        return db.Set<QualityHold>().Local.Single(h => h.Id == added.Value.Hold.Id);
    }

    private static Task ReleaseAsync(HoldCommands service, OperatorDb db, AppUser user, QualityHold hold, string disposition, string notes, DateTime at, CancellationToken ct) =>
        RecordAsync(db, user, at, () => service.ReleaseInAsync(db, Actor(user), hold, disposition, notes, at, ct), ct);

    private static Task DisposeAsync(HoldCommands service, OperatorDb db, AppUser user, QualityHold hold, DateTime at, CancellationToken ct) =>
        RecordAsync(db, user, at, () => service.DisposeInAsync(db, Actor(user), hold, at, ct), ct);

    /// <summary>
    /// Runs one step and saves it. The seed has no signed-in caller, so the step's audit entries are attributed to the
    /// demo user and dated when the step "happened", and their hashes recomputed in order before saving: the chain
    /// stays intact.
    /// </summary>
    private static async Task<Infrastructure.Api.Result<T>> RecordAsync<T>(OperatorDb db, AppUser user, DateTime at, Func<Task<Infrastructure.Api.Result<T>>> step, CancellationToken ct)
    {
        var known = db.AuditEntries.Local.Select(a => a.Id).ToHashSet();
        var result = await step();
        if (!result.IsSuccess) throw new InvalidOperationException($"Demo hold: {result.Error!.Message}");
        foreach (var entry in db.AuditEntries.Local.Where(a => !known.Contains(a.Id)).OrderBy(a => a.Sequence).ToList())
        {
            var previous = db.AuditEntries.Local.FirstOrDefault(a => a.OrganizationId == entry.OrganizationId && a.Sequence == entry.Sequence - 1);
            entry.UserId = user.Id;
            entry.UserEmail = user.Email;
            entry.At = at;
            if (previous is not null) entry.PreviousHash = previous.Hash;
            entry.Hash = AuditTrail.ComputeHash(entry);
        }
        await db.SaveChangesAsync(ct);
        return result;
    }
}
