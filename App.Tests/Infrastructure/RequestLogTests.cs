using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Operator.Infrastructure;
using Operator.Tests.Support;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// The request log's console lines (issue 18): one structured line per request with its id, written in batches by a
/// thread of its own, nothing lost when the output is slow or the app stops.
/// </summary>
public sealed class RequestLogTests
{
    private const string LinePrefix = "info: Operator.Infrastructure.RequestLog[1] ";

    [Fact]
    public async Task Every_request_gets_one_line_with_method_path_status_duration_and_its_id()
    {
        var output = new CapturedOutput();
        var app = new LoggedApp(output);
        var client = app.CreateClient();
        var ids = Enumerable.Range(0, 200).Select(i => $"line-{i}-{Guid.NewGuid():N}").ToList();
        await Task.WhenAll(ids.Select(async id =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/bench/ping");
            request.Headers.Add("X-Request-Id", id);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }));
        using (var missing = new HttpRequestMessage(HttpMethod.Get, "/api/parts"))
        {
            missing.Headers.Add("X-Request-Id", "line-401");
            await client.SendAsync(missing);
        }
        // Once seen in a full run: the app was disposed before the last line was out, although the client had its answer.
        // What happens to lines at shutdown is the next test's; this one waits for its lines (bounded) before stopping.
        for (var i = 0; i < 200 && !output.Lines().Any(l => l.Contains("line-401", StringComparison.Ordinal)); i++) await Task.Delay(50);
        await app.DisposeAsync();

        var lines = output.Lines();
        foreach (var id in ids)
        {
            var line = Assert.Single(lines, l => l.EndsWith(" " + id, StringComparison.Ordinal));
            Assert.Matches(@"^info: Operator\.Infrastructure\.RequestLog\[1\] GET /api/bench/ping 200 \d+\.\dms line-", line);
        }
        Assert.Matches(@"^info: Operator\.Infrastructure\.RequestLog\[1\] GET /api/parts 401 \d+\.\dms line-401$", Assert.Single(lines, l => l.Contains("line-401")));
    }

    [Fact]
    public async Task Lines_still_waiting_when_the_app_stops_are_written_before_it_ends()
    {
        var output = new CapturedOutput();
        var app = new LoggedApp(output);
        var client = app.CreateClient();
        var writer = app.Services.GetRequiredService<RequestLogWriter>();
        using var writing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var first = true;
        writer.BeforeBatch = () =>
        {
            if (!first) return;
            first = false;
            writing.Release();
            release.Wait();
        };

        // The first line's batch is held on the writer thread; the next ones wait in the list behind it.
        await SendAsync(client, "stop-0");
        await writing.WaitAsync();
        for (var i = 1; i < 50; i++) await SendAsync(client, $"stop-{i}");

        var stopping = Task.Run(async () => await app.DisposeAsync());
        while (!writer.IsStopping) await Task.Yield();
        release.Release();
        await stopping;
        // The test host disposes the app's services on the thread that ran the app, after the factory's dispose has
        // returned; waiting on the writer as a second disposer waits for the stop the app began.
        writer.Dispose();

        var lines = output.Lines();
        for (var i = 0; i < 50; i++)
        {
            Assert.Single(lines, l => l.EndsWith($" stop-{i}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task When_the_output_does_not_keep_up_a_request_waits_for_room_and_no_line_is_lost()
    {
        var output = new CapturedOutput();
        using var writer = new RequestLogWriter(new RequestLogOutput(output), Options.Create(new SimpleConsoleFormatterOptions())) { MaxPendingLines = 4 };
        var log = writer.CreateLogger(RequestLog.Category);
        using var writing = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var first = true;
        writer.BeforeBatch = () =>
        {
            if (!first) return;
            first = false;
            writing.Release();
            release.Wait();
        };

        Log(log, "room-0");
        await writing.WaitAsync();
        for (var i = 1; i <= 4; i++) Log(log, $"room-{i}");
        var blocked = Task.Run(() => Log(log, "room-5"));
        while (writer.WaitingForRoom == 0) await Task.Yield();
        Assert.False(blocked.IsCompleted);

        release.Release();
        await blocked;
        writer.Dispose();
        var lines = output.Lines();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"room-{i}"), lines.Select(l => l[(l.LastIndexOf(' ') + 1)..]));
    }

    [Fact]
    public async Task A_control_character_in_the_path_is_encoded_and_cannot_start_a_line_of_its_own()
    {
        var output = new CapturedOutput();
        var app = new LoggedApp(output);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/bench/ping%0Ainfo:%20forged%0D"))
        {
            request.Headers.Add("X-Request-Id", "control-1");
            await app.CreateClient().SendAsync(request);
        }
        await app.DisposeAsync();

        var lines = output.Lines();
        Assert.DoesNotContain(lines, l => !l.StartsWith(LinePrefix, StringComparison.Ordinal) && l.Contains("forged"));
        var line = Assert.Single(lines, l => l.EndsWith(" control-1", StringComparison.Ordinal));
        Assert.Matches(@"^info: Operator\.Infrastructure\.RequestLog\[1\] GET /api/bench/ping%0Ainfo: forged%0D 40\d \d+\.\dms control-1$", line);
    }

    [Fact]
    public async Task The_console_logger_leaves_the_category_to_the_writer_and_the_levels_still_decide()
    {
        var output = new CapturedOutput();
        var app = new LoggedApp(output);
        var filters = app.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value;
        Assert.Contains(filters.Rules, r => r.ProviderName == typeof(ConsoleLoggerProvider).FullName && r.CategoryName == RequestLog.Category && r.LogLevel == LogLevel.None);
        await app.DisposeAsync();

        var quiet = new CapturedOutput();
        var silenced = new LoggedApp(quiet, ("Logging:LogLevel:Operator.Infrastructure.RequestLog", "Warning"));
        await SendAsync(silenced.CreateClient(), "quiet-1");
        await silenced.DisposeAsync();
        Assert.DoesNotContain(quiet.Lines(), l => l.Contains("quiet-1"));
    }

    [Fact]
    public void A_configured_timestamp_starts_the_line_as_the_simple_formatter_writes_it()
    {
        var output = new CapturedOutput();
        var writer = new RequestLogWriter(new RequestLogOutput(output),
            Options.Create(new SimpleConsoleFormatterOptions { TimestampFormat = "yyyy-MM-dd ", UseUtcTimestamp = true }));
        var before = DateTime.UtcNow.Date;
        Log(writer.CreateLogger(RequestLog.Category), "stamped");
        writer.Dispose();
        var line = Assert.Single(output.Lines());
        Assert.Matches(@"^\d{4}-\d\d-\d\d info: Operator\.Infrastructure\.RequestLog\[1\] GET /x 200 0\.0ms stamped$", line);
        Assert.True(DateTime.Parse(line[..10], System.Globalization.CultureInfo.InvariantCulture) >= before);
    }

    private static void Log(ILogger log, string id) =>
        log.Log(LogLevel.Information, RequestLog.Completed, new RequestLogEntry("GET", "/x", 200, TimeSpan.Zero, id), null, RequestLogEntry.Formatter);

    private static async Task SendAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/bench/ping");
        request.Headers.Add("X-Request-Id", id);
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>The app with the request log's output captured (and the console logger as it ships).</summary>
    private sealed class LoggedApp(CapturedOutput output, params (string Key, string Value)[] settings) : OperatorFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services => services.AddSingleton(new RequestLogOutput(output)));
        }
    }

    /// <summary>An output that keeps what is written, whole writes at a time.</summary>
    private sealed class CapturedOutput : Stream
    {
        private readonly MemoryStream _bytes = new();

        public List<string> Lines()
        {
            lock (_bytes) return Encoding.UTF8.GetString(_bytes.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_bytes) _bytes.Write(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
