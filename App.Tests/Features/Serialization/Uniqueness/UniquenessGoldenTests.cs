using System.Net;
using System.Net.Http.Json;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.LineageKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>The spec's section 5 examples as exact envelopes, plus the errors of the uniqueness endpoints.</summary>
public sealed class UniquenessGoldenTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Check_register_report_pending_and_statistics_answer_the_spec_shapes()
    {
        var part = await NewPartAsync(app);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var op = await app.ClientForAsync(DemoUsers.Operator);

        var check = await viewer.PostAsJsonAsync(Base + "/uniqueness/check", new { serialNumber = "TEST-001", partId = part, scope = new[] { "SITE", "ENTERPRISE" }, siteId = "site-001" });
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        await Golden.AssertBodyAsync(check, """
            {"success":true,"data":{"hasConflict":false,"conflictingSerialIds":[],"conflictingScopes":[],"conflictType":null},"error":null,"timestamp":"<time>"}
            """);

        var register = await op.PostAsJsonAsync(Base + "/uniqueness/register", new { serialNumber = "TEST-001", partId = part, scope = new[] { "SITE", "PART_TYPE" } });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        await Golden.AssertBodyAsync(register, """
            {"success":true,"data":{"serialNumber":"TEST-001","partId":"<uuid>","siteLevel":true,"enterpriseLevel":false,"partTypeLevel":true,"hasConflict":false,
             "id":"<uuid>","serialId":null,"siteId":null,"conflictingSerialIds":[],"conflictingScopes":[],"conflictId":null},"error":null,"timestamp":"<time>"}
            """);

        var report = await viewer.GetAsync($"{Base}/uniqueness/report/TEST-001/{part}");
        await Golden.AssertBodyAsync(report, """
            {"success":true,"data":{"serialNumber":"TEST-001","partId":"<uuid>","isSiteUnique":true,"isEnterpriseUnique":true,"isPartTypeUnique":true,
             "totalConflicts":0,"pendingConflicts":0,"conflictingSerials":[]},"error":null,"timestamp":"<time>"}
            """);

        // A unit of the part takes the registered number: registering it finds the earlier registration.
        var unit = await UnitAsync(app, "CONFLICT-001", part);
        await PostOkAsync(op, "/uniqueness/register", new { serialNumber = "CONFLICT-001", partId = part, scope = new[] { "PART_TYPE" } });
        await UnitAsync(app, "CONFLICT-001", part);
        var conflicted = await op.PostAsJsonAsync(Base + "/uniqueness/register", new { serialNumber = "CONFLICT-001", partId = part, scope = new[] { "PART_TYPE" }, serialId = unit });
        await Golden.AssertBodyAsync(conflicted, """
            {"success":true,"data":{"serialNumber":"CONFLICT-001","partId":"<uuid>","siteLevel":false,"enterpriseLevel":false,"partTypeLevel":true,"hasConflict":true,
             "id":"<uuid>","serialId":"<uuid>","siteId":null,"conflictingSerialIds":["<uuid>"],"conflictingScopes":["PART_TYPE"],"conflictId":"<uuid>"},
             "error":null,"timestamp":"<time>"}
            """);

        var pending = await viewer.GetAsync($"{Base}/uniqueness/conflicts/pending?partId={part}");
        await Golden.AssertBodyAsync(pending, """
            {"success":true,"data":[{"id":"<uuid>","serialNumber":"CONFLICT-001","partId":"<uuid>","hasConflict":true,"conflictingSerialIds":["<uuid>","<uuid>"],
             "conflictingScopes":["PART_TYPE"],"detectedAt":"<time>"}],"error":null,"timestamp":"<time>"}
            """);

        var stats = await viewer.GetAsync($"{Base}/uniqueness/statistics/{part}");
        await Golden.AssertBodyAsync(stats, """
            {"success":true,"data":{"totalUniqueSerials":2,"serialsWithConflicts":1,"resolvedConflicts":0,"conflictRate":50},"error":null,"timestamp":"<time>"}
            """);

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        await PostOkAsync(manager, "/uniqueness/conflict/resolve", Sign.Body(new { serialNumber = "CONFLICT-001", partId = part, conflictResolution = "KEEP_BOTH", resolutionReason = "Both real" }),
            HttpStatusCode.OK);
        var afterStats = await viewer.GetAsync($"{Base}/uniqueness/statistics/{part}");
        await Golden.AssertBodyAsync(afterStats, """
            {"success":true,"data":{"totalUniqueSerials":2,"serialsWithConflicts":1,"resolvedConflicts":1,"conflictRate":50},"error":null,"timestamp":"<time>"}
            """);
    }

    [Fact]
    public async Task Bad_input_is_named_field_by_field()
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var check = await viewer.PostAsJsonAsync(Base + "/uniqueness/check", new { serialNumber = "", scope = new[] { "SITE", "COUNTRY" } });
        Assert.Equal(HttpStatusCode.BadRequest, check.StatusCode);
        await Golden.AssertBodyAsync(check, """
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[
              {"field":"serialNumber","message":"String must contain at least 1 character(s)"},
              {"field":"partId","message":"Required"},
              {"field":"scope[1]","message":"Invalid enum value. Expected 'SITE' | 'ENTERPRISE' | 'PART_TYPE', received 'COUNTRY'"}],"timestamp":"<time>"}
            """);

        var noPart = await viewer.PostAsJsonAsync(Base + "/uniqueness/check", new { serialNumber = "X-1", partId = "part-123", scope = new[] { "PART_TYPE" } });
        await Golden.AssertBodyAsync(noPart, """
            {"success":false,"data":null,"error":"NOT_FOUND","message":"Resource not found","resourceType":"Part","resourceId":"part-123","timestamp":"<time>"}
            """);

        var registerAsViewer = await viewer.PostAsJsonAsync(Base + "/uniqueness/register", new { serialNumber = "X-1", partId = await PartIdAsync(app), scope = new[] { "PART_TYPE" } });
        Assert.Equal(HttpStatusCode.Forbidden, registerAsViewer.StatusCode);

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var resolve = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve", new { serialNumber = "X-1", partId = await PartIdAsync(app), conflictResolution = "DELETE" });
        await Golden.AssertBodyAsync(resolve, """
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[
              {"field":"conflictResolution","message":"Invalid enum value. Expected 'RETIRE' | 'KEEP_BOTH' | 'MARK_INVALID', received 'DELETE'"},
              {"field":"resolutionReason","message":"Required"}],"timestamp":"<time>"}
            """);
        var retireWithout = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = "X-1", partId = await PartIdAsync(app), conflictResolution = "RETIRE", resolutionReason = "Duplicate" });
        Assert.Equal("retiredSerialId: Required", string.Join("", (await Golden.BodyAsync(retireWithout))["details"]!.AsArray().Select(d => $"{d!["field"]}: {d["message"]}")));
        var none = await manager.PostSignedAsync(Base + "/uniqueness/conflict/resolve",
            new { serialNumber = "NO-SUCH-CONFLICT", partId = await PartIdAsync(app), conflictResolution = "KEEP_BOTH", resolutionReason = "Duplicate" });
        await Golden.AssertBodyAsync(none, """
            {"success":false,"data":null,"error":"NOT_FOUND","message":"Resource not found","resourceType":"UniquenessConflict","resourceId":"NO-SUCH-CONFLICT","timestamp":"<time>"}
            """);

        var wrongSerial = await (await app.ClientForAsync(DemoUsers.Operator)).PostAsJsonAsync(Base + "/uniqueness/register",
            new { serialNumber = "X-1", partId = await PartIdAsync(app), scope = new[] { "PART_TYPE" }, serialId = await UnitAsync(app, "X-2") });
        Assert.Equal(HttpStatusCode.BadRequest, wrongSerial.StatusCode);
        Assert.Equal("serialId", (await Golden.BodyAsync(wrongSerial))["details"]![0]!["field"]!.GetValue<string>());

        var badLimit = await viewer.GetAsync($"{Base}/uniqueness/conflicts/pending?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }
}
