using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Operator.E2E.Support;

/// <summary>
/// The real app on Kestrel at a loopback port with its own SQLite database and demo data, and one headless Debian
/// Chromium, shared by every browser test (one app for the whole collection keeps the suite fast).
/// </summary>
public sealed class AppServer : IAsyncLifetime
{
    private readonly Factory _factory = new();
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;
    public IServiceProvider Services => _factory.Services;

    public static string Artifacts { get; } = Environment.GetEnvironmentVariable("OPERATOR_E2E_ARTIFACTS")
        ?? Path.Combine(Path.GetTempPath(), "operator-e2e");

    public async Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // localhost, not 127.0.0.1: the browser treats an IP host differently for some web APIs.
        BaseUrl = address.Replace("127.0.0.1", "localhost").Replace("[::1]", "localhost").TrimEnd('/');

        Directory.CreateDirectory(Artifacts);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("OPERATOR_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>
    /// Runs a journey in a fresh browser context. On failure the page is saved as a screenshot in
    /// <see cref="Artifacts"/> (test.sh prints the folder) before the failure is rethrown.
    /// </summary>
    public async Task JourneyAsync(string name, Func<IPage, Task> journey)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        // Expectations wait as long as actions: on a loaded machine a circuit's answer can take more than the default 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        try
        {
            await journey(page);
        }
        catch
        {
            var file = Path.Combine(Artifacts, $"{name}-{DateTime.UtcNow:HHmmss}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            Console.WriteLine($"Screenshot of the failed journey: {file}");
            throw;
        }
    }

    private sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly string _db = Path.Combine(Path.GetTempPath(), $"operator-e2e-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            // Outside Development the host does not read the build's static web assets manifest on its own.
            builder.UseStaticWebAssets();
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Operator", $"Data Source={_db}");
            builder.UseSetting("Demo:Seed", "true");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<AppServer>
{
    public const string Name = "browser";
}

public static class Journeys
{
    public const string Password = "Operator-demo-1";

    public static async Task SignInAsync(this IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForSelectorAsync("[data-testid=current-user]");
    }

    /// <summary>Types into a field and leaves it, so Blazor's change binding has the value before the next action.</summary>
    public static async Task EnterAsync(this IPage page, string selector, string value)
    {
        var field = page.Locator(selector);
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }

    /// <summary>
    /// Types into a server-searched picker (a MudAutocomplete) and picks the option the server offers. The list may
    /// first show the answer to an earlier search and be replaced once the debounced search comes back; a click that
    /// lands on the list being replaced selects nothing, so the pick is repeated until the field shows the option.
    /// </summary>
    public static async Task PickAsync(this IPage page, ILocator input, string typed, string option)
    {
        await input.FillAsync(typed);
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
            try
            {
                await Assertions.Expect(input).ToHaveValueAsync(option, new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                if (!await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).IsVisibleAsync()) await input.FillAsync(typed);
            }
        }
    }

    /// <summary>Waits until the Blazor circuit is up, so clicks reach interactive components.</summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        page.WaitForFunctionAsync("() => document.body.dataset.interactive === '1'");
}
