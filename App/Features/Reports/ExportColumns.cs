using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Operator.Features.Reports;

/// <summary>
/// A list's columns, defined once for both export formats: each column's header (the list item's JSON name) and how its cell
/// is read from the item. <see cref="FromProperties"/> takes a flat list item's properties in their declared order, so the
/// export follows the list's JSON by construction.
/// </summary>
public sealed class ExportColumns<T>
{
    private readonly Func<T, object?>[] _cells;

    public ExportColumns(params IEnumerable<(string Name, Func<T, object?> Cell)> columns)
    {
        var list = columns.ToList();
        Header = [.. list.Select(c => c.Name)];
        _cells = [.. list.Select(c => c.Cell)];
    }

    public IReadOnlyList<string> Header { get; }

    /// <summary>
    /// Every public property of <typeparamref name="T"/> (a flat record) as a column named as the JSON names it. A list
    /// property (a conflict's claimant ids) is one cell holding its JSON text, as the list item shows it.
    /// </summary>
    public static ExportColumns<T> FromProperties(JsonNamingPolicy? naming = null)
    {
        naming ??= JsonNamingPolicy.CamelCase;
        return new(typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => (naming.ConvertName(p.Name), IsList(p.PropertyType)
                ? (Func<T, object?>)(item => p.GetValue(item) is { } list ? JsonSerializer.Serialize(list, p.PropertyType) : null)
                : item => p.GetValue(item))));
    }

    private static bool IsList(Type type) => type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    public IReadOnlyList<object?> Cells(T item)
    {
        var cells = new object?[_cells.Length];
        for (var i = 0; i < cells.Length; i++) cells[i] = _cells[i](item);
        return cells;
    }

    /// <summary>The export of <paramref name="items"/> (read lazily, one at a time) under these columns.</summary>
    public CsvExport Export(string fileName, IAsyncEnumerable<T> items) => new(fileName, Header, Rows(items));

    private async IAsyncEnumerable<IReadOnlyList<object?>> Rows(IAsyncEnumerable<T> items, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var item in items.WithCancellation(ct)) yield return Cells(item);
    }
}

/// <summary>Export file names: the list's name and the time of the export, as the existing exports name theirs.</summary>
public static class ExportFiles
{
    public static string Name(string list, TimeProvider time) => $"{list}-{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.csv";
}
