using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Operator.Tests.Features.Holds;
using Operator.Tests.Features.Reports;
using Operator.Tests.Support;
using static Operator.Tests.Features.Containment.ImpactKit;

namespace Operator.Tests.Features.Containment;

/// <summary><c>/api/impact</c>: status codes and bodies in the plain convention, the recall report's PDF text and CSV content.</summary>
public sealed class ImpactApiTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Any_role_of_the_organization_reads_the_impact_as_json()
    {
        var g = await GenealogyAsync(app);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);

        var response = await viewer.GetAsync($"/api/impact?originType=certificate&origin={g.CertX.Number}&backward=true");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        Assert.Equal(
            ["origin", "includeBackward", "counts", "units", "workOrders", "batches", "licensePlates", "holds", "certificates"],
            body.AsObject().Select(p => p.Key));
        Assert.Equal($$"""{"type":"certificate","id":"<uuid>","number":"{{g.CertX.Number}}","description":"Material certificate from Suspect Mill"}""",
            Golden.Mask(body["origin"]!.ToJsonString(Golden.Plain)));
        Assert.True(body["includeBackward"]!.GetValue<bool>());
        Assert.Equal("""{"units":8,"inProgress":2,"completed":1,"consumed":4,"scrapped":1,"cancelled":0,"workOrders":3,"batches":1,"licensePlates":0,"activeHolds":1,"certificates":2}""",
            body["counts"]!.ToJsonString());
        var c1 = body["units"]!.AsArray().Single(u => u!["serialNumber"]!.GetValue<string>() == g.N(g.C1))!;
        Assert.Equal($$"""
            {"id":"<uuid>","serialNumber":"{{g.N(g.C1)}}","partId":"<uuid>","partNumber":"{{c1["partNumber"]}}","relation":"origin","status":"consumed",
             "step":null,"stepIndex":null,"usedInId":"<uuid>","usedInNumber":"{{g.N(g.S1)}}","workOrderId":"<uuid>","workOrderNumber":"{{g.ComponentOrder.Number}}",
             "batchId":"<uuid>","batchNumber":"{{g.ComponentBatch.Number}}","holds":[],"certificates":["{{g.CertX.Number}}"]}
            """.Replace("\n", "").Replace(" ", ""), Golden.Mask(c1.ToJsonString(Golden.Plain)));
    }

    [Theory]
    [InlineData("originType=pallet&origin=X", """{"error":"originType must be one of certificate, serial, license_plate, work_order, batch","details":[{"field":"originType","message":"originType must be one of certificate, serial, license_plate, work_order, batch"}]}""")]
    [InlineData("origin=X", """{"error":"originType is required","details":[{"field":"originType","message":"originType is required"}]}""")]
    [InlineData("originType=serial", """{"error":"origin is required","details":[{"field":"origin","message":"origin is required"}]}""")]
    [InlineData("originType=serial&origin=X&backward=maybe", """{"error":"backward must be true or false","details":[{"field":"backward","message":"backward must be true or false"}]}""")]
    public async Task Bad_queries_are_400_in_the_plain_shape(string query, string expected)
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        foreach (var path in new[] { "/api/impact", "/api/impact/report.pdf", "/api/impact/report.csv" })
        {
            var response = await viewer.GetAsync($"{path}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await Golden.AssertBodyAsync(response, expected);
        }
    }

    [Fact]
    public async Task An_unknown_or_foreign_number_is_404_and_no_token_is_401()
    {
        var g = await GenealogyAsync(app);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var missing = await viewer.GetAsync("/api/impact?originType=work_order&origin=WO-NOPE");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Golden.AssertBodyAsync(missing, """{"error":"Work order not found: WO-NOPE"}""");

        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var foreign = await other.GetAsync($"/api/impact/report.pdf?originType=certificate&origin={g.CertX.Number}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        await Golden.AssertBodyAsync(foreign, $$"""{"error":"Certificate not found: {{g.CertX.Number}}"}""");

        var anonymous = await app.CreateClient().GetAsync($"/api/impact?originType=certificate&origin={g.CertX.Number}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_recall_pdf_lists_every_unit_by_status_the_holds_and_the_certificates()
    {
        var g = await GenealogyAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.GetAsync($"/api/impact/report.pdf?originType=certificate&origin={g.CertX.Number}&backward=true");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"recall-certificate-{g.CertX.Number}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = await Poppler.TextAsync(pdf);
        var pages = await Poppler.PageCountAsync(pdf);

        Assert.Contains("Maison Atelier Leatherworks", text);
        Assert.Contains($"Recall report: certificate {g.CertX.Number}", text);
        Assert.Contains($"Page 1 of {pages}", text);
        foreach (var id in new[] { g.R, g.C1, g.C2, g.C2a, g.C2b, g.S1, g.S2, g.P1 }) Assert.Contains(g.N(id), text);
        Assert.DoesNotContain(g.N(g.C3), text);
        var inProgress = Section(text, "In progress (2)", "Completed (1)");
        Assert.Contains(g.N(g.C2), inProgress);
        Assert.Contains(g.StepName, inProgress);
        Assert.Contains(g.N(g.P1), Section(text, "Completed (1)", "Used in an assembly (4)"));
        var used = Section(text, "Used in an assembly (4)", "Scrapped (1)");
        foreach (var id in new[] { g.C1, g.S1, g.C2a, g.S2 }) Assert.Contains(g.N(id), used);
        Assert.Contains(g.N(g.C2b), Section(text, "Scrapped (1)", "Work orders and batches"));
        var holds = Section(text, "Active holds involved", "Certificates involved");
        Assert.True(holds.Contains(g.Hold.Number), holds);
        var certificates = Section(text, "Certificates involved", null);
        Assert.Contains(g.CertX.Number, certificates);
        Assert.Contains("Suspect Mill", certificates);
        Assert.Contains(g.CertY.Number, certificates);
    }

    [Fact]
    public async Task The_recall_csv_is_one_rfc4180_table_with_every_record()
    {
        var g = await GenealogyAsync(app);
        var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.GetAsync($"/api/impact/report.csv?originType=serial&origin={g.N(g.S1)}&backward=true");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith("\r\n", text);
        var records = CsvTableTests.Parse(text);
        Assert.Equal(["record", "number", "part", "status", "step", "used_in", "work_order", "batch", "relation", "holds", "certificates", "detail"], records[0]);
        Assert.All(records, r => Assert.Equal(12, r.Length));
        Assert.Equal(["origin", g.N(g.S1), "", "serial", "", "", "", "", "forward and backward", "", ""], records[1][..11]);
        var units = records.Where(r => r[0] == "unit").ToList();
        // Grouped by status: in progress, completed, consumed.
        Assert.Equal([g.N(g.R), g.N(g.P1), g.N(g.C1), g.N(g.C3), g.N(g.S1)], units.Select(r => r[1]));
        var s1 = units.Single(r => r[1] == g.N(g.S1));
        Assert.Equal(["consumed", "", g.N(g.P1), g.SubOrder.Number, "", "origin", g.Hold.Number, $"{g.CertX.Number}; {g.CertY.Number}"], s1[3..11]);
        Assert.Equal(g.FirstStepName, units.Single(r => r[1] == g.N(g.R))[4]);
        var hold = records.Single(r => r[0] == "hold");
        Assert.Equal([g.Hold.Number, "", "high", "", "", g.SubOrder.Number], hold[1..7]);
        Assert.Contains(HoldsKit.Reason, hold[11]);
        Assert.Contains(records, r => r[0] == "certificate" && r[1] == g.CertY.Number && r[3] == "process");
        Assert.Contains(records, r => r[0] == "work_order" && r[1] == g.SubOrder.Number && r[9] == g.Hold.Number);
    }

    private static string Section(string text, string from, string? to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No \"{from}\" in the report");
        var end = to is null ? text.Length : text.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(end > start, $"No \"{to}\" after \"{from}\"");
        return text[start..end];
    }
}
