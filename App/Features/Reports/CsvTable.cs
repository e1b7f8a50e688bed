using System.Globalization;
using System.Text;

namespace Operator.Features.Reports;

/// <summary>
/// CSV files for spreadsheets (RFC 4180): comma-separated, CRLF line ends, a field quoted when it holds a comma, a quote,
/// a line break or leading/trailing spaces, quotes doubled. Text that a spreadsheet would run as a formula (starting with
/// = + - @, a tab or a carriage return) is written with a leading apostrophe, so an exported serial number or reason
/// can never execute in the reader's spreadsheet, unless it is a plain number such as -5 or +1.5; numbers are written
/// as numbers. UTF-8 with a byte order mark, which
/// spreadsheets need to read non-ASCII text as UTF-8.
/// </summary>
public sealed class CsvTable
{
    public const string ContentType = "text/csv; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly int _columns;

    public CsvTable(params string[] header)
    {
        _columns = header.Length;
        Row(header);
    }

    /// <summary>A table whose header comes later (after lines of facts, say); every record still has <paramref name="columns"/> fields.</summary>
    public CsvTable(int columns) => _columns = columns > 0 ? columns : throw new ArgumentOutOfRangeException(nameof(columns));

    /// <summary>One record; missing trailing cells are written empty so every line has the header's field count.</summary>
    public CsvTable Row(params IReadOnlyList<object?> cells)
    {
        AppendRecord(_text, _columns, cells);
        return this;
    }

    /// <summary>One record with its line end, as <see cref="Row"/> and the streamed export (<see cref="CsvStream"/>) both write it.</summary>
    public static void AppendRecord(StringBuilder text, int columns, IReadOnlyList<object?> cells)
    {
        for (var i = 0; i < Math.Max(columns, cells.Count); i++)
        {
            if (i > 0) text.Append(',');
            text.Append(Field(i < cells.Count ? cells[i] : null));
        }
        text.Append("\r\n");
    }

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_text.ToString())];

    public override string ToString() => _text.ToString();

    /// <summary>One field, guarded and quoted as needed.</summary>
    public static string Field(object? value) => value switch
    {
        null => "",
        int or long or double or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Quote(Guard(value.ToString() ?? "")),
    };

    /// <summary>Text with a leading apostrophe when a spreadsheet would run it as a formula; the Excel export guards the same way.</summary>
    public static string Guard(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(text) ? "'" + text : text;

    private static bool IsNumber(string text)
    {
        var digits = 0;
        var dot = false;
        for (var i = text[0] is '+' or '-' ? 1 : 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9') digits++;
            else if (c == '.' && !dot) dot = true;
            else return false;
        }
        return digits > 0;
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (text.Length > 0 && (text[0] == ' ' || text[^1] == ' '))
            ? "\"" + text.Replace("\"", "\"\"") + "\""
            : text;
}
