using System.Diagnostics;
using System.Text;

namespace Operator.Tests.Support;

/// <summary>Reads PDFs back with poppler-utils (installed by test.sh): text, page count and the embedded images.</summary>
public static class Poppler
{
    /// <summary>A decoded image: dark[y, x] is true for a black pixel.</summary>
    public sealed record Bitmap(int Width, int Height, bool[,] Dark);

    /// <summary>The text in reading order.</summary>
    public static async Task<string> TextAsync(byte[] pdf) => Encoding.UTF8.GetString(await RunOnFileAsync(pdf, "pdftotext", file => ["-enc", "UTF-8", file, "-"]));

    /// <summary>The text of each page in order, laid out as on the page (columns kept apart).</summary>
    public static async Task<IReadOnlyList<string>> LayoutPagesAsync(byte[] pdf) =>
        Encoding.UTF8.GetString(await RunOnFileAsync(pdf, "pdftotext", file => ["-layout", "-enc", "UTF-8", file, "-"]))
            .Split('\f').Where(p => p.Trim().Length > 0).ToList();

    public static async Task<int> PageCountAsync(byte[] pdf)
    {
        var info = Encoding.UTF8.GetString(await RunOnFileAsync(pdf, "pdfinfo", file => [file]));
        var line = info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(line["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every image of the document in page order, as pdfimages writes them (PBM for 1-bit, PGM/PPM otherwise).</summary>
    public static async Task<IReadOnlyList<Bitmap>> ImagesAsync(byte[] pdf)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"poppler-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await RunOnFileAsync(pdf, "pdfimages", file => [file, Path.Combine(folder, "img")]);
            return Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => Parse(File.ReadAllBytes(f))).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<byte[]> RunOnFileAsync(byte[] pdf, string tool, Func<string, string[]> args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"poppler-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, args(file)) { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException($"{tool} did not start (poppler-utils is installed by test.sh)");
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = await process.StandardError.ReadToEndAsync();
            await copy;
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{tool} failed: {errors}");
            return output.ToArray();
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Netpbm P4 (bitmap, 1 = black), P5 (grey) and P6 (RGB), binary.</summary>
    private static Bitmap Parse(byte[] data)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[position])) position++;
            var start = position;
            while (!char.IsWhiteSpace((char)data[position])) position++;
            return Encoding.ASCII.GetString(data, start, position - start);
        }
        var magic = Token();
        var width = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        if (magic != "P4") Token(); // maxval
        position++; // the single whitespace before the raster
        var dark = new bool[height, width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                dark[y, x] = magic switch
                {
                    "P4" => (data[position + y * ((width + 7) / 8) + x / 8] & (0x80 >> (x % 8))) != 0,
                    "P5" => data[position + y * width + x] < 128,
                    "P6" => data[position + (y * width + x) * 3] < 128,
                    _ => throw new InvalidOperationException($"Unexpected image format {magic}"),
                };
            }
        }
        return new Bitmap(width, height, dark);
    }
}
