namespace Operator.Features.Holds;

public static class AgingStatuses
{
    public const string Normal = "normal";
    public const string Warning = "warning";
    public const string Critical = "critical";
    public static readonly IReadOnlyList<string> All = [Normal, Warning, Critical];
}

/// <summary>
/// How long a hold has been (or was) in force, against its priority's alert threshold
/// (low 72 h, medium 48 h, high 24 h, critical 12 h, from the spec):
/// <list type="bullet">
/// <item><c>normal</c> below the threshold,</item>
/// <item><c>warning</c> from the threshold (inclusive) up to twice the threshold,</item>
/// <item><c>critical</c> from twice the threshold (inclusive): it needs action.</item>
/// </list>
/// An active hold ages until now; a released or disposed hold stopped ageing when it was closed, so its aging is the
/// time it was in force. <c>aging_hours</c> is whole hours (rounded down).
/// </summary>
public static class HoldAging
{
    public static TimeSpan Threshold(string priority) => TimeSpan.FromHours(priority switch
    {
        HoldPriorities.Low => 72,
        HoldPriorities.Medium => 48,
        HoldPriorities.High => 24,
        HoldPriorities.Critical => 12,
        _ => 48,
    });

    public static (int Hours, string Status) Compute(string priority, DateTime heldAt, DateTime? closedAt, DateTime now)
    {
        var end = closedAt ?? now;
        var age = end - heldAt;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        var threshold = Threshold(priority);
        var status = age >= threshold * 2 ? AgingStatuses.Critical : age >= threshold ? AgingStatuses.Warning : AgingStatuses.Normal;
        return ((int)Math.Floor(age.TotalHours), status);
    }

    public static string Describe(int hours) => hours switch
    {
        < 1 => "less than an hour",
        1 => "1 hour",
        < 48 => $"{hours} hours",
        _ => $"{hours / 24} days {hours % 24} h",
    };
}
