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
        await using var sheet = await Spreadsheet.CreateNewAsync(http.Response.Body, options, ct);
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
        await sheet.FinishAsync(ct);
    }
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
