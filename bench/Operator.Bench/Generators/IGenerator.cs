namespace Operator.Bench.Generators;

/// <summary>
/// One area's share of the scale data. A feature adds a class implementing this in this folder; the runner finds
/// every implementation by reflection and runs them by <see cref="Order"/>. A generator reads its own options
/// (declared in <see cref="Options"/> so <c>help</c> lists them and typos fail), takes the ids it builds on from
/// <see cref="GenerationContext.Shared{T}"/>, inserts with <see cref="GenerationContext.InsertAsync{T}"/>, shares
/// what it made with <see cref="GenerationContext.Share{T}"/> and records counters with
/// <see cref="GenerationContext.SetCounter"/>.
/// </summary>
public interface IGenerator
{
    string Name { get; }

    /// <summary>Organizations 0, master data 100, features 200+ (serials, then holds, links...), counters last.</summary>
    int Order { get; }

    IReadOnlyList<BenchOption> Options => [];

    Task GenerateAsync(GenerationContext context, CancellationToken ct = default);
}
