using Operator.Infrastructure.Api;

namespace Operator.Components.Shared;

/// <summary>
/// A service's field issues as a MudBlazor field shows them (<c>Error</c> and <c>ErrorText</c>), so each message
/// stands next to the input it is about. Fields are matched by the issue's path as the service names it.
/// </summary>
public static class FieldIssueText
{
    public static bool HasIssue(this Error? error, string field) => error?.Issues.Any(i => i.Field == field) == true;

    /// <summary>The messages for one field, joined; null when the field has none.</summary>
    public static string? IssueText(this Error? error, string field) =>
        error?.Issues.Where(i => i.Field == field).Select(i => i.Message).ToList() is { Count: > 0 } messages ? string.Join(" ", messages) : null;

    /// <summary>The issues no field on the form shows (a form-level alert lists them).</summary>
    public static IReadOnlyList<string> OtherIssues(this Error? error, params string[] shownFields) =>
        error?.Issues.Where(i => !shownFields.Contains(i.Field)).Select(i => i.Message).ToList() ?? [];
}
