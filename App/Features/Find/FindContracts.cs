namespace Operator.Features.Find;

/// <summary>The kinds of record a number can name, in the order matches are listed.</summary>
public static class FindKinds
{
    public const string Serial = "serial";
    public const string Hold = "hold";
    public const string LicensePlate = "license_plate";
    public const string WorkOrder = "work_order";
    public const string Batch = "batch";
    public const string Certificate = "certificate";
    public const string VendorSerial = "vendor_serial";
    public static readonly IReadOnlyList<string> All = [Serial, Hold, LicensePlate, WorkOrder, Batch, Certificate, VendorSerial];

    public static string Label(string kind) => kind switch
    {
        Serial => "Serial",
        Hold => "Quality hold",
        LicensePlate => "License plate",
        WorkOrder => "Work order",
        Batch => "Batch",
        Certificate => "Certificate",
        VendorSerial => "Vendor serial",
        _ => kind,
    };

    private static readonly Dictionary<string, int> Ranks = All.Select((kind, i) => (kind, i)).ToDictionary(x => x.kind, x => x.i);

    public static int Rank(string kind) => Ranks.GetValueOrDefault(kind, All.Count);
}

/// <summary>What the top bar's box was given: any number (or a record's UUID).</summary>
public sealed record FindRequest(string? Query);

/// <summary>
/// One record the number names: its kind (<see cref="FindKinds.All"/>), id, number, a one-line description and the page
/// that shows it. <c>exact</c> says the number is spelled as typed (false: it matched in upper case).
/// </summary>
public sealed record FindMatchDto(string Kind, Guid Id, string Number, string Description, string Url, bool Exact);

/// <summary>GET /api/find: the query as looked up (trimmed) and its matches, those spelled as typed first.</summary>
public sealed record FindResultDto(string Query, IReadOnlyList<FindMatchDto> Matches);
