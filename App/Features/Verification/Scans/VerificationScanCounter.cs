using System.Collections.Concurrent;

namespace Operator.Features.Verification;

/// <summary>
/// The public scans of this instance not yet written, per organization code and UTC day. Recording is a dictionary
/// lookup and one interlocked add, so counting costs the verification nothing it would notice; the writer takes the
/// counts out (exchanging them for zero) and adds them to the database.
/// </summary>
public sealed class VerificationScanCounter(TimeProvider time)
{
    private sealed class Cell
    {
        public long Genuine;
        public long NotGenuine;
    }

    /// <summary>Counts taken out for writing: organization code, UTC day and the two increments.</summary>
    public sealed record Pending(string OrganizationCode, DateOnly Day, long Genuine, long NotGenuine);

    private readonly ConcurrentDictionary<(string Code, DateOnly Day), Cell> _cells = new();

    public void Record(string organizationCode, bool genuine)
    {
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var cell = _cells.GetOrAdd((organizationCode, day), static _ => new Cell());
        if (genuine) Interlocked.Increment(ref cell.Genuine);
        else Interlocked.Increment(ref cell.NotGenuine);
    }

    /// <summary>Takes every count out (leaving zero behind); counts recorded meanwhile stay for the next take.</summary>
    public IReadOnlyList<Pending> Take()
    {
        var taken = new List<Pending>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        foreach (var (key, cell) in _cells)
        {
            var genuine = Interlocked.Exchange(ref cell.Genuine, 0);
            var notGenuine = Interlocked.Exchange(ref cell.NotGenuine, 0);
            if (genuine != 0 || notGenuine != 0) taken.Add(new Pending(key.Code, key.Day, genuine, notGenuine));
            // Cells of days long gone are dropped; no scan is recorded for them any more (the day comes from the clock).
            if (key.Day < today.AddDays(-1)) _cells.TryRemove(key, out _);
        }
        return taken;
    }

    /// <summary>Puts counts back that could not be written, so the next write carries them.</summary>
    public void Return(IEnumerable<Pending> counts)
    {
        foreach (var p in counts)
        {
            var cell = _cells.GetOrAdd((p.OrganizationCode, p.Day), static _ => new Cell());
            Interlocked.Add(ref cell.Genuine, p.Genuine);
            Interlocked.Add(ref cell.NotGenuine, p.NotGenuine);
        }
    }
}
