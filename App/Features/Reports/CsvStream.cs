using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Operator.Infrastructure.Api;

namespace Operator.Features.Reports;

/// <summary>
/// A list's export, the one table definition both writers use: its file name (<c>.csv</c>; the Excel file takes the same name
/// with <c>.xlsx</c>), header and rows. <see cref="Rows"/> is an async iterator that opens its own database context when
/// enumeration starts and reads one forward cursor, so a million rows pass through without being held. Cells are what
/// <see cref="CsvTable.Field"/> (CSV) and <see cref="XlsxStream.Cell"/> (Excel) take: text, numbers, times, booleans, null.
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

/// <summary>The file formats of every <c>/export</c> route, chosen by its <c>format</c> parameter.</summary>
public static class ExportFormats
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";

    /// <summary>What the API reference says of the <c>format</c> parameter, appended to each export route's description.</summary>
    public const string Description = """
         format: csv (default; text/csv; charset=utf-8) or xlsx (an Excel workbook,
        application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, one sheet with the same header and rows: numbers
        as numbers, times as date-times in UTC, text guarded against formulas as in the CSV). Both are streamed.
        """;
}

public static class CsvExportResults
{
    /// <summary>
    /// The endpoint's answer: the streamed file in the asked <paramref name="format"/> (<c>csv</c> when not given), or the
    /// service's error, or a validation error for an unknown format, for the group to shape.
    /// </summary>
    public static object ToFile(this Result<CsvExport> export, string? format)
    {
        var name = string.IsNullOrWhiteSpace(format) ? ExportFormats.Csv : format.Trim().ToLowerInvariant();
        if (name is not (ExportFormats.Csv or ExportFormats.Xlsx))
        {
            return Result<CsvExport>.Fail(Error.Validation("format", "format must be csv or xlsx"));
        }
        if (!export.IsSuccess) return export;
        return name == ExportFormats.Xlsx ? new XlsxResult(export.Value) : new CsvResult(export.Value);
    }

    /// <summary>The CSV answer; the same as <see cref="ToFile"/> with no format.</summary>
    public static object ToCsv(this Result<CsvExport> export) => export.ToFile(ExportFormats.Csv);

    /// <summary>What both files' responses start with: type, attachment name, no caching, no buffering layer.</summary>
    internal static void StartFile(HttpContext http, string contentType, string fileName)
    {
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        http.Response.Headers.CacheControl = "no-store";
        // Response compression or any other buffering layer would hold the whole file.
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }
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
        CsvExportResults.StartFile(http, CsvTable.ContentType, export.FileName);

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

public static class ExportRoutes
{
    /// <summary>The export route's description in the API reference, with what every export says of its <c>format</c>.</summary>
    public static RouteHandlerBuilder WithExportDescription(this RouteHandlerBuilder route, string description) =>
        route.WithDescription(description.TrimEnd() + ExportFormats.Description);

    /// <summary>The export's 200 in the API reference: either file type.</summary>
    public static RouteHandlerBuilder ProducesExport(this RouteHandlerBuilder route) =>
        route.Produces(200, null, CsvTable.ContentType, XlsxResult.ContentType);
}
