using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Operator.Infrastructure;

/// <summary>
/// One log entry per request (method, path, status, duration, request id; never headers, query or bodies, which carry
/// tokens, passwords and codes), at Information in the category <see cref="Category"/>. It replaces ASP.NET Core's
/// HTTP logging middleware, whose per-request work cost most of the app's throughput on a trivial endpoint. The entry
/// is a <see cref="RequestLogEntry"/> handed to every logger provider as it is: nothing is formatted on the request's
/// thread, and the console's share is written by <see cref="RequestLogWriter"/>.
/// </summary>
internal sealed class RequestLog(RequestDelegate next, ILogger<RequestLog> log)
{
    public const string Category = "Operator.Infrastructure.RequestLog";

    public static readonly EventId Completed = new(1, nameof(Completed));

    public async Task InvokeAsync(HttpContext context)
    {
        if (!log.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var entry = new RequestLogEntry(context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started), context.TraceIdentifier);
            log.Log(LogLevel.Information, Completed, entry, null, RequestLogEntry.Formatter);
        }
    }
}

/// <summary>
/// What the request log says about one request. Structured for providers that keep fields (the properties and
/// <c>{OriginalFormat}</c>, as a source-generated logger method would give them); one line of text for the others.
/// </summary>
public readonly struct RequestLogEntry(string method, string? path, int statusCode, TimeSpan duration, string requestId)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Format = "{Method} {Path} {StatusCode} {DurationMs}ms {RequestId}";

    public static readonly Func<RequestLogEntry, Exception?, string> Formatter = static (entry, _) => entry.ToString();

    public string Method => method;
    public string? Path => path;
    public int StatusCode => statusCode;
    public TimeSpan Duration => duration;
    public string RequestId => requestId;

    /// <summary>Milliseconds to one decimal, rounded half away from zero, as the line shows them.</summary>
    public long DurationTenthsOfMs => (long)Math.Round(duration.TotalMilliseconds * 10, MidpointRounding.AwayFromZero);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{method} {RequestLogWriter.Printable(path)} {statusCode} {DurationTenthsOfMs / 10}.{DurationTenthsOfMs % 10}ms {requestId}");

    public int Count => 6;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Method", method),
        1 => new("Path", path),
        2 => new("StatusCode", statusCode),
        3 => new("DurationMs", DurationTenthsOfMs / 10.0),
        4 => new("RequestId", requestId),
        5 => new("{OriginalFormat}", Format),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Where <see cref="RequestLogWriter"/> writes: standard output, or a test's stream.</summary>
public sealed class RequestLogOutput(Stream stream)
{
    public Stream Stream => stream;
}

/// <summary>
/// The console's writer for the request log: the line the console's single-line simple formatter would write
/// (<c>info: Operator.Infrastructure.RequestLog[1] GET /api/parts 200 1.2ms {request id}</c>, with its timestamp when
/// one is configured), formatted as UTF-8 into one reused buffer by a thread of its own and written in batches, one
/// write for everything that arrived while the previous batch was written. The request only adds its entry to a list
/// under a short lock: the console logger's own path (format a string per entry, hand it over, wake its thread, one
/// write per line) cost about as much as the rest of a trivial request.
/// </summary>
/// <remarks>
/// <para>It is a logger provider for the one category, registered as the console (so <c>Logging:Console:LogLevel</c>
/// applies to it too), and the console provider is filtered out of that category; levels come from configuration as
/// for any category. Other categories, and other providers of this one (a test's capture, an event source), are not
/// touched.</para>
/// <para>Nothing is lost: when <see cref="MaxPending"/> lines wait (the output does not keep up), a request waits for
/// room instead of dropping its line, as the console logger's own queue does; on shutdown (the logger factory disposes
/// its providers after the server has finished its requests) everything waiting is written before the process ends.
/// A line may reach the output up to <see cref="BatchInterval"/> after its request, so it can come out after
/// another category's line written later.</para>
/// </remarks>
[ProviderAlias("Console")]
public sealed class RequestLogWriter : ILoggerProvider
{
    public const int MaxPending = 32_768;
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private const int FlushAtBytes = 64 * 1024;

    private static readonly byte[] Prefix = PrefixOf(LogLevel.Information, RequestLog.Completed.Id);

    /// <summary>The simple formatter's level and category, as it writes them before the message.</summary>
    private static byte[] PrefixOf(LogLevel level, int eventId)
    {
        var name = level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        return Encoding.UTF8.GetBytes($"{name}: {RequestLog.Category}[{eventId}] ");
    }

    private readonly Stream _output;
    private readonly string? _timestampFormat;
    private readonly bool _utcTimestamp;
    private readonly object _gate = new();
    private readonly object _writeGate = new();
    private readonly Thread _thread;
    private List<Line> _pending = new(1024);
    private int _maxPending = MaxPending;
    private int _waitingForRoom;
    private bool _writerIdle;
    private bool _stopping;
    private bool _stopped;
    private byte[] _buffer = new byte[FlushAtBytes + 4096];

    public RequestLogWriter(RequestLogOutput output, IOptions<SimpleConsoleFormatterOptions> format)
    {
        _output = output.Stream;
        _timestampFormat = format.Value.TimestampFormat;
        _utcTimestamp = format.Value.UseUtcTimestamp;
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "Request log writer" };
        _thread.Start();
    }

    /// <summary>Test seam: runs on the writer thread before each batch is formatted.</summary>
    internal Action? BeforeBatch { get; set; }

    /// <summary>Test seam: how many lines may wait before a request waits for room.</summary>
    internal int MaxPendingLines
    {
        get => _maxPending;
        set => _maxPending = value;
    }

    /// <summary>Test seams: whether shutdown has begun, and how many requests wait for room.</summary>
    internal bool IsStopping
    {
        get { lock (_gate) return _stopping; }
    }

    internal int WaitingForRoom
    {
        get { lock (_gate) return _waitingForRoom; }
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName == RequestLog.Category ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private void Enqueue(in Line line)
    {
        lock (_gate)
        {
            while (_pending.Count >= _maxPending && !_stopping)
            {
                // Full: wake the writer (it may be gathering) and wait for it to take the list.
                _waitingForRoom++;
                Monitor.PulseAll(_gate);
                Monitor.Wait(_gate);
                _waitingForRoom--;
            }
            if (!_stopped)
            {
                _pending.Add(line);
                if (_writerIdle)
                {
                    _writerIdle = false;
                    Monitor.PulseAll(_gate);
                }
                return;
            }
        }
        // Logged after the writer finished (shutdown): written at once, alone.
        lock (_writeGate)
        {
            var length = Format(line, 0);
            WriteOut(length);
        }
    }

    private void WriteLoop()
    {
        var batch = new List<Line>(1024);
        while (true)
        {
            bool last;
            lock (_gate)
            {
                while (_pending.Count == 0 && !_stopping)
                {
                    _writerIdle = true;
                    Monitor.Wait(_gate);
                }
                _writerIdle = false;
                (batch, _pending) = (_pending, batch);
                last = _stopping;
                if (last) _stopped = true;
                // Requests waiting for room may go on.
                Monitor.PulseAll(_gate);
            }
            BeforeBatch?.Invoke();
            lock (_writeGate)
            {
                WriteBatch(batch);
            }
            batch.Clear();
            if (last) return;
            lock (_gate)
            {
                // Gather: what arrives now goes out with the next write. Stop and a full list cut it short.
                if (!_stopping) Monitor.Wait(_gate, BatchInterval);
            }
        }
    }

    private void WriteBatch(List<Line> batch)
    {
        var length = 0;
        foreach (var line in batch)
        {
            length = Format(line, length);
            if (length >= FlushAtBytes)
            {
                WriteOut(length);
                length = 0;
            }
        }
        WriteOut(length);
    }

    private void WriteOut(int length)
    {
        if (length == 0) return;
        try
        {
            _output.Write(_buffer, 0, length);
            _output.Flush();
        }
        catch (IOException)
        {
            // The output is gone (a closed pipe): nothing can be written anywhere, and requests must not fail for it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Appends one line at <paramref name="at"/> and returns the new length.</summary>
    private int Format(in Line line, int at)
    {
        var entry = line.Entry;
        var prefix = line.Message is null ? Prefix : PrefixOf(line.Level, line.EventId);
        var longest = 128 + prefix.Length + 3 * (line.Message is null ? entry.Method.Length + (entry.Path?.Length ?? 0) + entry.RequestId.Length : line.Message.Length);
        if (_buffer.Length - at < longest)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, at + longest));
        }
        var span = _buffer.AsSpan(at);
        var n = 0;
        if (_timestampFormat is not null)
        {
            var time = _utcTimestamp ? line.Time : line.Time.ToLocalTime();
            if (time.TryFormat(span, out var written, _timestampFormat, CultureInfo.InvariantCulture)) n += written;
        }
        prefix.CopyTo(span[n..]);
        n += prefix.Length;
        if (line.Message is not null)
        {
            n += WritePrintable(line.Message, span[n..]);
        }
        else
        {
            n += WritePrintable(entry.Method, span[n..]);
            span[n++] = (byte)' ';
            n += WritePrintable(entry.Path, span[n..]);
            span[n++] = (byte)' ';
            entry.StatusCode.TryFormat(span[n..], out var written, default, CultureInfo.InvariantCulture);
            n += written;
            span[n++] = (byte)' ';
            var tenths = entry.DurationTenthsOfMs;
            (tenths / 10).TryFormat(span[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
            span[n++] = (byte)'.';
            span[n++] = (byte)('0' + (int)(tenths % 10));
            span[n++] = (byte)'m';
            span[n++] = (byte)'s';
            span[n++] = (byte)' ';
            n += WritePrintable(entry.RequestId, span[n..]);
        }
        span[n++] = (byte)'\n';
        return at + n;
    }

    /// <summary>
    /// The text as UTF-8 with control characters percent-encoded: a decoded path (<c>%0A</c>) must not start a forged
    /// line of its own.
    /// </summary>
    private static int WritePrintable(string? text, Span<byte> destination)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var n = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsControl(text[i])) continue;
            n += Encoding.UTF8.GetBytes(text.AsSpan(start, i - start), destination[n..]);
            destination[n++] = (byte)'%';
            n += HexByte((byte)Math.Min((int)text[i], 0xFF), destination[n..]);
            start = i + 1;
        }
        return n + Encoding.UTF8.GetBytes(text.AsSpan(start), destination[n..]);
    }

    private static int HexByte(byte value, Span<byte> destination)
    {
        const string Hex = "0123456789ABCDEF";
        destination[0] = (byte)Hex[value >> 4];
        destination[1] = (byte)Hex[value & 0xF];
        return 2;
    }

    /// <summary>The text with control characters percent-encoded, as the console's line has it.</summary>
    public static string? Printable(string? text)
    {
        if (text is null || !text.AsSpan().ContainsAnyInRange('\0', '\u001F') && !text.AsSpan().ContainsAnyInRange('\u007F', '\u009F')) return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsControl(c)) builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Writes every line still waiting, then stops the writer; later lines are written one by one. Every call returns
    /// when the waiting lines are out (or <see cref="StopWait"/> has passed), not only the first: the container
    /// disposes the writer twice (as itself and as a logger provider), and a host may be disposed on another thread
    /// than the one that waits for it.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
        }
        if (Thread.CurrentThread != _thread) _thread.Join(StopWait);
    }

    private readonly record struct Line(RequestLogEntry Entry, string? Message, DateTimeOffset Time, LogLevel Level = LogLevel.Information, int EventId = 0);

    private sealed class Logger(RequestLogWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var time = writer._timestampFormat is null ? default : DateTimeOffset.UtcNow;
            if (typeof(TState) == typeof(RequestLogEntry) && exception is null && logLevel == LogLevel.Information)
            {
                writer.Enqueue(new Line(Unsafe.As<TState, RequestLogEntry>(ref state), null, time));
                return;
            }
            // Anything else logged in this category (the app logs nothing else there): its message, and the exception on
            // the same line, control characters encoded like a path's.
            var message = formatter(state, exception);
            if (exception is not null) message = $"{message} {exception}";
            writer.Enqueue(new Line(default, message, time, logLevel, eventId.Id));
        }
    }
}
