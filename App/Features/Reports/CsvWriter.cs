using System.Text;

namespace Operator.Features.Reports;

/// <summary>
/// CSV as RFC 4180 writes it: comma-separated fields, CRLF after every record, a field holding a comma, a double quote,
/// CR or LF enclosed in double quotes with its double quotes doubled, every record with the same number of fields.
/// A text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a CR) gets a leading apostrophe
/// (OWASP's guard against CSV injection), unless it is a plain number such as -5 or +1.5. The bytes are UTF-8 with a
/// byte order mark, so spreadsheet programs read accented names right.
/// </summary>
public sealed class CsvWriter(int columns)
{
    private readonly StringBuilder _text = new();

    public const string ContentType = "text/csv; charset=utf-8";

    public int Columns { get; } = columns > 0 ? columns : throw new ArgumentOutOfRangeException(nameof(columns));

    /// <summary>One record; missing fields are written empty, so every record has <see cref="Columns"/> fields.</summary>
    public CsvWriter Row(params IReadOnlyList<string?> fields)
    {
        if (fields.Count > Columns) throw new ArgumentException($"A record has {Columns} fields, not {fields.Count}.", nameof(fields));
        for (var i = 0; i < Columns; i++)
        {
            if (i > 0) _text.Append(',');
            _text.Append(Field(i < fields.Count ? fields[i] : null));
        }
        _text.Append("\r\n");
        return this;
    }

    /// <summary>One field, guarded and quoted as needed.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var text = IsFormula(value) ? "'" + value : value;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }

    private static bool IsFormula(string value) =>
        value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(value);

    private static bool IsNumber(string value)
    {
        var digits = 0;
        var dot = false;
        for (var i = value[0] is '+' or '-' ? 1 : 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= '0' and <= '9') digits++;
            else if (c == '.' && !dot) dot = true;
            else return false;
        }
        return digits > 0;
    }

    public override string ToString() => _text.ToString();

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_text.ToString())];
}
