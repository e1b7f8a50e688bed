using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Operator.E2E.Support;

/// <summary>
/// The app's own build (Operator.dll beside the tests) as a process of its own on a loopback port: what a deployment
/// runs, so nothing is shared with the test or with another instance but the database.
/// </summary>
public sealed class AppInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppInstance(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri(Url) };
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public HttpClient Http { get; }
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts the app with the given configuration (command-line keys, "Key=value") and waits until it is ready.</summary>
    public static async Task<AppInstance> StartAsync(IEnumerable<string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Operator.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var setting in settings) start.ArgumentList.Add("--" + setting);
        var process = Process.Start(start)!;
        var app = new AppInstance(process, port);
        process.OutputDataReceived += (_, e) => app.Log(e.Data);
        process.ErrorDataReceived += (_, e) => app.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilReadyAsync();
        return app;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Asks /health/ready until it says yes; gives up (with the app's output) only if the app died or never got there.</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                if ((await Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The app on port {Port} never became ready (exited: {_process.HasExited}). Its output:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, nothing finished on the way out, as when a machine or container dies.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public static int FreePort()
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
