using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Operator.Infrastructure.Data;

namespace Operator.Features.Verification.Cache;

/// <summary>
/// A verified code's answer, as read from the registry: the serial's id, and whether the answer carries its
/// traceability (then a completed step of that serial changes it).
/// </summary>
public sealed record CachedVerification(string SerialId, bool Traced, PublicVerification Answer);

/// <summary>
/// The answers to codes verified before, kept in this process so that verifying a code again costs no database
/// work, and dropped the moment the database changes what they were read from.
/// </summary>
/// <remarks>
/// <para>Why: public verification is the one anonymous, high-volume endpoint, and the same codes come back (a label
/// scanned by several shoppers, a cloned label scanned thousands of times). Its lookup was most of what a verification
/// cost beyond the bare pipeline (README, issue 18).</para>
/// <para>Exactness: every change to what a verification reads (a serial's status, visibility, part or number; a
/// part; an organization; a path's steps; a completed step) removes the codes it affects. On PostgreSQL the database
/// announces each committed change to every instance (<see cref="RegistryChangeListener"/>, triggers of the migration
/// <c>RegistryChangeNotifications</c>), so a change made by another instance, a script or a console is seen too, and
/// while an instance is not listening (starting, or its listening connection lost) it caches nothing. On SQLite, whose
/// file one app process owns, the process's own writes announce themselves (<see cref="RegistryWriteInterceptor"/>).</para>
/// <para>A read that overlaps a change is not kept: <see cref="Generation"/> is taken before the read, and an entry
/// is only added if no change arrived since, checked again after adding (a change that lands in between removes it).
/// Only found codes are kept, so a code registered later is never answered "not found" from memory. The cache holds at
/// most <see cref="PublicVerificationOptions.CacheEntries"/> codes and starts over when full.</para>
/// </remarks>
public sealed class VerificationCache(IOptions<PublicVerificationOptions> options, IConfiguration config)
{
    private readonly int _capacity = options.Value.CacheEntries;
    private readonly ConcurrentDictionary<string, CachedVerification> _entries = new(StringComparer.Ordinal);
    // A completed step changes a unit's traceability and is announced by the unit's id: the codes to drop for it.
    private readonly ConcurrentDictionary<string, string> _codesBySerialId = new(StringComparer.OrdinalIgnoreCase);
    private long _generation;
    private int _count;
    // PostgreSQL: only while the listener hears the database's announcements. SQLite: always (the writes are this process's).
    private volatile bool _online = DatabaseSetup.ProviderOf(config) == DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL: the database announces changes (<see cref="RegistryChangeListener"/>). SQLite: the process does (<see cref="RegistryWriteInterceptor"/>).</summary>
    public bool AnnouncedByDatabase { get; } = DatabaseSetup.ProviderOf(config) == DatabaseProvider.Postgres;

    /// <summary>Whether the cache is configured on (<see cref="PublicVerificationOptions.CacheEntries"/> above 0).</summary>
    public bool Enabled => _capacity > 0;

    /// <summary>Changes seen so far: take it before reading the registry and hand it to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string code, out CachedVerification? found)
    {
        found = null;
        return _online && _entries.TryGetValue(code, out found);
    }

    /// <summary>Keeps what was read for <paramref name="code"/>, unless a change arrived since <paramref name="generation"/>.</summary>
    public void Add(string code, CachedVerification read, long generation)
    {
        if (!_online || _capacity <= 0 || Generation != generation) return;
        if (Interlocked.Increment(ref _count) > _capacity) Clear();
        _entries[code] = read;
        if (read.Traced) _codesBySerialId[read.SerialId] = code;
        // A change that arrived between the check above and the add may have missed the entry: drop it.
        if (Generation != generation) _entries.TryRemove(code, out _);
    }

    /// <summary>A change to the serial numbered <paramref name="code"/> (its row, or its number before or after).</summary>
    public void ChangedCode(string code)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(code, out _);
    }

    /// <summary>A change to the step history of the serial with id <paramref name="serialId"/>.</summary>
    public void ChangedSerialId(string serialId)
    {
        Interlocked.Increment(ref _generation);
        if (_codesBySerialId.TryRemove(serialId, out var code)) _entries.TryRemove(code, out _);
    }

    /// <summary>A change that may touch any code (a part, an organization, a path, or an unknown one).</summary>
    public void ChangedAll()
    {
        Interlocked.Increment(ref _generation);
        Clear();
    }

    /// <summary>One announcement of the database (see the migration RegistryChangeNotifications): "s:number", "id:serial id", or "*".</summary>
    public void Apply(string announcement)
    {
        if (announcement.StartsWith("s:", StringComparison.Ordinal)) ChangedCode(announcement[2..]);
        else if (announcement.StartsWith("id:", StringComparison.Ordinal)) ChangedSerialId(announcement[3..]);
        else ChangedAll();
    }

    /// <summary>The listener hears the database: start from nothing, since changes may have gone unheard before.</summary>
    internal void Listening()
    {
        ChangedAll();
        _online = true;
    }

    /// <summary>The listener lost the database: answer from the registry only until it listens again.</summary>
    internal void Deaf()
    {
        _online = false;
        ChangedAll();
    }

    /// <summary>Whether answers may come from memory now (tests and the health of the listener).</summary>
    public bool Online => _online;

    private void Clear()
    {
        _entries.Clear();
        _codesBySerialId.Clear();
        Interlocked.Exchange(ref _count, 0);
    }
}
