using System.Globalization;

namespace Operator.Bench;

/// <summary>
/// <c>--name value</c> pairs and bare <c>--flag</c>s. Generators read their own options by name; every name given
/// on the command line must be declared by the runner or some generator, so a typo fails instead of being ignored.
/// </summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);

    public BenchArgs(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null) _values[pending] = null;
                var name = arg[2..];
                var eq = name.IndexOf('=');
                if (eq > 0)
                {
                    _values[name[..eq]] = name[(eq + 1)..];
                    pending = null;
                }
                else
                {
                    pending = name;
                }
            }
            else if (pending is not null)
            {
                _values[pending] = arg;
                pending = null;
            }
            else
            {
                throw new BenchUsageException($"Unexpected argument '{arg}'.");
            }
        }
        if (pending is not null) _values[pending] = null;
    }

    public IEnumerable<string> Names => _values.Keys;

    public bool Has(string name) => _values.ContainsKey(name);

    public bool Flag(string name) => _values.TryGetValue(name, out var v) && (v is null || v is "true" or "1" or "yes");

    public string? String(string name, string? fallback = null) => _values.TryGetValue(name, out var v) && v is not null ? v : fallback;

    public int Int(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var v)) return fallback;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            throw new BenchUsageException($"--{name} needs a whole number of 0 or more, got '{v}'.");
        }
        return n;
    }

    public int Int(BenchOption option) => Int(option.Name, int.Parse(option.Default ?? "0", CultureInfo.InvariantCulture));
}

/// <summary>An option a generator reads, listed by <c>help</c>.</summary>
public sealed record BenchOption(string Name, string? Default, string Description);

public sealed class BenchUsageException(string message) : Exception(message);
