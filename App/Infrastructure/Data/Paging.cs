using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;

namespace Operator.Infrastructure.Data;

/// <summary>
/// The list query every plain-convention list takes: <c>?search=&amp;limit=&amp;offset=&amp;sort=</c>. <see cref="Sort"/> is
/// one of the list's sort keys, with a leading <c>-</c> for descending; only lists that declare keys accept it.
/// </summary>
public sealed record ListQuery(string? Search = null, int? Limit = null, int? Offset = null, string? Sort = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public int Take => Limit ?? DefaultLimit;
    public int Skip => Offset ?? 0;
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();

    /// <summary>The sort key without its direction, or null for the list's default order.</summary>
    public string? SortKey => string.IsNullOrWhiteSpace(Sort) ? null : SortDescending ? Sort.Trim()[1..] : Sort.Trim();
    public bool SortDescending => Sort?.Trim().StartsWith('-') == true;

    /// <param name="sortKeys">The keys this list can be sorted by; null when it keeps one order (then any sort is refused).</param>
    public Error? Validate(IReadOnlyCollection<string>? sortKeys = null)
    {
        var issues = new List<FieldIssue>();
        if (SortKey is { } key && sortKeys?.Contains(key) != true)
        {
            // A sort that was silently ignored would look like a bug in the caller's paging, so it is refused in words.
            issues.Add(new FieldIssue("sort", sortKeys is { Count: > 0 }
                ? $"sort must be one of {string.Join(", ", sortKeys)} (prefix - for descending)"
                : "this list has a fixed order and takes no sort"));
        }
        if (Limit is < 1 or > MaxLimit) issues.Add(new FieldIssue("limit", $"limit must be between 1 and {MaxLimit}"));
        if (Offset is < 0) issues.Add(new FieldIssue("offset", "offset must be 0 or more"));
        if (Search is { Length: > 200 }) issues.Add(new FieldIssue("search", "search must be at most 200 characters"));
        return issues.Count == 0 ? null : Error.Validation("Invalid list parameters", issues);
    }
}

/// <summary>
/// The keys a list can be sorted by (the JSON names of its DTO), each with the entity column it orders by. A sorted list
/// still ends with its default order, so rows with equal sort values keep one order from page to page.
/// </summary>
public sealed class SortKeys<TEntity>
{
    private readonly Dictionary<string, Func<IQueryable<TEntity>, bool, IOrderedQueryable<TEntity>>> orders = new(StringComparer.Ordinal);
    private readonly List<string> names = [];

    public IReadOnlyCollection<string> Names => names;

    public SortKeys<TEntity> Add<TKey>(string key, Expression<Func<TEntity, TKey>> column)
    {
        orders.Add(key, (rows, descending) => descending ? rows.OrderByDescending(column) : rows.OrderBy(column));
        names.Add(key);
        return this;
    }

    /// <summary>Orders by the query's sort key (validated before) and then by the default order.</summary>
    public IOrderedQueryable<TEntity> Apply<TKey>(IQueryable<TEntity> rows, ListQuery query, Expression<Func<TEntity, TKey>> defaultOrder) =>
        query.SortKey is { } key && orders.TryGetValue(key, out var order)
            ? order(rows, query.SortDescending).ThenBy(defaultOrder)
            : rows.OrderBy(defaultOrder);
}

/// <summary><c>{"items": [...], "total", "limit", "offset"}</c></summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset);

public static class PagingExtensions
{
    /// <summary>Counts and takes one page of an ordered query; validation of the query is the caller's first step.</summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, ListQuery query, CancellationToken ct = default)
    {
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return new Page<T>(items, total, query.Take, query.Skip);
    }

    /// <summary>A LIKE pattern that matches the term literally, wherever it stands.</summary>
    public static string ContainsPattern(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
