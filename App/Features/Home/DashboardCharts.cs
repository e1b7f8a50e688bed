using System.Globalization;
using MudBlazor;
using Operator.Features.Holds;

namespace Operator.Features.Home;

/// <summary>The dashboard's figures as MudBlazor chart series and labels.</summary>
public static class DashboardCharts
{
    private static List<ChartSeries<double>> One(string name, IEnumerable<double> values) => [Series(name, values)];

    private static ChartSeries<double> Series(string name, IEnumerable<double> values) => new() { Name = name, Data = new ChartData<double>(values.ToArray()) };

    public static string[] DayLabels(IEnumerable<DateOnly> days) =>
        days.Select(d => d.ToString("MM-dd", CultureInfo.InvariantCulture)).ToArray();

    public static readonly string[] Hours = Enumerable.Range(0, 24).Select(h => h.ToString("00", CultureInfo.InvariantCulture)).ToArray();

    public static List<ChartSeries<double>> Wip(WipPath path) => One("Units", path.Steps.Select(s => (double)s.Units));

    public static string[] WipLabels(WipPath path) => path.Steps.Select(s => s.Name).ToArray();

    public static List<ChartSeries<double>> MyWork(IReadOnlyList<HourCount> hours) => One("Steps done", hours.Select(h => (double)h.StepsDone));

    public static readonly string[] PriorityLabels = HoldPriorities.All.Reverse().Select(HoldView.PriorityLabel).ToArray();

    public static List<ChartSeries<double>> Priorities(ActiveHoldCounts active) =>
        One("Active holds", HoldPriorities.All.Reverse().Select(p => (double)active.ByPriority[p]));

    public static List<ChartSeries<double>> Ages(IReadOnlyList<AgeBucket> buckets) => One("Active holds", buckets.Select(b => (double)b.Holds));

    public static string[] AgeLabels(IReadOnlyList<AgeBucket> buckets) => buckets.Select(b => b.Label).ToArray();

    public static List<ChartSeries<double>> HoldDays(IReadOnlyList<HoldDay> days) =>
        [Series("Opened", days.Select(d => (double)d.Opened)), Series("Closed", days.Select(d => (double)d.Closed))];

    public static List<ChartSeries<double>> Types(IReadOnlyList<NamedCount> types) => One("Active holds", types.Select(t => (double)t.Count));

    public static string[] TypeLabels(IReadOnlyList<NamedCount> types) => types.Select(t => HoldTypes.Label(t.Name)).ToArray();

    public static List<ChartSeries<double>> Origins(IReadOnlyList<OriginDay> days) =>
    [
        Series("Batch", days.Select(d => (double)d.Batch)),
        Series("Generated", days.Select(d => (double)d.Generated)),
        Series("Vendor", days.Select(d => (double)d.Vendor)),
        Series("Late assignment", days.Select(d => (double)d.LateAssignment)),
        Series("Other", days.Select(d => (double)d.Other)),
    ];

    public static List<ChartSeries<double>> Scans(IReadOnlyList<ScanDay> days) =>
        [Series("Genuine", days.Select(d => (double)d.Genuine)), Series("Not genuine", days.Select(d => (double)d.NotGenuine))];
}
