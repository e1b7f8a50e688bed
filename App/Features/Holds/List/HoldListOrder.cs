namespace Operator.Features.Holds;

/// <summary>
/// The list's sort orders, once for the database (<see cref="Apply"/>) and once for the search's matches in memory
/// (<see cref="Comparison"/>): the same keys in the same directions, and the id last so that pages neither repeat nor
/// skip holds that tie (compared as text, which is how both databases order ids).
/// </summary>
public static class HoldListOrder
{
    public static IQueryable<QualityHold> Apply(IQueryable<QualityHold> rows, string field, bool descending)
    {
        IOrderedQueryable<QualityHold> ordered = field switch
        {
            "hold_number" => descending ? rows.OrderByDescending(h => h.HoldNumber) : rows.OrderBy(h => h.HoldNumber),
            // The direction applies to both keys (ASC: lowest priority, oldest first), so one index on (priority, held_at)
            // serves either direction; mixed directions made PostgreSQL sort every hold of the priority (100 ms at 30,000).
            "priority" => descending ? rows.OrderByDescending(h => h.PriorityRank).ThenByDescending(h => h.HeldAt) : rows.OrderBy(h => h.PriorityRank).ThenBy(h => h.HeldAt),
            "status" => descending ? rows.OrderByDescending(h => h.Status).ThenByDescending(h => h.HeldAt) : rows.OrderBy(h => h.Status).ThenByDescending(h => h.HeldAt),
            "hold_type" => descending ? rows.OrderByDescending(h => h.HoldType).ThenByDescending(h => h.HeldAt) : rows.OrderBy(h => h.HoldType).ThenByDescending(h => h.HeldAt),
            "items_count" => descending ? rows.OrderByDescending(h => h.ItemsCount).ThenByDescending(h => h.HeldAt) : rows.OrderBy(h => h.ItemsCount).ThenByDescending(h => h.HeldAt),
            "updated_at" => descending ? rows.OrderByDescending(h => h.UpdatedAt) : rows.OrderBy(h => h.UpdatedAt),
            _ => descending ? rows.OrderByDescending(h => h.HeldAt) : rows.OrderBy(h => h.HeldAt),
        };
        return ordered.ThenBy(h => h.Id);
    }

    /// <summary>
    /// The order of <see cref="Apply"/> over search entries. The last change (<c>updated_at</c>) is not in an entry: that
    /// sort stays in the database.
    /// </summary>
    public static Comparison<HoldSearchEntry> Comparison(string field, bool descending)
    {
        var sign = descending ? -1 : 1;
        return field switch
        {
            "hold_number" => (a, b) => Then(sign * string.CompareOrdinal(a.HoldNumber, b.HoldNumber), a, b),
            "priority" => (a, b) => Then(sign * Key(a.PriorityRank.CompareTo(b.PriorityRank), a.HeldAt.CompareTo(b.HeldAt)), a, b),
            "status" => (a, b) => Then(Key(sign * string.CompareOrdinal(a.Status, b.Status), b.HeldAt.CompareTo(a.HeldAt)), a, b),
            "hold_type" => (a, b) => Then(Key(sign * string.CompareOrdinal(a.HoldType, b.HoldType), b.HeldAt.CompareTo(a.HeldAt)), a, b),
            "items_count" => (a, b) => Then(Key(sign * a.ItemsCount.CompareTo(b.ItemsCount), b.HeldAt.CompareTo(a.HeldAt)), a, b),
            "held_at" => (a, b) => Then(sign * a.HeldAt.CompareTo(b.HeldAt), a, b),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a sort the search entries can answer"),
        };
    }

    /// <summary>
    /// The first <paramref name="count"/> of <paramref name="items"/> in <paramref name="order"/>: a page near the start
    /// keeps a small heap of the best seen rather than sorting thousands of matches.
    /// </summary>
    public static List<HoldSearchEntry> Top(List<HoldSearchEntry> items, int count, Comparison<HoldSearchEntry> order)
    {
        if ((long)count * 4 >= items.Count)
        {
            items.Sort(order);
            return items.Count > count ? items[..count] : items;
        }
        // The root is the worst kept: a better entry replaces it.
        var heap = new PriorityQueue<HoldSearchEntry, HoldSearchEntry>(count, Comparer<HoldSearchEntry>.Create((a, b) => order(b, a)));
        foreach (var item in items)
        {
            if (heap.Count < count) heap.Enqueue(item, item);
            else if (order(item, heap.Peek()) < 0) heap.DequeueEnqueue(item, item);
        }
        var top = heap.UnorderedItems.Select(x => x.Element).ToList();
        top.Sort(order);
        return top;
    }

    private static int Key(int first, int second) => first != 0 ? first : second;

    private static int Then(int order, HoldSearchEntry a, HoldSearchEntry b) =>
        order != 0 ? order : string.CompareOrdinal(a.Id.ToString(), b.Id.ToString());
}
