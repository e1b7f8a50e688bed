using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// Scrap reason codes (issue 17): every organization's list (seeded, new organizations too), the administrators' changes
/// to it, a scrap naming a code (recorded on the unit, in its history, its audit and the lineage report), and the refusals:
/// an unknown, inactive or other organization's code, and a code that needs text without text. The free text alone is
/// answered as before (SerialLifecycleTests pins it).
/// </summary>
public abstract class ScrapReasonTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private const string Admin = "/api/admin/organization/scrap-reasons";
    private const string Active = "/api/serials/scrap-reasons";

    private static Task<HttpResponseMessage> ScrapAsync(HttpClient client, string serial, object body) =>
        client.PostAsJsonAsync($"{SerialsKit.Path}/{Uri.EscapeDataString(serial)}/scrap", body);

    private static string NewCode() => $"T_{Guid.NewGuid():N}"[..14].ToUpperInvariant();

    private async Task<string> NewCodeAsync(HttpClient admin, bool requiresText = false)
    {
        var code = NewCode();
        var created = await admin.PostAsJsonAsync(Admin, new { code = code.ToLowerInvariant(), label = $"Test {code}", requiresText });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return code;
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        Assert.Equal(message, body["error"]!.GetValue<string>());
        Assert.Equal(field, body["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_organization_starts_with_the_default_list_and_OTHER_needs_text()
    {
        foreach (var email in new[] { DemoUsers.Viewer, DemoUsers.OtherAdmin })
        {
            var client = await app.ClientForAsync(email);
            var list = (await client.GetFromJsonAsync<JsonArray>(Active))!;
            Assert.Equal(["DAMAGED", "DIMENSIONAL", "MATERIAL_DEFECT", "OPERATOR_ERROR", "OTHER"],
                list.Take(5).Select(c => c!["code"]!.GetValue<string>()));
            Assert.Equal(["OTHER"], list.Where(c => c!["requiresText"]!.GetValue<bool>()).Select(c => c!["code"]!.GetValue<string>()));
        }

        // An organization created without the list (an older database, any other creator) gets it at the next start;
        // one whose list exists is left as its administrators made it.
        var org = new Organization { Code = $"Z{Guid.NewGuid():N}"[..4].ToUpperInvariant(), Name = "Late organization", CreatedAt = DateTime.UtcNow };
        var ma01 = await app.OrganizationIdAsync("MA01");
        await using (var db = app.RawDb())
        {
            db.Organizations.Add(org);
            await db.SaveChangesAsync();
        }
        int before;
        await using (var db = app.RawDb())
        {
            before = await db.Set<ScrapReasonCode>().IgnoreQueryFilters().CountAsync(c => c.OrganizationId == ma01);
            await app.Services.GetRequiredService<ScrapReasonDefaults>().EnsureAsync(db, CancellationToken.None);
        }
        await using (var db = app.RawDb())
        {
            var codes = await db.Set<ScrapReasonCode>().IgnoreQueryFilters().Where(c => c.OrganizationId == org.Id).OrderBy(c => c.Position).ToListAsync();
            Assert.Equal(ScrapReasonDefaults.List.Select(d => d.Code), codes.Select(c => c.Code));
            Assert.True(codes.Single(c => c.Code == "OTHER").RequiresText);
            Assert.Equal(before, await db.Set<ScrapReasonCode>().IgnoreQueryFilters().CountAsync(c => c.OrganizationId == ma01));
        }
    }

    [Fact]
    public async Task A_scrap_with_a_code_is_recorded_on_the_unit_its_history_and_its_audit()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var response = await ScrapAsync(client, serial, new { reasonCode = " damaged " });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await Golden.BodyAsync(response);
        Assert.Equal("scrapped", body["status"]!.GetValue<string>());
        Assert.Equal("DAMAGED", body["scrapReasonCode"]!.GetValue<string>());
        Assert.Equal("Damaged", body["scrapReasonLabel"]!.GetValue<string>());
        Assert.Null(body["scrapReason"]);
        Assert.Equal("Damaged (DAMAGED)", body["history"]!.AsArray().Last()!["note"]!.GetValue<string>());
        Assert.Equal("Scrapped at Cutting: Damaged (DAMAGED)", body["audit"]!.AsArray().Last()!["summary"]!.GetValue<string>());

        var other = await SerialsKit.NewSerialAsync(app, client);
        var withText = await Golden.BodyAsync(await ScrapAsync(client, other, new { reasonCode = "OTHER", reason = "  Glue spilled on the lining " }));
        Assert.Equal("OTHER", withText["scrapReasonCode"]!.GetValue<string>());
        Assert.Equal("Glue spilled on the lining", withText["scrapReason"]!.GetValue<string>());
        Assert.Equal("Other (say what) (OTHER): Glue spilled on the lining", withText["history"]!.AsArray().Last()!["note"]!.GetValue<string>());

        var entry = (await SerialsKit.AuditAsync(app, other, "serial_scrapped")).Single();
        var after = JsonNode.Parse(entry.After!)!;
        Assert.Equal("OTHER", after["reasonCode"]!.GetValue<string>());
        Assert.Equal("Other (say what)", after["reasonLabel"]!.GetValue<string>());
        Assert.Equal("Glue spilled on the lining", after["reason"]!.GetValue<string>());
        await using var db = app.RawDb();
        var id = await SerialsKit.SerialIdAsync(app, other);
        Assert.Equal("OTHER", await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.Id == id).Select(s => s.ScrapReasonCode).SingleAsync());
    }

    [Fact]
    public async Task Unknown_inactive_foreign_or_text_less_codes_are_refused_naming_the_field_and_write_nothing()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var otherAdmin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var retired = await NewCodeAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"{Admin}/{retired}", new { active = false })).StatusCode);
        var foreign = await NewCodeAsync(otherAdmin);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        var before = await SerialsKit.CountsAsync(app);

        await AssertFieldErrorAsync(await ScrapAsync(client, serial, new { reasonCode = "NOPE" }), "reasonCode", "reasonCode NOPE is not a scrap reason of this organization");
        await AssertFieldErrorAsync(await ScrapAsync(client, serial, new { reasonCode = foreign }), "reasonCode", $"reasonCode {foreign} is not a scrap reason of this organization");
        await AssertFieldErrorAsync(await ScrapAsync(client, serial, new { reasonCode = retired, reason = "Still a reason" }), "reasonCode",
            $"reasonCode {retired} (Test {retired}) is no longer in use");
        foreach (var body in new object[] { new { reasonCode = "OTHER" }, new { reasonCode = "OTHER", reason = "   " } })
        {
            await AssertFieldErrorAsync(await ScrapAsync(client, serial, body), "reason", "Scrap reason OTHER (Other (say what)) needs a written reason of at least 3 characters");
        }
        await AssertFieldErrorAsync(await ScrapAsync(client, serial, new { reasonCode = "not a code!" }), "reasonCode",
            "reasonCode must be 2-32 of A-Z, 0-9 and _, starting with a letter, got 'not a code!'");
        await AssertFieldErrorAsync(await ScrapAsync(client, serial, new { reasonCode = "DAMAGED", reason = "ab" }), "reason", "A scrap reason of at least 3 characters is required");
        var wrongType = await client.PostAsync($"{SerialsKit.Path}/{serial}/scrap", Golden.Raw("""{"reasonCode":5}"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("reasonCode must be a string, got a number", (await Golden.BodyAsync(wrongType))["error"]!.GetValue<string>());

        Assert.Equal(before, await SerialsKit.CountsAsync(app));
        Assert.Equal("in_progress", (await SerialsKit.GetAsync(client, serial))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_service_refuses_a_code_that_needs_text_and_takes_free_text_alone_as_before()
    {
        var serial = await SerialsKit.NewSerialAsync(app, await app.ClientForAsync(DemoUsers.Operator));
        var refused = await app.AsUserAsync(DemoUsers.Operator, s => s.GetRequiredService<SerialService>().ScrapAsync(serial, new ScrapSerialRequest(null, "OTHER")));
        Assert.Equal("reason", Assert.Single(refused.Error!.Issues).Field);
        var scrapped = await app.AsUserAsync(DemoUsers.Operator, s => s.GetRequiredService<SerialService>().ScrapAsync(serial, new ScrapSerialRequest("Frame bent in the press")));
        Assert.True(scrapped.IsSuccess, scrapped.Error?.Message);
        Assert.Null(scrapped.Value.ScrapReasonCode);
        Assert.Equal("Frame bent in the press", scrapped.Value.ScrapReason);
    }

    [Fact]
    public async Task Only_an_administrator_adds_relabels_and_deactivates_codes_of_their_own_organization()
    {
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync(Admin, new { code = "NEW_ONE", label = "New" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync(Admin)).StatusCode);

        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var code = NewCode();
        var created = await admin.PostAsJsonAsync(Admin, new { code = code.ToLowerInvariant(), label = "  Stitching fault  " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dto = await Golden.BodyAsync(created);
        Assert.Equal(code, dto["code"]!.GetValue<string>());
        Assert.Equal("Stitching fault", dto["label"]!.GetValue<string>());
        Assert.True(dto["active"]!.GetValue<bool>());
        Assert.False(dto["requiresText"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync(Admin, new { code, label = "Again" })).StatusCode);
        var bad = await admin.PostAsJsonAsync(Admin, new { code = "1X", label = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["code", "label"], (await Golden.BodyAsync(bad))["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()));

        var relabelled = await admin.PutAsJsonAsync($"{Admin}/{code.ToLowerInvariant()}", new { label = "Stitching fault (thread)", requiresText = true });
        Assert.Equal(HttpStatusCode.OK, relabelled.StatusCode);
        Assert.Equal("Stitching fault (thread)", (await Golden.BodyAsync(relabelled))["label"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"{Admin}/{code}", new { active = false })).StatusCode);
        var all = (await admin.GetFromJsonAsync<JsonArray>(Admin))!;
        Assert.False(all.Single(c => c!["code"]!.GetValue<string>() == code)!["active"]!.GetValue<bool>());
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonArray>(Active))!, c => c!["code"]!.GetValue<string>() == code);
        Assert.Equal(["scrap_reason_code_created", "scrap_reason_code_updated", "scrap_reason_code_updated"],
            await AuditActionsAsync(code));

        // Another organization neither sees nor changes it.
        var otherAdmin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        Assert.DoesNotContain((await otherAdmin.GetFromJsonAsync<JsonArray>(Admin))!, c => c!["code"]!.GetValue<string>() == code);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PutAsJsonAsync($"{Admin}/{code}", new { active = true })).StatusCode);
    }

    [Fact]
    public async Task The_lineage_report_names_the_scrap_reason_of_a_scrapped_unit()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);
        Assert.Equal(HttpStatusCode.OK, (await ScrapAsync(client, serial, new { reasonCode = "DIMENSIONAL", reason = "Bore 0.2 mm over" })).StatusCode);
        var id = await SerialsKit.SerialIdAsync(app, serial);
        var pdf = await client.GetAsync($"/api/v1/serialization/propagation/lineage/{id}/report.pdf");
        Assert.True(pdf.StatusCode == HttpStatusCode.OK, await pdf.Content.ReadAsStringAsync());
        var text = await Poppler.TextAsync(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("Scrapped units", text);
        Assert.Contains("Dimensional (out of tolerance) (DIMENSIONAL): Bore 0.2 mm over", text.Replace("\n", " "));
    }

    private async Task<List<string>> AuditActionsAsync(string code)
    {
        var org = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        return await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == org && a.EntityType == ScrapReasonService.AuditEntity && a.EntityId == code)
            .OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync();
    }
}

public sealed class SqliteScrapReasonTests(OperatorFactory app) : ScrapReasonTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresScrapReasonTests(PostgresOperatorFactory app) : ScrapReasonTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;
