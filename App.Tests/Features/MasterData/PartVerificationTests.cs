using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Operator.Features.MasterData;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Tests.Features.Verification;
using Operator.Tests.Support;
using static Operator.Tests.Features.MasterData.VerificationSettingsKit;

namespace Operator.Tests.Features.MasterData;

/// <summary>
/// PUT /api/parts/{id}/verification and the verification fields of POST /api/parts: roles, validation, tenancy, the
/// audit entry and the cache hook, on both providers.
/// </summary>
public abstract class PartVerificationApiTests<TFactory>(TFactory app) : IClassFixture<TFactory> where TFactory : VerificationFactory
{
    [Fact]
    public async Task Only_an_admin_changes_a_parts_verification_settings()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var strap = await PartIdAsync(admin, "STRAP");
        foreach (var email in new[] { DemoUsers.Viewer, DemoUsers.Operator, DemoUsers.Inspector, DemoUsers.Manager })
        {
            var client = await app.ClientForAsync(email);
            var refused = await SetAsync(client, strap, true, "HAT");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            await Golden.AssertBodyAsync(refused, """{"error":"Forbidden"}""");
            // Reading stays open to every role, and shows the new fields.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/parts/{strap}")).StatusCode);
        }
        Assert.False((await PartAsync(admin, "STRAP")).GetProperty("publiclyVerifiable").GetBoolean());

        var done = await SetAsync(admin, strap, true, "HAT");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        await Golden.AssertBodyAsync(done, """{"id":"<uuid>","number":"P-1003","sku":"STRAP","name":"Shoulder strap","description":"Adjustable leather shoulder strap","uom":"ea","productionType":"HAT","publiclyVerifiable":true,"createdAt":"<time>"}""");
        var read = await admin.GetFromJsonAsync<JsonElement>($"/api/parts/{strap}");
        Assert.True(read.GetProperty("publiclyVerifiable").GetBoolean());
        Assert.Equal("HAT", read.GetProperty("productionType").GetString());
    }

    [Fact]
    public async Task Invalid_settings_name_the_field_and_change_nothing()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var wallet = await PartIdAsync(admin, "WLT");
        var auditBefore = (await AuditAsync(app, "MA01", "part_verification_changed")).Count;

        var missing = await admin.PutAsJsonAsync($"/api/parts/{wallet}/verification", new { productionType = "HAT" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        await Golden.AssertBodyAsync(missing, """{"error":"Invalid verification settings","details":[{"field":"publiclyVerifiable","message":"Required"}]}""");

        var noType = await SetAsync(admin, wallet, true, null);
        Assert.Equal(HttpStatusCode.BadRequest, noType.StatusCode);
        await Golden.AssertBodyAsync(noType, """{"error":"Invalid verification settings","details":[{"field":"productionType","message":"A publicly verifiable part needs a production type (HAT or OEM): it is part of every public code"}]}""");

        var unknownType = await SetAsync(admin, wallet, false, "CRAFT");
        Assert.Equal(HttpStatusCode.BadRequest, unknownType.StatusCode);
        await Golden.AssertBodyAsync(unknownType, """{"error":"Invalid verification settings","details":[{"field":"productionType","message":"Production type must be HAT (hatthasilpa), OEM or null"}]}""");

        var notJson = await admin.PutAsync($"/api/parts/{wallet}/verification", Golden.Raw("""{"publiclyVerifiable": "yes"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        // A SKU that cannot appear in a public code (only possible for rows not created through the API).
        await using (var db = app.RawDb())
        {
            var part = await db.Set<Part>().IgnoreQueryFilters().SingleAsync(p => p.Id == wallet);
            part.Sku = "wlt";
            await db.SaveChangesAsync();
        }
        var badSku = await SetAsync(admin, wallet, true, "HAT");
        Assert.Equal(HttpStatusCode.BadRequest, badSku.StatusCode);
        await Golden.AssertBodyAsync(badSku, """{"error":"Invalid verification settings","details":[{"field":"publiclyVerifiable","message":"SKU wlt cannot appear in a public code (it must be 2-12 upper-case letters and digits)"}]}""");
        // Turning verification off is always allowed, whatever the SKU.
        Assert.Equal(HttpStatusCode.OK, (await SetAsync(admin, wallet, false, "OEM")).StatusCode);
        await using (var db = app.RawDb())
        {
            var part = await db.Set<Part>().IgnoreQueryFilters().SingleAsync(p => p.Id == wallet);
            Assert.Equal(("wlt", false, "OEM"), (part.Sku, part.PubliclyVerifiable, part.ProductionType));
            part.Sku = "WLT";
            part.ProductionType = "HAT";
            await db.SaveChangesAsync();
        }
        // Only the one accepted change was audited.
        Assert.Equal(auditBefore + 1, (await AuditAsync(app, "MA01", "part_verification_changed")).Count);
    }

    [Fact]
    public async Task A_new_part_takes_its_verification_settings_and_the_same_rule()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var created = await admin.PostAsJsonAsync("/api/parts", new { number = "P-7101", sku = "BELT", name = "Belt", productionType = "hatthasilpa", publiclyVerifiable = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Golden.AssertBodyAsync(created, """{"id":"<uuid>","number":"P-7101","sku":"BELT","name":"Belt","description":null,"uom":"ea","productionType":"HAT","publiclyVerifiable":true,"createdAt":"<time>"}""");

        var plain = await admin.PostAsJsonAsync("/api/parts", new { number = "P-7102", sku = "LACE", name = "Lace" });
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        var body = await plain.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("productionType").ValueKind);
        Assert.False(body.GetProperty("publiclyVerifiable").GetBoolean());

        var total = (await admin.GetFromJsonAsync<JsonElement>("/api/parts")).GetProperty("total").GetInt32();
        var invalid = await admin.PostAsJsonAsync("/api/parts", new { number = "P-7103", sku = "CUFF", name = "Cuff", publiclyVerifiable = true });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await Golden.AssertBodyAsync(invalid, """{"error":"Invalid part","details":[{"field":"productionType","message":"A publicly verifiable part needs a production type (HAT or OEM): it is part of every public code"}]}""");
        var badType = await admin.PostAsJsonAsync("/api/parts", new { number = "P-7104", sku = "CUFF", name = "Cuff", productionType = "X" });
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Equal("productionType", (await badType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("details")[0].GetProperty("field").GetString());
        Assert.Equal(total, (await admin.GetFromJsonAsync<JsonElement>("/api/parts")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Unknown_and_other_organizations_parts_answer_404()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var unknown = await SetAsync(admin, Guid.NewGuid(), true, "HAT");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Golden.AssertBodyAsync(unknown, """{"error":"Part not found: <uuid>"}""");

        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var maPart = await PartIdAsync(admin, "BAG");
        var foreign = await SetAsync(other, maPart, false, null);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        await Golden.AssertBodyAsync(foreign, $$"""{"error":"Part not found: <uuid>"}""");
        var bag = await PartAsync(admin, "BAG");
        Assert.True(bag.GetProperty("publiclyVerifiable").GetBoolean());
        Assert.Equal("HAT", bag.GetProperty("productionType").GetString());
    }

    [Fact]
    public async Task A_change_is_audited_with_before_and_after()
    {
        var admin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var actuator = await PartIdAsync(admin, "ACT90");
        var auditBefore = await AuditAsync(app, "AC01", "part_verification_changed");

        Assert.Equal(HttpStatusCode.OK, (await SetAsync(admin, actuator, true, "oem")).StatusCode);
        var entries = await AuditAsync(app, "AC01", "part_verification_changed");
        var entry = Assert.Single(entries, e => auditBefore.All(b => b.Id != e.Id));
        Assert.Equal(("part", actuator.ToString(), "admin@ac01.demo"), (entry.EntityType, entry.EntityId, entry.UserEmail));
        Assert.Equal("""{"publiclyVerifiable":false,"productionType":"OEM"}""", entry.Before);
        Assert.Equal("""{"publiclyVerifiable":true,"productionType":"OEM"}""", entry.After);

        // The same settings again: nothing changed, so no entry.
        Assert.Equal(HttpStatusCode.OK, (await SetAsync(admin, actuator, true, "OEM")).StatusCode);
        Assert.Equal(entries.Count, (await AuditAsync(app, "AC01", "part_verification_changed")).Count);

        var chain = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(chain.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Without_a_signing_secret_the_organization_cannot_make_a_part_verifiable()
    {
        var outcome = await app.AsUserAsync(DemoUsers.Admin, async sp =>
        {
            // The same service with a signer that holds no secret at all, as a deployment that forgot Verification:Keys.
            var numbering = new SerialNumbering(new SerialCodeSigner(Options.Create(new VerificationKeyOptions())), TimeProvider.System);
            var service = ActivatorUtilities.CreateInstance<MasterDataService>(sp, numbering);
            var wallet = await service.ListPartsAsync(new Operator.Infrastructure.Data.ListQuery("WLT", 10, 0));
            var id = wallet.Value.Items.Single(p => p.Sku == "WLT").Id;
            var set = await service.SetPartVerificationAsync(id, new UpdatePartVerificationRequest(true, "HAT"));
            var create = await service.CreatePartAsync(new CreatePartRequest("P-7201", "KEYS", "Key ring", null, null, "HAT", true));
            var off = await service.SetPartVerificationAsync(id, new UpdatePartVerificationRequest(false, "OEM"));
            return (set, create, off, after: await service.GetPartAsync(id));
        });
        Assert.Equal(Operator.Infrastructure.Api.ErrorKind.Conflict, outcome.set.Error?.Kind);
        Assert.Equal("Organization MA01 has no verification secret configured (Verification:Keys:MA01), so public codes cannot be signed", outcome.set.Error!.Message);
        Assert.Equal(Operator.Infrastructure.Api.ErrorKind.Conflict, outcome.create.Error?.Kind);
        // Turning off needs no secret.
        Assert.True(outcome.off.IsSuccess);
        Assert.Equal((false, "OEM"), (outcome.after.Value.PubliclyVerifiable, outcome.after.Value.ProductionType));

        // Restore the demo setting for the other tests of this class.
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        Assert.Equal(HttpStatusCode.OK, (await SetAsync(admin, await PartIdAsync(admin, "WLT"), false, "HAT")).StatusCode);
    }
}

public sealed class SqlitePartVerificationApiTests(VerificationFactory app) : PartVerificationApiTests<VerificationFactory>(app);

public sealed class PostgresPartVerificationApiTests(PostgresVerificationFactory app) : PartVerificationApiTests<PostgresVerificationFactory>(app);

/// <summary>
/// The effect of the settings, end to end through the APIs with the app's own registrations: a part made verifiable
/// numbers its next serials with signed codes that the public endpoint verifies; earlier serials keep their numbers;
/// turning it off withdraws the codes.
/// </summary>
public sealed class PartVerificationEffectTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    [Fact]
    public async Task A_part_made_verifiable_gets_signed_codes_that_verify_and_earlier_serials_keep_their_numbers()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var anonymous = app.AnonymousFrom("198.51.100.70");
        var wallet = await PartIdAsync(admin, "WLT");

        var before = await BatchCreateAsync(admin, "P-1002", 2);
        Assert.All(before, n => Assert.Matches(@"^SN-\d{5}$", n));

        Assert.Equal(HttpStatusCode.OK, (await SetAsync(admin, wallet, true, "HAT")).StatusCode);
        var after = await BatchCreateAsync(admin, "P-1002", 2);
        Assert.All(after, n => Assert.Matches(@"^MA01-HAT-WLT-\d{8}-\d{5}-[A-Z0-9]{4}-[A-Z0-9]$", n));

        var verified = await anonymous.GetAsync($"{VerificationKit.VerifyPath}/{after[0]}");
        var text = await verified.Content.ReadAsStringAsync();
        Assert.True(verified.StatusCode == HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.True(body.GetProperty("verified").GetBoolean());
        Assert.Equal(("active", "hatthasilpa", "WLT"), (body.GetProperty("status").GetString(), body.GetProperty("production_type").GetString(),
            body.GetProperty("data").GetProperty("sku").GetString()));

        // Earlier serials keep their numbers: still there, still SN-.
        foreach (var number in before)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/serials/{number}")).StatusCode);
        }

        // Off again: the codes already issued answer "not found", new serials get SN- numbers again.
        Assert.Equal(HttpStatusCode.OK, (await SetAsync(admin, wallet, false, "HAT")).StatusCode);
        var withdrawn = await anonymous.GetAsync($"{VerificationKit.VerifyPath}/{after[0]}");
        Assert.Equal(HttpStatusCode.NotFound, withdrawn.StatusCode);
        await Golden.AssertBodyAsync(withdrawn, """{"ok":false,"error":"Serial not found or invalid","reason":"not_found"}""");
        Assert.All(await BatchCreateAsync(admin, "P-1002", 1), n => Assert.Matches(@"^SN-\d{5}$", n));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/serials/{after[0]}")).StatusCode);
    }
}
