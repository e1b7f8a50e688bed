using System.Text.Json;

namespace Operator.Features.Serials;

/// <summary>
/// The audit actions of the serials feature and the one-line summaries the serial's history shows. The service and
/// the demo seed write the same payloads, so a seeded entry reads like one the station wrote.
/// </summary>
public static class SerialAudit
{
    public const string SerialEntity = "serial";

    /// <summary>
    /// The entity type uniqueness resolutions (RETIRE, MARK_INVALID) wrote before they used <see cref="SerialEntity"/>.
    /// The trail is hash-chained, so those rows keep it: reads of a serial's entries take both.
    /// </summary>
    public const string LegacySerialEntity = "Serial";
    public const string WorkOrderEntity = "work_order";
    public const string CertificateEntity = "certificate";

    public const string CertAttached = "cert_attached";
    public const string SerialsCreated = "serials_created";
    public const string Advanced = "serial_advanced";
    public const string Completed = "serial_completed";
    public const string Scrapped = "serial_scrapped";
    public const string CertificateCreated = "certificate_created";
    public const string DocumentUploaded = "certificate_document_uploaded";

    /// <summary>A uniqueness conflict resolved by RETIRE cancelled the serial (written by serialization's uniqueness).</summary>
    public const string Retired = "serial_retired";

    /// <summary>A uniqueness conflict resolved by MARK_INVALID cancelled the serial with every other claimant of its number.</summary>
    public const string MarkedInvalid = "serial_marked_invalid";

    /// <summary>A pass-through, split, merge or transformation that touched the serial (written by serialization's propagation).</summary>
    public const string Genealogy = "serial_genealogy";

    /// <summary>
    /// The <c>cert_attached</c> entry: the user named in the request, the serial, the certificate, the work order (the
    /// spec's "job"), the path and the step. The authenticated caller is the entry's own user and is repeated as
    /// <c>recordedBy</c>, so the two can differ (a supervisor recording for an operator) and both are kept.
    /// </summary>
    public static object AttachedPayload(Guid attachmentId, Guid userId, Guid serialId, string serialNumber, Guid certificateId, string certificateNumber,
        Guid? workOrderId, string? workOrderNumber, Guid pathId, string pathCode, Guid stepId, int stepIndex, string stepName, DateTime attachedAt,
        Guid? recordedBy, string? recordedByEmail) => new
    {
        attachmentId, userId, serialId, serialNumber, certificateId, certificateNumber, workOrderId, workOrderNumber,
        pathId, pathCode, stepId, stepIndex, stepName, attachedAt, recordedBy, recordedByEmail,
    };

    public static object AdvancedPayload(Guid? userId, int fromIndex, string fromStep, int toIndex, string toStep) =>
        new { userId, fromStepIndex = fromIndex, fromStep, toStepIndex = toIndex, toStep };

    public static object CompletedPayload(Guid? userId, int lastIndex, string lastStep, DateTime completedAt) =>
        new { userId, status = SerialStatus.Completed, lastStepIndex = lastIndex, lastStep, currentStepIndex = Serial.CompletedStepIndex, completedAt };

    public static object ScrappedPayload(Guid? userId, int stepIndex, string? stepName, string reason, DateTime scrappedAt) =>
        new { userId, status = SerialStatus.Scrapped, stepIndex, stepName, reason, scrappedAt };

    /// <summary>A scrap with a code of the organization's list: the code and its label as they were, and the text if any.</summary>
    public static object ScrappedPayload(Guid? userId, int stepIndex, string? stepName, string? reason, DateTime scrappedAt, string reasonCode, string reasonLabel) =>
        new { userId, status = SerialStatus.Scrapped, stepIndex, stepName, reasonCode, reasonLabel, reason, scrappedAt };

    /// <summary>"Damaged (DAMAGED): strap torn", "Damaged (DAMAGED)", or the free text alone when no code was named.</summary>
    public static string ScrapNote(string? code, string? label, string? text) =>
        code is null ? text ?? "" : text is null ? $"{label} ({code})" : $"{label} ({code}): {text}";

    /// <summary>One line for the serial's history, from what the entry recorded.</summary>
    public static string Summarize(string action, string? after)
    {
        JsonElement root = default;
        if (after is not null)
        {
            try
            {
                root = JsonDocument.Parse(after).RootElement;
            }
            catch (JsonException)
            {
                // An entry whose values are not JSON still gets its action's words.
            }
        }
        string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return action switch
        {
            CertAttached => $"Certificate {Text("certificateNumber")} attached at {Text("stepName")}",
            Advanced => $"Advanced from {Text("fromStep")} to {Text("toStep")}",
            Completed => $"Completed after {Text("lastStep")}",
            Scrapped => $"Scrapped at {Text("stepName") ?? "no step"}: {(Text("reasonCode") is { } code ? ScrapNote(code, Text("reasonLabel"), Text("reason")) : Text("reason"))}",
            Genealogy => Text("note") ?? "Genealogy recorded",
            Retired or MarkedInvalid => Text("cancelReason") is { } why ? $"Cancelled: {why}" : "Cancelled",
            _ => action.Replace('_', ' '),
        };
    }

    public static string Label(string action) => action switch
    {
        CertAttached => "Certificate attached",
        Advanced => "Advanced",
        Completed => "Completed",
        Scrapped => "Scrapped",
        SerialsCreated => "Serials created",
        Genealogy => "Genealogy",
        Retired => "Retired (duplicate)",
        MarkedInvalid => "Marked invalid (duplicate)",
        _ => action,
    };
}
