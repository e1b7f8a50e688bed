using Operator.Features.Serialization;
using Operator.Features.Serials;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Features.Station;

/// <summary>The signal a scan or a button gives at the station.</summary>
public enum ScanKind
{
    /// <summary>A serial was scanned and is now the unit on the station.</summary>
    Unit,
    /// <summary>Something was recorded (certificate attached, unit advanced, completed, scrapped).</summary>
    Recorded,
    /// <summary>It had been recorded before: nothing new was written.</summary>
    AlreadyRecorded,
    /// <summary>Nothing was written; <see cref="ScanResult.Message"/> says why.</summary>
    Rejected,
    /// <summary>A unit in progress at a step this station does not work at: shown, but not worked here.</summary>
    WrongStation,
}

/// <summary>What the station shows after a scan or an action: the signal, words for it, and the unit as it now is.</summary>
public sealed record ScanResult(ScanKind Kind, string Title, string Message, SerialDetailDto? Unit);

/// <summary>
/// The station's rules for one scan from a keyboard-wedge scanner: a serial number (or UUID) makes that unit the
/// station's unit; a certificate number (or UUID) is attached to the station's unit at its current step, as the
/// signed-in user. A code that names both is taken as a serial. Anything else is rejected in words, and nothing is
/// written. Buttons (advance, complete, scrap) go through <see cref="SerialService"/> and answer the same way.
/// <para>At a station with a profile (<c>station</c> arguments), what the profile does not allow is refused
/// here, and so is any move of a unit that is not at one of the profile's steps; without a profile (the generic station)
/// everything the role may do is offered.</para>
/// </summary>
public sealed class StationService(
    SerialService serials, SerialDetailService units, IDbContextFactory<OperatorDb> factory, ICurrentUser caller, PlaceholderService placeholders)
{
    public const int MaxScanLength = 200;

    public Task<ScanResult> ScanAsync(string? text, SerialDetailDto? unit, CancellationToken ct = default) => ScanAsync(text, unit, null, ct);

    public async Task<ScanResult> ScanAsync(string? text, SerialDetailDto? unit, StationProfileDto? station, CancellationToken ct = default)
    {
        var code = (text ?? "").Trim();
        if (code.Length == 0)
        {
            return Rejected("Nothing was scanned. Scan a serial number, then a certificate number.", unit);
        }
        if (code.Length > MaxScanLength || code.Any(char.IsControl))
        {
            return Rejected($"Not a serial or certificate number: \"{SerialRules.Clip(new string(code.Where(c => !char.IsControl(c)).ToArray()))}\"", unit);
        }

        var found = await units.GetAsync(code, ct);
        if (found.IsSuccess)
        {
            var u = found.Value;
            if (station is not null && u.Status == SerialStatus.InProgress && !station.WorksAt(u.CurrentStepId))
            {
                return new ScanResult(ScanKind.WrongStation, $"{u.SerialNumber} is not for this station", Elsewhere(u, station), u);
            }
            return new ScanResult(ScanKind.Unit, u.SerialNumber, Describe(u), u);
        }

        CertificateRef? cert;
        await using (var db = factory.CreateDbContext())
        {
            cert = await CertificateService.FindAsync(db, code, ct);
        }
        if (cert is null)
        {
            return Rejected($"Unknown code \"{SerialRules.Clip(code)}\": no serial or certificate of your organization has this number.", unit);
        }
        if (unit is null)
        {
            return Rejected($"{cert.Number} is a certificate. Scan the unit's serial number first, then the certificate.", null);
        }
        if (station is not null && !station.Allows(StationActions.AttachCertificates))
        {
            return Rejected($"{cert.Number} is a certificate, and {station.Name} does not attach certificates.", unit);
        }
        var userId = caller.UserId ?? throw new InvalidOperationException("The station needs a signed-in user.");
        var attached = await serials.AttachAsync(unit.Id.ToString(), new AttachCertRequest(cert.Id.ToString(), userId), ct);
        var fresh = await RefreshAsync(unit, ct);
        if (!attached.IsSuccess)
        {
            return Rejected(attached.Error!.Message, fresh);
        }
        var outcome = attached.Value;
        return outcome.Created
            ? new ScanResult(ScanKind.Recorded, $"{outcome.CertificateNumber} attached", $"Certificate {outcome.CertificateNumber} attached to {outcome.SerialNumber} at {outcome.StepName}.", fresh)
            : new ScanResult(ScanKind.AlreadyRecorded, "Already recorded", $"Certificate {outcome.CertificateNumber} was already attached to {outcome.SerialNumber} at {outcome.StepName}. Nothing new was recorded.", fresh);
    }

    /// <summary>
    /// Moves <paramref name="unit"/> (as the operator saw it when tapping) to its next step. The step it was shown at
    /// goes along as the expected step, so a second tap of the same button is refused by the service inside the move
    /// (the unit has left that step) and answered as "already moved", never as a second move.
    /// </summary>
    public async Task<ScanResult> AdvanceAsync(SerialDetailDto unit, StationProfileDto? station = null, CancellationToken ct = default)
    {
        if (Refuse(station, unit, StationActions.Advance, "advance units") is { } refused) return refused;
        var result = await serials.AdvanceAsync(unit.Id.ToString(), new AdvanceSerialRequest(unit.CurrentStepId), ct);
        return result.IsSuccess
            ? new ScanResult(ScanKind.Recorded, $"Moved to {result.Value.CurrentStepName}", $"{unit.SerialNumber} left {unit.CurrentStepName} and is now at {result.Value.CurrentStepName}.", result.Value)
            : await RefusedMoveAsync(unit, result.Error!, ct);
    }

    /// <summary>Completes <paramref name="unit"/> at its last step, with the same expected-step guard as <see cref="AdvanceAsync"/>.</summary>
    public async Task<ScanResult> CompleteAsync(SerialDetailDto unit, StationProfileDto? station = null, CancellationToken ct = default)
    {
        if (Refuse(station, unit, StationActions.Complete, "complete units") is { } refused) return refused;
        var result = await serials.CompleteAsync(unit.Id.ToString(), unit.CurrentStepId, ct);
        return result.IsSuccess
            ? new ScanResult(ScanKind.Recorded, "Completed", $"{unit.SerialNumber} is completed after {unit.CurrentStepName}.", result.Value)
            : await RefusedMoveAsync(unit, result.Error!, ct);
    }

    public Task<ScanResult> ScrapAsync(SerialDetailDto unit, string reason, CancellationToken ct = default) =>
        ScrapAsync(unit, new ScrapSerialRequest(reason), null, ct);

    public async Task<ScanResult> ScrapAsync(SerialDetailDto unit, ScrapSerialRequest request, StationProfileDto? station = null, CancellationToken ct = default)
    {
        if (Refuse(station, unit, StationActions.Scrap, "scrap units") is { } refused) return refused;
        var result = await serials.ScrapAsync(unit.Id.ToString(), request, ct);
        return result.IsSuccess
            ? new ScanResult(ScanKind.Recorded, "Scrapped", $"{unit.SerialNumber} is scrapped: {SerialView.ScrapText(result.Value)}", result.Value)
            : Rejected(result.Error!.Message, await RefreshAsync(unit, ct));
    }

    /// <summary>
    /// Gives the placeholder <paramref name="placeholderId"/> (waiting for late assignment at this station's operation) the
    /// scanned serial number, through <see cref="PlaceholderService.AssignAsync(Guid, AssignPlaceholderRequest, CancellationToken)"/>
    /// exactly as <c>POST .../late-assignment/{id}/assign</c> does (same checks, same audit entries). The new unit becomes the station's unit.
    /// </summary>
    public async Task<ScanResult> AssignPlaceholderAsync(Guid placeholderId, string? text, StationProfileDto? station, CancellationToken ct = default)
    {
        if (station is not null && !station.Allows(StationActions.AssignPlaceholders))
        {
            return Rejected($"{station.Name} does not assign serial numbers to placeholders.", null);
        }
        var code = (text ?? "").Trim();
        if (code.Length == 0 || code.Length > MaxScanLength || code.Any(char.IsControl))
        {
            return Rejected("Scan the serial number to give this placeholder.", null);
        }
        var assigned = await placeholders.AssignAsync(placeholderId, new AssignPlaceholderRequest(code), ct);
        if (!assigned.IsSuccess) return Rejected(assigned.Error!.Message, null);
        var unit = await units.GetAsync(assigned.Value.SerialId.ToString(), ct);
        var fresh = unit.IsSuccess ? unit.Value : null;
        var where = fresh?.CurrentStepName is { } step ? $" It is at {step}." : "";
        return new ScanResult(ScanKind.Recorded, $"{assigned.Value.SerialNumber} assigned", $"The placeholder now is unit {assigned.Value.SerialNumber}.{where}", fresh);
    }

    /// <summary>"P-… is at Stitching; this station works at Cutting."</summary>
    public static string Elsewhere(SerialDetailDto u, StationProfileDto station) =>
        $"{u.SerialNumber} is at {u.CurrentStepName ?? "no step"}; this station works at {(station.Steps.Count == 0 ? "no step of this path" : station.StepNames)}.";

    private static ScanResult? Refuse(StationProfileDto? station, SerialDetailDto unit, StationActions action, string verb)
    {
        if (station is null) return null;
        if (!station.Allows(action)) return Rejected($"{station.Name} does not {verb}.", unit);
        return unit.Status == SerialStatus.InProgress && !station.WorksAt(unit.CurrentStepId) ? Rejected(Elsewhere(unit, station), unit) : null;
    }

    /// <summary>One line about a unit: what it is, where it is, and what stops it.</summary>
    public static string Describe(SerialDetailDto u)
    {
        var where = u.Status switch
        {
            SerialStatus.Completed => "completed",
            SerialStatus.Scrapped => $"scrapped at {u.CurrentStepName ?? "no step"}",
            SerialStatus.Cancelled => "cancelled",
            _ when u.CurrentStepName is null => "not on a process path",
            _ => $"at {u.CurrentStepName}, step {u.CurrentStepIndex + 1} of {u.Steps.Count}",
        };
        var order = u.WorkOrder is null ? "" : $" · {u.WorkOrder.Number}";
        var held = u.IsBlocked && u.Status == SerialStatus.InProgress ? $" · ON HOLD ({string.Join(", ", u.BlockingHolds.Select(h => h.HoldNumber))})" : "";
        return $"{u.Part.Name} ({u.Part.Number}){order} · {where}{held}";
    }

    /// <summary>
    /// A refused move on a unit that has meanwhile left the step (or the in-progress state) the operator saw was
    /// already done, by an earlier tap or another station: amber "already moved", not red. Anything else is a refusal.
    /// </summary>
    private async Task<ScanResult> RefusedMoveAsync(SerialDetailDto seen, Error error, CancellationToken ct)
    {
        var fresh = await RefreshAsync(seen, ct);
        var moved = fresh is not null && seen.Status == SerialStatus.InProgress
            && (fresh.Status != SerialStatus.InProgress || fresh.CurrentStepId != seen.CurrentStepId)
            && fresh.Status != SerialStatus.Scrapped && fresh.Status != SerialStatus.Cancelled;
        return moved
            ? new ScanResult(ScanKind.AlreadyRecorded, "Already moved", error.Message, fresh)
            : Rejected(error.Message, fresh);
    }

    private async Task<SerialDetailDto?> RefreshAsync(SerialDetailDto unit, CancellationToken ct)
    {
        var again = await units.GetAsync(unit.Id.ToString(), ct);
        return again.IsSuccess ? again.Value : null;
    }

    private static ScanResult Rejected(string message, SerialDetailDto? unit) => new(ScanKind.Rejected, "Rejected", message, unit);
}
