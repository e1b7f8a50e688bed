using System.Diagnostics;

namespace Operator.E2E.Support;

/// <summary>Reads a PDF the browser downloaded back as text, with poppler's pdftotext (installed by test.sh).</summary>
public static class PdfText
{
    public static async Task<string> FromFileAsync(string file)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("pdftotext did not start (poppler-utils is installed by test.sh)");
        var text = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pdftotext failed ({process.ExitCode}): {errors}");
        return text;
    }

    public static async Task<string> FromBytesAsync(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            return await FromFileAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
