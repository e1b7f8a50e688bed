using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Containment;
using Operator.Infrastructure.Api;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using static Operator.Tests.Features.Containment.ImpactKit;

namespace Operator.Tests.Features.Containment;

/// <summary>
/// The impact of each kind of origin over a known three-level genealogy with a split, forward and backward, on SQLite and
/// on PostgreSQL: the walks are raw recursive SQL that must mean the same on both.
/// </summary>
public abstract class ImpactProviderTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    [Fact]
    public async Task A_suspect_certificate_reaches_its_carriers_and_everything_made_from_them()
    {
        var g = await GenealogyAsync(app);

        var forward = await OkAsync(app, "certificate", g.CertX.Number);
        Assert.Equal(new ImpactOriginDto("certificate", g.CertX.Id, g.CertX.Number, "Material certificate from Suspect Mill"), forward.Origin);
        Assert.Equal(g.Ns(g.C1, g.C2), Units(forward, ImpactRelations.Origin));
        Assert.Equal(g.Ns(g.S1, g.C2a, g.C2b, g.S2, g.P1), Units(forward, ImpactRelations.Descendant));
        Assert.Empty(Units(forward, ImpactRelations.Ancestor));
        // c3 went into s1 beside c1, but does not carry the certificate nor come out of a unit that does.
        Assert.DoesNotContain(g.N(g.C3), Units(forward));

        var both = await OkAsync(app, "certificate", g.CertX.Number, backward: true);
        Assert.Equal(g.Ns(g.R), Units(both, ImpactRelations.Ancestor));
        Assert.Equal(8, both.Counts.Units);
    }

    [Fact]
    public async Task Each_unit_says_where_it_is_now_with_its_step_assembly_work_order_batch_holds_and_rolled_up_certificates()
    {
        var g = await GenealogyAsync(app);
        var report = await OkAsync(app, "certificate", g.CertX.Number, backward: true);

        var c2 = Unit(report, g.N(g.C2));
        Assert.Equal((SerialStages.InProgress, g.StepName, 1, (string?)null), (c2.Status, c2.Step, c2.StepIndex, c2.UsedInNumber));
        Assert.Equal((g.ComponentOrder.Id, g.ComponentOrder.Number, g.ComponentBatch.Number), (c2.WorkOrderId!.Value, c2.WorkOrderNumber, c2.BatchNumber));
        var c1 = Unit(report, g.N(g.C1));
        Assert.Equal((SerialStages.Consumed, g.N(g.S1), g.S1, (string?)null), (c1.Status, c1.UsedInNumber, c1.UsedInId!.Value, c1.Step));
        Assert.Equal((SerialStages.Consumed, g.N(g.P1)), (Unit(report, g.N(g.S1)).Status, Unit(report, g.N(g.S1)).UsedInNumber));
        Assert.Equal((SerialStages.Consumed, g.N(g.S2)), (Unit(report, g.N(g.C2a)).Status, Unit(report, g.N(g.C2a)).UsedInNumber));
        Assert.Equal(SerialStages.Completed, Unit(report, g.N(g.P1)).Status);
        Assert.Equal(SerialStages.Scrapped, Unit(report, g.N(g.C2b)).Status);
        Assert.Equal(SerialStages.InProgress, Unit(report, g.N(g.R)).Status);
        Assert.Equal(new ImpactCountsDto(8, 2, 1, 4, 1, 0, 3, 1, 0, 1, 2), report.Counts);

        // The hold on the subassembly work order shows on its units, and on the work order.
        Assert.Equal([g.Hold.Number], Unit(report, g.N(g.S1)).Holds);
        Assert.Equal([g.Hold.Number], Unit(report, g.N(g.S2)).Holds);
        Assert.Empty(Unit(report, g.N(g.P1)).Holds);
        Assert.Equal([g.Hold.Number], report.WorkOrders.Single(w => w.Id == g.SubOrder.Id).Holds);
        Assert.Equal(2, report.WorkOrders.Single(w => w.Id == g.SubOrder.Id).Units);
        var hold = Assert.Single(report.Holds);
        Assert.Equal((g.Hold.Id, "wo", g.SubOrder.Id, g.SubOrder.Number), (hold.Id, hold.ReferenceType, hold.ReferenceId, hold.ReferenceDisplay));

        // Certificates roll up from every unit a unit came from, also from one outside the impact (c3 into s1).
        Assert.Equal([g.CertX.Number, g.CertY.Number], Unit(report, g.N(g.P1)).Certificates);
        Assert.Equal([g.CertX.Number, g.CertY.Number], Unit(report, g.N(g.S1)).Certificates);
        Assert.Equal([g.CertX.Number], Unit(report, g.N(g.C2b)).Certificates);
        Assert.Empty(Unit(report, g.N(g.R)).Certificates);
        Assert.Equal([(g.CertX.Number, 7), (g.CertY.Number, 2)], report.Certificates.Select(c => (c.Number, c.Units)));

        // What a containment holds: the carriers and what came out of them, not R which they came from, and not their
        // whole work orders and batches (other units of them never met the certificate).
        var targets = report.ToTargets();
        Assert.Equal(new[] { g.C1, g.C2, g.C2a, g.C2b, g.S1, g.S2, g.P1 }.Order(), targets.SerialIds.Order());
        Assert.Empty(targets.WorkOrderIds);
        Assert.Empty(targets.BatchIds);
        Assert.Empty(targets.LicensePlateIds);
    }

    [Fact]
    public async Task The_rolled_up_certificates_of_each_unit_are_exact_over_splits_merges_and_ancestors_two_levels_outside_the_impact()
    {
        var g = await GenealogyAsync(app);
        // Z on q, two levels above the impact of X: r was split from q, c1 from r; c1 went into s1 by a merge, s1 into p1.
        var tag = g.CertX.Number[3..];
        var q = await Operator.Tests.Features.Serialization.LineageKit.UnitAsync(app, $"IQ-{tag}");
        await Operator.Tests.Features.Serialization.LineageKit.SplitAsync(await app.ClientForAsync(DemoUsers.Operator), q, [g.R]);
        var z = $"CZ-{tag}";
        await AttachNewCertificateAsync(q, z, stepOf: g.R);

        var report = await OkAsync(app, "certificate", g.CertX.Number);
        var (x, y) = (g.CertX.Number, g.CertY.Number);
        var expected = new Dictionary<string, string>
        {
            [g.N(g.C1)] = $"{x},{z}",
            [g.N(g.C2)] = x,
            [g.N(g.C2a)] = x,
            [g.N(g.C2b)] = x,
            [g.N(g.S1)] = $"{x},{y},{z}",
            [g.N(g.S2)] = x,
            [g.N(g.P1)] = $"{x},{y},{z}",
        };
        Assert.Equal(expected, report.Units.ToDictionary(u => u.SerialNumber, u => string.Join(",", u.Certificates)));
        Assert.Equal([(x, 7), (y, 2), (z, 3)], report.Certificates.Select(c => (c.Number, c.Units)));
        Assert.Equal(3, report.Counts.Certificates);
    }

    [Fact]
    public async Task A_suspect_serial_reaches_what_it_went_into_and_backward_what_went_into_it()
    {
        var g = await GenealogyAsync(app);

        var forward = await OkAsync(app, "serial", g.N(g.S1));
        Assert.Equal(g.Ns(g.S1), Units(forward, ImpactRelations.Origin));
        Assert.Equal(g.Ns(g.P1), Units(forward, ImpactRelations.Descendant));
        Assert.Empty(Units(forward, ImpactRelations.Ancestor));

        var both = await OkAsync(app, "serial", g.N(g.S1).ToLowerInvariant(), backward: true);
        Assert.Equal(g.Ns(g.C1, g.C3, g.R), Units(both, ImpactRelations.Ancestor));
        // By its UUID too.
        Assert.Equal(Units(both), Units(await OkAsync(app, "serial", g.S1.ToString(), backward: true)));
    }

    [Fact]
    public async Task A_suspect_work_order_or_batch_reaches_its_units_and_their_descendants()
    {
        var g = await GenealogyAsync(app);

        var order = await OkAsync(app, "work_order", g.SubOrder.Number);
        Assert.Equal(g.Ns(g.S1, g.S2), Units(order, ImpactRelations.Origin));
        Assert.Equal(g.Ns(g.P1), Units(order, ImpactRelations.Descendant));
        var orderBoth = await OkAsync(app, "work_order", g.SubOrder.Number, backward: true);
        Assert.Equal(g.Ns(g.C1, g.C3, g.R, g.C2a, g.C2), Units(orderBoth, ImpactRelations.Ancestor));

        var batch = await OkAsync(app, "batch", g.ComponentBatch.Number);
        Assert.Equal(g.Ns(g.C1, g.C2, g.C3), Units(batch, ImpactRelations.Origin));
        Assert.Equal(g.Ns(g.S1, g.C2a, g.C2b, g.S2, g.P1), Units(batch, ImpactRelations.Descendant));
        Assert.Equal(g.Ns(g.R), Units(await OkAsync(app, "batch", g.ComponentBatch.Number, backward: true), ImpactRelations.Ancestor));

        // A work order without units is still affected: holding it stops the units to come.
        var empty = await HoldsKit.NewWorkOrderAsync(app);
        var none = await OkAsync(app, "work_order", empty.Number);
        Assert.Empty(none.Units);
        Assert.Equal([empty.Id], none.ToTargets().WorkOrderIds);
    }

    [Fact]
    public async Task A_suspect_license_plate_is_the_plate_itself_with_its_holds()
    {
        var plate = await HoldsKit.NewPlateAsync(app);
        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var hold = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Lp(plate.Id)]);

        var report = await OkAsync(app, "license_plate", plate.Number, backward: true);
        Assert.Empty(report.Units);
        var affected = Assert.Single(report.LicensePlates);
        Assert.Equal((plate.Id, plate.Number, "hold", 100d, "kg"), (affected.Id, affected.Number, affected.QaStatus, affected.Quantity, affected.Uom));
        Assert.Equal([hold["hold"]!["hold_number"]!.GetValue<string>()], affected.Holds);
        Assert.Equal([plate.Id], report.ToTargets().LicensePlateIds);
        Assert.Equal(1, report.Counts.ActiveHolds);
    }

    [Fact]
    public async Task Another_organizations_origin_is_not_found_and_its_own_of_the_same_number_has_nothing_of_ours()
    {
        var g = await GenealogyAsync(app);

        var other = await ImpactAsync(app, "certificate", g.CertX.Number, user: DemoUsers.OtherAdmin);
        Assert.Equal(ErrorKind.NotFound, other.Error!.Kind);
        Assert.Equal($"Certificate not found: {g.CertX.Number}", other.Error.Message);
        Assert.Equal(ErrorKind.NotFound, (await ImpactAsync(app, "serial", g.S1.ToString(), user: DemoUsers.OtherAdmin)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await ImpactAsync(app, "work_order", g.SubOrder.Number, user: DemoUsers.OtherAdmin)).Error!.Kind);

        // AC01 numbers a unit like ours: its impact holds only its own unit.
        var theirs = await Operator.Tests.Features.Serialization.LineageKit.UnitAsync(app, g.N(g.S1), org: "AC01");
        var report = await OkAsync(app, "serial", g.N(g.S1), user: DemoUsers.OtherAdmin);
        Assert.Equal([theirs], report.Units.Select(u => u.Id));
    }

    [Fact]
    public async Task Bad_requests_are_validation_errors_naming_the_field()
    {
        var unknown = await ImpactAsync(app, "pallet", "X-1");
        Assert.Equal(ErrorKind.Validation, unknown.Error!.Kind);
        Assert.Equal("originType must be one of certificate, serial, license_plate, work_order, batch", unknown.Error.Message);
        var missing = await ImpactAsync(app, "serial", "  ");
        Assert.Equal(["origin"], missing.Error!.Issues.Select(i => i.Field));
        Assert.Equal(ErrorKind.NotFound, (await ImpactAsync(app, "serial", "NO-SUCH-UNIT")).Error!.Kind);
    }

    private async Task AttachNewCertificateAsync(Guid unit, string number, Guid stepOf)
    {
        var orgId = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        var path = await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == stepOf).Select(s => s.PathId).SingleAsync();
        var step = await db.Set<ProcessStep>().IgnoreQueryFilters().Where(st => st.PathId == path).OrderBy(st => st.Sequence).Select(st => st.Id).FirstAsync();
        var certificate = new Certificate
        {
            OrganizationId = orgId, Number = number, Type = CertificateTypes.Material, Issuer = "Far Mill", IssuedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow,
        };
        db.Add(certificate);
        var attachedBy = await db.Users.Where(u => u.Email == DemoUsers.Operator).Select(u => u.Id).SingleAsync();
        db.Add(new CertAttachment { OrganizationId = orgId, SerialId = unit, CertificateId = certificate.Id, StepId = step, AttachedBy = attachedBy, AttachedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }
}

public sealed class SqliteImpactProviderTests(OperatorFactory app) : ImpactProviderTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresImpactProviderTests(PostgresOperatorFactory app) : ImpactProviderTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
