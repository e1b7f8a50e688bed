using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Serials;
using Operator.Features.Verification;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>
/// <c>/api/public/serial/verify</c> through the real pipeline, anonymously: each response example of the spec as exact
/// JSON, the order of the checks, the statuses and their warning, the privacy modes, CORS and the group's other routes.
/// </summary>
public sealed class VerificationApiTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    private static readonly DateTimeOffset SpecMorning = new(2025, 11, 9, 8, 30, 0, TimeSpan.Zero);
    private const string Path = VerificationKit.VerifyPath;

    private HttpClient Anonymous => app.AnonymousFrom("198.51.100.10");

    private static async Task AssertExactAsync(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(Golden.Plain), JsonNode.Parse(text)!.ToJsonString(Golden.Plain));
    }

    // ---- The spec's examples --------------------------------------------------------------------------------------

    [Fact]
    public async Task A_genuine_serial_answers_the_specs_success_example_in_minimal_mode()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "minimal");
        app.Clock.Set(SpecMorning);
        var (_, code) = await VerificationKit.NewSerialAsync(app, steps: [new("Cutting", StepEvents.Completed, SpecMorning.UtcDateTime.AddMinutes(30))]);
        Assert.StartsWith("MA01-HAT-BAG-20251109-", code);

        var expected = $$"""
            {
              "ok": true,
              "valid": true,
              "verified": true,
              "serial": "{{code}}",
              "status": "active",
              "production_type": "hatthasilpa",
              "scope": "piece",
              "data": {
                "tenant": "MA01",
                "sku": "BAG",
                "manufactured_at": "2025-11-09T08:30:00Z",
                "status": "active",
                "origin": "auto_job",
                "visibility": "public"
              }
            }
            """;
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{code}"), HttpStatusCode.OK, expected);
        // The query form answers the same, and input is normalized (trimmed, upper-cased) before any check.
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}?serial={Uri.EscapeDataString(code)}"), HttpStatusCode.OK, expected);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{Uri.EscapeDataString("  " + code.ToLowerInvariant() + " ")}"), HttpStatusCode.OK, expected);
    }

    [Fact]
    public async Task Standard_mode_adds_the_traceability_path_and_completed_steps_of_the_specs_example()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "standard");
        app.Clock.Set(SpecMorning);
        var day = SpecMorning.UtcDateTime.Date;
        var (_, code) = await VerificationKit.NewSerialAsync(app, steps:
        [
            new("Cutting", StepEvents.Started, day.AddHours(8).AddMinutes(40), 0),
            new("Cutting", StepEvents.Completed, day.AddHours(9), 0),
            new("Skiving", StepEvents.Completed, day.AddHours(9).AddMinutes(45).AddSeconds(12.345), 1),
            new("Stitching", StepEvents.Completed, day.AddHours(10).AddMinutes(30), 2),
            new("Edge painting", StepEvents.Started, day.AddHours(11), 3),
        ]);

        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{code}"), HttpStatusCode.OK, $$"""
            {
              "ok": true,
              "valid": true,
              "verified": true,
              "serial": "{{code}}",
              "status": "active",
              "production_type": "hatthasilpa",
              "scope": "piece",
              "data": {
                "tenant": "MA01",
                "sku": "BAG",
                "manufactured_at": "2025-11-09T08:30:00Z",
                "status": "active",
                "origin": "auto_job",
                "visibility": "public",
                "traceability": {
                  "path": ["Cutting", "Skiving", "Stitching", "Edge painting", "Final inspection"],
                  "nodes": [
                    { "node_name": "Cutting", "completed_at": "2025-11-09T09:00:00Z" },
                    { "node_name": "Skiving", "completed_at": "2025-11-09T09:45:12Z" },
                    { "node_name": "Stitching", "completed_at": "2025-11-09T10:30:00Z" }
                  ]
                }
              }
            }
            """);
    }

    [Theory]
    [InlineData("internal")]
    [InlineData("minimal")]
    [InlineData("something-else")]
    public async Task Every_mode_but_standard_gets_the_minimal_answer(string privacy)
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", privacy);
        var (_, code) = await VerificationKit.NewSerialAsync(app, steps: [new("Cutting", StepEvents.Completed, DateTime.UtcNow)]);
        var body = await Golden.BodyAsync(await Anonymous.GetAsync($"{Path}/{code}"));
        Assert.Equal(["tenant", "sku", "manufactured_at", "status", "origin", "visibility"], body["data"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_serial_without_a_path_shows_the_steps_it_went_through()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "standard");
        var at = new DateTime(2025, 11, 10, 7, 0, 0, DateTimeKind.Utc);
        var (_, code) = await VerificationKit.NewSerialAsync(app, configure: s => s.PathId = null, steps:
            [new("Inspection", StepEvents.Completed, at), new("Packing", StepEvents.Completed, at.AddHours(1))]);
        var body = await Golden.BodyAsync(await Anonymous.GetAsync($"{Path}/{code}"));
        Assert.Equal("""{"path":["Inspection","Packing"],"nodes":[{"node_name":"Inspection","completed_at":"2025-11-10T07:00:00Z"},{"node_name":"Packing","completed_at":"2025-11-10T08:00:00Z"}]}""",
            body["data"]!["traceability"]!.ToJsonString(Golden.Plain));
    }

    [Fact]
    public async Task An_organization_in_minimal_mode_with_an_oem_part_answers_its_own_facts()
    {
        var sku = await VerificationKit.EnsureVerifiableAc01PartAsync(app);
        app.Clock.Set(SpecMorning);
        var (_, code) = await VerificationKit.NewSerialAsync(app, "AC01", sku, s => s.Scope = SerialScopes.Batch);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{code}"), HttpStatusCode.OK, $$"""
            {"ok":true,"valid":true,"verified":true,"serial":"{{code}}","status":"active","production_type":"oem","scope":"batch",
             "data":{"tenant":"AC01","sku":"VLVPUB","manufactured_at":"2025-11-09T08:30:00Z","status":"active","origin":"auto_job","visibility":"public"} }
            """);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?serial=")]
    [InlineData("?serial=%20%20")]
    [InlineData("/")]
    [InlineData("?other=MA01")]
    public async Task No_code_answers_the_specs_missing_serial_example(string suffix)
    {
        await AssertExactAsync(await Anonymous.GetAsync(Path + suffix), HttpStatusCode.BadRequest,
            """{"ok":false,"error":"Missing serial code. Usage: /api/public/serial/verify/{serial_code}"}""");
    }

    [Fact]
    public async Task A_code_that_is_not_a_code_answers_the_specs_invalid_format_example()
    {
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/NOT-A-SERIAL"), HttpStatusCode.BadRequest,
            """{"ok":false,"error":"Invalid serial code format"}""");
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}?serial=NOT-A-SERIAL"), HttpStatusCode.BadRequest,
            """{"ok":false,"error":"Invalid serial code format"}""");
    }

    [Fact]
    public async Task A_genuinely_signed_code_that_was_never_registered_answers_the_specs_not_found_example()
    {
        var signer = app.Services.GetRequiredService<SerialCodeSigner>();
        var unregistered = signer.Issue("MA01", "HAT", "BAG", new DateOnly(2020, 1, 1), 99_998);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{unregistered}"), HttpStatusCode.NotFound,
            """{"ok":false,"error":"Serial not found or invalid","reason":"not_found"}""");
    }

    // ---- The checks, in order -------------------------------------------------------------------------------------

    [Fact]
    public async Task Checks_run_format_then_checksum_then_signature_then_registry()
    {
        var (id, code) = await VerificationKit.NewSerialAsync(app);
        var service = () => app.Services.CreateScope().ServiceProvider.GetRequiredService<VerificationService>();

        // Format first: a bad date with a broken check character is a format failure, not a checksum one.
        var segments = code.Split('-');
        var badDate = string.Join('-', segments[0], segments[1], segments[2], "20251399", segments[4], segments[5], segments[6]);
        Assert.Equal(VerificationOutcome.InvalidFormat, (await service().VerifyAsync(badDate)).Outcome);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{badDate}"), HttpStatusCode.BadRequest, """{"ok":false,"error":"Invalid serial code format"}""");

        // Checksum before signature: a forged signature that is also mistyped is reported as the typo.
        var forgedAndMistyped = VerificationKit.BreakChecksum(VerificationKit.Forge(code));
        Assert.Equal(VerificationOutcome.InvalidChecksum, (await service().VerifyAsync(forgedAndMistyped)).Outcome);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{forgedAndMistyped}"), HttpStatusCode.NotFound,
            """{"ok":false,"error":"Serial not found or invalid","reason":"invalid_checksum"}""");

        // Signature before registry: a row that carries a forged number is never served as genuine.
        var forged = VerificationKit.Forge(code);
        await VerificationKit.NewSerialAsync(app, configure: s => s.SerialNumber = forged);
        Assert.Equal(VerificationOutcome.InvalidSignature, (await service().VerifyAsync(forged)).Outcome);
        // ...and the API does not tell a bad signature from an unknown code (no oracle for signature guesses).
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{forged}"), HttpStatusCode.NotFound,
            """{"ok":false,"error":"Serial not found or invalid","reason":"not_found"}""");

        // Registry last: the genuine code of a registered serial passes everything.
        Assert.Equal(VerificationOutcome.Verified, (await service().VerifyAsync(code)).Outcome);
        await VerificationKit.UpdateSerialAsync(app, id, s => s.Visibility = SerialVisibility.Private);
        Assert.Equal(VerificationOutcome.NotFound, (await service().VerifyAsync(code)).Outcome);
    }

    [Fact]
    public async Task The_registry_wants_the_codes_own_organization_a_verifiable_part_and_public_visibility()
    {
        // A genuine MA01 code registered on an AC01 serial: the code names MA01, so AC01's row does not answer for it.
        var signer = app.Services.GetRequiredService<SerialCodeSigner>();
        var ma01Code = signer.Issue("MA01", "HAT", "BAG", new DateOnly(2021, 5, 5), 4242);
        var sku = await VerificationKit.EnsureVerifiableAc01PartAsync(app);
        await VerificationKit.NewSerialAsync(app, "AC01", sku, s => s.SerialNumber = ma01Code);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{ma01Code}"), HttpStatusCode.NotFound,
            """{"ok":false,"error":"Serial not found or invalid","reason":"not_found"}""");

        // A genuine code on a serial of a part that is not publicly verifiable.
        var strapCode = signer.Issue("MA01", "HAT", "STRAP", new DateOnly(2021, 5, 5), 7);
        await VerificationKit.NewSerialAsync(app, "MA01", "STRAP", s => s.SerialNumber = strapCode);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{strapCode}"), HttpStatusCode.NotFound,
            """{"ok":false,"error":"Serial not found or invalid","reason":"not_found"}""");

        // A private serial of the verifiable part.
        var (_, privateCode) = await VerificationKit.NewSerialAsync(app, configure: s => s.Visibility = SerialVisibility.Private);
        await AssertExactAsync(await Anonymous.GetAsync($"{Path}/{privateCode}"), HttpStatusCode.NotFound,
            """{"ok":false,"error":"Serial not found or invalid","reason":"not_found"}""");
    }

    // ---- Demo data ------------------------------------------------------------------------------------------------

    /// <summary>The issue's promise: a new user can open a real verification at once with a demo tote bag's code.</summary>
    [Fact]
    public async Task Every_demo_tote_bag_serial_of_MA01_verifies_as_genuine_with_its_public_status()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "minimal");
        var orgId = await app.OrganizationIdAsync("MA01");
        await using var db = app.RawDb();
        var demo = (await db.Set<Serial>().IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.OrganizationId == orgId && s.SerialNumber.StartsWith("MA01-HAT-BAG-") && s.WorkOrder != null)
                .Select(s => new { s.SerialNumber, s.Status, s.Consumed, WorkOrder = s.WorkOrder!.Number })
                .ToListAsync())
            .Where(s => System.Text.RegularExpressions.Regex.IsMatch(s.WorkOrder, @"^WO-\d{5}$")) // the seeded work orders, not this class's
            .ToList();
        Assert.NotEmpty(demo);
        Assert.Contains(demo, s => s.Status == SerialStatus.InProgress);
        foreach (var serial in demo)
        {
            var response = await Anonymous.GetAsync($"{Path}/{serial.SerialNumber}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{serial.SerialNumber}: {(int)response.StatusCode} {text}");
            var body = JsonNode.Parse(text)!;
            Assert.True((bool)body["valid"]! && (bool)body["verified"]!, text);
            Assert.Equal(serial.SerialNumber, (string?)body["serial"]);
            Assert.Equal(SerialStatus.Public(serial.Status, serial.Consumed), (string?)body["status"]);
            Assert.Equal("BAG", (string?)body["data"]!["sku"]);
            Assert.Equal("hatthasilpa", (string?)body["production_type"]);
        }
    }

    // ---- Status -----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(SerialStatus.InProgress, false, "active")]
    [InlineData(SerialStatus.Completed, false, "active")]
    [InlineData(SerialStatus.Completed, true, "used")]
    [InlineData(SerialStatus.Scrapped, false, "scrapped")]
    [InlineData(SerialStatus.Cancelled, false, "cancelled")]
    [InlineData(SerialStatus.Scrapped, true, "scrapped")]
    public async Task Status_is_the_public_status_and_anything_but_active_carries_the_warning(string status, bool consumed, string expected)
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "minimal");
        var (_, code) = await VerificationKit.NewSerialAsync(app, configure: s => { s.Status = status; s.Consumed = consumed; });
        var response = await Anonymous.GetAsync($"{Path}/{code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        Assert.Equal(expected, (string?)body["status"]);
        Assert.Equal(expected, (string?)body["data"]!["status"]);
        Assert.True((bool)body["valid"]! && (bool)body["verified"]! && (bool)body["ok"]!);
        if (expected == "active")
        {
            Assert.Null(body["warning"]);
            Assert.DoesNotContain("warning", body.AsObject().Select(p => p.Key));
        }
        else
        {
            Assert.Equal("serial_not_active", (string?)body["warning"]);
            Assert.Equal("warning", body.AsObject().Last().Key);
        }
    }

    // ---- CORS, other methods and paths --------------------------------------------------------------------------

    [Theory]
    [InlineData("/MA01-HAT-BAG-20251109-00027-A9K2-X")]
    [InlineData("?serial=MA01-HAT-BAG-20251109-00027-A9K2-X")]
    public async Task A_cors_preflight_is_answered_anonymously_for_get_with_content_type(string suffix)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, Path + suffix);
        request.Headers.Add("Origin", "https://shop.example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        var response = await Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Contains("content-type", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Answers_carry_allow_origin_star_for_any_origin_errors_included()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        foreach (var path in new[] { $"{Path}/{code}", $"{Path}/NOPE", Path })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Origin", "https://retailer.example.org");
            var response = await Anonymous.SendAsync(request);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
    }

    [Fact]
    public async Task A_preflight_for_a_write_method_gets_no_cors_permission()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, $"{Path}/X");
        request.Headers.Add("Origin", "https://shop.example.com");
        request.Headers.Add("Access-Control-Request-Method", "DELETE");
        var response = await Anonymous.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods") &&
                     response.Headers.GetValues("Access-Control-Allow-Methods").Any(m => m.Contains("DELETE")));
    }

    [Theory]
    [InlineData("POST", "/MA01-HAT-BAG-20251109-00027-A9K2-X")]
    [InlineData("PUT", "")]
    [InlineData("DELETE", "/a/b")]
    [InlineData("PATCH", "/x")]
    public async Task Other_methods_answer_405_in_the_groups_shape_anonymously(string method, string suffix)
    {
        var response = await Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), Path + suffix) { Content = new StringContent("{}") });
        await AssertExactAsync(response, HttpStatusCode.MethodNotAllowed, """{"ok":false,"error":"Method not allowed"}""");
        Assert.Equal("GET, OPTIONS", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task A_signed_in_caller_gets_the_same_anonymous_answer()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "minimal");
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var admin = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var asAdmin = await (await admin.GetAsync($"{Path}/{code}")).Content.ReadAsStringAsync();
        var asNobody = await (await Anonymous.GetAsync($"{Path}/{code}")).Content.ReadAsStringAsync();
        Assert.Equal(asNobody, asAdmin);
    }

    [Fact]
    public async Task The_openapi_document_describes_both_forms()
    {
        var doc = JsonNode.Parse(await (await app.CreateClient().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var paths = doc["paths"]!.AsObject();
        Assert.NotNull(paths["/api/public/serial/verify/{serial_code}"]?["get"]);
        Assert.NotNull(paths["/api/public/serial/verify"]?["get"]);
        Assert.DoesNotContain(paths.Select(p => p.Key), k => k.Contains("rest", StringComparison.Ordinal));
        Assert.Equal("VerifySerial", (string?)paths["/api/public/serial/verify/{serial_code}"]!["get"]!["operationId"]);
    }
}
