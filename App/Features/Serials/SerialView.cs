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

    /// <summary>The status chip's colour; the chip always carries the word too.</summary>
    public static MudBlazor.Color StatusColour(string status) => status switch
    {
        SerialStatus.Completed => MudBlazor.Color.Success,
        SerialStatus.Scrapped => MudBlazor.Color.Error,
        SerialStatus.Cancelled => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Info,
    };

    public static string StatusClass(string status) => status switch
    {
        SerialStatus.Completed => "op-status-ok",
        SerialStatus.Scrapped => "op-status-danger",
        SerialStatus.Cancelled => "op-status-warning",
        _ => "",
    };

    /// <summary>Why a scrapped unit was scrapped, in one line: the code's (current) label and code, and the text.</summary>
    public static string ScrapText(SerialDetailDto d) =>
        SerialAudit.ScrapNote(d.ScrapReasonCode, d.ScrapReasonLabel ?? d.ScrapReasonCode, d.ScrapReason);

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
        "done" => MudBlazor.Icons.Material.Filled.CheckCircle,
        "current" => MudBlazor.Icons.Material.Filled.PlayCircle,
        "next" => MudBlazor.Icons.Material.Filled.ArrowCircleRight,
        _ => MudBlazor.Icons.Material.Filled.RadioButtonUnchecked,
    };

    public static string StepWord(string state) => state switch
    {
        "done" => "done",
        "current" => "current step",
        "next" => "next",
        _ => "later",
    };

    public static string EventLabel(string kind) => kind switch
    {
        StepEvents.Started => "Started",
        StepEvents.Completed => "Completed",
        StepEvents.Scrapped => "Scrapped",
        StepEvents.PassThrough => "Passed through",
        StepEvents.Split => "Split",
        StepEvents.Merge => "Merged",
        StepEvents.Transformation => "Transformed",
        _ => kind,
    };

    /// <summary>A stored UTC time (read back with an unspecified kind on SQLite) as the moment LocalTime shows.</summary>
    public static DateTimeOffset? Utc(DateTime? utc) => utc is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

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

/// <summary>
/// Pages of a list the page already holds (a unit's history and audit entries come with the unit in one read):
/// the grid still pages through ServerData, like every list, without a second query per page.
/// </summary>
public static class LoadedList
{
    public static Task<MudBlazor.GridData<T>> Page<T>(IReadOnlyList<T>? items, MudBlazor.GridState<T> state)
    {
        var all = items ?? [];
        return Task.FromResult(new MudBlazor.GridData<T> { Items = all.Skip(state.Page * state.PageSize).Take(state.PageSize).ToList(), TotalItems = all.Count });
    }
}
