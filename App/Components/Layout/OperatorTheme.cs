using MudBlazor;

namespace Operator.Components.Layout;

/// <summary>
/// The one theme of the whole app (signed-in pages, sign-in, error, public verification, labels).
/// Brand ink and green with one amber accent; fonts are local (no font host is reachable from a plant network).
/// </summary>
public static class OperatorTheme
{
    private static readonly string[] FontStack = ["system-ui", "-apple-system", "Segoe UI", "DejaVu Sans", "Liberation Sans", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b6e4f",
            Secondary = "#1f4f82",
            Tertiary = "#f5b800",
            AppbarBackground = "#1d2733",
            AppbarText = "#ffffff",
            DrawerBackground = "#f7f9fb",
            Background = "#ffffff",
            TextPrimary = "#1d2733",
            TextSecondary = "#5f6b7a",
            Success = "#1b7f3a",
            Warning = "#b26a00",
            Error = "#b3261e",
            Info = "#1f4f82",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
            H1 = new H1Typography { FontFamily = FontStack, FontSize = "1.6rem", FontWeight = "500", LineHeight = "1.3" },
            H2 = new H2Typography { FontFamily = FontStack, FontSize = "1.3rem", FontWeight = "500", LineHeight = "1.3" },
            H3 = new H3Typography { FontFamily = FontStack, FontSize = "1.15rem", FontWeight = "500", LineHeight = "1.3" },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "15rem" },
    };
}
