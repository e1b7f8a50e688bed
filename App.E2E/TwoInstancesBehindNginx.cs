using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Npgsql;
using Xunit.Abstractions;
using Operator.E2E.Support;
using static Microsoft.Playwright.Assertions;

namespace Operator.E2E;

/// <summary>
/// Issue 18's proof: two app processes on one fresh PostgreSQL database behind Debian's nginx, configured by the
/// repository's deploy/nginx/operator.conf (round robin for /api, sticky for the pages and /_blazor). A mixed workload
/// through nginx finds one deployment: shared keys, one rate-limit budget, one number sequence, triggers fired once,
/// a search index that sees the other instance's writes, a working browser circuit; then one instance is killed under
/// load and nothing acknowledged is lost or doubled.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoInstancesBehindNginx(AppServer browserHost, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "Operator-demo-1";
    private const string Admin = "admin@ma01.demo";
    private const string HoldsPath = "/api/quality/holds";
    private const string Serialization = "/api/v1/serialization";

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private string _database = "";
    private AppInstance? _a;
    private AppInstance? _b;
    private NginxProxy? _nginx;

    private AppInstance A => _a!;
    private AppInstance B => _b!;
    private NginxProxy Nginx => _nginx!;

    public async Task InitializeAsync()
    {
        _database = NewDatabase();
        // Started together: the migration lock lets one migrate and seed while the other waits.
        var started = await Task.WhenAll(AppInstance.StartAsync(Settings()), AppInstance.StartAsync(Settings()));
        (_a, _b) = (started[0], started[1]);
        _nginx = await NginxProxy.StartAsync(A.Port, B.Port);
    }

    private string[] Settings() =>
    [
        "environment=Testing",
        "Database:Provider=Postgres",
        $"ConnectionStrings:Operator={_database}",
        "Demo:Seed=true",
        "DataProtection:ApplicationName=Operator-two-instances",
        // nginx connects from loopback: its X-Forwarded-For names the client.
        "Verification:TrustedProxies:0=127.0.0.1",
        // Both dispatchers look for work often, so both really compete for every trigger event.
        "Outbox:PollSeconds=1",
        "Logging:LogLevel:Default=Warning",
    ];

    [Fact]
    public async Task Two_instances_behind_nginx_act_as_one_and_losing_one_under_load_loses_nothing_acknowledged()
    {
        await A_token_from_one_instance_works_on_the_other();
        using var admin = await SignedInAsync(Nginx.Url);
        await Parallel_hold_creates_spread_over_both_instances_draw_distinct_numbers(admin);
        var (marker, number) = await A_hold_created_on_A_is_found_by_search_on_B_at_once();
        await A_code_verified_on_B_answers_the_scrap_made_on_A();
        await One_address_gets_60_verifications_across_both_instances_then_429(admin);
        await Trigger_events_fire_once_although_both_instances_dispatch(admin);
        await A_browser_journey_through_nginx_stays_on_one_instance(marker, number);
        await Killing_an_instance_under_load_loses_no_acknowledged_hold(admin);
    }

    private async Task A_token_from_one_instance_works_on_the_other()
    {
        using var fromA = await SignedInAsync(A.Url);
        using var fromNginx = await SignedInAsync(Nginx.Url);
        foreach (var token in new[] { fromA.DefaultRequestHeaders.Authorization, fromNginx.DefaultRequestHeaders.Authorization })
        {
            foreach (var instance in new[] { A, B })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{instance.Url}{HoldsPath}?limit=1");
                request.Headers.Authorization = token;
                var response = await instance.Http.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"A token was refused by the instance on {instance.Port}: {(int)response.StatusCode}");
            }
        }
    }

    private async Task Parallel_hold_creates_spread_over_both_instances_draw_distinct_numbers(HttpClient admin)
    {
        var plates = await PlatesAsync(admin);
        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var response = await admin.PostAsJsonAsync(HoldsPath, HoldBody(plates[i % plates.Count], $"parallel {_run} {i}"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text)!["hold"]!["hold_number"]!.GetValue<string>();
        }));
        Assert.Equal(50, created.Distinct().Count());
        // Round robin really spread them: both instances created holds.
        var upstreams = Nginx.Requests().Where(r => r.Method == "POST" && r.Path == HoldsPath).Select(r => r.Upstreams).Distinct().ToList();
        Assert.Contains($"127.0.0.1:{A.Port}", upstreams);
        Assert.Contains($"127.0.0.1:{B.Port}", upstreams);
    }

    private async Task<(string Marker, string Number)> A_hold_created_on_A_is_found_by_search_on_B_at_once()
    {
        using var onA = await SignedInAsync(A.Url);
        using var onB = await SignedInAsync(B.Url);
        var marker = $"searchable{_run}";
        // B has searched before (its index is built), so a stale index would miss A's write.
        Assert.Empty((await ListAsync(onB, marker))["holds"]!.AsArray());

        var plates = await PlatesAsync(onA);
        var response = await onA.PostAsJsonAsync(HoldsPath, HoldBody(plates[0], marker));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        var number = JsonNode.Parse(text)!["hold"]!["hold_number"]!.GetValue<string>();

        var found = (await ListAsync(onB, marker))["holds"]!.AsArray();
        Assert.Equal([number], found.Select(h => h!["hold_number"]!.GetValue<string>()));
        return (marker, number);
    }

    /// <summary>
    /// B keeps the answer of a code it verified (its verification cache); a scrap on A must reach it through the
    /// database's notification, which arrives after A's commit: B is asked again until it answers, for at most a few
    /// seconds, far more than the notification's trip.
    /// </summary>
    private async Task A_code_verified_on_B_answers_the_scrap_made_on_A()
    {
        using var onA = await SignedInAsync(A.Url);
        var list = JsonNode.Parse(await onA.GetStringAsync("/api/serials?search=MA01-&status=in_progress&limit=1"))!;
        var code = list["items"]![0]!["serialNumber"]!.GetValue<string>();
        Assert.Equal("active", await PublicStatusOnBAsync(code));
        Assert.Equal("active", await PublicStatusOnBAsync(code));

        var scrap = await onA.PostAsJsonAsync($"/api/serials/{code}/scrap", new { reason = $"Scrapped on A {_run}" });
        Assert.True(scrap.StatusCode == HttpStatusCode.OK, $"{(int)scrap.StatusCode}: {await scrap.Content.ReadAsStringAsync()}");

        var status = await PublicStatusOnBAsync(code);
        for (var i = 0; i < 30 && status != "scrapped"; i++)
        {
            await Task.Delay(100);
            status = await PublicStatusOnBAsync(code);
        }
        Assert.Equal("scrapped", status);
    }

    private async Task<string?> PublicStatusOnBAsync(string code)
    {
        var response = await B.Http.GetAsync($"{B.Url}/api/public/serial/verify/{code}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["status"]!.GetValue<string>();
    }

    private async Task One_address_gets_60_verifications_across_both_instances_then_429(HttpClient admin)
    {
        // The budget is per clock hour: should the hour turn during the 61 requests, a new address starts over.
        for (var attempt = 1; ; attempt++)
        {
            var address = $"203.0.113.{attempt}";
            var hour = DateTime.UtcNow.Hour;
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 61; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/public/serial/verify/MA01-HAT-NGX{_run.ToUpperInvariant()}-20250101-00001-AAAA-A");
                request.Headers.Add("X-Forwarded-For", address);
                statuses.Add((await admin.SendAsync(request)).StatusCode);
            }
            if (DateTime.UtcNow.Hour != hour && attempt < 3) continue;
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
            break;
        }
        var upstreams = Nginx.Requests().Where(r => r.Path.StartsWith("/api/public/serial/verify/", StringComparison.Ordinal)).Select(r => r.Upstreams).Distinct().ToList();
        Assert.Contains($"127.0.0.1:{A.Port}", upstreams);
        Assert.Contains($"127.0.0.1:{B.Port}", upstreams);
    }

    private async Task Trigger_events_fire_once_although_both_instances_dispatch(HttpClient admin)
    {
        var sku = $"NGX{_run.ToUpperInvariant()}"[..10];
        var part = await CreatedIdAsync(await admin.PostAsJsonAsync("/api/parts", new { number = $"P-{sku}", sku, name = "Two instances part", uom = "EA" }));
        var path = await CreatedIdAsync(await admin.PostAsJsonAsync("/api/paths",
            new { code = $"PATH-{sku}", name = "Two instances path", partId = part, steps = new[] { new { code = "OP-010", name = "Cut" } } }));
        var format = await DataIdAsync(await admin.PostAsJsonAsync($"{Serialization}/formats",
            new { name = $"Format {sku}", kind = "PATTERN", pattern = "NX-{SEQ:4}", resetPolicy = "NEVER" }));
        await DataIdAsync(await admin.PostAsJsonAsync($"{Serialization}/triggers",
            new { partId = part, triggerType = "WORK_ORDER_CREATE", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true }));

        // Six work orders at once through nginx: both instances commit events and wake their own dispatcher.
        const int orders = 6, quantity = 5;
        await Task.WhenAll(Enumerable.Range(1, orders).Select(async i =>
            await CreatedIdAsync(await admin.PostAsJsonAsync("/api/work-orders", new { number = $"WO-{sku}-{i}", partId = part, pathId = path, quantity }))));

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        (long Done, long Firings, long Serials, long Distinct) state;
        while (true)
        {
            state = await TriggerStateAsync(part, sku);
            if (state.Done == orders || DateTime.UtcNow > deadline) break;
            await Task.Delay(100);
        }
        Assert.Equal((orders, orders, orders * quantity, orders * quantity), state);
    }

    private async Task A_browser_journey_through_nginx_stays_on_one_instance(string marker, string number)
    {
        await using var context = await browserHost.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Nginx.Url });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        try
        {
            await page.SignInAsync("inspector@ma01.demo");
            await page.GotoAsync($"/holds");
            await page.WaitForCircuitAsync();
            var rows = page.GetByTestId("holds-grid").Locator("tbody tr");
            await Expect(page.GetByTestId("hold-link").First).ToBeVisibleAsync();
            // Typed into the page: the search runs on the circuit, over the WebSocket nginx upgraded.
            await page.GetByTestId("filter-search").FillAsync(marker);
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows).ToContainTextAsync(number);
            await rows.GetByTestId("hold-link").ClickAsync();
            await Expect(page.GetByTestId("hold-number")).ToContainTextAsync(number);
            await page.WaitForCircuitAsync();
            await Expect(page.GetByTestId("hold-status")).ToHaveTextAsync("Active");
        }
        catch
        {
            var file = Path.Combine(AppServer.Artifacts, $"two-instances-{DateTime.UtcNow:HHmmss}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            Console.WriteLine($"Screenshot of the failed journey: {file}");
            throw;
        }
        // Sticky: every page request and the circuit's WebSocket went to one instance.
        var pages = Nginx.Requests().Where(r => !r.Path.StartsWith("/api/", StringComparison.Ordinal) && !r.Path.StartsWith("/health/", StringComparison.Ordinal)).ToList();
        Assert.Contains(pages, r => r.Path.StartsWith("/_blazor", StringComparison.Ordinal) && r.Status == 101);
        Assert.Single(pages.Select(r => r.Upstreams).Distinct());
    }

    private async Task Killing_an_instance_under_load_loses_no_acknowledged_hold(HttpClient admin)
    {
        var plates = await PlatesAsync(admin);
        var acknowledged = new ConcurrentDictionary<string, string>();
        var abandoned = new ConcurrentBag<string>();
        var afterKill = 0;
        var killed = false;
        var tenAcknowledged = new TaskCompletionSource();
        var twentyAfterKill = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();

        async Task WorkerAsync(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"kill-{_run}-{worker}-{i}";
                var outcome = await CreateWithRetriesAsync(admin, key, HoldBody(plates[(worker * 7 + i) % plates.Count], $"load {key}"));
                if (outcome is null)
                {
                    abandoned.Add(key);
                    continue;
                }
                acknowledged[key] = outcome;
                if (acknowledged.Count >= 10) tenAcknowledged.TrySetResult();
                if (Volatile.Read(ref killed) && Interlocked.Increment(ref afterKill) >= 20) twentyAfterKill.TrySetResult();
            }
        }

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => WorkerAsync(w))).ToList();
        // A worker that fails (an unexpected answer) ends the wait too, with its failure.
        await Task.WhenAny(tenAcknowledged.Task, Task.WhenAll(workers)).WaitAsync(TimeSpan.FromMinutes(1));
        if (!tenAcknowledged.Task.IsCompleted) await Task.WhenAll(workers);
        Assert.True(tenAcknowledged.Task.IsCompleted, "The load never got going");
        B.Kill();
        Volatile.Write(ref killed, true);
        // The survivor keeps answering through nginx: twenty more holds are acknowledged after the kill.
        await Task.WhenAny(twentyAfterKill.Task, Task.WhenAll(workers)).WaitAsync(TimeSpan.FromMinutes(1));
        if (!twentyAfterKill.Task.IsCompleted) await Task.WhenAll(workers);
        Assert.True(twentyAfterKill.Task.IsCompleted, "The surviving instance stopped acknowledging holds");
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal(HttpStatusCode.OK, (await A.Http.GetAsync("/health/ready")).StatusCode);
        var stored = await HoldsByKeyAsync($"load kill-{_run}-");
        foreach (var (key, number) in acknowledged)
        {
            Assert.True(stored.TryGetValue(key, out var numbers) && numbers.SequenceEqual([number]),
                $"Acknowledged hold {number} ({key}) is stored as [{string.Join(", ", stored.GetValueOrDefault(key) ?? [])}]");
        }
        // No key made two holds, acknowledged or not.
        Assert.All(stored, s => Assert.Single(s.Value));
        var retried = Nginx.Requests().Count(r => r.Method == "POST" && r.Path == HoldsPath && r.Status >= 500);
        output.WriteLine($"Kill phase: {acknowledged.Count} holds acknowledged ({afterKill} after the kill), {retried} answered 5xx by nginx and retried, " +
            $"{abandoned.Count} given up ({string.Join(", ", abandoned)}); {stored.Count} stored");
        Assert.True(abandoned.Count <= 4, $"More requests than the ones in flight at the kill were given up: {string.Join(", ", abandoned)}");
    }

    /// <summary>
    /// A careful client: the same Idempotency-Key again after a 502 or a lost connection, until it gets an answer.
    /// A key an instance claimed and then died holding stays "in progress" (409): the client gives it up, unacknowledged.
    /// </summary>
    private static async Task<string?> CreateWithRetriesAsync(HttpClient client, string key, object body)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, HoldsPath) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException)
            {
                continue;
            }
            var text = await response.Content.ReadAsStringAsync();
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created:
                    return JsonNode.Parse(text)!["hold"]!["hold_number"]!.GetValue<string>();
                case HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout:
                    continue;
                case HttpStatusCode.Conflict when text.Contains("still in progress", StringComparison.Ordinal):
                    if (attempt >= 5) return null;
                    await Task.Delay(200);
                    continue;
                default:
                    Assert.Fail($"{key}: {(int)response.StatusCode} {text}");
                    break;
            }
        }
        return null;
    }

    private static object HoldBody(Guid plate, string note) => new
    {
        reason = $"Two instances behind nginx: {note}.",
        hold_type = "investigation",
        priority = "high",
        items = new[] { new { reference_type = "lp", reference_id = plate.ToString() } },
    };

    private static async Task<JsonNode> ListAsync(HttpClient client, string search)
    {
        var response = await client.GetAsync($"{HoldsPath}?search={search}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<List<Guid>> PlatesAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<JsonNode>("/api/license-plates?limit=100");
        return [.. page!["items"]!.AsArray().Select(p => Guid.Parse(p!["id"]!.GetValue<string>()))];
    }

    private static async Task<HttpClient> SignedInAsync(string baseUrl)
    {
        using var anonymous = new HttpClient();
        var session = await anonymous.PostAsJsonAsync($"{baseUrl}/api/sessions", new { email = Admin, password = Password });
        Assert.True(session.IsSuccessStatusCode, $"Sign-in through {baseUrl}: {(int)session.StatusCode}");
        var token = (await session.Content.ReadFromJsonAsync<JsonNode>())!["access_token"]!.GetValue<string>();
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Guid> CreatedIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    private static async Task<Guid> DataIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return Guid.Parse(JsonNode.Parse(text)!["data"]!["id"]!.GetValue<string>());
    }

    /// <summary>Events of the part's work orders done, their firings, and the serials they generated (all, and distinct).</summary>
    private async Task<(long Done, long Firings, long Serials, long Distinct)> TriggerStateAsync(Guid part, string sku)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM "OutboxMessages" WHERE "Subject" LIKE @subject AND "Status" = 'done'),
                   (SELECT count(*) FROM "TriggerEventFirings" f JOIN "OutboxMessages" m ON m."Id" = f."EventId" WHERE m."Subject" LIKE @subject),
                   (SELECT count(*) FROM "Serials" WHERE "PartId" = @part),
                   (SELECT count(DISTINCT "SerialNumber") FROM "Serials" WHERE "PartId" = @part)
            """, connection);
        command.Parameters.AddWithValue("subject", $"work order WO-{sku}-%");
        command.Parameters.AddWithValue("part", part);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>The stored holds of the kill phase by the Idempotency-Key their reason names.</summary>
    private async Task<Dictionary<string, List<string>>> HoldsByKeyAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Reason", "HoldNumber" FROM "QualityHolds" WHERE "Reason" LIKE @pattern""", connection);
        command.Parameters.AddWithValue("pattern", $"%{prefix}%");
        var holds = new Dictionary<string, List<string>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var reason = reader.GetString(0);
            var start = reason.IndexOf("kill-", StringComparison.Ordinal);
            var key = reason[start..].TrimEnd('.');
            if (!holds.TryGetValue(key, out var numbers)) holds[key] = numbers = [];
            numbers.Add(reader.GetString(1));
        }
        return holds;
    }

    private static string NewDatabase()
    {
        var server = Environment.GetEnvironmentVariable("OPERATOR_TEST_PG")
            ?? throw new InvalidOperationException("OPERATOR_TEST_PG is not set: run the tests with ./test.sh, which starts PostgreSQL.");
        var name = $"operator_nginx_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 40 }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null) await _nginx.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
    }
}
