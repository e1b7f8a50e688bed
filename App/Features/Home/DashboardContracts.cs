using Operator.Features.Holds;

namespace Operator.Features.Home;

/// <summary>What the dashboard shows a role: each section is null when the role does not see it.</summary>
public sealed record DashboardData(string Role, DateTime GeneratedAt, OperatorSection? Operator, QualitySection? Quality, PlantSection? Plant);

/// <summary>Work in progress on every path, and (for an operator) their own steps done today, per hour.</summary>
public sealed record OperatorSection(IReadOnlyList<WipPath> Wip, IReadOnlyList<HourCount>? MyWorkToday);

public sealed record WipPath(Guid PathId, string Code, string Name, IReadOnlyList<WipStep> Steps)
{
    public int Units => Steps.Sum(s => s.Units);
}

public sealed record WipStep(int Index, string Name, int Units);

/// <summary>Steps a user completed (advances and completions) in one UTC hour of today.</summary>
public sealed record HourCount(int Hour, int StepsDone);

public sealed record QualitySection(
    ActiveHoldCounts Active,
    IReadOnlyList<AgeBucket> ByAge,
    IReadOnlyList<HoldDay> PerDay,
    IReadOnlyList<NamedCount> TopReasons,
    IReadOnlyList<NamedCount> ByType,
    IReadOnlyList<OldestHold> Oldest,
    int PendingConflicts,
    int VendorSerialsWaiting);

/// <summary>Active holds held since a day range: <see cref="From"/> and <see cref="To"/> are the list's inclusive day filters.</summary>
public sealed record AgeBucket(string Label, int Holds, DateOnly? From, DateOnly? To);

public sealed record HoldDay(DateOnly Day, int Opened, int Closed);

public sealed record NamedCount(string Name, int Count);

public sealed record OldestHold(Guid Id, string HoldNumber, string Priority, string HoldType, string Reason, DateTime HeldAt);

public sealed record PlantSection(IReadOnlyList<OriginDay> SerialsPerDay, IReadOnlyList<ScanDay> ScansPerDay, int FailedTriggerEvents);

/// <summary>
/// Serials created on a day by how they came to be: generated from a format, received from a vendor, assigned late to a
/// placeholder, or numbered in a batch for a work order (origin <c>auto_job</c>); other covers split/merge targets and
/// hand-made units.
/// </summary>
public sealed record OriginDay(DateOnly Day, int Generated, int Vendor, int LateAssignment, int Batch, int Other)
{
    public int Total => Generated + Vendor + LateAssignment + Batch + Other;
}

public sealed record ScanDay(DateOnly Day, long Genuine, long NotGenuine)
{
    /// <summary>The share of scans that were not genuine, 0 to 1 (0 on a day without scans).</summary>
    public double NotGenuineShare => Genuine + NotGenuine == 0 ? 0 : (double)NotGenuine / (Genuine + NotGenuine);
}

/// <summary>The sections each role sees.</summary>
public static class DashboardSections
{
    public static bool SeesOperator(string? role) => role is Infrastructure.Auth.Roles.Operator or Infrastructure.Auth.Roles.Viewer;
    public static bool SeesQuality(string? role) => role is Infrastructure.Auth.Roles.QaInspector or Infrastructure.Auth.Roles.QaManager;
    public static bool SeesPlant(string? role) => role is Infrastructure.Auth.Roles.QaManager or Infrastructure.Auth.Roles.Admin;
}
