using System.Text.RegularExpressions;
using SpreadCheetah;

namespace Operator.Features.Reports;

/// <summary>
/// The Excel variant of every <c>/export</c> route (<c>format=xlsx</c>): the same <see cref="CsvExport"/> written by SpreadCheetah
/// straight into the response body, row by row, so memory stays at the writer's buffer whatever the row count. One sheet, the
/// header in row 1.
/// </summary>
public sealed class XlsxResult(CsvExport export) : IResult
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var probe = http.RequestServices.GetService<ICsvExportProbe>();
        CsvExportResults.StartFile(http, ContentType, Path.ChangeExtension(export.FileName, ".xlsx"));
        await http.Response.StartAsync(ct);

        var options = new SpreadCheetahOptions { CompressionLevel = SpreadCheetahCompressionLevel.Fastest };
        var body = new AsyncBodyStream(http.Response.Body);
        await using (var sheet = await Spreadsheet.CreateNewAsync(body, options, ct))
        {
            await WriteAsync(sheet, probe, ct);
            await sheet.FinishAsync(ct);
        }
        await body.DrainAsync(ct);
    }

    private async Task WriteAsync(Spreadsheet sheet, ICsvExportProbe? probe, CancellationToken ct)
    {
        await sheet.StartWorksheetAsync(XlsxStream.SheetName(export.FileName), token: ct);
        var cells = new DataCell[export.Header.Count];
        await sheet.AddRowAsync(XlsxStream.Row(cells, [.. export.Header]), ct);
        long rows = 0;
        await foreach (var row in export.Rows.WithCancellation(ct))
        {
            await sheet.AddRowAsync(XlsxStream.Row(cells, row), ct);
            rows++;
            if (probe is not null) await probe.RowWrittenAsync(rows, ct);
        }
    }
}

/// <summary>
/// The response body for the workbook writer. The zip archive under it writes its closing records (the central directory)
/// synchronously, which the server refuses; those few bytes are kept here and sent by the next asynchronous write or by
/// <see cref="DrainAsync"/>. Rows go through asynchronously and are never held.
/// </summary>
internal sealed class AsyncBodyStream(Stream inner) : Stream
{
    private readonly MemoryStream _pending = new();
    private long _position;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pending.Write(buffer);
        _position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        await DrainAsync(ct);
        await inner.WriteAsync(buffer, ct);
        _position += buffer.Length;
    }

    /// <summary>Sends what synchronous writes have left here.</summary>
    public async ValueTask DrainAsync(CancellationToken ct)
    {
        if (_pending.Length == 0) return;
        await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct);
        _pending.SetLength(0);
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken ct) => DrainAsync(ct).AsTask();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Cells of the Excel export: the values the CSV writes (<see cref="CsvTable.Field"/>), typed for a spreadsheet.</summary>
public static partial class XlsxStream
{
    /// <summary>
    /// One cell. Numbers and booleans keep their type, times are date-times in UTC, and text is guarded as in the CSV: a text
    /// cell is never a formula, but the guard keeps both files' values equal and a cell that is edited and re-entered inert.
    /// </summary>
    public static DataCell Cell(object? value) => value switch
    {
        null => new DataCell(),
        int i => new DataCell(i),
        long l => new DataCell(l),
        double d => new DataCell(d),
        decimal m => new DataCell(m),
        DateTime t => new DataCell(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        bool b => new DataCell(b),
        _ => new DataCell(CsvTable.Guard(value.ToString() ?? "")),
    };

    /// <summary>The row's cells in <paramref name="cells"/> (reused for every row); missing trailing cells are empty.</summary>
    public static DataCell[] Row(DataCell[] cells, IReadOnlyList<object?> values)
    {
        for (var i = 0; i < cells.Length; i++) cells[i] = Cell(i < values.Count ? values[i] : null);
        return cells;
    }

    /// <summary>The sheet's name from the file's (<c>license-plates-20260101-120000.csv</c> gives <c>license-plates</c>): at most 31 characters.</summary>
    public static string SheetName(string fileName)
    {
        var name = Stamp().Replace(Path.GetFileNameWithoutExtension(fileName), "");
        return name.Length is > 0 and <= 31 ? name : "export";
    }

    [GeneratedRegex(@"-\d{8}-\d{6}$")]
    private static partial Regex Stamp();
}
