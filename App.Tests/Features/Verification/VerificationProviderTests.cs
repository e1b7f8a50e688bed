using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Operator.Features.Verification;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>The registry lookup and the traceability on PostgreSQL: cross-organization joins, filters off, UTC times.</summary>
public sealed class VerificationPostgresTests(PostgresVerificationFactory app) : IClassFixture<PostgresVerificationFactory>
{
    [Fact]
    public async Task Verification_and_labels_work_on_postgres()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "standard");
        app.Clock.Set(new DateTimeOffset(2025, 11, 9, 8, 30, 0, TimeSpan.Zero));
        var at = new DateTime(2025, 11, 9, 9, 0, 0, DateTimeKind.Utc);
        var (_, code) = await VerificationKit.NewSerialAsync(app, steps: [new("Cutting", StepEvents.Completed, at), new("Skiving", StepEvents.Started, at.AddHours(1), 1)]);
        var (_, scrapped) = await VerificationKit.NewSerialAsync(app, configure: s => s.Status = SerialStatus.Scrapped);
        var client = app.AnonymousFrom("198.51.100.60");

        var response = await client.GetAsync($"{VerificationKit.VerifyPath}/{code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("2025-11-09T08:30:00Z", (string?)body["data"]!["manufactured_at"]);
        Assert.Equal("""{"path":["Cutting","Skiving","Stitching","Edge painting","Final inspection"],"nodes":[{"node_name":"Cutting","completed_at":"2025-11-09T09:00:00Z"}]}""",
            body["data"]!["traceability"]!.ToJsonString(Golden.Plain));

        var notActive = JsonNode.Parse(await (await client.GetAsync($"{VerificationKit.VerifyPath}?serial={scrapped}")).Content.ReadAsStringAsync())!;
        Assert.Equal("scrapped", (string?)notActive["status"]);
        Assert.Equal("serial_not_active", (string?)notActive["warning"]);

        var forged = await client.GetAsync($"{VerificationKit.VerifyPath}/{VerificationKit.Forge(code)}");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var pdf = await viewer.GetAsync($"/api/labels/serials/{code}.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Contains(code, await Poppler.TextAsync(await pdf.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>
    /// On PostgreSQL concurrent lookups are answered in batches (one statement for the codes waiting): each request
    /// must still get its own code's answer, whatever else shared its batch.
    /// </summary>
    [Fact]
    public async Task Concurrent_verifications_each_get_their_own_answer()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "minimal");
        var expected = new Dictionary<string, (HttpStatusCode Status, string? PublicStatus)>();
        for (var i = 0; i < 12; i++)
        {
            var scrap = i % 3 == 0;
            var (_, code) = await VerificationKit.NewSerialAsync(app, configure: s => { if (scrap) s.Status = SerialStatus.Scrapped; });
            expected[code] = (HttpStatusCode.OK, scrap ? "scrapped" : "active");
        }
        var signer = app.Services.GetRequiredService<SerialCodeSigner>();
        for (var i = 0; i < 4; i++)
        {
            expected[signer.Issue("MA01", "HAT", "BAG", new DateOnly(2020, 1, 2), 99_990 + i)] = (HttpStatusCode.NotFound, null);
        }

        // Every code three times, all at once, shuffled: batches mix codes, repeats and misses.
        var requests = expected.Keys.SelectMany(code => Enumerable.Repeat(code, 3)).OrderBy(_ => Random.Shared.Next()).ToList();
        var answers = await Task.WhenAll(requests.Select(async (code, i) =>
        {
            var response = await app.AnonymousFrom($"198.51.100.{100 + i % 100}").GetAsync($"{VerificationKit.VerifyPath}/{code}");
            return (code, response.StatusCode, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }));

        foreach (var (code, status, body) in answers)
        {
            Assert.Equal(expected[code].Status, status);
            if (status == HttpStatusCode.OK)
            {
                Assert.Equal(code, (string?)body["serial"]);
                Assert.Equal(expected[code].PublicStatus, (string?)body["status"]);
            }
            else
            {
                Assert.Equal("not_found", (string?)body["reason"]);
            }
        }
    }
}

/// <summary>
/// The spec's 500: a failure the app did not expect (here the registry table is gone) answers the spec's body, JSON, with
/// nothing of the exception in it. A database of its own, since the test breaks it.
/// </summary>
public sealed class VerificationServerErrorTests
{
    [Fact]
    public async Task An_unexpected_failure_answers_the_specs_500_example()
    {
        await using var app = new VerificationFactory();
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        await using (var db = app.RawDb())
        {
            await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "Serials" RENAME TO "SerialsGone" """);
        }
        var response = await app.AnonymousFrom("198.51.100.70").GetAsync($"{VerificationKit.VerifyPath}/{code}");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"ok":false,"error":"Internal server error","request_id":"<uuid>"}""", Golden.Mask(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString(Golden.Plain)));
    }
}
