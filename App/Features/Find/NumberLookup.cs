using System.Linq.Expressions;

namespace Operator.Features.Find;

/// <summary>
/// A typed or scanned number as the kinds' own lookups take it: the text as typed, in upper case (scanned and printed
/// numbers are upper case, public codes are normalized that way), or, when it is a UUID, the record's id only.
/// </summary>
internal sealed record Lookup(string Term, string Upper, Guid? Id)
{
    /// <summary>Spelled as typed (or named by its id), rather than matched in upper case.</summary>
    public bool Exact(string number, Guid id) => Id == id || number == Term;
}

internal static class NumberLookup
{
    public static Lookup Of(string trimmed) => new(trimmed, trimmed.ToUpperInvariant(), Guid.TryParse(trimmed, out var id) ? id : null);

    /// <summary>
    /// The rows whose key is the UUID, or whose number is the text as typed or in upper case: one equality (or two) on the
    /// kind's organization-and-number index, beside the organization filter every tenant query carries.
    /// </summary>
    public static IQueryable<T> Rows<T>(IQueryable<T> rows, Expression<Func<T, Guid>> key, Expression<Func<T, string>> number, Lookup q)
    {
        if (q.Id is { } id) return rows.Where(Equal(key, id));
        // Two spellings are two equalities joined by UNION ALL rather than an OR or an IN list: PostgreSQL plans an OR, or an
        // IN list on the index's second column, as a filter over the organization's rows whenever it estimates few of them;
        // each equality is always a search on (organization, number).
        return q.Upper == q.Term ? rows.Where(Equal(number, q.Term)) : rows.Where(Equal(number, q.Term)).Concat(rows.Where(Equal(number, q.Upper)));
    }

    private static Expression<Func<T, bool>> Equal<T, TValue>(Expression<Func<T, TValue>> member, TValue value) =>
        Expression.Lambda<Func<T, bool>>(Expression.Equal(member.Body, Parameter(value)), member.Parameters);

    /// <summary>A captured value, so EF sends it as a parameter (one cached plan per kind) instead of inlining the text.</summary>
    private static Expression Parameter<TValue>(TValue value) => Expression.Property(Expression.Constant(new Holder<TValue>(value)), nameof(Holder<TValue>.Value));

    private sealed record Holder<TValue>(TValue Value);
}
