namespace Operator.Features.Serials;

/// <summary>
/// Where a unit is in its life, finer than its status: a unit used in an assembly (merge or transformation) keeps status
/// in progress or completed but is <see cref="Consumed"/>. One definition for the lineage explorer and the impact.
/// </summary>
public static class SerialStages
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Consumed = "consumed";
    public const string Scrapped = "scrapped";
    public const string Cancelled = "cancelled";
    public static readonly IReadOnlyList<string> All = [InProgress, Completed, Consumed, Scrapped, Cancelled];

    public static string Of(string status, bool consumed) => status switch
    {
        SerialStatus.Scrapped => Scrapped,
        SerialStatus.Cancelled => Cancelled,
        _ when consumed => Consumed,
        SerialStatus.Completed => Completed,
        _ => InProgress,
    };

    public static string Label(string stage) => stage switch
    {
        InProgress => "In progress",
        Completed => "Completed",
        Consumed => "Used in an assembly",
        Scrapped => "Scrapped",
        Cancelled => "Cancelled",
        _ => stage,
    };
}
