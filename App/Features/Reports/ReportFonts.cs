using PdfSharp.Fonts;
using PdfSharp.Snippets.Font;

namespace Operator.Features.Reports;

/// <summary>
/// The fonts of every report. PDFsharp on Linux finds no system fonts by itself, so a resolver is set once per process,
/// before any font is used: Debian's DejaVu Sans when the machine has it (good Unicode coverage), otherwise the Segoe WP
/// faces that ship inside the PDFsharp package (FailsafeFontResolver), so a machine without fonts still renders text.
/// </summary>
public static class ReportFonts
{
    /// <summary>The family name reports ask for; the resolver maps it to whatever is available.</summary>
    public const string Family = "Operator Sans";

    private static readonly Lock Gate = new();
    private static bool _configured;

    public static void EnsureConfigured()
    {
        if (_configured) return;
        lock (Gate)
        {
            if (_configured) return;
            // Another part of the process may have set a resolver first; PDFsharp allows setting it only once.
            GlobalFontSettings.FontResolver ??= new OperatorFontResolver(DejaVuFolder);
            _configured = true;
        }
    }

    public static string DejaVuFolder { get; set; } = "/usr/share/fonts/truetype/dejavu";

    /// <summary>Which faces the resolver serves: "DejaVu Sans" or "Segoe WP (PDFsharp fallback)".</summary>
    public static string Description => GlobalFontSettings.FontResolver is OperatorFontResolver r ? r.Description : "custom resolver";
}

internal sealed class OperatorFontResolver : IFontResolver
{
    private const string Prefix = "operator-dejavu:";
    private readonly FailsafeFontResolver _fallback = new();
    private readonly Dictionary<string, string> _files;
    private readonly Dictionary<string, byte[]> _cache = [];
    private readonly Lock _gate = new();

    public OperatorFontResolver(string folder)
    {
        _files = new Dictionary<string, string>
        {
            ["regular"] = Path.Combine(folder, "DejaVuSans.ttf"),
            ["bold"] = Path.Combine(folder, "DejaVuSans-Bold.ttf"),
            ["italic"] = Path.Combine(folder, "DejaVuSans-Oblique.ttf"),
            ["bolditalic"] = Path.Combine(folder, "DejaVuSans-BoldOblique.ttf"),
        };
        HasDejaVu = File.Exists(_files["regular"]) && File.Exists(_files["bold"]);
    }

    public bool HasDejaVu { get; }

    public string Description => HasDejaVu ? "DejaVu Sans" : "Segoe WP (PDFsharp fallback)";

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (!HasDejaVu) return _fallback.ResolveTypeface(familyName, bold, italic);
        var style = (bold ? "bold" : "") + (italic ? "italic" : "");
        if (style.Length == 0) style = "regular";
        if (File.Exists(_files[style])) return new FontResolverInfo(Prefix + style);
        // A missing oblique face is simulated from the upright one.
        return new FontResolverInfo(Prefix + (bold ? "bold" : "regular"), false, italic);
    }

    public byte[]? GetFont(string faceName)
    {
        if (!faceName.StartsWith(Prefix, StringComparison.Ordinal)) return _fallback.GetFont(faceName);
        lock (_gate)
        {
            if (!_cache.TryGetValue(faceName, out var bytes))
            {
                bytes = File.ReadAllBytes(_files[faceName[Prefix.Length..]]);
                _cache[faceName] = bytes;
            }
            return bytes;
        }
    }
}
