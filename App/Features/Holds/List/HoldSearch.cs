using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Data;

namespace Operator.Features.Holds;

/// <summary>
/// One hold as the search knows it: what the list filters and sorts on. All of it is written once, when the hold is
/// created, except the status, which the index follows (see <see cref="HoldSearchIndex"/>).
/// </summary>
public sealed record HoldSearchEntry(Guid Id, string HoldNumber, DateTime HeldAt, int PriorityRank, string HoldType, int ItemsCount, string Status);

/// <summary>
/// The list's <c>search</c>: the organization's holds whose number or reason contains the text, ignoring case (both sides
/// lower-cased by invariant culture), the text taken literally (<c>%</c>, <c>_</c>, quotes are characters like any other).
/// <para>
/// Why in memory: a word as common as "contamination" is in 16,000 of an organization's 100,000 holds. SQLite's FTS5
/// trigram index took 30-50 ms to find and count them (every trigram's entries, with positions, of every organization),
/// and 25 ms even in a table of that organization alone; with the PostgreSQL trigram index the list's searches were as
/// slow, and looking up the status of 1,700 matches by id took SQLite another 20 ms. Scanning the organization's numbers
/// and reasons, lower-cased once into one buffer, with the vectorised ordinal
/// <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> takes a few milliseconds, and with the
/// fields the list filters and sorts on kept beside the text the database is asked only for the page's rows. Hold
/// inserts no longer feed a trigram index either.
/// </para>
/// <para>
/// Why it stays right with several app instances and without notifications: a hold's number, reason, time, priority,
/// type and items are written once, holds are never deleted (disposal is a status), and a status only moves forward
/// (active, released, disposed). Before each search the index reads the organization's tallies (<see cref="HoldTallies"/>,
/// written in the transaction that creates or moves a hold): the number of holds, and the sum of their status ranks
/// (<see cref="HoldStatuses.Rank"/>). What the index knows is a subset of the database's holds, each in the same or an
/// earlier status, so equal counts mean the same holds and equal sums the same statuses. A difference is caught up from
/// the holds changed since shortly before the newest change the index saw and, if that is not enough (a hold written
/// with an earlier time, as the tests' clock does), from all of the organization's ids and statuses. A database behind
/// the index (a restored backup) rebuilds the organization's entries.
/// </para>
/// <para>
/// Memory: about 300 bytes per hold of an organization that searched (100,000 holds: 30 MB); an organization that has not
/// searched for <see cref="IdleAfter"/> is dropped and loaded again on its next search (110,000 holds: about 2 s).
/// </para>
/// </summary>
public sealed class HoldSearchIndex(TimeProvider time)
{
    /// <summary>How far before the newest change seen the catch-up reads, for transactions that committed late.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(30);

    // Between a hold's number and reason and between holds. The list's text check refuses U+0000 in a search, so a
    // match never runs across the separator.
    private const char Separator = '\0';

    private readonly ConcurrentDictionary<Guid, Organization> organizations = new();
    private long lastSweep;

    /// <summary>
    /// The holds of <paramref name="db"/>'s organization whose number or reason contains <paramref name="text"/>, oldest
    /// entry first. The organization is the context's own, so entries are only ever read through its filter.
    /// </summary>
    public async Task<List<HoldSearchEntry>> FindAsync(OperatorDb db, string text, CancellationToken ct)
    {
        var organizationId = db.TenantId ?? throw new InvalidOperationException("The hold search needs a context of one organization");
        Sweep();
        var organization = organizations.GetOrAdd(organizationId, _ => new Organization());
        organization.LastUsed = time.GetTimestamp();
        var entries = await organization.SyncAsync(db, ct);
        return entries.Find(Encoding.UTF8.GetBytes(Fold(text)));
    }

    /// <summary>How number and reason are compared: lower-cased, the same for the text searched and the text searched for.</summary>
    private static string Fold(string text) => text.ToLowerInvariant();

    private void Sweep()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastSweep);
        if (time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1) || Interlocked.CompareExchange(ref lastSweep, now, last) != last) return;
        foreach (var (id, organization) in organizations)
        {
            if (time.GetElapsedTime(organization.LastUsed, now) > IdleAfter) organizations.TryRemove(id, out _);
        }
    }

    private sealed record Row(Guid Id, string HoldNumber, string Reason, DateTime HeldAt, int PriorityRank, string HoldType, int ItemsCount, string Status, DateTime UpdatedAt);

    private sealed record Change(Guid Id, string Status, DateTime UpdatedAt);

    /// <summary>One organization's entries. Searches read a published <see cref="Entries"/>; catch-ups take turns.</summary>
    private sealed class Organization
    {
        private readonly SemaphoreSlim turn = new(1, 1);
        private volatile Entries entries = Entries.Empty;
        private long lastCheck;

        public long LastUsed;

        public async Task<Entries> SyncAsync(OperatorDb db, CancellationToken ct)
        {
            var arrived = Stopwatch.GetTimestamp();
            await turn.WaitAsync(ct);
            try
            {
                // A catch-up that began after this search arrived has seen everything committed before it: concurrent
                // searches share one check instead of queueing one each.
                if (lastCheck > arrived) return entries;
                var started = Stopwatch.GetTimestamp();
                var holds = db.Set<QualityHold>().AsNoTracking();
                // A few rounds at most: what changes while catching up is found by the next round, and a search that
                // races a stream of changes answers with what was committed when it started.
                for (var round = 0; round < 4; round++)
                {
                    var tallies = await db.Set<HoldTally>().AsNoTracking().Select(t => new { t.Status, t.Count }).ToListAsync(ct);
                    var total = tallies.Sum(t => t.Count);
                    var ranks = tallies.Sum(t => t.Count * HoldStatuses.Rank(t.Status));
                    var current = entries;
                    if (current.Count == total && current.Ranks == ranks) break;
                    if (current.Count > total || (current.Count == total && current.Ranks > ranks))
                    {
                        entries = current = Entries.Empty;
                    }

                    if (current.Count == 0)
                    {
                        entries = current.Append(await Select(holds).ToListAsync(ct));
                        continue;
                    }
                    // Changed recently: new holds and status changes (both set UpdatedAt).
                    var since = current.Newest - Overlap;
                    if (round == 0)
                    {
                        var recent = await Select(holds.Where(h => h.UpdatedAt >= since)).ToListAsync(ct);
                        current = current.Append(recent);
                        current.Apply(recent.Select(r => new Change(r.Id, r.Status, r.UpdatedAt)).ToList());
                        entries = current;
                        continue;
                    }
                    // Not enough: every id and status, and the rows of the holds not known.
                    var all = await holds.Select(h => new Change(h.Id, h.Status, h.UpdatedAt)).ToListAsync(ct);
                    var missing = all.Where(c => !current.Knows(c.Id)).Select(c => c.Id).ToList();
                    var rows = new List<Row>();
                    foreach (var chunk in missing.Chunk(1000))
                    {
                        rows.AddRange(await Select(holds.Where(h => chunk.Contains(h.Id))).ToListAsync(ct));
                    }
                    current = current.Append(rows);
                    current.Apply(all);
                    entries = current;
                }
                lastCheck = started;
                return entries;
            }
            finally
            {
                turn.Release();
            }
        }

        private static IQueryable<Row> Select(IQueryable<QualityHold> holds) => holds.Select(h =>
            new Row(h.Id, h.HoldNumber, h.Reason, h.HeldAt, h.PriorityRank, h.HoldType, h.ItemsCount, h.Status, h.UpdatedAt));
    }

    /// <summary>
    /// Entries and their folded texts, <c>number \0 reason \0</c> one after another in one buffer of UTF-8 (half the
    /// bytes of UTF-16 for the usual text, and as exact: one UTF-8 text is in another exactly where its characters are,
    /// so a search reads 11 MB for 110,000 holds and takes 2-6 ms). Appending writes past
    /// the end a reader was given (or into new arrays), so the texts a search reads never change under it; a status
    /// change replaces the entry in its slot, which a search sees whole, before or after.
    /// </summary>
    private sealed class Entries
    {
        public static readonly Entries Empty = new([], [], [], new Dictionary<Guid, int>(), 0, 0, 0, DateTime.MinValue);

        private readonly HoldSearchEntry[] items;
        private readonly int[] starts;
        private readonly byte[] text;
        private readonly Dictionary<Guid, int> positions;
        private readonly int length;

        private Entries(HoldSearchEntry[] items, int[] starts, byte[] text, Dictionary<Guid, int> positions, int count, int length, long ranks, DateTime newest)
        {
            (this.items, this.starts, this.text, this.positions, Count, this.length, Ranks, Newest) = (items, starts, text, positions, count, length, ranks, newest);
        }

        public int Count { get; }

        /// <summary>The sum of the entries' status ranks, to compare with the tallies'.</summary>
        public long Ranks { get; private set; }

        /// <summary>The latest change seen (creation or status).</summary>
        public DateTime Newest { get; private set; }

        public bool Knows(Guid id) => positions.ContainsKey(id);

        /// <summary>These entries and the rows not known yet (only the one catching up calls this).</summary>
        public Entries Append(IReadOnlyList<Row> rows)
        {
            var added = rows.Where(r => !positions.ContainsKey(r.Id)).DistinctBy(r => r.Id).ToList();
            if (added.Count == 0) return this;
            // Empty is shared by every organization; the others' map is their own and only grows.
            var map = Count == 0 ? new Dictionary<Guid, int>() : positions;
            var folded = added.Select(r => Encoding.UTF8.GetBytes(Fold(r.HoldNumber) + Separator + Fold(r.Reason) + Separator)).ToList();
            var newItems = Grow(items, Count + added.Count);
            var newStarts = Grow(starts, Count + added.Count);
            var newText = Grow(text, length + folded.Sum(f => f.Length));
            var (n, at, ranks, newest) = (Count, length, Ranks, Newest);
            for (var i = 0; i < added.Count; i++)
            {
                var r = added[i];
                // A handful of distinct types and statuses: one string each rather than one per hold.
                newItems[n] = new HoldSearchEntry(r.Id, r.HoldNumber, r.HeldAt, r.PriorityRank, string.Intern(r.HoldType), r.ItemsCount, string.Intern(r.Status));
                map[r.Id] = n;
                newStarts[n++] = at;
                folded[i].CopyTo(newText.AsSpan(at));
                at += folded[i].Length;
                ranks += HoldStatuses.Rank(r.Status);
                if (r.UpdatedAt > newest) newest = r.UpdatedAt;
            }
            return new Entries(newItems, newStarts, newText, map, n, at, ranks, newest);
        }

        /// <summary>Takes the statuses of known holds from <paramref name="changes"/>.</summary>
        public void Apply(IReadOnlyList<Change> changes)
        {
            foreach (var change in changes)
            {
                if (!positions.TryGetValue(change.Id, out var at) || at >= Count) continue;
                var entry = items[at];
                if (entry.Status != change.Status)
                {
                    Ranks += HoldStatuses.Rank(change.Status) - HoldStatuses.Rank(entry.Status);
                    items[at] = entry with { Status = string.Intern(change.Status) };
                }
                if (change.UpdatedAt > Newest) Newest = change.UpdatedAt;
            }
        }

        public List<HoldSearchEntry> Find(byte[] term)
        {
            var found = new List<HoldSearchEntry>();
            var all = text.AsSpan(0, length);
            var from = 0;
            while (from < length)
            {
                var hit = all[from..].IndexOf(term);
                if (hit < 0) break;
                var entry = Array.BinarySearch(starts, 0, Count, from + hit);
                if (entry < 0) entry = ~entry - 1;
                found.Add(items[entry]);
                // Once per hold: go on from the next hold's text.
                from = entry + 1 < Count ? starts[entry + 1] : length;
            }
            return found;
        }

        private static T[] Grow<T>(T[] array, int size)
        {
            if (array.Length >= size) return array;
            var grown = new T[Math.Max(size, array.Length * 2)];
            Array.Copy(array, grown, array.Length);
            return grown;
        }
    }
}


/// <summary>
/// Drops the FTS5 search table of databases from before the in-memory search (<see cref="HoldQueries.DropLegacySearchAsync"/>).
/// PostgreSQL's trigram column and index went by migration.
/// </summary>
public sealed class HoldSearchCleanup : ISchemaExtension
{
    public Task EnsureAsync(OperatorDb db, CancellationToken ct) => HoldQueries.DropLegacySearchAsync(db, ct);
}
