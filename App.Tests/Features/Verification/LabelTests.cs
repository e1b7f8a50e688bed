using System.Net;
using System.Net.Http.Json;
using Operator.Tests.Support;
using QRCoder;

namespace Operator.Tests.Features.Verification;

/// <summary>Label sheets: what the PDF says (pdftotext), how many pages, and that each QR code is the verify URL of its code.</summary>
public sealed class LabelTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    private static async Task<byte[]> PdfAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        return bytes;
    }

    /// <summary>The QR code's modules for a text, quiet zone included, as the label draws it (one pixel per module).</summary>
    private static bool[,] Modules(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var size = data.ModuleMatrix.Count;
        var modules = new bool[size, size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                modules[y, x] = data.ModuleMatrix[y][x];
        return modules;
    }

    /// <summary>Reads the image back module by module (the centre pixel of each) and compares it with the QR code of the URL.</summary>
    private static void AssertQr(Poppler.Bitmap image, string url)
    {
        var expected = Modules(url);
        var size = expected.GetLength(0);
        var scale = Operator.Features.Verification.LabelSheet.PixelsPerModule;
        Assert.Equal(size * scale, image.Height);
        Assert.Equal(size * scale, image.Width);
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                Assert.True(expected[y, x] == image.Dark[y * scale + scale / 2, x * scale + scale / 2], $"QR module ({x},{y}) differs from the QR code of {url}");
    }

    private static string VerifyUrl(string code) => $"{VerificationFactory.PublicBaseUrl}/verify/{code}";

    [Fact]
    public async Task A_serial_label_carries_its_code_and_a_qr_code_of_its_public_verify_url()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var pdf = await PdfAsync(await viewer.GetAsync($"/api/labels/serials/{code}.pdf"));

        var text = await Poppler.TextAsync(pdf);
        Assert.Contains(code, text);
        Assert.Contains("Hatthasilpa tote bag", text);
        Assert.Contains("SKU BAG", text);
        Assert.Contains("verify.example.test/verify", text);
        Assert.Equal(1, await Poppler.PageCountAsync(pdf));
        var images = await Poppler.ImagesAsync(pdf);
        AssertQr(Assert.Single(images), VerifyUrl(code));
    }

    [Fact]
    public async Task A_work_order_sheet_labels_every_serial_of_the_order_by_number_or_id()
    {
        var (orderId, orderNumber) = await VerificationKit.NewWorkOrderAsync(app);
        var codes = new List<string>();
        for (var i = 0; i < 26; i++)
        {
            codes.Add((await VerificationKit.NewSerialAsync(app, configure: s => { s.WorkOrderId = orderId; s.CreatedAt = s.CreatedAt.AddSeconds(i); })).Number);
        }

        var operatorClient = await app.ClientForAsync(DemoUsers.Operator);
        var byNumber = await PdfAsync(await operatorClient.GetAsync($"/api/labels/work-orders/{orderNumber}.pdf"));
        var byId = await PdfAsync(await operatorClient.GetAsync($"/api/labels/work-orders/{orderId}.pdf"));
        foreach (var pdf in new[] { byNumber, byId })
        {
            var text = await Poppler.TextAsync(pdf);
            Assert.All(codes, c => Assert.Contains(c, text));
            // 24 labels a page: 26 serials take two pages, in the order they were made.
            Assert.Equal(2, await Poppler.PageCountAsync(pdf));
            Assert.True(text.IndexOf(codes[0], StringComparison.Ordinal) < text.IndexOf(codes[25], StringComparison.Ordinal));
            var images = await Poppler.ImagesAsync(pdf);
            Assert.Equal(26, images.Count);
            AssertQr(images[0], VerifyUrl(codes[0]));
            AssertQr(images[25], VerifyUrl(codes[25]));
        }
    }

    [Fact]
    public async Task A_list_of_serials_is_labelled_in_the_order_given_and_others_get_labels_without_qr()
    {
        var (_, first) = await VerificationKit.NewSerialAsync(app);
        var (_, second) = await VerificationKit.NewSerialAsync(app);
        var (_, strap) = await VerificationKit.NewSerialAsync(app, "MA01", "STRAP");
        Assert.StartsWith("SN-", strap);
        var (_, privateCode) = await VerificationKit.NewSerialAsync(app, configure: s => s.Visibility = "private");

        var manager = await app.ClientForAsync(DemoUsers.Manager);
        var pdf = await PdfAsync(await manager.PostAsJsonAsync("/api/labels", new { serialNumbers = new[] { second, strap, first, second, privateCode } }));
        var text = await Poppler.TextAsync(pdf);
        Assert.True(text.IndexOf(second, StringComparison.Ordinal) < text.IndexOf(first, StringComparison.Ordinal));
        Assert.Contains(strap, text);
        Assert.Contains("Shoulder strap", text);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, "not publicly verifiable").Count);
        var images = await Poppler.ImagesAsync(pdf);
        Assert.Equal(2, images.Count);
        AssertQr(images[0], VerifyUrl(second));
        AssertQr(images[1], VerifyUrl(first));
    }

    [Fact]
    public async Task Requests_are_validated_and_scoped_to_the_callers_organization()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var admin = await app.ClientForAsync(DemoUsers.Admin);

        var empty = await admin.PostAsJsonAsync("/api/labels", new { serialNumbers = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        await Golden.AssertBodyAsync(empty, """{"error":"serialNumbers must hold 1 to 1000 serial numbers","details":[{"field":"serialNumbers","message":"serialNumbers must hold 1 to 1000 serial numbers"}]}""");

        var blank = await admin.PostAsJsonAsync("/api/labels", new { serialNumbers = new[] { code, " " } });
        await Golden.AssertBodyAsync(blank, """{"error":"Each serial number must be 1 to 100 characters","details":[{"field":"serialNumbers[1]","message":"Each serial number must be 1 to 100 characters"}]}""");

        var missingBody = await admin.PostAsJsonAsync("/api/labels", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missingBody.StatusCode);

        var unknown = await admin.PostAsJsonAsync("/api/labels", new { serialNumbers = new[] { code, "SN-99999", "NOPE" } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Golden.AssertBodyAsync(unknown, """{"error":"Serial not found: SN-99999, NOPE"}""");

        // Another organization's serial does not exist for AC01.
        var other = await app.ClientForAsync(DemoUsers.OtherAdmin);
        var foreign = await other.GetAsync($"/api/labels/serials/{code}.pdf");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        await Golden.AssertBodyAsync(foreign, """{"error":"Serial not found"}""");
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/api/labels", new { serialNumbers = new[] { code } })).StatusCode);
        var (ma01Order, _) = await VerificationKit.NewWorkOrderAsync(app);
        var foreignOrder = await other.GetAsync($"/api/labels/work-orders/{ma01Order}.pdf");
        Assert.Equal(HttpStatusCode.NotFound, foreignOrder.StatusCode);
        await Golden.AssertBodyAsync(foreignOrder, """{"error":"Work order not found"}""");

        // A work order without serials.
        var (_, emptyOrder) = await VerificationKit.NewWorkOrderAsync(app);
        var noSerials = await admin.GetAsync($"/api/labels/work-orders/{emptyOrder}.pdf");
        Assert.Equal(HttpStatusCode.Conflict, noSerials.StatusCode);
        await Golden.AssertBodyAsync(noSerials, $$"""{"error":"Work order {{emptyOrder}} has no serials to label yet"}""");

        // Nobody signed in: 401, as for every API but public verification.
        var anonymous = await app.CreateClient().GetAsync($"/api/labels/serials/{code}.pdf");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await Golden.AssertBodyAsync(anonymous, """{"error":"Unauthorized"}""");
    }

    [Fact]
    public async Task Many_serials_fill_pages_of_24()
    {
        var codes = new List<string>();
        for (var i = 0; i < 49; i++) codes.Add((await VerificationKit.NewSerialAsync(app)).Number);
        var viewer = await app.ClientForAsync(DemoUsers.Viewer);
        var pdf = await PdfAsync(await viewer.PostAsJsonAsync("/api/labels", new { serialNumbers = codes }));
        Assert.Equal(3, await Poppler.PageCountAsync(pdf));
        var text = await Poppler.TextAsync(pdf);
        Assert.All(codes, c => Assert.Contains(c, text));
    }
}
