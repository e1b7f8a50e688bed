using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Operator.Features.Serials;
using Operator.Tests.Support;

namespace Operator.Tests.Features.Verification;

/// <summary>
/// The public verify page, fetched anonymously through the real pipeline: plain server-rendered HTML (no circuit), an
/// unmistakable verdict, the facts of the privacy mode, the form.
/// </summary>
public sealed class VerifyPageTests(VerificationFactory app) : IClassFixture<VerificationFactory>
{
    private async Task<IHtmlDocument> PageAsync(string path)
    {
        var response = await app.AnonymousFrom("198.51.100.40").GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        // Static rendering: no interactive component markers, so no circuit is opened for a customer.
        Assert.DoesNotContain("<!--Blazor:{\"type\":\"server\"", html);
        return new HtmlParser().ParseDocument(html);
    }

    private static string Result(IHtmlDocument page) => page.QuerySelector("[data-testid=verify-result]")!.GetAttribute("data-result")!;

    private static string Text(IHtmlDocument page, string testId) => page.QuerySelector($"[data-testid={testId}]")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task A_genuine_active_code_says_genuine_with_the_products_facts_and_its_path_in_standard_mode()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "standard");
        var at = new DateTime(2025, 11, 9, 9, 0, 0, DateTimeKind.Utc);
        var (_, code) = await VerificationKit.NewSerialAsync(app, steps: [new("Cutting", StepEvents.Completed, at), new("Skiving", StepEvents.Completed, at.AddHours(1), 1)]);

        var page = await PageAsync($"/verify/{code}");
        Assert.Equal("genuine", Result(page));
        Assert.Equal("Genuine", Text(page, "verify-title"));
        Assert.Equal(code, Text(page, "verify-code"));
        Assert.StartsWith("Genuine", page.Title);
        var facts = Text(page, "verify-facts");
        // The maker and the product by their names, as a customer knows them, not by the codes the label already shows.
        Assert.Equal("Maison Atelier Leatherworks", Text(page, "verify-maker"));
        Assert.Equal("Hatthasilpa tote bag", Text(page, "verify-product"));
        Assert.DoesNotContain("MA01", facts);
        Assert.DoesNotContain("SKU", facts);
        Assert.Contains("issued by Maison Atelier Leatherworks", Text(page, "verify-message"));
        Assert.Contains("Hatthasilpa", facts);
        Assert.Contains("Single piece", facts);
        Assert.Equal("Active", Text(page, "verify-status"));
        var steps = page.QuerySelectorAll("[data-testid=verify-trace] li")
            .Select(li => (Name: li.QuerySelector(".op-trace-name")!.TextContent, When: li.QuerySelector(".op-trace-when")!.TextContent))
            .ToList();
        Assert.Equal(["Cutting", "Skiving", "Stitching", "Edge painting", "Final inspection"], steps.Select(s => s.Name));
        Assert.Equal(["2025-11-09 09:00 UTC", "2025-11-09 10:00 UTC", "not completed", "not completed", "not completed"], steps.Select(s => s.When));
        // The page carries the public layout, not the app's navigation.
        Assert.Null(page.QuerySelector("[data-testid=current-user]"));
        Assert.NotNull(page.QuerySelector("link[href*='verify']"));
    }

    [Fact]
    public async Task Minimal_mode_shows_no_path()
    {
        await VerificationKit.SetPrivacyAsync(app, "MA01", "minimal");
        var (_, code) = await VerificationKit.NewSerialAsync(app, steps: [new("Cutting", StepEvents.Completed, DateTime.UtcNow)]);
        var page = await PageAsync($"/verify/{code}");
        Assert.Equal("genuine", Result(page));
        Assert.Null(page.QuerySelector("[data-testid=verify-trace]"));
    }

    [Theory]
    [InlineData(SerialStatus.Scrapped, false, "Scrapped")]
    [InlineData(SerialStatus.Cancelled, false, "Cancelled")]
    [InlineData(SerialStatus.Completed, true, "Used")]
    public async Task A_genuine_code_of_a_unit_that_is_not_active_says_not_active(string status, bool consumed, string label)
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app, configure: s => { s.Status = status; s.Consumed = consumed; });
        var page = await PageAsync($"/verify/{code}");
        Assert.Equal("not-active", Result(page));
        Assert.Equal("Not active", Text(page, "verify-title"));
        Assert.Equal(label, Text(page, "verify-status"));
        Assert.Contains("genuine", Text(page, "verify-message"));
    }

    [Fact]
    public async Task Unknown_forged_mistyped_and_malformed_codes_say_not_found()
    {
        var (_, code) = await VerificationKit.NewSerialAsync(app);
        foreach (var (input, hint) in new[]
        {
            (VerificationKit.Forge(code), "No registered product"),
            (VerificationKit.BreakChecksum(code), "mistyped"),
            ("hello", "not a product code"),
        })
        {
            var page = await PageAsync($"/verify/{Uri.EscapeDataString(input)}");
            Assert.Equal("not-found", Result(page));
            Assert.Equal("Not found", Text(page, "verify-title"));
            Assert.Contains(hint, Text(page, "verify-message"));
            Assert.Null(page.QuerySelector("[data-testid=verify-facts]"));
        }
        // A "code" with slashes is answered by the page too, not by the app's sign-in redirect.
        Assert.Equal("not-found", Result(await PageAsync("/verify/a/b/c")));
    }

    [Fact]
    public async Task The_form_page_asks_for_a_code_and_answers_it_by_query()
    {
        var empty = await PageAsync("/verify");
        Assert.Null(empty.QuerySelector("[data-testid=verify-result]"));
        var form = (IHtmlFormElement)empty.QuerySelector("[data-testid=verify-form]")!;
        Assert.Equal("get", form.Method);
        Assert.Equal("code", empty.QuerySelector("[data-testid=verify-code-input]")!.GetAttribute("name"));

        var (_, code) = await VerificationKit.NewSerialAsync(app);
        var answered = await PageAsync($"/verify?code={Uri.EscapeDataString(" " + code.ToLowerInvariant())}");
        Assert.Equal("genuine", Result(answered));
        Assert.Equal(code, Text(answered, "verify-code"));
    }

    [Fact]
    public async Task What_was_typed_is_shown_back_as_text_never_as_markup()
    {
        var page = await PageAsync($"/verify/{Uri.EscapeDataString("<img src=x onerror=alert(1)>")}");
        Assert.Equal("not-found", Result(page));
        Assert.Empty(page.QuerySelectorAll("main img"));
        Assert.Equal("<img src=x onerror=alert(1)>", Text(page, "verify-code"));
    }
}
