using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Operator.Features.Reports;

/// <summary>
/// A table column: its header, its share of the content width (weights, not points) and its alignment. A column that
/// keeps its words whole (serial and hold numbers, which a reader copies or scans) is as wide as its widest word, up to
/// two fifths of the page; the other columns share what is left by their weights.
/// </summary>
public sealed record PdfColumn(string Header, double Weight = 1, bool AlignRight = false, bool KeepWhole = false);

/// <summary>
/// The shared building blocks of Operator's PDF reports (MigraDoc does not restore here, so layout is done with
/// XGraphics): A4 portrait pages with a header (organization, report title, generation time) on every page, a flowing
/// cursor for headings, paragraphs, label/value facts and tables that break across pages repeating their header row,
/// and a "Page x of y" footer drawn once the page count is known (<see cref="ToBytes"/>).
/// Text is wrapped to the available width; words wider than a line are broken.
/// </summary>
public sealed class PdfReport : IDisposable
{
    public const double Margin = 40;
    private const double HeaderHeight = 46;
    private const double FooterHeight = 28;
    private const double CellPadding = 3;

    private readonly PdfDocument _document = new();
    private readonly List<PdfPage> _pages = [];
    private readonly string _title;
    private readonly string _organization;
    private readonly string _generated;
    private XGraphics? _graphics;
    private bool _disposed;

    public PdfReport(string title, string organizationName, DateTime generatedAtUtc, string? documentSubject = null)
    {
        ReportFonts.EnsureConfigured();
        _title = title;
        _organization = organizationName;
        _generated = "Generated " + FormatTime(generatedAtUtc);
        _document.Info.Title = title;
        _document.Info.Subject = documentSubject ?? title;
        _document.Info.Author = organizationName;
        _document.Info.Creator = "Operator";
        Regular = new XFont(ReportFonts.Family, 9);
        Bold = new XFont(ReportFonts.Family, 9, XFontStyleEx.Bold);
        Small = new XFont(ReportFonts.Family, 7.5);
        Heading1 = new XFont(ReportFonts.Family, 15, XFontStyleEx.Bold);
        Heading2 = new XFont(ReportFonts.Family, 11.5, XFontStyleEx.Bold);
        NewPage();
    }

    public XFont Regular { get; }
    public XFont Bold { get; }
    public XFont Small { get; }
    public XFont Heading1 { get; }
    public XFont Heading2 { get; }

    /// <summary>The vertical cursor on the current page, in points from the top.</summary>
    public double Y { get; private set; }

    public double Left => Margin;
    public double Width => PageWidth - 2 * Margin;
    public int PageCount => _pages.Count;
    public XGraphics Graphics => _graphics ?? throw new ObjectDisposedException(nameof(PdfReport));

    private double PageWidth => _pages[^1].Width.Point;
    private double PageHeight => _pages[^1].Height.Point;
    private double Bottom => PageHeight - Margin - FooterHeight;
    private double Top => Margin + HeaderHeight;

    /// <summary>"2025-02-09 10:30 UTC": reports state their time zone, whoever prints them.</summary>
    public static string FormatTime(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string FormatTime(DateTime? utc) => utc is { } t ? FormatTime(t) : "";

    public static double LineHeight(XFont font) => font.Size * 1.3;

    // ---------------------------------------------------------------- flow

    /// <summary>Starts a new page (with its header) unless <paramref name="height"/> points still fit on this one.</summary>
    public void EnsureSpace(double height)
    {
        if (Y + height > Bottom) NewPage();
    }

    public void Space(double points) => Y = Math.Min(Y + points, Bottom);

    public void Title(string text)
    {
        Paragraph(text, Heading1);
        Space(4);
    }

    /// <summary>A section heading, kept with at least a few lines of what follows.</summary>
    public void Heading(string text)
    {
        EnsureSpace(LineHeight(Heading2) + 4 * LineHeight(Regular));
        Space(6);
        Paragraph(text, Heading2);
        Graphics.DrawLine(new XPen(XColors.LightGray, 0.6), Left, Y, Left + Width, Y);
        Space(4);
    }

    /// <summary>Wrapped text over the full width, continued on the next page when it runs out.</summary>
    public void Paragraph(string text, XFont? font = null, XBrush? brush = null)
    {
        font ??= Regular;
        var line = LineHeight(font);
        foreach (var row in Wrap(Graphics, text, font, Width))
        {
            EnsureSpace(line);
            Graphics.DrawString(row, font, brush ?? XBrushes.Black, new XRect(Left, Y, Width, line), XStringFormats.TopLeft);
            Y += line;
        }
    }

    /// <summary>Label/value pairs in two columns; values wrap.</summary>
    public void Facts(IEnumerable<(string Label, string? Value)> facts, double labelWidth = 120)
    {
        var line = LineHeight(Regular);
        var valueWidth = Width - labelWidth;
        foreach (var (label, value) in facts)
        {
            var rows = Wrap(Graphics, string.IsNullOrEmpty(value) ? "—" : value, Regular, valueWidth);
            for (var i = 0; i < rows.Count; i++)
            {
                EnsureSpace(line);
                if (i == 0) Graphics.DrawString(label, Bold, XBrushes.DimGray, new XRect(Left, Y, labelWidth, line), XStringFormats.TopLeft);
                Graphics.DrawString(rows[i], Regular, XBrushes.Black, new XRect(Left + labelWidth, Y, valueWidth, line), XStringFormats.TopLeft);
                Y += line;
            }
            Y += 1.5;
        }
    }

    /// <summary>
    /// A table over the full width. A row never splits; when the next row does not fit, the table continues on a new
    /// page under a repeated header row. <paramref name="emptyText"/> is written when there are no rows.
    /// </summary>
    public void Table(IReadOnlyList<PdfColumn> columns, IEnumerable<IReadOnlyList<string?>> rows, string? emptyText = null)
    {
        if (columns.Any(c => c.KeepWhole)) rows = rows.ToList();
        var widths = ColumnWidths(columns, rows);
        var line = LineHeight(Regular);
        var headerCells = columns.Select((c, i) => Wrap(Graphics, c.Header, Bold, widths[i] - 2 * CellPadding)).ToArray();
        var headerHeight = headerCells.Max(c => c.Count) * line + 2 * CellPadding;

        var any = false;
        var shade = false;
        foreach (var row in rows)
        {
            var cells = columns.Select((_, i) => Wrap(Graphics, i < row.Count ? row[i] ?? "" : "", Regular, widths[i] - 2 * CellPadding)).ToArray();
            var height = cells.Max(c => Math.Max(1, c.Count)) * line + 2 * CellPadding;
            var roomOnEmptyPage = Bottom - Top - headerHeight;
            if (height > roomOnEmptyPage)
            {
                // A cell taller than a page is cut to what fits, marked with an ellipsis.
                var maxLines = (int)((roomOnEmptyPage - 2 * CellPadding) / line);
                cells = cells.Select(c => c.Count <= maxLines ? c : [.. c.Take(maxLines - 1), c[maxLines - 1] + " …"]).ToArray();
                height = maxLines * line + 2 * CellPadding;
            }
            if (!any || Y + height > Bottom)
            {
                if (!any) EnsureSpace(headerHeight + height);
                else NewPage();
                DrawRow(headerCells, widths, headerHeight, Bold, XBrushes.Black, new XSolidBrush(XColor.FromArgb(0xE8, 0xED, 0xF2)));
                shade = false;
            }
            DrawRow(cells, widths, height, Regular, XBrushes.Black, shade ? new XSolidBrush(XColor.FromArgb(0xF7, 0xF9, 0xFB)) : null, columns);
            shade = !shade;
            any = true;
        }
        if (!any && emptyText is not null)
        {
            Paragraph(emptyText, Regular, XBrushes.DimGray);
        }
        Space(4);
    }

    private double[] ColumnWidths(IReadOnlyList<PdfColumn> columns, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var widths = new double[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            if (!columns[i].KeepWhole) continue;
            // Words stay whole; a cell of several words (hold numbers in a list) still wraps between them.
            var widest = rows.SelectMany(r => (i < r.Count ? r[i] ?? "" : "").Split(' ')).Concat(columns[i].Header.Split(' '))
                .Max(word => Graphics.MeasureString(word, Regular).Width);
            widths[i] = Math.Min(widest + 2 * CellPadding + 1, Width * 0.4);
        }
        // Never leave the other columns less than a fifth of the page.
        var kept = widths.Sum();
        if (kept > Width * 0.8) widths = widths.Select(w => w * Width * 0.8 / kept).ToArray();
        var rest = Width - widths.Sum();
        var total = columns.Where(c => !c.KeepWhole).Sum(c => c.Weight);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!columns[i].KeepWhole) widths[i] = total == 0 ? 0 : rest * columns[i].Weight / total;
        }
        return widths;
    }

    private void DrawRow(IReadOnlyList<string>[] cells, double[] widths, double height, XFont font, XBrush brush, XBrush? background, IReadOnlyList<PdfColumn>? columns = null)
    {
        var gfx = Graphics;
        var line = LineHeight(font);
        if (background is not null) gfx.DrawRectangle(background, Left, Y, Width, height);
        var x = Left;
        for (var i = 0; i < cells.Length; i++)
        {
            var right = columns?[i].AlignRight == true;
            for (var l = 0; l < cells[i].Count; l++)
            {
                var rect = new XRect(x + CellPadding, Y + CellPadding + l * line, widths[i] - 2 * CellPadding, line);
                gfx.DrawString(cells[i][l], font, brush, rect, right ? XStringFormats.TopRight : XStringFormats.TopLeft);
            }
            x += widths[i];
        }
        gfx.DrawLine(new XPen(XColors.LightGray, 0.5), Left, Y + height, Left + Width, Y + height);
        Y += height;
    }

    // ---------------------------------------------------------------- pages

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        page.Orientation = PdfSharp.PageOrientation.Portrait;
        _pages.Add(page);
        _graphics = XGraphics.FromPdfPage(page);
        DrawHeader(_graphics);
        Y = Top;
    }

    private void DrawHeader(XGraphics gfx)
    {
        var line = LineHeight(Bold);
        gfx.DrawString(_organization, Bold, XBrushes.Black, new XRect(Left, Margin, Width * 0.6, line), XStringFormats.TopLeft);
        gfx.DrawString(_title, Regular, XBrushes.DimGray, new XRect(Left, Margin + line, Width * 0.6, line), XStringFormats.TopLeft);
        gfx.DrawString(_generated, Small, XBrushes.DimGray, new XRect(Left + Width * 0.5, Margin, Width * 0.5, line), XStringFormats.TopRight);
        var ruleY = Margin + HeaderHeight - 12;
        gfx.DrawLine(new XPen(XColors.Gray, 0.8), Left, ruleY, Left + Width, ruleY);
    }

    /// <summary>Draws every page's footer ("Page x of y") now that the count is known, and returns the document.</summary>
    public byte[] ToBytes()
    {
        _graphics?.Dispose();
        _graphics = null;
        for (var i = 0; i < _pages.Count; i++)
        {
            using var gfx = XGraphics.FromPdfPage(_pages[i], XGraphicsPdfPageOptions.Append);
            var page = _pages[i];
            var y = page.Height.Point - Margin - FooterHeight + 10;
            gfx.DrawLine(new XPen(XColors.LightGray, 0.5), Left, y, page.Width.Point - Margin, y);
            var rect = new XRect(Left, y + 4, page.Width.Point - 2 * Margin, LineHeight(Small));
            gfx.DrawString(_title, Small, XBrushes.DimGray, rect, XStringFormats.TopLeft);
            gfx.DrawString($"Page {i + 1} of {_pages.Count}", Small, XBrushes.DimGray, rect, XStringFormats.TopRight);
        }
        using var stream = new MemoryStream();
        _document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>Splits text into lines no wider than <paramref name="width"/>; explicit line breaks are kept.</summary>
    public static IReadOnlyList<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (gfx.MeasureString(candidate, font).Width <= width)
                {
                    current = candidate;
                    continue;
                }
                if (current.Length > 0) lines.Add(current);
                current = word;
                // A word wider than the line is broken where it must.
                while (current.Length > 1 && gfx.MeasureString(current, font).Width > width)
                {
                    int low = 1, high = current.Length - 1;
                    while (low < high)
                    {
                        var mid = (low + high + 1) / 2;
                        if (gfx.MeasureString(current[..mid], font).Width <= width) low = mid;
                        else high = mid - 1;
                    }
                    lines.Add(current[..low]);
                    current = current[low..];
                }
            }
            lines.Add(current);
        }
        return lines;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _graphics?.Dispose();
        _document.Dispose();
    }
}
