using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace Operator.Components.Shared;

/// <summary>
/// A list's filters live in its page's address (<c>?status=active&amp;q=metal&amp;page=2</c>), so a link or a reload
/// reopens the same view. Pages read their filters once when they open and write them back on every change
/// (replacing the history entry, so Back leaves the page instead of undoing each keystroke).
/// </summary>
public static class UrlState
{
    public static string? Get(NavigationManager navigation, string key) =>
        QueryHelpers.ParseQuery(navigation.ToAbsoluteUri(navigation.Uri).Query).TryGetValue(key, out var value) && value.Count > 0
            ? value[^1]
            : null;

    public static int GetInt(NavigationManager navigation, string key, int fallback) =>
        int.TryParse(Get(navigation, key), out var n) ? n : fallback;

    /// <summary>Comma-separated values, keeping only those in <paramref name="allowed"/>.</summary>
    public static IReadOnlyList<string> GetList(NavigationManager navigation, string key, IEnumerable<string> allowed) =>
        (Get(navigation, key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Intersect(allowed, StringComparer.Ordinal).ToList();

    /// <summary>Writes these values into the address (null or empty removes the key) without reloading the page.</summary>
    public static void Set(NavigationManager navigation, IReadOnlyDictionary<string, object?> values)
    {
        var cleaned = values.ToDictionary(
            kv => kv.Key,
            kv => kv.Value switch
            {
                null => null,
                string s when s.Length == 0 => null,
                IEnumerable<string> list => list.Any() ? string.Join(",", list) : null,
                var v => (object?)v,
            });
        var target = navigation.GetUriWithQueryParameters(cleaned);
        if (target != navigation.Uri)
        {
            navigation.NavigateTo(target, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }
}
