using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;

namespace Operator.Tests.Features.Reports;

/// <summary>
/// Reads back the first sheet of a workbook the app wrote (the app's writer only writes): each row's cells as text, a number
/// as its invariant text, a boolean as true/false, a date-time (a number with a style) as <see cref="DatePrefix"/> and its
/// ISO text; and how many formula elements the sheet holds.
/// </summary>
public static class XlsxReader
{
    public const string DatePrefix = "date:";

    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelations = "http://schemas.openxmlformats.org/package/2006/relationships";

    public static (string SheetName, List<string[]> Rows, int Formulas) Read(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        var book = Load(zip, "xl/workbook.xml");
        var first = book.Descendants(Main + "sheet").First();
        var relation = Load(zip, "xl/_rels/workbook.xml.rels").Descendants(PackageRelations + "Relationship")
            .Single(r => (string?)r.Attribute("Id") == (string?)first.Attribute(Relations + "id"));
        var target = ((string)relation.Attribute("Target")!).TrimStart('/');
        var sheet = Load(zip, target.StartsWith("xl/", StringComparison.Ordinal) ? target : "xl/" + target);
        var shared = zip.GetEntry("xl/sharedStrings.xml") is null ? [] : Load(zip, "xl/sharedStrings.xml").Descendants(Main + "si").Select(si => string.Concat(si.Descendants(Main + "t").Select(t => t.Value))).ToList();

        var rows = new List<string[]>();
        foreach (var row in sheet.Descendants(Main + "row"))
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements(Main + "c"))
            {
                if ((string?)cell.Attribute("r") is { } reference)
                {
                    var column = ColumnIndex(reference);
                    while (cells.Count < column) cells.Add("");
                }
                cells.Add(Text(cell, shared));
            }
            rows.Add([.. cells]);
        }
        // Trailing empty cells may be left out; the header says how many there are.
        var width = rows.Count > 0 ? rows[0].Length : 0;
        for (var i = 0; i < rows.Count; i++) if (rows[i].Length < width) rows[i] = [.. rows[i], .. Enumerable.Repeat("", width - rows[i].Length)];
        return ((string)first.Attribute("name")!, rows, sheet.Descendants(Main + "f").Count());
    }

    private static string Text(XElement cell, List<string> shared)
    {
        var value = cell.Element(Main + "v")?.Value;
        return (string?)cell.Attribute("t") switch
        {
            "inlineStr" => string.Concat(cell.Descendants(Main + "t").Select(t => t.Value)),
            "s" => shared[int.Parse(value!, CultureInfo.InvariantCulture)],
            "str" => value ?? "",
            "b" => value == "1" ? "true" : "false",
            _ when value is null => "",
            _ when cell.Attribute("s") is not null => DatePrefix + DateTime.FromOADate(double.Parse(value, CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            _ => value,
        };
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter)) index = index * 26 + (c - 'A' + 1);
        return index - 1;
    }

    private static XDocument Load(ZipArchive zip, string path)
    {
        using var stream = zip.GetEntry(path)?.Open() ?? throw new InvalidOperationException($"The workbook has no {path}");
        return XDocument.Load(stream);
    }
}
