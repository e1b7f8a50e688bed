using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;

namespace Operator.Infrastructure.Data;

/// <summary>The list query every plain-convention list takes: <c>?search=&amp;limit=&amp;offset=</c>.</summary>
public sealed record ListQuery(string? Search = null, int? Limit = null, int? Offset = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public int Take => Limit ?? DefaultLimit;
    public int Skip => Offset ?? 0;
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();

    public Error? Validate()
    {
        var issues = new List<FieldIssue>();
        if (Limit is < 1 or > MaxLimit) issues.Add(new FieldIssue("limit", $"limit must be between 1 and {MaxLimit}"));
        if (Offset is < 0) issues.Add(new FieldIssue("offset", "offset must be 0 or more"));
        if (Search is { Length: > 200 }) issues.Add(new FieldIssue("search", "search must be at most 200 characters"));
        return issues.Count == 0 ? null : Error.Validation("Invalid list parameters", issues);
    }
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
