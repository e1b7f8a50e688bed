using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>
/// Public verification end to end: an operator makes a tote bag serial and prints its label sheet; a customer with the
/// label opens the verify page (no account) and sees "Genuine"; the unit is scrapped and the same page says "Not active".
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class VerificationJourneys(AppServer app)
{
    [GeneratedRegex(@"\b[A-Z0-9]{4}-(HAT|OEM)-[A-Z0-9]{2,12}-[0-9]{8}-[0-9]{5}-[A-Z0-9]{4}-[A-Z0-9]\b")]
    private static partial Regex PublicCode();

    [Fact]
    public Task A_printed_label_verifies_as_genuine_until_the_unit_is_scrapped() =>
        app.JourneyAsync("verification", async page =>
        {
            // The operator, signed in in the browser. API writes need a bearer token (the cookie is for reads only).
            await page.SignInAsync("operator@ma01.demo");
            var api = page.Context.APIRequest;
            var session = await api.PostAsync("/api/sessions", new() { DataObject = new { email = "operator@ma01.demo", password = Journeys.Password } });
            Assert.True(session.Ok, await session.TextAsync());
            var token = (await session.JsonAsync())!.Value.GetProperty("access_token").GetString()!;
            var bearer = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };

            // A new tote bag unit on WO-00001 (MA01's publicly verifiable part): its serial number is a signed code.
            var created = await api.PostAsync("/api/serials/batch", new() { Headers = bearer, DataObject = new { workOrderId = "WO-00001", quantity = 1 } });
            Assert.True(created.Status == 201, await created.TextAsync());
            var number = (await created.JsonAsync())!.Value.GetProperty("serials")[0].GetProperty("serialNumber").GetString()!;
            Assert.Matches(PublicCode(), number);

            // Print the label sheet with the browser's cookie, and read the code off the PDF as a person would.
            var sheet = await api.GetAsync($"/api/labels/serials/{number}.pdf");
            Assert.Equal(200, sheet.Status);
            Assert.Equal("application/pdf", sheet.Headers["content-type"]);
            var text = await PdfText.FromBytesAsync(await sheet.BodyAsync());
            var code = PublicCode().Match(text).Value;
            Assert.Equal(number, code);

            // A customer: a fresh browser with no account opens the label's verify address.
            await using var customer = await app.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = app.BaseUrl,
                ViewportSize = new ViewportSize { Width = 390, Height = 844 },
                IsMobile = true,
            });
            var phone = await customer.NewPageAsync();
            // The page must stay light on a phone: it never downloads a font (the theme's fonts are the device's own).
            var fonts = new List<string>();
            phone.Request += (_, request) =>
            {
                if (request.ResourceType == "font" || Regex.IsMatch(request.Url, @"\.(woff2?|ttf|otf)(\?|$)")) lock (fonts) fonts.Add(request.Url);
            };
            await phone.GotoAsync($"/verify/{code}");
            await Expect(phone.Locator("[data-testid=verify-title]")).ToHaveTextAsync("Genuine");
            await Expect(phone.Locator("[data-testid=verify-result]")).ToHaveAttributeAsync("data-result", "genuine");
            await Expect(phone.Locator("[data-testid=verify-code]")).ToHaveTextAsync(code);
            // The maker and the product by name, not by the codes the label already carries.
            await Expect(phone.GetByTestId("verify-maker")).ToHaveTextAsync("Maison Atelier Leatherworks");
            await Expect(phone.GetByTestId("verify-product")).ToHaveTextAsync("Hatthasilpa tote bag");
            // MA01 publishes the standard privacy mode: the unit's path, step names only.
            await Expect(phone.Locator("[data-testid=verify-trace]")).ToContainTextAsync("Cutting");
            await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "verify-genuine.png"), FullPage = true });

            // The unit is scrapped at the station.
            var scrap = await api.PostAsync($"/api/serials/{number}/scrap", new() { Headers = bearer, DataObject = new { reason = "Deep scratch on the front panel" } });
            Assert.True(scrap.Ok, await scrap.TextAsync());

            // The same label now says so, and the customer can check another code with the form.
            await phone.ReloadAsync();
            await Expect(phone.Locator("[data-testid=verify-title]")).ToHaveTextAsync("Not active");
            await Expect(phone.Locator("[data-testid=verify-status]")).ToHaveTextAsync("Scrapped");
            await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppServer.Artifacts, "verify-not-active.png"), FullPage = true });

            await phone.FillAsync("[data-testid=verify-code-input]", code[..^1] + (code[^1] == '0' ? '1' : '0'));
            await phone.ClickAsync("[data-testid=verify-submit]");
            await Expect(phone.Locator("[data-testid=verify-title]")).ToHaveTextAsync("Not found");
            await Expect(phone.Locator("[data-testid=verify-message]")).ToContainTextAsync("mistyped");
            await phone.WaitForLoadStateAsync(LoadState.NetworkIdle);
            lock (fonts) Assert.True(fonts.Count == 0, string.Join(" ", fonts));
        });

}
