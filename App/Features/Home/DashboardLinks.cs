using System.Globalization;
using Operator.Features.Serialization;
using Operator.Infrastructure.Outbox;

namespace Operator.Features.Home;

/// <summary>The list behind each figure, with the filters that show exactly the rows counted (the lists read them from the address).</summary>
public static class DashboardLinks
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string ActivePriority(string priority) => $"/holds?status=active&priority={priority}";

    public static string ActiveType(string type) => $"/holds?status=active&type={type}";

    public static string ActiveReason(string reason) => $"/holds?status=active&q={Uri.EscapeDataString(reason)}";

    public static string ActiveAge(AgeBucket bucket)
    {
        var link = "/holds?status=active";
        if (bucket.From is { } from) link += $"&from={Day(from)}";
        if (bucket.To is { } to) link += $"&to={Day(to)}";
        return link;
    }

    /// <summary>Holds opened on a day (any status now).</summary>
    public static string OpenedOn(DateOnly day) => $"/holds?from={Day(day)}&to={Day(day)}";

    public static string Hold(Guid id) => $"/holds/{id}";

    public const string PendingConflicts = "/uniqueness";

    public static readonly string VendorWaiting = $"/serialization/vendor?status={VendorSerialStatus.Pending}";

    public static readonly string FailedTriggerEvents = $"/serialization/trigger-events?status={OutboxStatus.Failed}";

    public const string UnitsInProgress = "/serials?status=in_progress";

    public const string Serials = "/serials";
}
