using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Containment;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Infrastructure.Api;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Containment;

/// <summary>
/// A three-level genealogy with a split, built fresh for each test (new numbers, so tests sharing a database stay
/// independent). Links are recorded through the real propagation API.
/// <code>
///   r --SPLIT--> c1 --MERGE--+
///                c3 --MERGE--+--> s1 --TRANSFORMATION--+
///   c2 --SPLIT--> c2a --TRANSFORMATION--> s2 ----------+--> p1 (completed)
///             \-> c2b (scrapped)
/// </code>
/// Certificate X is attached to c1 and c2, Y to c3. c1, c2, c3, c2a, c2b, r are of the component work order, c1-c3 also of the
/// component batch; s1, s2 of the subassembly work order, which an active hold names; p1 of the product work order.
/// c2 stays in progress at its path's second step, the other in-progress units at the first.
/// </summary>
public sealed record Genealogy(
    Guid R, Guid C1, Guid C2, Guid C3, Guid C2a, Guid C2b, Guid S1, Guid S2, Guid P1,
    (Guid Id, string Number) ComponentOrder, (Guid Id, string Number) SubOrder, (Guid Id, string Number) ProductOrder, (Guid Id, string Number) ComponentBatch,
    (Guid Id, string Number) CertX, (Guid Id, string Number) CertY, (Guid Id, string Number) Hold, string StepName, string FirstStepName, IReadOnlyDictionary<Guid, string> Numbers)
{
    public string N(Guid id) => Numbers[id];

    public IReadOnlyList<string> Ns(params Guid[] ids) => ids.Select(N).Order(StringComparer.Ordinal).ToList();
}

public static class ImpactKit
{
    public static async Task<Genealogy> GenealogyAsync(OperatorFactory app)
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var componentOrder = await HoldsKit.NewWorkOrderAsync(app);
        var subOrder = await HoldsKit.NewWorkOrderAsync(app);
        var productOrder = await HoldsKit.NewWorkOrderAsync(app);
        var batch = await HoldsKit.NewBatchAsync(app);
        var tag = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        var components = await UnitsAsync(app, 3, i => $"IC{i + 1}-{tag}", workOrderId: componentOrder.Id, batchId: batch.Id);
        var (c1, c2, c3) = (components[0], components[1], components[2]);
        var r = await UnitAsync(app, $"IR-{tag}", workOrderId: componentOrder.Id);
        var c2a = await UnitAsync(app, $"IC2A-{tag}", workOrderId: componentOrder.Id);
        var c2b = await UnitAsync(app, $"IC2B-{tag}", workOrderId: componentOrder.Id);
        var subs = await UnitsAsync(app, 2, i => $"IS{i + 1}-{tag}", workOrderId: subOrder.Id);
        var (s1, s2) = (subs[0], subs[1]);
        var p1 = await UnitAsync(app, $"IP1-{tag}", workOrderId: productOrder.Id);

        await SplitAsync(op, r, [c1]);
        await MergeAsync(op, [c1, c3], s1);
        await SplitAsync(op, c2, [c2a, c2b]);
        await TransformAsync(op, [c2a], s2);
        await TransformAsync(op, [s1, s2], p1);

        var orgId = await app.OrganizationIdAsync("MA01");
        string stepName, firstStepName;
        (Guid, string) certX, certY;
        await using (var db = app.RawDb())
        {
            var pathId = await db.Set<WorkOrder>().IgnoreQueryFilters().Where(w => w.Id == componentOrder.Id).Select(w => w.PathId).SingleAsync();
            var steps = await db.Set<ProcessStep>().IgnoreQueryFilters().Where(s => s.PathId == pathId).OrderBy(s => s.Sequence).ToListAsync();
            stepName = steps[1].Name;
            firstStepName = steps[0].Name;
            var x = new Certificate { OrganizationId = orgId, Number = $"CX-{tag}", Type = CertificateTypes.Material, Issuer = "Suspect Mill", IssuedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow };
            var y = new Certificate { OrganizationId = orgId, Number = $"CY-{tag}", Type = CertificateTypes.Process, Issuer = "Good Lab", IssuedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow };
            db.AddRange(x, y);
            var attachedBy = await db.Users.Where(u => u.Email == DemoUsers.Operator).Select(u => u.Id).SingleAsync();
            foreach (var (unit, cert) in new[] { (c1, x.Id), (c2, x.Id), (c3, y.Id) })
            {
                db.Add(new CertAttachment { OrganizationId = orgId, SerialId = unit, CertificateId = cert, StepId = steps[0].Id, AttachedBy = attachedBy, AttachedAt = DateTime.UtcNow });
            }
            // Where each unit is now: on the path, finished, scrapped.
            foreach (var s in await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.WorkOrderId == componentOrder.Id || s.WorkOrderId == subOrder.Id || s.WorkOrderId == productOrder.Id).ToListAsync())
            {
                s.PathId = pathId;
                s.CurrentStepIndex = s.Id == c2 ? 1 : 0;
                if (s.Id == p1) (s.Status, s.CurrentStepIndex) = (SerialStatus.Completed, Serial.CompletedStepIndex);
                if (s.Id == c2b) s.Status = SerialStatus.Scrapped;
            }
            await db.SaveChangesAsync();
            (certX, certY) = ((x.Id, x.Number), (y.Id, y.Number));
        }

        var hold = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Wo(subOrder.Id)]);
        var holdRef = (Guid.Parse(HoldsKit.Id(hold)), hold["hold"]!["hold_number"]!.GetValue<string>());

        var ids = new[] { r, c1, c2, c3, c2a, c2b, s1, s2, p1 };
        var numbers = new Dictionary<Guid, string>();
        foreach (var id in ids) numbers[id] = await NumberOfAsync(app, id);
        return new Genealogy(r, c1, c2, c3, c2a, c2b, s1, s2, p1, componentOrder, subOrder, productOrder, batch, certX, certY, holdRef, stepName, firstStepName, numbers);
    }

    public static Task<Result<ImpactReport>> ImpactAsync(OperatorFactory app, string type, string origin, bool backward = false, string user = DemoUsers.Manager) =>
        app.AsUserAsync(user, sp => sp.GetRequiredService<ImpactService>().GetAsync(new ImpactRequest(type, origin, backward)));

    public static async Task<ImpactReport> OkAsync(OperatorFactory app, string type, string origin, bool backward = false, string user = DemoUsers.Manager)
    {
        var result = await ImpactAsync(app, type, origin, backward, user);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    public static IReadOnlyList<string> Units(ImpactReport report, string? relation = null) =>
        report.Units.Where(u => relation is null || u.Relation == relation).Select(u => u.SerialNumber).Order(StringComparer.Ordinal).ToList();

    public static ImpactUnitDto Unit(ImpactReport report, string number) => report.Units.Single(u => u.SerialNumber == number);
}
