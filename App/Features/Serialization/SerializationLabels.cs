using MudBlazor;

namespace Operator.Features.Serialization;

/// <summary>
/// The words the serialization pages show for the API's upper-case codes (the API keeps the codes; people read words),
/// and the colour of each state's chip.
/// </summary>
public static class SerializationLabels
{
    public static string TriggerType(string? code) => code switch
    {
        TriggerTypes.MaterialReceipt => "Material received",
        TriggerTypes.WorkOrderCreate => "Work order created",
        TriggerTypes.OperationComplete => "Operation completed",
        TriggerTypes.Manual => "Manual",
        TriggerTypes.BatchCompletion => "Work order or batch completed",
        TriggerTypes.QualityCheckpoint => "Quality checkpoint passed",
        _ => code ?? "",
    };

    public static string Assignment(string? code) => code switch
    {
        AssignmentTypes.SystemGenerated => "Generate numbers",
        AssignmentTypes.Vendor => "Vendor number (placeholder)",
        AssignmentTypes.LateAssignment => "Late assignment (placeholder)",
        _ => code ?? "",
    };

    public static string VendorStatus(string? code) => code switch
    {
        VendorSerialStatus.Pending => "Pending",
        VendorSerialStatus.Accepted => "Accepted",
        VendorSerialStatus.Rejected => "Rejected",
        _ => code ?? "",
    };

    public static Color VendorStatusColor(string? code) => code switch
    {
        VendorSerialStatus.Accepted => Color.Success,
        VendorSerialStatus.Rejected => Color.Error,
        _ => Color.Warning,
    };

    public static string FormatKind(string? code) => code switch
    {
        FormatKinds.Pattern => "Pattern",
        FormatKinds.PublicCode => "Signed public code",
        _ => code ?? "",
    };

    public static string Reset(string? code) => code switch
    {
        SequenceReset.Never => "Never",
        SequenceReset.Daily => "Every day",
        SequenceReset.Monthly => "Every month",
        SequenceReset.Yearly => "Every year",
        _ => code ?? "",
    };

    /// <summary>A unit's public status (active, used, scrapped, cancelled; the generated list has them in capitals).</summary>
    public static string UnitStatus(string? status) => status?.ToLowerInvariant() switch
    {
        "active" => "Active",
        "used" => "Used",
        "scrapped" => "Scrapped",
        "cancelled" => "Cancelled",
        _ => status ?? "",
    };

    public static Color UnitStatusColor(string? status) => status?.ToLowerInvariant() switch
    {
        "active" => Color.Success,
        "scrapped" => Color.Error,
        "cancelled" => Color.Warning,
        _ => Color.Default,
    };

    public static string LinkType(string? code) => code switch
    {
        LinkTypes.Split => "Split",
        LinkTypes.Merge => "Merged",
        LinkTypes.Transformation => "Transformed",
        LinkTypes.PassThrough => "Passed through",
        _ => code ?? "",
    };

    /// <summary>The services' times are UTC DateTimes; LocalTime shows a moment in the browser's zone.</summary>
    public static DateTimeOffset? Utc(DateTime? utc) => utc is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    /// <summary>The service's message(s) for one field path (<c>pattern</c>, <c>conditions.siteId</c>), shown under that field; null when none.</summary>
    public static string? FieldMessage(Operator.Infrastructure.Api.Error? error, string field)
    {
        var messages = error?.Issues.Where(i => i.Field == field).Select(i => i.Message).ToList();
        return messages is { Count: > 0 } ? string.Join(" ", messages) : null;
    }

    /// <summary>The issues no field of the form shows (so they are not lost): everything but <paramref name="shown"/>.</summary>
    public static IEnumerable<Operator.Infrastructure.Api.FieldIssue> OtherIssues(Operator.Infrastructure.Api.Error? error, params string[] shown) =>
        error?.Issues.Where(i => !shown.Contains(i.Field)) ?? [];
}
