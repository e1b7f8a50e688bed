using System.Diagnostics;
using System.Net;
using System.Text;

namespace Operator.E2E.Support;

/// <summary>
/// Debian's nginx as a process of the test: its own prefix, configuration, pid file, logs and temp folders in a temp
/// folder, on a free port, never the machine's nginx service. The server configuration is the repository's
/// deploy/nginx/operator.conf with the two instances' and nginx's own ports put in.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    /// <summary>One access-log line per request: method, path, status and the instance(s) nginx passed it to.</summary>
    private const string LogFormat = "'$request_method $uri $status $upstream_addr'";

    private readonly Process _process;
    private readonly string _folder;

    private NginxProxy(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>localhost, not 127.0.0.1: the browser treats an IP host differently for some web APIs.</summary>
    public string Url => $"http://localhost:{Port}";

    public static async Task<NginxProxy> StartAsync(int instanceA, int instanceB)
    {
        var port = AppInstance.FreePort();
        var folder = Directory.CreateTempSubdirectory("operator-nginx-").FullName;
        // nginx's workers drop root to "nobody" and must reach the temp folders the master creates in here.
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var server = (await File.ReadAllTextAsync(Template()))
            .Replace("127.0.0.1:5001", $"127.0.0.1:{instanceA}")
            .Replace("127.0.0.1:5002", $"127.0.0.1:{instanceB}")
            .Replace("listen 8080;", $"listen 127.0.0.1:{port};");
        await File.WriteAllTextAsync(Path.Combine(folder, "operator.conf"), server);
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                log_format operator {{LogFormat}};
                access_log {{folder}}/access.log operator;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/operator.conf;
            }
            """);
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", folder + "/", "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log") })
        {
            start.ArgumentList.Add(arg);
        }
        var proxy = new NginxProxy(Process.Start(start)!, folder, port);
        await proxy.WaitUntilListeningAsync();
        return proxy;
    }

    /// <summary>The access log so far, one entry per request.</summary>
    public IReadOnlyList<(string Method, string Path, int Status, string Upstreams)> Requests()
    {
        var lines = File.ReadAllLines(Path.Combine(_folder, "access.log"));
        return [.. lines.Select(l => l.Split(' ', 4)).Select(p => (p[0], p[1], int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), p.Length > 3 ? p[3] : ""))];
    }

    private string ErrorLog() => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    private async Task WaitUntilListeningAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{Port}/health/live")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = new StringBuilder();
                if (_process.HasExited) output.Append(await _process.StandardError.ReadToEndAsync());
                throw new InvalidOperationException($"nginx never answered on port {Port} (exited: {_process.HasExited}).\n{output}\n{ErrorLog()}");
            }
            await Task.Delay(100);
        }
    }

    private static string Executable() =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nginx is not installed: run the tests with ./test.sh, which installs it from Debian's packages.");

    /// <summary>deploy/nginx/operator.conf of the repository the tests were built from.</summary>
    private static string Template()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "deploy", "nginx", "operator.conf");
            if (File.Exists(file)) return file;
        }
        throw new FileNotFoundException("deploy/nginx/operator.conf not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
