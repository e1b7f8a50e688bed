using System.Net;
using Microsoft.EntityFrameworkCore;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Tests.Features.Holds;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>The lineage report PDF, read back with poppler's pdftotext; and the explorer's view of certificates and holds.</summary>
public sealed class LineageReportTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    /// <summary>Attaches a new certificate to a unit at the first step of a demo path; returns its number.</summary>
    private async Task<string> AttachAsync(Guid serialId, string type = "material", string issuer = "Tannery Rossi")
    {
        var org = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        var step = await db.Set<ProcessStep>().IgnoreQueryFilters().Where(s => s.OrganizationId == org).OrderBy(s => s.Sequence).FirstAsync();
        var number = $"CERT-{Guid.NewGuid():N}"[..13].ToUpperInvariant();
        var cert = new Certificate { OrganizationId = org, Number = number, Type = type, Issuer = issuer, IssuedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow };
        db.Add(cert);
        db.Add(new CertAttachment { OrganizationId = org, SerialId = serialId, CertificateId = cert.Id, StepId = step.Id, AttachedBy = Guid.NewGuid(), AttachedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return number;
    }

    [Fact]
    public async Task The_report_rolls_up_every_certificate_of_the_tree_with_holds_and_page_numbers()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var order = await HoldsKit.NewWorkOrderAsync(app);
        var u = await UnitsAsync(app, 5);
        var held = await UnitAsync(app, workOrderId: order.Id);
        // hide (u0) split into panels u1, u2; panels and a held buckle merge into bag u3; the bag is transformed into kit u4.
        await SplitAsync(op, u[0], [u[1], u[2]]);
        await MergeAsync(op, [u[1], u[2], held], u[3]);
        await TransformAsync(op, [u[3]], u[4]);
        var certs = new[] { await AttachAsync(u[0]), await AttachAsync(u[1], "process", "Lab North"), await AttachAsync(held), await AttachAsync(u[4], "process") };

        var inspector = await app.ClientForAsync(DemoUsers.Inspector);
        var hold = await HoldsKit.CreateAsync(app, inspector, items: [HoldsKit.Wo(order.Id)]);
        var holdNumber = hold["hold"]!["hold_number"]!.GetValue<string>();

        var response = await op.GetAsync($"{Base}/propagation/lineage/{u[3]}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bag = await NumberOfAsync(app, u[3]);
        Assert.Equal($"lineage-{bag}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var text = string.Join("\n", await Poppler.LayoutPagesAsync(await response.Content.ReadAsByteArrayAsync()));

        Assert.Contains($"Lineage of {bag}", text);
        Assert.Contains("Maison Atelier Leatherworks", text);
        foreach (var id in u.Append(held)) Assert.Contains(await NumberOfAsync(app, id), text);
        foreach (var number in certs) Assert.Contains(number, text);
        Assert.Contains("Certificate roll-up", text);
        Assert.Contains("Lab North", text);
        Assert.Contains(holdNumber, text);
        Assert.Contains("ON HOLD", text);
        Assert.Matches(@"MERGE\s+OP-MERGE #10", text);
        Assert.Matches(@"TRANSFORMATION\s+OP-XFORM #20", text);
        Assert.Matches(@"Page 1 of \d+", text);
    }

    [Fact]
    public async Task A_500_unit_lineage_breaks_across_pages_with_every_unit_and_certificate()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var root = await UnitAsync(app);
        var children = await UnitsAsync(app, 25);
        var grandchildren = await UnitsAsync(app, 475);
        await SplitAsync(op, root, children);
        for (var i = 0; i < children.Count; i++) await SplitAsync(op, children[i], grandchildren.Skip(i * 19).Take(19));
        var first = await AttachAsync(grandchildren[0]);
        var last = await AttachAsync(grandchildren[^1]);

        var response = await op.GetAsync($"{Base}/propagation/lineage/{root}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var texts = await Poppler.LayoutPagesAsync(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join("\n", texts);
        var pages = texts.Count;
        Assert.True(pages >= 10, $"{pages} pages");
        Assert.Contains($"Page {pages} of {pages}", text);
        Assert.Contains(first, text);
        Assert.Contains(last, text);
        Assert.Contains(await NumberOfAsync(app, grandchildren[^1]), text);
        Assert.Contains("500 units", text);
        // The tree's column header repeats on the pages it continues onto.
        Assert.True(text.Split("Unit (part)").Length - 1 >= 5);
    }

    [Fact]
    public async Task The_explorer_view_carries_certificates_and_holds_per_unit()
    {
        var op = await app.ClientForAsync(DemoUsers.Operator);
        var batch = await HoldsKit.NewBatchAsync(app);
        var source = await UnitAsync(app, batchId: batch.Id);
        var target = await UnitAsync(app);
        await MergeAsync(op, [source], target);
        var cert = await AttachAsync(source);
        var hold = await HoldsKit.CreateAsync(app, await app.ClientForAsync(DemoUsers.Inspector), items: [HoldsKit.Bt(batch.Id)]);

        var view = await app.AsUserAsync(DemoUsers.Viewer, sp =>
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Operator.Features.Serialization.LineageService>(sp)
                .GetViewAsync(target.ToString()));
        Assert.True(view.IsSuccess);
        var facts = view.Value.FactsOf(source)!;
        Assert.Equal(batch.Number, facts.BatchNumber);
        Assert.Equal(cert, Assert.Single(facts.Certificates).Number);
        Assert.Equal(hold["hold"]!["hold_number"]!.GetValue<string>(), Assert.Single(facts.Holds).HoldNumber);
        Assert.Empty(view.Value.FactsOf(target)!.Holds);
    }
}
