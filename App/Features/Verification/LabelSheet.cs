using Operator.Features.Reports;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Operator.Features.Verification;

/// <summary>One label: the serial's human-readable code, what it is, and the verify URL its QR code carries (null: no QR).</summary>
public sealed record LabelItem(string SerialNumber, string? PartName, string? Sku, string? VerifyUrl);

/// <summary>
/// A sheet of serial labels: A4 portrait, 3 columns × 8 rows of 70 × 37 mm, the common 24-up self-adhesive label stock,
/// so a sheet can go straight into an office printer. Each label carries a QR code of the public verify URL (when the
/// serial has a signed public code), the part's name and SKU, and the code in full on one line, sized to fit, so a
/// person can type it when a phone can't scan.
/// </summary>
/// <remarks>
/// No report header or footer (<see cref="PdfReport"/>): on label stock they would land on the labels. The fonts are
/// the reports' (<see cref="ReportFonts"/>). QR codes are QRCoder bitmaps (error correction M, with the 4-module quiet
/// zone, <see cref="PixelsPerModule"/> pixels per module, no interpolation) embedded as PDFsharp images.
/// </remarks>
public static class LabelSheet
{
    public const int Columns = 3;
    public const int Rows = 8;
    public const int PerPage = Columns * Rows;

    private const double Mm = 72 / 25.4;
    private const double LabelWidth = 70 * Mm;
    private const double LabelHeight = 37 * Mm;
    // Printers leave the outer 4-5 mm of a sheet white, and labels at the sheet's edge have that edge: keep text inside.
    private const double PadX = 5 * Mm;
    private const double PadY = 3.5 * Mm;
    private const double QrSize = 25 * Mm;

    /// <summary>Pixels per QR module in the embedded image.</summary>
    public const int PixelsPerModule = 8;

    public static byte[] Render(IReadOnlyList<LabelItem> labels, string organizationName, DateTime generatedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ReportFonts.EnsureConfigured();
        using var document = new PdfDocument();
        document.Info.Title = "Serial labels";
        document.Info.Subject = $"{labels.Count} serial label(s), generated {PdfReport.FormatTime(generatedAtUtc)}";
        document.Info.Author = organizationName;
        document.Info.Creator = "Operator";

        var name = new XFont(ReportFonts.Family, 7.5, XFontStyleEx.Bold);
        var small = new XFont(ReportFonts.Family, 6.5);
        var images = new List<IDisposable>();
        try
        {
            XGraphics? gfx = null;
            PdfPage? page = null;
            for (var i = 0; i < Math.Max(1, labels.Count); i++)
            {
                if (i % PerPage == 0)
                {
                    gfx?.Dispose();
                    page = document.AddPage();
                    page.Size = PdfSharp.PageSize.A4;
                    page.Orientation = PdfSharp.PageOrientation.Portrait;
                    gfx = XGraphics.FromPdfPage(page);
                }
                if (i >= labels.Count) break;
                var slot = i % PerPage;
                var top = (page!.Height.Point - Rows * LabelHeight) / 2 + slot / Columns * LabelHeight;
                var left = (page.Width.Point - Columns * LabelWidth) / 2 + slot % Columns * LabelWidth;
                DrawLabel(gfx!, labels[i], left, top, name, small, images);
            }
            gfx?.Dispose();
            using var stream = new MemoryStream();
            document.Save(stream, false);
            return stream.ToArray();
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    private static void DrawLabel(XGraphics gfx, LabelItem label, double left, double top, XFont name, XFont small, List<IDisposable> images)
    {
        var x = left + PadX;
        var y = top + PadY;
        var width = LabelWidth - 2 * PadX;
        double textX;
        if (label.VerifyUrl is { } url)
        {
            var image = QrImage(url);
            images.Add(image);
            // The image's own white border is the QR code's quiet zone, so it may reach into the label's padding.
            var qrX = left + 3 * Mm;
            gfx.DrawImage(image, qrX, top + 1.5 * Mm, QrSize, QrSize);
            textX = qrX + QrSize + 1 * Mm;
        }
        else
        {
            textX = x;
        }

        var textWidth = x + width - textX;
        var lineY = y + 1;
        foreach (var line in PdfReport.Wrap(gfx, label.PartName ?? "", name, textWidth).Take(2))
        {
            gfx.DrawString(line, name, XBrushes.Black, new XRect(textX, lineY, textWidth, PdfReport.LineHeight(name)), XStringFormats.TopLeft);
            lineY += PdfReport.LineHeight(name);
        }
        if (!string.IsNullOrEmpty(label.Sku))
        {
            gfx.DrawString($"SKU {label.Sku}", small, XBrushes.DimGray, new XRect(textX, lineY, textWidth, PdfReport.LineHeight(small)), XStringFormats.TopLeft);
            lineY += PdfReport.LineHeight(small);
        }
        lineY += 2;
        var hint = label.VerifyUrl is null
            ? "Internal serial: not publicly verifiable"
            : "Scan to check this product is genuine";
        foreach (var line in PdfReport.Wrap(gfx, hint, small, textWidth).Take(2))
        {
            gfx.DrawString(line, small, XBrushes.DimGray, new XRect(textX, lineY, textWidth, PdfReport.LineHeight(small)), XStringFormats.TopLeft);
            lineY += PdfReport.LineHeight(small);
        }
        if (label.VerifyUrl is { } verifyUrl && Uri.TryCreate(verifyUrl, UriKind.Absolute, out var uri))
        {
            gfx.DrawString($"{uri.Authority}/verify", small, XBrushes.DimGray, new XRect(textX, lineY, textWidth, PdfReport.LineHeight(small)), XStringFormats.TopLeft);
        }

        // The code on one line across the label, as large as fits: it is what a person reads and types.
        var code = FitFont(gfx, label.SerialNumber, width);
        var codeY = top + LabelHeight - PadY - PdfReport.LineHeight(code);
        gfx.DrawString(label.SerialNumber, code, XBrushes.Black, new XRect(x, codeY, width, PdfReport.LineHeight(code)), XStringFormats.TopLeft);
    }

    private static XFont FitFont(XGraphics gfx, string text, double width)
    {
        for (var size = 10.0; size > 5; size -= 0.5)
        {
            var font = new XFont(ReportFonts.Family, size, XFontStyleEx.Bold);
            if (gfx.MeasureString(text, font).Width <= width) return font;
        }
        return new XFont(ReportFonts.Family, 5, XFontStyleEx.Bold);
    }

    private static XImage QrImage(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        // BMP rather than PngByteQRCode: PDFsharp's PNG importer refuses the 1-bit palette PNGs QRCoder writes
        // ("Unsupported image format"), and reads Windows BMP. Quiet zone included. 8 pixels per module (about 330 dpi
        // at 25 mm) so viewers and printers that smooth upscaled images still print sharp modules; the PDF compresses
        // the flat colour to a few kilobytes.
        var bmp = new BitmapByteQRCode(data).GetGraphic(PixelsPerModule);
        var image = XImage.FromStream(new MemoryStream(bmp));
        image.Interpolate = false;
        return image;
    }
}
