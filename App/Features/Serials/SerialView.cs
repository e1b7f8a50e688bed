namespace Operator.Features.Serials;

/// <summary>How the serial pages and the station show statuses, steps and scan signals (words and the app's colours).</summary>
public static class SerialView
{
    public sealed record Option(string Value, string Label);

    public static readonly IReadOnlyList<Option> Statuses = SerialStatus.All.Select(s => new Option(s, StatusLabel(s))).ToList();
    public static readonly IReadOnlyList<Option> CertificateTypeOptions = CertificateTypes.All.Select(t => new Option(t, TypeLabel(t))).ToList();

    public static string StatusLabel(string status) => status switch
    {
        SerialStatus.InProgress => "in progress",
        _ => status,
    };

    public static string StatusClass(string status) => status switch
    {
        SerialStatus.Completed => "op-status-ok",
        SerialStatus.Scrapped => "op-status-danger",
        SerialStatus.Cancelled => "op-status-warning",
        _ => "",
    };

    public static string TypeLabel(string type) => type switch
    {
        CertificateTypes.Material => "Material",
        CertificateTypes.Process => "Process",
        _ => type,
    };

    public static string StepClass(string state) => $"op-step op-step-{state}";

    /// <summary>Colour is never the only signal: every state has its word and its symbol.</summary>
    public static string StepSymbol(string state) => state switch
    {
        "done" => "check_circle",
        "current" => "play_circle",
        "next" => "arrow_circle_right",
        _ => "radio_button_unchecked",
    };

    public static string StepWord(string state) => state switch
    {
        "done" => "done",
        "current" => "current step",
        "next" => "next",
        _ => "later",
    };

    public static string ScanClass(ScanKind kind) => kind switch
    {
        ScanKind.Recorded => "op-scan-banner op-scan-ok",
        ScanKind.Unit => "op-scan-banner op-scan-ok",
        ScanKind.AlreadyRecorded => "op-scan-banner op-scan-dup",
        _ => "op-scan-banner op-scan-err",
    };

    public static string ScanIcon(ScanKind kind) => kind switch
    {
        ScanKind.Recorded or ScanKind.Unit => "check_circle",
        ScanKind.AlreadyRecorded => "published_with_changes",
        _ => "block",
    };

    /// <summary>Stable names for the browser tests and for assistive technology.</summary>
    public static string ScanKindName(ScanKind kind) => kind switch
    {
        ScanKind.Unit => "unit",
        ScanKind.Recorded => "ok",
        ScanKind.AlreadyRecorded => "duplicate",
        _ => "rejected",
    };

    public static string EventLabel(string kind) => kind switch
    {
        StepEvents.Started => "Started",
        StepEvents.Completed => "Completed",
        StepEvents.Scrapped => "Scrapped",
        _ => kind,
    };

    public static string Time(DateTime? utc) => utc is { } t ? t.ToString("yyyy-MM-dd HH:mm") + " UTC" : "";

    public static string Size(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.#} MB",
    };

    /// <summary>The serial page's address: serial numbers are URL-safe, but escape anyway.</summary>
    public static string Href(string serialNumber) => "/serials/" + Uri.EscapeDataString(serialNumber);
}
