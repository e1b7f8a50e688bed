using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>Serial formats through the API: create, read, update, preview, overflow, reset periods, public codes.</summary>
public sealed class FormatApiTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private static readonly DateTimeOffset Nov1 = new(2024, 11, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Create_get_list_update_and_preview_a_format()
    {
        app.Clock.Set(Nov1);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var name = $"TST {Guid.NewGuid():N}"[..20];
        var created = await admin.PostAsJsonAsync($"{Base}/formats", new { name, pattern = "TST-{YYYY}-{MM}{DD}-{SEQ:4}", resetPolicy = "DAILY", createdBy = "admin-001" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Golden.BodyAsync(created);
        Assert.Equal(
            $$"""{"success":true,"data":{"id":"<uuid>","name":"{{name}}","kind":"PATTERN","pattern":"TST-{YYYY}-{MM}{DD}-{SEQ:4}","resetPolicy":"DAILY","productionType":null,"isActive":true,"createdAt":"<time>","updatedAt":"<time>"},"error":null,"timestamp":"<time>"}""",
            Golden.Mask(body.ToJsonString(Golden.Plain)));
        var id = body["data"]!["id"]!.GetValue<string>();

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        Assert.Equal(name, (await OkAsync(await viewer.GetAsync($"{Base}/formats/{id}")))["name"]!.GetValue<string>());
        var list = await OkAsync(await viewer.GetAsync($"{Base}/formats?isActive=true&limit=500"));
        Assert.Contains(list["data"]!.AsArray(), f => f!["id"]!.GetValue<string>() == id);
        Assert.Equal(500, list["limit"]!.GetValue<int>());

        var preview = await viewer.GetAsync($"{Base}/formats/{id}/preview?count=3");
        await Golden.AssertBodyAsync(preview, $$"""
            {"success":true,"data":{"formatId":"<uuid>","kind":"PATTERN","pattern":"TST-{YYYY}-{MM}{DD}-{SEQ:4}","resetPolicy":"DAILY","period":"20241101",
             "nextSequence":1,"remaining":9999,"numbers":["TST-2024-1101-0001","TST-2024-1101-0002","TST-2024-1101-0003"]},"error":null,"timestamp":"<time>"}
            """);

        // A preview draws nothing: the first generation still gets 0001.
        var part = await NewPartAsync(app);
        var generated = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = id }), HttpStatusCode.Created);
        Assert.Equal("TST-2024-1101-0001", generated["serialNumber"]!.GetValue<string>());
        var next = await OkAsync(await viewer.GetAsync($"{Base}/formats/{id}/preview?count=1"));
        Assert.Equal("TST-2024-1101-0002", next["numbers"]![0]!.GetValue<string>());

        var updated = await OkAsync(await admin.PatchAsJsonAsync($"{Base}/formats/{id}", new { pattern = "TST-{YY}{MM}-{SEQ:5}", isActive = false }));
        Assert.Equal("TST-{YY}{MM}-{SEQ:5}", updated["pattern"]!.GetValue<string>());
        Assert.False(updated["isActive"]!.GetValue<bool>());
        Assert.Equal("DAILY", updated["resetPolicy"]!.GetValue<string>());
        Assert.Equal(1, await AuditCountAsync(app, "serial_format_created", id));
        Assert.Equal(1, await AuditCountAsync(app, "serial_format_updated", id));

        // An inactive format generates nothing.
        var inactive = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = id }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["formatConfigId"], Fields(inactive));
    }

    [Fact]
    public async Task Bad_patterns_and_enums_are_validation_errors_naming_the_field_and_nothing_is_written()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var before = await SnapshotAsync(app);
        var unknown = await admin.PostAsJsonAsync($"{Base}/formats", new { name = "Bad", pattern = "TST-{YEAR}-{SEQ:4}" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        await Golden.AssertBodyAsync(unknown, """
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[
              {"field":"pattern","message":"Unknown token {YEAR} at position 5: tokens are {YYYY}, {YY}, {MM}, {DD}, {ORG}, {SITE}, {PART}, {SKU} and one {SEQ:n} (n = 1-12)"}],
             "timestamp":"<time>"}
            """);
        var two = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/formats", new { name = "Two", pattern = "{SEQ:2}{SEQ:3}" }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["pattern"], Fields(two));
        var enums = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/formats", new { name = "Enum", kind = "pattern", pattern = "A{SEQ:2}", resetPolicy = "WEEKLY", isActive = "yes" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["isActive", "kind", "resetPolicy"], Fields(enums).Order().ToList());
        Assert.Contains("Expected 'NEVER' | 'DAILY' | 'MONTHLY' | 'YEARLY', received 'WEEKLY'", enums.ToJsonString(Golden.Plain));
        var patchBad = await FailsAsync(await admin.PatchAsJsonAsync($"{Base}/formats/{Guid.NewGuid()}", new { pattern = 5 }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["pattern"], Fields(patchBad));
        var missing = await FailsAsync(await admin.PatchAsJsonAsync($"{Base}/formats/{Guid.NewGuid()}", new { isActive = true }), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("SerialFormat", missing["resourceType"]!.GetValue<string>());
        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        await FailsAsync(await operatorClient.PostAsJsonAsync($"{Base}/formats", new { name = "Op", pattern = "A{SEQ:2}" }), HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal(before, await SnapshotAsync(app));

        var name = $"Dup {Guid.NewGuid():N}";
        await CreateFormatAsync(admin, "D-{SEQ:3}", name: name);
        await FailsAsync(await admin.PostAsJsonAsync($"{Base}/formats", new { name, pattern = "E-{SEQ:3}" }), HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task A_sequence_that_would_overflow_its_width_is_refused_naming_the_format_and_nothing_is_written()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var name = $"Tiny {Guid.NewGuid():N}"[..15];
        var format = await CreateFormatAsync(admin, "T-{SEQ:1}", name: name);
        for (var i = 1; i <= 9; i++)
        {
            var ok = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = format }), HttpStatusCode.Created);
            Assert.Equal($"T-{i}", ok["serialNumber"]!.GetValue<string>());
        }
        var before = await SnapshotAsync(app);
        var overflow = await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = format });
        Assert.Equal(HttpStatusCode.BadRequest, overflow.StatusCode);
        await Golden.AssertBodyAsync(overflow, $$"""
            {"success":false,"data":null,"error":"VALIDATION_ERROR","message":"Invalid input data","details":[
              {"field":"formatConfigId","message":"Serial format {{name}} has no numbers left in period all: {SEQ:1} allows at most 9"}],"timestamp":"<time>"}
            """);
        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal(9, (await SerialsOfPartAsync(app, part.Id)).Count);
        var preview = await OkAsync(await admin.GetAsync($"{Base}/formats/{format}/preview"));
        Assert.Empty(preview["numbers"]!.AsArray());
        Assert.Equal(0, preview["remaining"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_batch_larger_than_the_numbers_left_is_refused_whole()
    {
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var format = await CreateFormatAsync(admin, "B-{SEQ:2}");
        await CreateTriggerAsync(admin, new { partId = part.Id, triggerType = "MANUAL", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true, batchSize = 60 });
        await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/trigger", new { partId = part.Id, triggerType = "MANUAL" }));
        var before = await SnapshotAsync(app);
        var refused = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/trigger", new { partId = part.Id, triggerType = "MANUAL" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("has only 39 number(s) left", refused.ToJsonString());
        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal(60, (await SerialsOfPartAsync(app, part.Id)).Count);
    }

    [Fact]
    public async Task The_sequence_restarts_in_each_period_of_the_reset_policy()
    {
        app.Clock.Set(Nov1);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var daily = await CreateFormatAsync(admin, "D{YYYY}{MM}{DD}-{SEQ:3}", "DAILY");
        var monthly = await CreateFormatAsync(admin, "M{YYYY}{MM}-{SEQ:3}", "MONTHLY");
        var never = await CreateFormatAsync(admin, "N-{SEQ:3}", "NEVER");

        async Task<string> Generate(Guid format) =>
            (await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = format }), HttpStatusCode.Created))["serialNumber"]!.GetValue<string>();

        Assert.Equal("D20241101-001", await Generate(daily));
        Assert.Equal("D20241101-002", await Generate(daily));
        Assert.Equal("M202411-001", await Generate(monthly));
        Assert.Equal("N-001", await Generate(never));
        app.Clock.Set(Nov1.AddDays(1));
        admin = await app.ClientForAsync(DemoUsers.Admin);
        Assert.Equal("D20241102-001", await Generate(daily));
        Assert.Equal("M202411-002", await Generate(monthly));
        Assert.Equal("N-002", await Generate(never));
        app.Clock.Set(Nov1.AddMonths(1));
        admin = await app.ClientForAsync(DemoUsers.Admin);
        Assert.Equal("M202412-001", await Generate(monthly));
        Assert.Equal("N-003", await Generate(never));
    }

    [Fact]
    public async Task A_public_code_format_issues_signed_codes_for_verifiable_parts_only()
    {
        app.Clock.Set(Nov1);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var format = Guid.Parse((await OkAsync(await admin.PostAsJsonAsync($"{Base}/formats",
            new { name = $"Public {Guid.NewGuid():N}", kind = "PUBLIC_CODE", productionType = "HAT" }), HttpStatusCode.Created))["id"]!.GetValue<string>());
        var got = await OkAsync(await admin.GetAsync($"{Base}/formats/{format}"));
        Assert.Equal("{ORG}-{TYPE}-{SKU}-{YYYYMMDD}-{SEQ:5}-{SIG}-{CHECK}", got["pattern"]!.GetValue<string>());
        Assert.Equal("DAILY", got["resetPolicy"]!.GetValue<string>());

        var verifiable = await NewPartAsync(app, verifiable: true, sku: "PUB" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant());
        var preview = await OkAsync(await admin.GetAsync($"{Base}/formats/{format}/preview?count=2&partId={verifiable.Id}"));
        var generated = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = verifiable.Id, formatConfigId = format }), HttpStatusCode.Created);
        var code = generated["serialNumber"]!.GetValue<string>();
        Assert.Equal(preview["numbers"]![0]!.GetValue<string>(), code);
        Assert.StartsWith("MA01-HAT-PUB", code);
        // The day's first sequences: the issuer skips the few whose check character would miss a swap (about 1 in 28).
        var sequence = int.Parse(System.Text.RegularExpressions.Regex.Match(code, "-20241101-(\\d{5})-").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sequence, 1, 5);
        Assert.True(SerialCodeFormat.TryParse(code, out _, out var normalized));
        Assert.True(SerialCodeFormat.HasValidCheck(normalized));

        var plain = await NewPartAsync(app);
        var refused = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = plain.Id, formatConfigId = format }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["partId"], Fields(refused));
        var previewRefused = await FailsAsync(await admin.GetAsync($"{Base}/formats/{format}/preview"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["partId"], Fields(previewRefused));
    }

    [Fact]
    public async Task A_sku_whose_fixed_part_hides_a_transposition_still_gets_public_codes()
    {
        app.Clock.Set(Nov1);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var format = Guid.Parse((await OkAsync(await admin.PostAsJsonAsync($"{Base}/formats",
            new { name = $"Public {Guid.NewGuid():N}", kind = "PUBLIC_CODE", productionType = "HAT" }), HttpStatusCode.Created))["id"]!.GetValue<string>());
        var sku = Verification.IssuedCodeTranspositionTests.SkuWithABlindSpotInItsFixedPart("20241101");
        var part = await NewPartAsync(app, verifiable: true, sku: sku);

        var preview = await OkAsync(await admin.GetAsync($"{Base}/formats/{format}/preview?count=2&partId={part.Id}"));
        Assert.Equal(2, preview["numbers"]!.AsArray().Count);
        var generated = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = format }), HttpStatusCode.Created);
        var code = generated["serialNumber"]!.GetValue<string>();
        Assert.Equal(preview["numbers"]![0]!.GetValue<string>(), code);
        Assert.StartsWith($"MA01-HAT-{sku}-20241101-", code);
        // The plant's own numbering (no format) draws from the same day's sequence with the same rule.
        var numbered = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id }), HttpStatusCode.Created);
        Assert.StartsWith($"MA01-HAT-{sku}-20241101-", numbered["serialNumber"]!.GetValue<string>());
        Assert.NotEqual(code, numbered["serialNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task Previewing_an_unsaved_pattern_shows_its_numbers_or_its_problems()
    {
        app.Clock.Set(Nov1);
        var admin = await app.ClientForAsync(DemoUsers.Admin);
        var part = await NewPartAsync(app);
        var ok = await OkAsync(await admin.PostAsJsonAsync($"{Base}/formats/preview", new { pattern = "{PART}-{SITE}-{SEQ:2}", partId = part.Id, count = 2 }));
        Assert.Equal([$"{part.Number}-{{SITE}}-01", $"{part.Number}-{{SITE}}-02"], ok["numbers"]!.AsArray().Select(n => n!.GetValue<string>()));
        var bad = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/formats/preview", new { pattern = "{NOPE}{SEQ:2}", count = 99 }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["count", "pattern"], Fields(bad).Order().ToList());

        // A format printing {SITE} needs the site in the context.
        var site = await CreateFormatAsync(admin, "{SITE}-{SEQ:3}");
        var noSite = await FailsAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate", new { partId = part.Id, formatConfigId = site }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["context.siteId"], Fields(noSite));
        var withSite = await OkAsync(await admin.PostAsJsonAsync($"{Base}/system-generated/generate",
            new { partId = part.Id, formatConfigId = site, context = new { siteId = "S1", workCenterId = "wc-001" } }), HttpStatusCode.Created);
        Assert.Equal("S1-001", withSite["serialNumber"]!.GetValue<string>());
        await using var db = app.RawDb();
        Assert.Equal("S1", await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.SerialNumber == "S1-001").Select(s => s.SiteId).SingleAsync());
    }
}
