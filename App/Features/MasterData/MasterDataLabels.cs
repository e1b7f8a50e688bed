using MudBlazor;

namespace Operator.Features.MasterData;

/// <summary>Stored status codes in the words and colours the master-data screens show them with.</summary>
public static class MasterDataLabels
{
    public static string WorkOrderStatusLabel(string status) => status switch
    {
        WorkOrderStatus.Open => "Open",
        WorkOrderStatus.InProgress => "In progress",
        WorkOrderStatus.Closed => "Closed",
        _ => status,
    };

    public static Color WorkOrderStatusColor(string status) => status switch
    {
        WorkOrderStatus.Open => Color.Info,
        WorkOrderStatus.InProgress => Color.Primary,
        _ => Color.Default,
    };

    public static string QaStatusLabel(string status) => status switch
    {
        QaStatuses.Pending => "Pending",
        QaStatuses.Hold => "On hold",
        QaStatuses.Passed => "Passed",
        QaStatuses.Rejected => "Rejected",
        QaStatuses.Scrap => "Scrap",
        _ => status,
    };

    public static Color QaStatusColor(string status) => status switch
    {
        QaStatuses.Passed => Color.Success,
        QaStatuses.Pending => Color.Warning,
        QaStatuses.Hold or QaStatuses.Rejected or QaStatuses.Scrap => Color.Error,
        _ => Color.Default,
    };
}
