using Operator.Infrastructure.Data;

namespace Operator.Bench.Generators;

/// <summary>
/// Writes the per-organization <see cref="Counter"/> rows the other generators recorded, so numbers the app draws
/// next (WO-, LP-, B-, QH-...) continue after the generated ones instead of colliding with them.
/// </summary>
public sealed class CountersGenerator : IGenerator
{
    public string Name => "counters";
    public int Order => int.MaxValue;

    public Task GenerateAsync(GenerationContext context, CancellationToken ct = default) =>
        context.InsertAsync("Counters", context.CounterValues
            .OrderBy(c => c.Key.Org).ThenBy(c => c.Key.Name, StringComparer.Ordinal)
            .Select(c => new Counter { OrganizationId = c.Key.Org, Name = c.Key.Name, Value = c.Value }), ct);
}
