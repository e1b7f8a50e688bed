using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Operator.Features.Serials;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Outbox;
using Operator.Infrastructure.Tenancy;
using Operator.Tests.Support;
using static Operator.Tests.Features.Serialization.WorkflowKit;

namespace Operator.Tests.Features.Serialization;

/// <summary>
/// The real app as a process of its own on a SQLite file: a work order is committed with its trigger event, the
/// process is killed with SIGKILL before anything dispatched it, and the restarted app fires the event exactly once.
/// </summary>
public sealed class TriggerOutboxCrashTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"operator-crash-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_kill_9_between_commit_and_dispatch_loses_no_event_and_the_restarted_app_fires_it_once()
    {
        Guid part;
        // First life: the dispatcher is off, so the event is committed and certainly not dispatched when the process dies.
        await using (var first = await AppProcess.StartAsync(_file, dispatch: false))
        {
            var admin = await first.AdminAsync();
            part = await CreatedIdAsync(await admin.PostAsJsonAsync("/api/parts", new { number = "P-CRASH", sku = "CRASH1", name = "Crash part", uom = "EA" }));
            var path = await CreatedIdAsync(await admin.PostAsJsonAsync("/api/paths",
                new { code = "PATH-CRASH", name = "Crash path", partId = part, steps = new[] { new { code = "OP-010", name = "Cut" } } }));
            var format = await CreateFormatAsync(admin, "KX-{SEQ:4}");
            await CreateTriggerAsync(admin, new { partId = part, triggerType = "WORK_ORDER_CREATE", assignmentType = "SYSTEM_GENERATED", formatConfigId = format, batchMode = true });
            await CreatedIdAsync(await admin.PostAsJsonAsync("/api/work-orders", new { number = "WO-CRASH", partId = part, pathId = path, quantity = 6 }));
            first.Kill9();
        }
        Assert.Equal((0, 1, OutboxStatus.Pending), await StateAsync(part));

        // Second life, dispatcher on: the event is picked up at start and fires once.
        await using (var second = await AppProcess.StartAsync(_file, dispatch: true))
        {
            var state = await second.WaitUntilAsync(() => StateAsync(part), s => s.Status == OutboxStatus.Done);
            Assert.Equal((6, 1, OutboxStatus.Done), state);
            second.Kill9();
        }
        // Third life: nothing left to do, nothing done again.
        await using (var third = await AppProcess.StartAsync(_file, dispatch: true))
        {
            var admin = await third.AdminAsync();
            var done = await OkAsync(await admin.GetAsync($"{Base}/trigger-events?status=done"));
            Assert.Equal("work order WO-CRASH", done["data"]!.AsArray().Single()!["subject"]!.GetValue<string>());
        }
        await using var db = Db();
        Assert.Equal(["KX-0001", "KX-0002", "KX-0003", "KX-0004", "KX-0005", "KX-0006"],
            await db.Set<Serial>().IgnoreQueryFilters().Where(s => s.PartId == part).OrderBy(s => s.SerialNumber).Select(s => s.SerialNumber).ToListAsync());
    }

    private OperatorDb Db() => OperatorDbFactory.Create(OperatorDbFactory.BuildOptions(DatabaseProvider.Sqlite, $"Data Source={_file}"), DatabaseProvider.Sqlite, FixedUser.Nobody);

    private async Task<(int Serials, int Events, string? Status)> StateAsync(Guid part)
    {
        await using var db = Db();
        var serials = await db.Set<Serial>().IgnoreQueryFilters().CountAsync(s => s.PartId == part);
        var events = await db.Set<OutboxMessage>().IgnoreQueryFilters().Select(m => m.Status).ToListAsync();
        return (serials, events.Count, events.FirstOrDefault());
    }

    private static async Task<Guid> CreatedIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
    }

    /// <summary>The app's own build (Operator.dll beside the tests) started with dotnet, on a free loopback port.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private AppProcess(Process process, string url)
        {
            _process = process;
            Http = new HttpClient { BaseAddress = new Uri(url) };
        }

        public HttpClient Http { get; }

        public static async Task<AppProcess> StartAsync(string file, bool dispatch)
        {
            var port = FreePort();
            var url = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
                     {
                         Path.Combine(AppContext.BaseDirectory, "Operator.dll"), "--urls", url, "--environment", "Testing",
                         "--Database:Provider=Sqlite", $"--ConnectionStrings:Operator=Data Source={file}", "--Demo:Seed=true",
                         $"--Outbox:Dispatch={dispatch}", "--Logging:LogLevel:Default=Warning",
                     })
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start)!;
            var app = new AppProcess(process, url);
            process.OutputDataReceived += (_, e) => app.Log(e.Data);
            process.ErrorDataReceived += (_, e) => app.Log(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await app.WaitUntilAsync(async () =>
            {
                try
                {
                    return (await app.Http.GetAsync("/health")).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            }, status => status == HttpStatusCode.OK);
            return app;
        }

        private void Log(string? line)
        {
            if (line is null) return;
            lock (_output) _output.AppendLine(line);
        }

        public async Task<HttpClient> AdminAsync()
        {
            var session = await Http.PostAsJsonAsync("/api/sessions", new { email = DemoUsers.Admin, password = DemoData.Password });
            session.EnsureSuccessStatusCode();
            var token = (await session.Content.ReadFromJsonAsync<JsonNode>())!["access_token"]!.GetValue<string>();
            var client = new HttpClient { BaseAddress = Http.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        /// <summary>SIGKILL: no shutdown, no flush, nothing the app could finish on its way out.</summary>
        public void Kill9()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        /// <summary>Asks until the answer is the one wanted; gives up (with the app's output) only if the app died or never got there.</summary>
        public async Task<T> WaitUntilAsync<T>(Func<Task<T>> ask, Func<T, bool> wanted)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (true)
            {
                var answer = await ask();
                if (wanted(answer)) return answer;
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    string output;
                    lock (_output) output = _output.ToString();
                    Assert.Fail($"The app never answered as wanted (last: {answer}; exited: {_process.HasExited}). Its output:\n{output}");
                }
                await Task.Delay(100);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
