using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Operator.Tests.Features.MasterData;
using Operator.Tests.Features.Verification;
using Operator.Tests.Support;
using static Operator.Tests.Features.MasterData.VerificationSettingsKit;

namespace Operator.Tests.Features.Admin;

/// <summary>GET /api/admin/organization and PUT /api/admin/organization/verification: roles, validation, tenancy, audit, cache hook.</summary>
public abstract class OrganizationSettingsTests<TFactory>(TFactory app) : IClassFixture<TFactory> where TFactory : VerificationFactory
{
    private const string Path = "/api/admin/organization";

    private static Task<HttpResponseMessage> SetPrivacyAsync(HttpClient client, object body) => client.PutAsJsonAsync($"{Path}/verification", body);

    [Fact]
    public async Task Only_an_admin_reads_and_sets_the_privacy_mode()
    {
        foreach (var email in new[] { DemoUsers.Viewer, DemoUsers.Operator, DemoUsers.Inspector, DemoUsers.Manager })
        {
            var client = await app.ClientForAsync(email);
            var read = await client.GetAsync(Path);
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
            await Golden.AssertBodyAsync(read, """{"error":"Forbidden"}""");
            var write = await SetPrivacyAsync(client, new { verificationPrivacy = "minimal" });
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
            await Golden.AssertBodyAsync(write, """{"error":"Forbidden"}""");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(Path)).StatusCode);

        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await admin.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        // The demo seed gives MA01 the standard mode; nobody above changed it.
        var name = await NameAsync("MA01");
        await Golden.AssertBodyAsync(current, $$"""{"id":"<uuid>","code":"MA01","name":"{{name}}","verificationPrivacy":"standard","signaturesRequired":true}""");

        var set = await SetPrivacyAsync(admin, new { verificationPrivacy = "minimal" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("minimal", (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verificationPrivacy").GetString());
        Assert.Equal("minimal", (await admin.GetFromJsonAsync<JsonElement>(Path)).GetProperty("verificationPrivacy").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SetPrivacyAsync(admin, new { verificationPrivacy = "standard" })).StatusCode);
    }

    [Fact]
    public async Task Only_minimal_and_standard_are_accepted()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var before = (await admin.GetFromJsonAsync<JsonElement>(Path)).GetProperty("verificationPrivacy").GetString();
        var auditBefore = (await AuditAsync(app, "MA01", "organization_verification_privacy_changed")).Count;

        var inputs = new object[] { new { verificationPrivacy = "internal" }, new { verificationPrivacy = "Standard" }, new { verificationPrivacy = "" }, new { } };
        var messages = new List<string>();
        foreach (var input in inputs)
        {
            var response = await SetPrivacyAsync(admin, input);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("details")[0];
            Assert.Equal("verificationPrivacy", detail.GetProperty("field").GetString());
            messages.Add(detail.GetProperty("message").GetString()!);
        }
        Assert.Equal("Invalid enum value. Expected 'minimal' | 'standard', received 'internal'", messages[0]);
        Assert.Equal("Required", messages[3]);
        var wrongType = await admin.PutAsync($"{Path}/verification", Golden.Raw("""{"verificationPrivacy": 1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);

        Assert.Equal(before, (await admin.GetFromJsonAsync<JsonElement>(Path)).GetProperty("verificationPrivacy").GetString());
        Assert.Equal(auditBefore, (await AuditAsync(app, "MA01", "organization_verification_privacy_changed")).Count);
    }

    [Fact]
    public async Task Each_admin_sees_and_changes_only_their_own_organization()
    {
        var ma = await app.ClientForAsync(DemoUsers.Admin);
        var ac = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var maBefore = (await ma.GetFromJsonAsync<JsonElement>(Path)).GetProperty("verificationPrivacy").GetString();

        var acOrg = await ac.GetFromJsonAsync<JsonElement>(Path);
        Assert.Equal("AC01", acOrg.GetProperty("code").GetString());
        Assert.Equal(await app.OrganizationIdAsync("AC01"), acOrg.GetProperty("id").GetGuid());

        var target = maBefore == "standard" ? "minimal" : "standard";
        Assert.Equal(HttpStatusCode.OK, (await SetPrivacyAsync(ac, new { verificationPrivacy = target })).StatusCode);
        Assert.Equal(target, (await ac.GetFromJsonAsync<JsonElement>(Path)).GetProperty("verificationPrivacy").GetString());
        Assert.Equal(maBefore, (await ma.GetFromJsonAsync<JsonElement>(Path)).GetProperty("verificationPrivacy").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SetPrivacyAsync(ac, new { verificationPrivacy = "minimal" })).StatusCode);
    }

    [Fact]
    public async Task A_change_is_audited_with_before_and_after()
    {
        var admin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var org = await app.OrganizationIdAsync("AC01");
        Assert.Equal(HttpStatusCode.OK, (await SetPrivacyAsync(admin, new { verificationPrivacy = "minimal" })).StatusCode);
        var auditBefore = await AuditAsync(app, "AC01", "organization_verification_privacy_changed");

        Assert.Equal(HttpStatusCode.OK, (await SetPrivacyAsync(admin, new { verificationPrivacy = "standard" })).StatusCode);
        var entries = await AuditAsync(app, "AC01", "organization_verification_privacy_changed");
        var entry = Assert.Single(entries, e => auditBefore.All(b => b.Id != e.Id));
        Assert.Equal(("organization", org.ToString(), "admin@ac01.demo"), (entry.EntityType, entry.EntityId, entry.UserEmail));
        Assert.Equal("""{"verificationPrivacy":"minimal"}""", entry.Before);
        Assert.Equal("""{"verificationPrivacy":"standard"}""", entry.After);

        // Unchanged: no entry.
        Assert.Equal(HttpStatusCode.OK, (await SetPrivacyAsync(admin, new { verificationPrivacy = "standard" })).StatusCode);
        Assert.Equal(entries.Count, (await AuditAsync(app, "AC01", "organization_verification_privacy_changed")).Count);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("intact").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await SetPrivacyAsync(admin, new { verificationPrivacy = "minimal" })).StatusCode);
    }

    private async Task<string> NameAsync(string code)
    {
        await using var db = app.RawDb();
        return db.Organizations.Single(o => o.Code == code).Name;
    }
}

public sealed class SqliteOrganizationSettingsTests(VerificationFactory app) : OrganizationSettingsTests<VerificationFactory>(app);

public sealed class PostgresOrganizationSettingsTests(PostgresVerificationFactory app) : OrganizationSettingsTests<PostgresVerificationFactory>(app);

/// <summary>
/// The privacy mode's effect, end to end through the APIs with the app's own registrations: AC01 (minimal in the demo)
/// makes a part verifiable, numbers a unit, advances it one step, verifies its code (no traceability), switches to
/// standard and sees the traceability of the same code appear, then back.
/// </summary>
public sealed class OrganizationPrivacyEffectTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    [Fact]
    public async Task Switching_to_standard_adds_the_traceability_path_to_public_answers()
    {
        var admin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var anonymous = app.AnonymousFrom("198.51.100.71");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/organization/verification", new { verificationPrivacy = "minimal" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SetAsync(admin, await PartIdAsync(admin, "VLV25"), true, "OEM")).StatusCode);
        var code = Assert.Single(await BatchCreateAsync(admin, "V-2001", 1));
        Assert.StartsWith("AC01-OEM-VLV25-", code);
        var advanced = await admin.PostAsync($"/api/serials/{code}/advance", null);
        Assert.True(advanced.IsSuccessStatusCode, await advanced.Content.ReadAsStringAsync());

        var minimal = await VerifyAsync(anonymous, code);
        Assert.Equal("oem", minimal.GetProperty("production_type").GetString());
        Assert.False(minimal.GetProperty("data").TryGetProperty("traceability", out _));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/organization/verification", new { verificationPrivacy = "standard" })).StatusCode);
        var standard = await VerifyAsync(anonymous, code);
        var trace = standard.GetProperty("data").GetProperty("traceability");
        Assert.Equal(["Saw cut", "CNC turning", "Deburr", "Pressure test"], trace.GetProperty("path").EnumerateArray().Select(s => s.GetString()!).ToArray());
        var node = Assert.Single(trace.GetProperty("nodes").EnumerateArray());
        Assert.Equal("Saw cut", node.GetProperty("node_name").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", node.GetProperty("completed_at").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/admin/organization/verification", new { verificationPrivacy = "minimal" })).StatusCode);
        Assert.False((await VerifyAsync(anonymous, code)).GetProperty("data").TryGetProperty("traceability", out _));
    }

    private static async Task<JsonElement> VerifyAsync(HttpClient client, string code)
    {
        var response = await client.GetAsync($"{VerificationKit.VerifyPath}/{code}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.True(body.GetProperty("verified").GetBoolean());
        return body;
    }
}
