using System.Text;
using Operator.Features.Reports;

namespace Operator.Tests.Features.Reports;

/// <summary>The CSV writer: RFC 4180 quoting and the guard against cells a spreadsheet would run as formulas.</summary>
public sealed class CsvTableTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("line\nfeed", "\"line\nfeed\"")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1+2", "'+1+2")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("SN-00001", "SN-00001")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("-5", "-5")]
    [InlineData("+1.5", "+1.5")]
    [InlineData("-", "'-")]
    [InlineData("", "")]
    public void Text_is_quoted_and_guarded(string value, string expected) => Assert.Equal(expected, CsvTable.Field(value));

    [Fact]
    public void Numbers_stay_numbers_and_rows_have_the_header_width()
    {
        Assert.Equal("-5", CsvTable.Field(-5));
        Assert.Equal("1.5", CsvTable.Field(1.5));
        Assert.Equal("", CsvTable.Field(null));
        var table = new CsvTable("a", "b", "c").Row("x").Row("=1", 2, "y,z");
        Assert.Equal("a,b,c\r\nx,,\r\n'=1,2,\"y,z\"\r\n", table.ToString());
        Assert.Equal(Encoding.UTF8.GetPreamble(), table.ToBytes()[..3]);
        Assert.Equal(new[] { new[] { "a", "b", "c" }, ["x", "", ""], ["'=1", "2", "y,z"] }, Parse(table.ToString()));
    }

    [Fact]
    public void A_table_without_a_header_still_gives_every_record_its_width()
    {
        var table = new CsvTable(3).Row("a").Row("b", "c,d", null).Row();
        Assert.Equal("a,,\r\nb,\"c,d\",\r\n,,\r\n", table.ToString());
    }

    /// <summary>An RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF record ends.</summary>
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add([.. record]);
                record = [];
                i++;
            }
            else field.Append(c);
        }
        Assert.Empty(record);
        return records;
    }
}
