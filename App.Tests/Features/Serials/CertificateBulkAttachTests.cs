using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bunit;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>
/// POST /api/certificates/{id}/attach: one certificate on many units, each answered as the single attach answers it
/// (recorded, already attached, refused with the single attach's status and words), one transaction per unit so a refused
/// unit leaves the others attached. On both providers, since each unit takes its own row lock.
/// </summary>
public abstract class CertificateBulkAttachTests<TFactory>(TFactory app) where TFactory : OperatorFactory
{
    private static Task<HttpResponseMessage> BulkAsync(HttpClient client, string cert, object body) =>
        client.PostAsJsonAsync($"{SerialsKit.Certificates}/{Uri.EscapeDataString(cert)}/attach", body);

    [Fact]
    public async Task Each_unit_is_answered_like_a_single_attach_and_a_refusal_undoes_none_of_the_others()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var userId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        var serials = await SerialsKit.NewSerialsAsync(app, client, 3);
        var (fresh, attachedBefore, completed) = (serials[0], serials[1], serials[2]);
        var earlier = await SerialsKit.AttachAsync(client, attachedBefore, "CERT-0002", userId);
        Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        var earlierId = (await Golden.BodyAsync(earlier))["id"]!.GetValue<string>();
        await SerialsKit.AdvanceToLastStepAsync(client, completed);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.CompleteAsync(client, completed)).StatusCode);

        var response = await BulkAsync(client, "CERT-0002", new { serialIds = new[] { fresh, completed, " " + attachedBefore + " ", "SN-99999" }, userId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        var certId = await SerialsKit.CertIdAsync(app, "CERT-0002");
        Assert.Equal(certId.ToString(), body["certId"]!.GetValue<string>());
        Assert.Equal("CERT-0002", body["certNumber"]!.GetValue<string>());
        Assert.Equal((1, 1, 2), (body["attached"]!.GetValue<int>(), body["alreadyAttached"]!.GetValue<int>(), body["refused"]!.GetValue<int>()));
        var results = body["results"]!.AsArray();
        Assert.Equal([fresh, completed, attachedBefore, "SN-99999"], results.Select(r => r!["serialId"]!.GetValue<string>()));
        Assert.Equal(["attached", "refused", "already_attached", "refused"], results.Select(r => r!["outcome"]!.GetValue<string>()));

        Assert.Equal($$"""{"serialId":"{{fresh}}","outcome":"attached","attachment":{"id":"<uuid>","serialId":"{{fresh}}","certId":"<uuid>","stepId":"<uuid>","attachedAt":"<time>","attachedBy":"<uuid>"},"status":null,"error":null}""",
            Golden.Mask(results[0]!.ToJsonString(Golden.Plain)));
        Assert.Equal($$"""{"serialId":"{{completed}}","outcome":"refused","attachment":null,"status":400,"error":"Serial is already completed, cannot attach cert"}""",
            results[1]!.ToJsonString(Golden.Plain));
        Assert.Equal(earlierId, results[2]!["attachment"]!["id"]!.GetValue<string>());
        Assert.Equal("""{"serialId":"SN-99999","outcome":"refused","attachment":null,"status":404,"error":"SerialNumber not found: SN-99999"}""",
            results[3]!.ToJsonString(Golden.Plain));

        // The refusals after the first unit did not undo it; the unit attached before has still one record and one audit entry.
        Assert.Equal(certId, Assert.Single(await SerialsKit.AttachmentsAsync(app, fresh)).CertificateId);
        Assert.Single(await SerialsKit.AuditAsync(app, fresh, "cert_attached"));
        Assert.Single(await SerialsKit.AttachmentsAsync(app, attachedBefore));
        Assert.Single(await SerialsKit.AuditAsync(app, attachedBefore, "cert_attached"));
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, completed));
    }

    [Fact]
    public async Task The_whole_call_is_refused_for_a_bad_body_an_unknown_certificate_and_a_viewer()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var userId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        var serial = await SerialsKit.NewSerialAsync(app, client);

        var missingCert = await BulkAsync(client, "CERT-7777", new { serialIds = new[] { serial }, userId });
        Assert.Equal(HttpStatusCode.NotFound, missingCert.StatusCode);
        await Golden.AssertBodyAsync(missingCert, """{"error":"Certificate not found: CERT-7777"}""");

        var empty = await BulkAsync(client, "CERT-0001", new { serialIds = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        await Golden.AssertBodyAsync(empty, """{"error":"serialIds must list 1 to 200 serials; userId is required","details":[{"field":"serialIds","message":"serialIds must list 1 to 200 serials"},{"field":"userId","message":"userId is required"}]}""");

        var wrongType = await BulkAsync(client, "CERT-0001", new { serialIds = "SN-00001", userId });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("serialIds", (await Golden.BodyAsync(wrongType))["details"]![0]!["field"]!.GetValue<string>());

        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var forbidden = await BulkAsync(viewer, "CERT-0001", new { serialIds = new[] { serial }, userId });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty(await SerialsKit.AttachmentsAsync(app, serial));
    }

    [Fact]
    public async Task The_route_is_in_the_openapi_document()
    {
        var document = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var operation = document["paths"]!["/api/certificates/{id}/attach"]!["post"]!;
        Assert.Equal("AttachCertificateToSerials", operation["operationId"]!.GetValue<string>());
    }
}

public sealed class SqliteCertificateBulkAttachTests(OperatorFactory app)
    : CertificateBulkAttachTests<OperatorFactory>(app), IClassFixture<OperatorFactory>;

public sealed class PostgresCertificateBulkAttachTests(PostgresOperatorFactory app)
    : CertificateBulkAttachTests<PostgresOperatorFactory>(app), IClassFixture<PostgresOperatorFactory>;

/// <summary>The certificate page's one action for many units: scanned lines in, each unit's answer out.</summary>
public sealed class CertificateAttachPageTests(OperatorFactory app) : SerialsPageTest, IClassFixture<OperatorFactory>
{
    [Fact]
    public async Task Scanned_units_are_attached_in_one_action_and_each_says_how_it_went()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var serials = await SerialsKit.NewSerialsAsync(app, client, 2);
        await SignInAsync(app, DemoUsers.Operator);
        var page = Render<CertificateDetailPage>(p => p.Add(x => x.Id, "CERT-0004"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='cert-attach-submit']")));
        page.Find("[data-testid='cert-attach-units'] textarea").Input($"{serials[0]}\n{serials[1]}\nSN-88888\n");
        page.Find("[data-testid='cert-attach-submit']").Click();
        page.WaitForAssertion(() => Assert.Equal("2 attached · 0 already attached · 1 refused", Text(page, "cert-attach-summary")));
        var outcomes = page.FindAll("[data-testid='cert-attach-result']").Select(li => li.GetAttribute("data-outcome")).ToList();
        Assert.Equal(["attached", "attached", "refused"], outcomes);
        Assert.Contains("SerialNumber not found: SN-88888", page.FindAll("[data-testid='cert-attach-result']")[2].TextContent);
        Assert.Single(await SerialsKit.AttachmentsAsync(app, serials[1]));
        Assert.Equal(await SerialsKit.UserIdAsync(app, DemoUsers.Operator), (await SerialsKit.AttachmentsAsync(app, serials[0]))[0].AttachedBy);
    }

    [Fact]
    public async Task A_viewer_is_not_offered_the_action()
    {
        await SignInAsync(app, DemoUsers.Viewer);
        var page = Render<CertificateDetailPage>(p => p.Add(x => x.Id, "CERT-0001"));
        page.WaitForAssertion(() => Assert.Equal("Certificate CERT-0001", Text(page, "cert-title")));
        Assert.Empty(page.FindAll("[data-testid='cert-attach-units']"));
    }
}
