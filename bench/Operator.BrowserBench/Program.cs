using Microsoft.Playwright;

// Browser-side benchmarks against a running Operator (see bench/README.md):
//   scan      --url U [--email E] [--password P] [--serials-file F] [--count 200]
//             From a scan's Enter to the unit on the station's screen, measured inside the page.
//   assemble  --url U [--email E] [--password P] [--serials-file F] [--count 300] [--per 20]
//             From a component's scan (Enter) to its answer on the station's Assemble screen, measured inside the page;
//             every PER components the assembly is cancelled (nothing recorded) and a new parent is scanned.
//   circuits  --url U --pid PID [--path /holds] [--count 50] [--email E] [--password P]
//             The app process's resident memory before and after opening COUNT pages (one circuit each).
var options = Args.Parse(args.Skip(1));
var command = args.FirstOrDefault();
if (command is not ("scan" or "assemble" or "circuits"))
{
    Console.Error.WriteLine("usage: Operator.BrowserBench scan|assemble|circuits --url http://localhost:5055 [options] (see bench/README.md)");
    return 2;
}

var url = options.Get("url", "http://localhost:5055").TrimEnd('/');
var email = options.Get("email", "operator@b0001.bench");
var password = options.Get("password", "Operator-demo-1");

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("OPERATOR_CHROMIUM") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

return command switch { "scan" => await ScanAsync(), "assemble" => await AssembleAsync(), _ => await CircuitsAsync() };

async Task<IPage> SignedInPageAsync(string path)
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
    var page = await context.NewPageAsync();
    page.SetDefaultTimeout(30_000);
    await page.GotoAsync("/account/login");
    await page.FillAsync("#email", email);
    await page.FillAsync("#password", password);
    await page.ClickAsync("[data-testid=sign-in]");
    await page.WaitForSelectorAsync("[data-testid=current-user]");
    await page.GotoAsync(path);
    await page.WaitForFunctionAsync("() => document.body.dataset.interactive === '1'");
    return page;
}

async Task<int> ScanAsync()
{
    var file = options.Get("serials-file", "bench/out/serials-scenario.txt");
    var count = int.Parse(options.Get("count", "200"));
    var serials = File.ReadLines(file).Where(l => l.StartsWith("serial ")).Select(l => l[7..].Trim()).ToList();
    if (serials.Count == 0)
    {
        Console.Error.WriteLine($"no 'serial ...' lines in {file}: generate the serials data first (bench/run.sh)");
        return 2;
    }
    var page = await SignedInPageAsync("/station");
    var input = page.GetByTestId("scan-input");
    await input.FocusAsync();
    // Warm up: the first scans pay for JIT and cold caches.
    var warmup = Math.Min(10, serials.Count);
    var times = new List<double>();
    for (var i = 0; i < count + warmup; i++)
    {
        var number = serials[(i * 7919) % serials.Count];
        await page.Keyboard.TypeAsync(number);
        // The clock starts in the page on Enter's keydown and stops when the unit card shows this number.
        await page.EvaluateAsync("""
            n => {
              window.__scan = { n, t0: 0, done: null };
              window.__scan.done = new Promise(resolve => {
                const check = () => {
                  const el = document.querySelector('[data-testid=unit-serial]');
                  if (el && el.textContent.trim() === n) { observer.disconnect(); resolve(performance.now() - window.__scan.t0); }
                };
                const observer = new MutationObserver(check);
                observer.observe(document.body, { subtree: true, childList: true, characterData: true });
              });
              document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__scan.t0 = performance.now(); }, { once: true, capture: true });
            }
            """, number);
        await page.Keyboard.PressAsync("Enter");
        var ms = await page.EvaluateAsync<double>("() => Promise.race([window.__scan.done, new Promise(r => setTimeout(() => r(-1), 10000))])");
        if (ms < 0)
        {
            var shown = await page.GetByTestId("unit-serial").AllInnerTextsAsync();
            Console.Error.WriteLine($"scan of {number} did not show the unit within 10 s (the unit card shows: {string.Join(", ", shown)})");
            return 1;
        }
        if (i >= warmup) times.Add(ms);
    }
    times.Sort();
    Console.WriteLine($"scan to screen over {times.Count} scans: p50 {Percentile(times, 50):F1} ms, p95 {Percentile(times, 95):F1} ms, max {times[^1]:F1} ms");
    return 0;
}

async Task<int> AssembleAsync()
{
    var file = options.Get("serials-file", "bench/out/serials-scenario.txt");
    var count = int.Parse(options.Get("count", "300"));
    var per = int.Parse(options.Get("per", "20"));
    var serials = File.ReadLines(file).Where(l => l.StartsWith("serial ")).Select(l => l[7..].Trim()).ToList();
    if (serials.Count < 2)
    {
        Console.Error.WriteLine($"no 'serial ...' lines in {file}: generate the serials data first (bench/run.sh)");
        return 2;
    }
    var page = await SignedInPageAsync("/station");
    await page.GetByTestId("station-mode").GetByText("Assemble", new() { Exact = true }).ClickAsync();
    await page.WaitForSelectorAsync("[data-testid=assembly-scan][data-attached='1']");
    var input = page.GetByTestId("assembly-scan");
    var warmup = 10;
    var times = new List<double>();
    var kinds = new Dictionary<string, int>();
    var next = 0;
    string Next() => serials[(next++ * 7919) % serials.Count];
    Task<int> AnswersAsync() => page.EvaluateAsync<int>("() => Number(document.querySelector('[data-testid=assembly]').dataset.answers)");
    for (var i = 0; i < count + warmup; i++)
    {
        if (i % per == 0)
        {
            if (i > 0) await page.GetByTestId("assembly-cancel").ClickAsync();
            // A parent the checks accept (not used, scrapped or held); refused ones are skipped.
            for (var tries = 0; ; tries++)
            {
                var parent = Next();
                await input.FocusAsync();
                var before = await AnswersAsync();
                await page.Keyboard.TypeAsync(parent);
                await page.Keyboard.PressAsync("Enter");
                await page.WaitForFunctionAsync("n => Number(document.querySelector('[data-testid=assembly]').dataset.answers) > n", before);
                if (await page.GetByTestId("assembly-parent").CountAsync() > 0) break;
                if (tries > 50) { Console.Error.WriteLine("no acceptable parent among the serials"); return 1; }
            }
        }
        var number = Next();
        await page.Keyboard.TypeAsync(number);
        // The clock starts in the page on Enter's keydown and stops when the answer to this scan is rendered.
        await page.EvaluateAsync("""
            () => {
              const root = document.querySelector('[data-testid=assembly]');
              const n = Number(root.dataset.answers);
              window.__scan = { t0: 0, done: null };
              window.__scan.done = new Promise(resolve => {
                const observer = new MutationObserver(() => {
                  if (Number(root.dataset.answers) > n) { observer.disconnect(); resolve(performance.now() - window.__scan.t0); }
                });
                observer.observe(root, { attributes: true, attributeFilter: ['data-answers'] });
              });
              document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__scan.t0 = performance.now(); }, { once: true, capture: true });
            }
            """);
        await page.Keyboard.PressAsync("Enter");
        var ms = await page.EvaluateAsync<double>("() => Promise.race([window.__scan.done, new Promise(r => setTimeout(() => r(-1), 10000))])");
        if (ms < 0)
        {
            Console.Error.WriteLine($"scan of {number} was not answered within 10 s");
            return 1;
        }
        var kind = await page.GetByTestId("assembly-banner").GetAttributeAsync("data-kind") ?? "?";
        if (i >= warmup)
        {
            times.Add(ms);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
    }
    await page.GetByTestId("assembly-cancel").ClickAsync();
    times.Sort();
    Console.WriteLine($"component scan to answer over {times.Count} scans ({string.Join(", ", kinds.Select(k => $"{k.Value} {k.Key}"))}): " +
        $"p50 {Percentile(times, 50):F1} ms, p95 {Percentile(times, 95):F1} ms, max {times[^1]:F1} ms");
    return 0;
}

async Task<int> CircuitsAsync()
{
    var pid = int.Parse(options.Get("pid", "0"));
    var path = options.Get("path", "/holds");
    var count = int.Parse(options.Get("count", "50"));
    if (pid <= 0)
    {
        Console.Error.WriteLine("--pid: the app's process id");
        return 2;
    }
    // One page first, so what every circuit shares (compiled components, caches) is not counted per circuit.
    var pages = new List<IPage> { await SignedInPageAsync(path) };
    await Task.Delay(TimeSpan.FromSeconds(3));
    var before = ResidentKb(pid);
    for (var i = 0; i < count; i++)
    {
        pages.Add(await SignedInPageAsync(path));
    }
    await Task.Delay(TimeSpan.FromSeconds(5));
    var after = ResidentKb(pid);
    Console.WriteLine($"{path}: {count} circuits, resident memory {before / 1024.0:F0} MB -> {after / 1024.0:F0} MB, {(after - before) / (double)count:F0} KB per circuit");
    return 0;
}

static long ResidentKb(int pid) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

static double Percentile(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

sealed class Args(Dictionary<string, string> values)
{
    public string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;

    public static Args Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>();
        string? key = null;
        foreach (var a in args)
        {
            if (a.StartsWith("--")) key = a[2..];
            else if (key is not null) { values[key] = a; key = null; }
        }
        return new Args(values);
    }
}
