namespace Operator.Bench;

/// <summary>
/// Reproducible random sources. Each stream (for instance "plates:B001") gets its own <see cref="Random"/> seeded
/// from the run's seed and the stream's name, so adding a generator, an organization or more rows of one kind
/// never changes the rows drawn for another stream.
/// </summary>
public static class Streams
{
    public static Random RandomFor(int seed, string stream) => new(StableHash(seed, stream));

    /// <summary>FNV-1a over the seed and name; string.GetHashCode is randomized per process.</summary>
    public static int StableHash(int seed, string stream)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var b in BitConverter.GetBytes(seed)) hash = (hash ^ b) * 16777619u;
            foreach (var c in stream)
            {
                hash = (hash ^ (byte)c) * 16777619u;
                hash = (hash ^ (byte)(c >> 8)) * 16777619u;
            }
            return (int)(hash & 0x7fffffff);
        }
    }
}

/// <summary>Version-4-shaped Guids drawn from a seeded <see cref="Random"/>: the same seed gives the same ids.</summary>
public sealed class DeterministicIds(Random random)
{
    private readonly byte[] _bytes = new byte[16];

    public DeterministicIds(int seed, string stream) : this(Streams.RandomFor(seed, stream + "#ids"))
    {
    }

    public Guid Next()
    {
        random.NextBytes(_bytes);
        _bytes[7] = (byte)((_bytes[7] & 0x0F) | 0x40); // version 4 (high nibble of the little-endian third group)
        _bytes[8] = (byte)((_bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(_bytes);
    }
}
