using Operator.Features.Holds;

namespace Operator.Features.Find;

/// <summary>
/// The page of each kind of record, so every place a number appears links to the same address. Plates, batches and units
/// are addressed by number (readable, and what a person types); a number that would not survive as one path segment
/// (a slash, a percent sign, a space) is addressed by its id, which every detail page takes as well.
/// </summary>
public static class RecordLinks
{
    public static string Serial(string serialNumber, Guid id) => "/serials/" + Segment(serialNumber, id);

    public static string Lineage(Guid serialId) => $"/lineage/{serialId}";

    public static string Hold(Guid id) => $"/holds/{id}";

    public static string LicensePlate(string number, Guid id) => "/license-plates/" + Segment(number, id);

    public static string WorkOrder(Guid id) => $"/work-orders/{id}";

    public static string Batch(string number, Guid id) => "/batches/" + Segment(number, id);

    public static string Certificate(Guid id) => $"/certificates/{id}";

    /// <summary>The vendor serials list, narrowed to the part and status of the vendor number.</summary>
    public static string VendorSerials(Guid partId, string status) =>
        $"/serialization/vendor?partId={partId}&status={Uri.EscapeDataString(status)}";

    /// <summary>The results page; with <paramref name="open"/> it opens the record itself when exactly one has the number.</summary>
    public static string Find(string query, bool open = false) => "/find?q=" + Uri.EscapeDataString(query) + (open ? "&open=1" : "");

    /// <summary>The record a hold item names; null for a reference type this version does not know.</summary>
    public static string? HoldItem(string referenceType, Guid referenceId, string referenceDisplay) => referenceType switch
    {
        ReferenceTypes.LicensePlate => LicensePlate(referenceDisplay, referenceId),
        ReferenceTypes.WorkOrder => WorkOrder(referenceId),
        ReferenceTypes.Batch => Batch(referenceDisplay, referenceId),
        // A hold on one unit.
        ReferenceTypes.Serial => Serial(referenceDisplay, referenceId),
        _ => null,
    };

    private static string Segment(string number, Guid id) =>
        number.Length > 0 && number.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && number is not ("." or "..")
            ? number
            : id.ToString();
}
