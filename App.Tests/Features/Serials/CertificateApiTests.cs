using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Serials;

/// <summary>/api/certificates: create, list and search, detail with where attached, the PDF document, roles and organizations.</summary>
public sealed class CertificateApiTests(OperatorFactory app) : IClassFixture<OperatorFactory>
{
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    private static ByteArrayContent PdfContent(byte[] bytes, string type = "application/pdf")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private async Task<JsonNode> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync(SerialsKit.Certificates, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task An_operator_creates_a_certificate_with_a_drawn_or_given_number()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var drawn = await CreateAsync(client, new { type = "material", issuer = "  Ferralloy Foundry  ", issuedAt = "2026-03-01", description = "3.1 mill cert" });
        Assert.Matches(@"^CERT-\d{4}$", drawn["number"]!.GetValue<string>());
        Assert.True(int.Parse(drawn["number"]!.GetValue<string>()[5..], System.Globalization.CultureInfo.InvariantCulture) > 10);
        Assert.Equal("Ferralloy Foundry", drawn["issuer"]!.GetValue<string>());
        Assert.Equal("2026-03-01T00:00:00.000Z", drawn["issuedAt"]!.GetValue<string>());
        Assert.False(drawn["hasDocument"]!.GetValue<bool>());

        var given = await CreateAsync(client, new { number = "EN10204-3.1-77812", type = "process", issuer = "TÜV", issuedAt = "2026-01-10T00:00:00Z", expiresAt = "2027-01-10T00:00:00Z" });
        Assert.Equal("EN10204-3.1-77812", given["number"]!.GetValue<string>());
        var duplicate = await client.PostAsJsonAsync(SerialsKit.Certificates, new { number = "EN10204-3.1-77812", type = "process", issuer = "TÜV", issuedAt = "2026-01-10" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        await Golden.AssertBodyAsync(duplicate, """{"error":"Certificate EN10204-3.1-77812 already exists"}""");

        // A number typed by hand that the counter would draw next is skipped, not duplicated.
        var next = int.Parse(drawn["number"]!.GetValue<string>()[5..], System.Globalization.CultureInfo.InvariantCulture) + 1;
        await CreateAsync(client, new { number = $"CERT-{next:D4}", type = "process", issuer = "Lab", issuedAt = "2026-01-10" });
        var after = await CreateAsync(client, new { type = "process", issuer = "Lab", issuedAt = "2026-01-10" });
        Assert.Equal($"CERT-{next + 1:D4}", after["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_refuses_bad_input_field_by_field()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var response = await client.PostAsJsonAsync(SerialsKit.Certificates, new { number = Guid.NewGuid().ToString(), type = "Material", issuer = "", issuedAt = (string?)null });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await Golden.BodyAsync(response);
        Assert.Equal(["number", "type", "issuer", "issuedAt"], body["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()));
        Assert.Equal("number must not be a UUID", body["details"]![0]!["message"]!.GetValue<string>());

        var expired = await client.PostAsJsonAsync(SerialsKit.Certificates, new { type = "process", issuer = "Lab", issuedAt = "2026-05-01", expiresAt = "2026-04-01" });
        Assert.Equal("expiresAt must not be before issuedAt", (await Golden.BodyAsync(expired))["details"]![0]!["message"]!.GetValue<string>());
        var wrongType = await client.PostAsync(SerialsKit.Certificates, Golden.Raw("""{"type":"process","issuer":"Lab","issuedAt":"yesterday"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("issuedAt", (await Golden.BodyAsync(wrongType))["details"]![0]!["field"]!.GetValue<string>());
        var nul = await client.PostAsync(SerialsKit.Certificates, Golden.Raw("""{"type":"process","issuer":"La\u0000b","issuedAt":"2026-01-01"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        var huge = await client.PostAsync(SerialsKit.Certificates, Golden.Raw($$"""{"type":"process","issuer":"{{new string('i', 201)}}","issuedAt":"2026-01-01"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
    }

    [Fact]
    public async Task Viewers_read_but_do_not_create_or_upload()
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(SerialsKit.Certificates)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"{SerialsKit.Certificates}/CERT-0001")).StatusCode);
        var create = await viewer.PostAsJsonAsync(SerialsKit.Certificates, new { type = "process", issuer = "Lab", issuedAt = "2026-01-10" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        await Golden.AssertBodyAsync(create, $$"""{"error":"{{Operator.Features.Serials.CertificateService.CreateForbidden}}"}""");
        var upload = await viewer.PutAsync($"{SerialsKit.Certificates}/CERT-0001/document", PdfContent(Pdf));
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(SerialsKit.Certificates)).StatusCode);
    }

    [Fact]
    public async Task The_list_searches_number_issuer_and_description_and_filters_by_type()
    {
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var all = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Certificates}?limit=5"))!;
        Assert.Equal(5, all["items"]!.AsArray().Count);
        Assert.Equal("CERT-0001", all["items"]![0]!["number"]!.GetValue<string>());
        var byIssuer = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Certificates}?search=tannerie"))!;
        Assert.Contains(byIssuer["items"]!.AsArray(), c => c!["issuer"]!.GetValue<string>().StartsWith("Tannerie Haas"));
        var material = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Certificates}?type=material&limit=500"))!;
        Assert.All(material["items"]!.AsArray(), c => Assert.Equal("material", c!["type"]!.GetValue<string>()));
        var bad = await viewer.GetAsync($"{SerialsKit.Certificates}?type=paper");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("type must be one of material, process", (await Golden.BodyAsync(bad))["error"]!.GetValue<string>());
        // AC01 has its own CERT-0001..; MA01 sees only its own.
        var ours = (await viewer.GetFromJsonAsync<JsonNode>($"{SerialsKit.Certificates}?search=Outokumpu"))!;
        Assert.Equal(0, ours["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_detail_shows_where_the_certificate_is_attached()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var created = await CreateAsync(client, new { type = "process", issuer = "In-house lab", issuedAt = "2026-02-02" });
        var number = created["number"]!.GetValue<string>();
        var serials = await SerialsKit.NewSerialsAsync(app, client, 3, certId: number);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AdvanceAsync(client, serials[0])).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var userId = await SerialsKit.UserIdAsync(app, DemoUsers.Operator);
        Assert.Equal(HttpStatusCode.OK, (await SerialsKit.AttachAsync(client, serials[0], number, userId)).StatusCode);

        var detail = (await client.GetFromJsonAsync<JsonNode>($"{SerialsKit.Certificates}/{number.ToLowerInvariant()}"))!;
        Assert.Equal(created["id"]!.GetValue<string>(), detail["certificate"]!["id"]!.GetValue<string>());
        Assert.Equal(4, detail["attachmentCount"]!.GetValue<int>());
        var uses = detail["attachments"]!.AsArray();
        Assert.Equal(4, uses.Count);
        Assert.Equal(serials[0], uses[0]!["serialId"]!.GetValue<string>());
        Assert.Equal("Skiving", uses[0]!["stepName"]!.GetValue<string>());
        Assert.Equal("Oskar Operator", uses[0]!["attachedByName"]!.GetValue<string>());
        Assert.Equal(serials.Order().ToList(), uses.Skip(1).Select(u => u!["serialId"]!.GetValue<string>()).Order().ToList());

        var page = (await client.GetFromJsonAsync<JsonNode>($"{SerialsKit.Certificates}/{created["id"]}/attachments?limit=2&offset=2"))!;
        Assert.Equal(4, page["total"]!.GetValue<int>());
        Assert.Equal(2, page["items"]!.AsArray().Count);

        var missing = await client.GetAsync($"{SerialsKit.Certificates}/CERT-9876");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Golden.AssertBodyAsync(missing, """{"error":"Certificate not found: CERT-9876"}""");
        var foreign = await SerialsKit.CertIdAsync(app, "CERT-0001", "AC01");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{SerialsKit.Certificates}/{foreign}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{SerialsKit.Certificates}/{foreign}/document")).StatusCode);
    }

    [Fact]
    public async Task The_pdf_document_goes_up_to_ten_megabytes_and_comes_back_byte_for_byte()
    {
        var client = await app.ClientForAsync(DemoUsers.Operator);
        var created = await CreateAsync(client, new { type = "material", issuer = "Mill", issuedAt = "2026-02-02" });
        var id = created["id"]!.GetValue<string>();
        var number = created["number"]!.GetValue<string>();
        var none = await client.GetAsync($"{SerialsKit.Certificates}/{id}/document");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        await Golden.AssertBodyAsync(none, $$"""{"error":"Certificate {{number}} has no document"}""");

        // Bigger than the API's 1 MB body limit, within the document's 10 MB.
        var big = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(big);
        Pdf.CopyTo(big, 0);
        var upload = await client.PutAsync($"{SerialsKit.Certificates}/{id}/document?fileName=..%2F..%2Fmill%20cert", PdfContent(big));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var saved = await Golden.BodyAsync(upload);
        Assert.True(saved["hasDocument"]!.GetValue<bool>());
        Assert.Equal("mill cert.pdf", saved["documentName"]!.GetValue<string>());
        Assert.Equal(big.Length, saved["documentSize"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(big)), saved["documentSha256"]!.GetValue<string>());

        var download = await client.GetAsync($"{SerialsKit.Certificates}/{number}/document");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("mill cert.pdf", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(big, await download.Content.ReadAsByteArrayAsync());

        var replaced = await client.PutAsync($"{SerialsKit.Certificates}/{id}/document", PdfContent(Pdf));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal($"{number}.pdf", (await Golden.BodyAsync(replaced))["documentName"]!.GetValue<string>());
        Assert.Equal(Pdf, await (await client.GetAsync($"{SerialsKit.Certificates}/{id}/document")).Content.ReadAsByteArrayAsync());

        var tooBig = new byte[10 * 1024 * 1024 + 1];
        Pdf.CopyTo(tooBig, 0);
        var refused = await client.PutAsync($"{SerialsKit.Certificates}/{id}/document", PdfContent(tooBig));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        await Golden.AssertBodyAsync(refused, """{"error":"The certificate document is larger than 10 MB"}""");
        var notPdf = await client.PutAsync($"{SerialsKit.Certificates}/{id}/document", PdfContent("GIF89a not a pdf"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, notPdf.StatusCode);
        Assert.Equal("The certificate document is not a PDF file", (await Golden.BodyAsync(notPdf))["error"]!.GetValue<string>());
        var empty = await client.PutAsync($"{SerialsKit.Certificates}/{id}/document", PdfContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var wrongMedia = await client.PutAsync($"{SerialsKit.Certificates}/{id}/document", PdfContent(Pdf, "image/png"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongMedia.StatusCode);
        await Golden.AssertBodyAsync(wrongMedia, """{"error":"Send the certificate document as application/pdf"}""");
        // What was stored last is still there.
        Assert.Equal(Pdf, await (await client.GetAsync($"{SerialsKit.Certificates}/{id}/document")).Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_serials_and_certificates_endpoint()
    {
        var doc = (await app.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject();
        var expected = new (string Path, string Method, string Name, string Tag)[]
        {
            ("/api/serials", "get", "ListSerials", "Serials"),
            ("/api/serials/batch", "post", "BatchCreateSerials", "Serials"),
            ("/api/serials/{id}", "get", "GetSerial", "Serials"),
            ("/api/serials/{id}/attach-cert", "post", "AttachCertificate", "Serials"),
            ("/api/serials/{id}/advance", "post", "AdvanceSerial", "Serials"),
            ("/api/serials/{id}/complete", "post", "CompleteSerial", "Serials"),
            ("/api/serials/{id}/scrap", "post", "ScrapSerial", "Serials"),
            ("/api/certificates", "get", "ListCertificates", "Certificates"),
            ("/api/certificates", "post", "CreateCertificate", "Certificates"),
            ("/api/certificates/{id}", "get", "GetCertificate", "Certificates"),
            ("/api/certificates/{id}/attachments", "get", "ListCertificateAttachments", "Certificates"),
            ("/api/certificates/{id}/document", "put", "UploadCertificateDocument", "Certificates"),
            ("/api/certificates/{id}/document", "get", "DownloadCertificateDocument", "Certificates"),
        };
        foreach (var (path, method, name, tag) in expected)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is not documented");
            Assert.Equal(name, operation!["operationId"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()));
            Assert.Equal(tag, operation["tags"]![0]!.GetValue<string>());
        }
        var attach = paths["/api/serials/{id}/attach-cert"]!["post"]!;
        var description = attach["description"]!.GetValue<string>();
        foreach (var words in new[] { "SerialNumber not found: {id}", "Path not found: {pathId}", "Certificate not found: {certId}", "Serial is already completed, cannot attach cert", "cert_attached" })
        {
            Assert.Contains(words, description);
        }
        var schemas = doc["components"]!["schemas"]!;
        JsonNode Resolve(JsonNode schema) => schema["$ref"] is { } r ? schemas[r.GetValue<string>().Split('/')[^1]]! : schema;
        var request = Resolve(attach["requestBody"]!["content"]!["application/json"]!["schema"]!);
        Assert.NotNull(request["properties"]!["certId"]);
        Assert.NotNull(request["properties"]!["userId"]);
        var response = Resolve(attach["responses"]!["200"]!["content"]!["application/json"]!["schema"]!);
        Assert.Equal(["id", "serialId", "certId", "stepId", "attachedAt", "attachedBy"], response["properties"]!.AsObject().Select(p => p.Key));
        Assert.NotNull(paths["/api/certificates/{id}/document"]!["put"]!["requestBody"]!["content"]!["application/pdf"]);
        Assert.Null(paths["/api/serials/batch"]!["post"]!["responses"]!["200"]);
    }
}
