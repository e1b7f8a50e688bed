using Operator.Features.Serials;

namespace Operator.Features.Station;

/// <summary>The three colours the station speaks in; each has its words and its tone too, so colour is never alone.</summary>
public enum SignalColour
{
    /// <summary>Green: recorded, or a unit that can be worked.</summary>
    Go,
    /// <summary>Amber: nothing new happened (already recorded, already moved) or the unit is finished (scrapped, completed, cancelled).</summary>
    Attention,
    /// <summary>Red: refused, or a unit held by a quality hold.</summary>
    Stop,
}

/// <summary>
/// What the station's banner and speaker say after a scan or a tap: the colour, a stable kind name (for tests and
/// assistive technology), the words, and the tone to play. A scanned unit is green only when it can be worked: a held
/// unit is red with its hold numbers, a scrapped, completed or cancelled one amber, so the green ✓ always means "go on".
/// </summary>
public sealed record StationSignal(string Kind, SignalColour Colour, string Title, string Message, string Tone)
{
    public const string ToneRecorded = "recorded";
    public const string ToneAlready = "already-recorded";
    public const string ToneRefused = "refused";

    public bool IsAlert => Colour == SignalColour.Stop;

    public string CssClass => Colour switch
    {
        SignalColour.Go => "op-scan-banner op-scan-ok",
        SignalColour.Attention => "op-scan-banner op-scan-dup",
        _ => "op-scan-banner op-scan-err",
    };

    public string Icon => Kind switch
    {
        "unit" or "ok" => MudBlazor.Icons.Material.Filled.CheckCircle,
        "duplicate" => MudBlazor.Icons.Material.Filled.PublishedWithChanges,
        "closed" => MudBlazor.Icons.Material.Filled.Info,
        "held" => MudBlazor.Icons.Material.Filled.PanTool,
        "elsewhere" => MudBlazor.Icons.Material.Filled.WrongLocation,
        _ => MudBlazor.Icons.Material.Filled.Block,
    };

    public static StationSignal For(ScanResult r) => r.Kind switch
    {
        ScanKind.Unit when r.Unit is { } u => ForUnit(u, r.Message),
        ScanKind.Unit or ScanKind.Recorded => new("ok", SignalColour.Go, r.Title, r.Message, ToneRecorded),
        ScanKind.WrongStation => new("elsewhere", SignalColour.Attention, r.Title, r.Message, ToneRefused),
        ScanKind.AlreadyRecorded => new("duplicate", SignalColour.Attention, r.Title, r.Message, ToneAlready),
        _ => new("rejected", SignalColour.Stop, r.Title, r.Message, ToneRefused),
    };

    private static StationSignal ForUnit(SerialDetailDto u, string description) => u.Status switch
    {
        SerialStatus.Scrapped => new("closed", SignalColour.Attention, $"{u.SerialNumber} is scrapped",
            $"Scrapped at {u.CurrentStepName ?? "no step"}: {u.ScrapReason}. It cannot move; certificates can still be attached.", ToneAlready),
        SerialStatus.Completed => new("closed", SignalColour.Attention, $"{u.SerialNumber} is completed",
            "All steps are done. Nothing more can be recorded on this unit.", ToneAlready),
        SerialStatus.Cancelled => new("closed", SignalColour.Attention, $"{u.SerialNumber} is cancelled",
            $"Cancelled{(string.IsNullOrEmpty(u.CancelReason) ? "" : ": " + u.CancelReason)}. Nothing can be recorded on this unit.", ToneAlready),
        _ when u.IsBlocked => new("held", SignalColour.Stop, $"{u.SerialNumber} is on hold",
            $"Held by {HoldNumbers(u)}: do not advance or complete it until released. Certificates can still be attached.", ToneRefused),
        _ when !u.CanMove => new("closed", SignalColour.Attention, u.SerialNumber, description, ToneAlready),
        _ => new("unit", SignalColour.Go, u.SerialNumber, description, ToneRecorded),
    };

    public static string HoldNumbers(SerialDetailDto u) => string.Join(", ", u.BlockingHolds.Select(h => h.HoldNumber));
}

/// <summary>
/// Which of the station's moves the service would accept for a unit as shown, and why not: the buttons are disabled
/// with these words instead of letting a tap be refused. The service checks everything again inside the move.
/// </summary>
public sealed record StationMoves(string? AdvanceBlocked, string? CompleteBlocked, string? ScrapBlocked)
{
    public bool CanAdvance => AdvanceBlocked is null;
    public bool CanComplete => CompleteBlocked is null;
    public bool CanScrap => ScrapBlocked is null;

    public static StationMoves For(SerialDetailDto u)
    {
        var scrap = u.Status == SerialStatus.InProgress ? null : $"{Closed(u.Status)} units cannot be scrapped.";
        string? both = u.Status switch
        {
            SerialStatus.InProgress when u.IsBlocked => $"On hold ({StationSignal.HoldNumbers(u)}): it may move again once released.",
            SerialStatus.InProgress when !u.CanMove => "Not on a process path: there is no step to move from.",
            SerialStatus.InProgress => null,
            var s => $"{Closed(s)} units do not move.",
        };
        if (both is not null) return new(both, both, scrap);
        var last = u.Steps.Count > 0 ? u.Steps[^1].Name : "";
        return u.AtLastStep
            ? new($"{u.CurrentStepName} is the last step: complete the unit instead.", null, scrap)
            : new(null, $"Completing is for the last step ({last}).", scrap);
    }

    private static string Closed(string status) => status switch
    {
        SerialStatus.Completed => "Completed",
        SerialStatus.Scrapped => "Scrapped",
        SerialStatus.Cancelled => "Cancelled",
        _ => status,
    };
}
