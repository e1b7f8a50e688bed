using Operator.Infrastructure.Data;

namespace Operator.Features.MasterData;

/// <summary>
/// The searches behind the master-data pickers. An organization may hold thousands of parts, paths or locations, so
/// a picker never loads a whole list: each keystroke asks the service for the first matches of what was typed, and a
/// newer keystroke cancels the older search through its token.
/// </summary>
public static class MasterDataPickers
{
    /// <summary>How many matches a picker shows; one more is fetched so the picker can say that more match.</summary>
    public const int Shown = 20;

    public static Task<IEnumerable<PartDto>> PartsAsync(this MasterDataService service, string? text, CancellationToken ct) =>
        SearchAsync(q => service.ListPartsAsync(q, ct), text);

    public static Task<IEnumerable<PathDto>> PathsAsync(this MasterDataService service, string? text, CancellationToken ct) =>
        SearchAsync(q => service.ListPathsAsync(q, ct), text);

    public static Task<IEnumerable<LocationDto>> LocationsAsync(this MasterDataService service, string? text, CancellationToken ct) =>
        SearchAsync(q => service.ListLocationsAsync(q, ct), text);

    public static string PartText(PartDto? part) => part is null ? "" : $"{part.Number} · {part.Name}";

    public static string PathText(PathDto? path) => path is null ? "" : $"{path.Code} · {path.Name}";

    public static string LocationText(LocationDto? location) => location is null ? "" : $"{location.Code} · {location.Name}";

    private static async Task<IEnumerable<T>> SearchAsync<T>(Func<ListQuery, Task<Infrastructure.Api.Result<Page<T>>>> list, string? text)
    {
        // A search longer than a list accepts matches nothing, rather than failing the picker.
        var term = text?.Trim();
        if (term is { Length: > 200 }) return [];
        var result = await list(new ListQuery(term, Shown + 1));
        return result.IsSuccess ? result.Value.Items : [];
    }
}
