using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Operator.Infrastructure.Api;

namespace Operator.Features.Reports;

/// <summary>
/// A list's export: its file name, header and rows. <see cref="Rows"/> is an async iterator that opens its own database
/// context when enumeration starts and reads one forward cursor, so a million rows pass through without being held.
/// </summary>
public sealed record CsvExport(string FileName, IReadOnlyList<string> Header, IAsyncEnumerable<IReadOnlyList<object?>> Rows);

/// <summary>
/// Records of <see cref="CsvTable"/> written straight into a response body: each record is encoded into the pipe's buffer
/// and the pipe is flushed whenever a chunk has collected, so memory stays at one chunk whatever the row count.
/// </summary>
public sealed class CsvStream(PipeWriter pipe, int columns)
{
    /// <summary>Bytes collected before they go to the client.</summary>
    public const int ChunkBytes = 32 * 1024;

    private readonly StringBuilder _record = new();

    // Counted here: not every server's pipe can tell its unflushed bytes (the test server's cannot).
    private long _unflushed;

    /// <summary>The byte order mark, written (not only buffered) so that the response and its headers start here.</summary>
    public async ValueTask PreambleAsync(CancellationToken ct) => await pipe.WriteAsync(Encoding.UTF8.Preamble.ToArray(), ct);

    public void Row(IReadOnlyList<object?> cells)
    {
        _record.Clear();
        CsvTable.AppendRecord(_record, columns, cells);
        foreach (var chunk in _record.GetChunks()) _unflushed += Encoding.UTF8.GetBytes(chunk.Span, pipe);
    }

    public async ValueTask FlushIfFullAsync(CancellationToken ct)
    {
        if (_unflushed >= ChunkBytes) await FlushAsync(ct);
    }

    public async ValueTask FlushAsync(CancellationToken ct)
    {
        _unflushed = 0;
        await pipe.FlushAsync(ct);
    }
}

public static class CsvExportResults
{
    /// <summary>The endpoint's answer: the streamed file, or the service's error for the group to shape.</summary>
    public static object ToCsv(this Result<CsvExport> export) => export.IsSuccess ? new CsvResult(export.Value) : export;
}

/// <summary>
/// Called after every row an export has written. Production does nothing; the streaming test holds the export here after
/// some rows, to prove that the first rows reached the client while the query was still open.
/// </summary>
public interface ICsvExportProbe
{
    ValueTask RowWrittenAsync(long rows, CancellationToken ct);
}

/// <summary>
/// The response of every <c>/export</c> route: <c>text/csv</c> as an attachment, streamed. Errors are answered before this
/// result exists (the service validates the filter first), so they keep the group's JSON shape; a failure once rows flow
/// can only cut the download.
/// </summary>
public sealed class CsvResult(CsvExport export) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var probe = http.RequestServices.GetService<ICsvExportProbe>();
        http.Response.ContentType = CsvTable.ContentType;
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = export.FileName }.ToString();
        http.Response.Headers.CacheControl = "no-store";
        // Response compression or any other buffering layer would hold the whole file.
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var csv = new CsvStream(http.Response.BodyWriter, export.Header.Count);
        await http.Response.StartAsync(ct);
        await csv.PreambleAsync(ct);
        csv.Row([.. export.Header]);
        long rows = 0;
        await foreach (var row in export.Rows.WithCancellation(ct))
        {
            csv.Row(row);
            await csv.FlushIfFullAsync(ct);
            rows++;
            if (probe is not null) await probe.RowWrittenAsync(rows, ct);
        }
        await csv.FlushAsync(ct);
    }
}
