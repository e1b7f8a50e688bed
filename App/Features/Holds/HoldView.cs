using Operator.Infrastructure.Api;
using MudBlazor;

namespace Operator.Features.Holds;

/// <summary>How the hold pages show statuses, priorities and aging (words and the app's status colours), and the grid's sort.</summary>
public static class HoldView
{
    public sealed record Option(string Value, string Label);

    public static readonly IReadOnlyList<Option> Types = HoldTypes.All.Select(t => new Option(t, HoldTypes.Label(t))).ToList();
    public static readonly IReadOnlyList<Option> Priorities = HoldPriorities.All.Select(p => new Option(p, Capitalize(p))).ToList();
    public static readonly IReadOnlyList<Option> DispositionOptions = Dispositions.All.Select(d => new Option(d, Dispositions.Label(d))).ToList();

    public static string StatusLabel(string status) => Capitalize(status);

    public static string PriorityLabel(string priority) => Capitalize(priority);

    public static Color StatusColor(string status) => status switch
    {
        HoldStatuses.Active => Color.Error,
        HoldStatuses.Released => Color.Success,
        _ => Color.Default,
    };

    public static Color PriorityColor(string priority) => priority switch
    {
        HoldPriorities.Critical or HoldPriorities.High => Color.Error,
        HoldPriorities.Medium => Color.Warning,
        _ => Color.Default,
    };

    public static Color AgingColor(string agingStatus) => agingStatus switch
    {
        AgingStatuses.Critical => Color.Error,
        AgingStatuses.Warning => Color.Warning,
        _ => Color.Success,
    };

    public static Color QaStatusColor(string status) => status switch
    {
        "passed" => Color.Success,
        "pending" => Color.Warning,
        "hold" or "rejected" or "scrap" => Color.Error,
        _ => Color.Default,
    };

    /// <summary>
    /// The service's times are UTC but may come back from the database without a kind; saying so here keeps the
    /// conversion to DateTimeOffset from applying the server's own offset.
    /// </summary>
    public static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? at) => at is { } t ? Utc(t) : null;

    /// <summary>"50 h · critical": colour is never the only signal.</summary>
    public static string Aging(int hours, string agingStatus) => $"{hours} h · {agingStatus}";

    public static string AgingTitle(string priority)
    {
        var threshold = (int)HoldAging.Threshold(priority).TotalHours;
        return $"{Capitalize(priority)} priority: warning from {threshold} h, critical from {threshold * 2} h";
    }

    public static string DispositionEffect(string disposition) => disposition switch
    {
        Dispositions.Release => "License plates become passed and go back to operations.",
        Dispositions.Rework => "License plates become pending: they await QA again after rework or retest.",
        Dispositions.Scrap => "License plates become scrap.",
        Dispositions.Return => "License plates become rejected and go back to the supplier.",
        _ => "",
    };

    /// <summary>
    /// The service's messages in a form's words: the API speaks zod ("String must contain at least 10 character(s)"), a
    /// person at a form is told what to do. Same rules, same fields; only the sentences differ.
    /// </summary>
    public static Error? ForPeople(Error? error)
    {
        if (error is null || error.Kind != ErrorKind.Validation) return error;
        return error with { Issues = error.Issues.Select(i => i with { Message = Say(i) }).ToList() };
    }

    private static string Say(FieldIssue issue)
    {
        var field = issue.Path.Count > 0 ? issue.Path[^1] as string : null;
        var missing = issue.Code == "invalid_type";
        return (field, issue.Code) switch
        {
            ("reason", _) when missing => "Enter the reason for the hold.",
            ("reason", "too_small") => $"The reason needs at least {HoldValidation.ReasonMin} characters.",
            ("reason", "too_big") => $"The reason may have at most {HoldValidation.ReasonMax} characters.",
            ("hold_type", _) => "Choose the type of hold.",
            ("priority", _) => "Choose a priority.",
            ("items", "too_small") => "Add at least one license plate, work order or batch.",
            ("items", "too_big") => $"A hold holds at most {HoldValidation.MaxItems} items.",
            ("quantity_held", _) => "Enter a quantity greater than 0, or leave it empty.",
            ("uom", "too_big") => $"At most {HoldValidation.UomMax} characters.",
            ("notes", "too_big") => $"At most {HoldValidation.NotesMax} characters.",
            ("disposition", _) => "Choose a disposition.",
            ("release_notes", "too_big") => $"At most {HoldValidation.ReleaseNotesMax} characters.",
            _ => issue.Message,
        };
    }

    /// <summary>The list's sort parameter for the grid's sorted column (the aging column sorts by held_at, reversed).</summary>
    public static string? SortFor(string? property, bool descending)
    {
        var field = property switch
        {
            nameof(HoldSummaryDto.HoldNumber) => "hold_number",
            nameof(HoldSummaryDto.Status) => "status",
            nameof(HoldSummaryDto.Priority) => "priority",
            nameof(HoldSummaryDto.HoldType) => "hold_type",
            nameof(HoldSummaryDto.ItemsCount) => "items_count",
            nameof(HoldSummaryDto.HeldAt) => "held_at",
            nameof(HoldSummaryDto.AgingHours) => "held_at",
            _ => null,
        };
        if (field is null) return null;
        if (property == nameof(HoldSummaryDto.AgingHours)) descending = !descending;
        return $"{field} {(descending ? "DESC" : "ASC")}";
    }

    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
