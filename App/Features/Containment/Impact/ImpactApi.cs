using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Containment;

/// <summary>
/// <c>/api/impact</c> in the plain convention: the impact of a suspect thing as JSON, and the recall report as PDF and
/// CSV. Every role of the organization may read it.
/// </summary>
public static class ImpactApi
{
    private const string Parameters = """
        originType: certificate, serial, license_plate, work_order or batch; origin: its number (as given, then in upper case)
        or its UUID; backward: true or false (default false), whether the units the origin came from are included too.
        400 {"error", "details": [{"field", "message"}]} for a missing or unknown originType, a missing origin or a backward
        that is not true/false; 404 "{Type} not found: {origin}" for an unknown number or one of another organization.
        """;

    public static IEndpointRouteBuilder MapImpactApi(this IEndpointRouteBuilder app)
    {
        var impact = app.MapApiGroup("/api/impact", PlainStyle.Instance).WithTags("Containment and recall").RequireAuthorization(Policies.Read);

        impact.MapGet("", ([AsParameters] ImpactQueryString query, ImpactService s, CancellationToken ct) => s.GetAsync(query.Value, ct))
            .WithName("GetImpact")
            .WithSummary("What a suspect certificate, serial, license plate, work order or batch reaches: every affected unit, where it is now, its holds and certificates.")
            .WithDescription(Parameters + """

                Units: every unit that carries the origin (a certificate's: the units it is attached to; a work order's or
                batch's: its units; a serial: itself), every unit that came out of those through the genealogy (split, merge,
                transformation; pass-through links lead nowhere), and with backward=true every unit the carriers came from.
                Each unit: relation (origin, descendant, ancestor), status (in_progress with step and stepIndex, completed,
                consumed with usedIn = the assembly it went into, scrapped, cancelled), work order, batch, holds (numbers of the
                active holds on its work order or batch) and certificates (attached to it or to any unit it came from). Then the
                affected work orders and batches (the origin's own even without units) with their holds, the license plates (a
                plate origin: the plate itself; plates have no link to units), the active holds and the certificates involved,
                and counts.
                """)
            .Produces<ImpactReport>().Produces<ImpactErrorBody>(400).Produces<ImpactErrorBody>(404);

        impact.MapGet("/report.pdf", async Task<object> ([AsParameters] ImpactQueryString query, ImpactService s, CancellationToken ct) =>
                File(await s.GetPdfAsync(query.Value, ct)))
            .WithName("GetRecallReportPdf")
            .WithSummary("The recall report of an impact as PDF: origin, units by status, work orders and batches, active holds, certificates.")
            .WithDescription(Parameters)
            .Produces(200, contentType: "application/pdf").Produces<ImpactErrorBody>(400).Produces<ImpactErrorBody>(404);

        impact.MapGet("/report.csv", async Task<object> ([AsParameters] ImpactQueryString query, ImpactService s, CancellationToken ct) =>
                File(await s.GetCsvAsync(query.Value, ct)))
            .WithName("GetRecallReportCsv")
            .WithSummary("The recall report of an impact as CSV (RFC 4180, UTF-8): one table whose record column says what each line is.")
            .WithDescription(Parameters + """

                Columns: record (origin, unit, license_plate, work_order, batch, hold, certificate), number, part, status, step,
                used_in, work_order, batch, relation, holds, certificates, detail. Text starting with = + - @ is written with a
                leading apostrophe so that no spreadsheet runs it as a formula.
                """)
            .Produces(200, contentType: "text/csv").Produces<ImpactErrorBody>(400).Produces<ImpactErrorBody>(404);

        return app;
    }

    private static object File(Result<ImpactFile> file) =>
        file.IsSuccess ? Results.File(file.Value.Content, file.Value.ContentType, file.Value.FileName) : file;
}

/// <summary>The plain convention's error body, for the OpenAPI document.</summary>
public sealed record ImpactErrorBody(string Error, IReadOnlyList<ImpactErrorDetail>? Details);

public sealed record ImpactErrorDetail(string Field, string Message);

/// <summary>The impact's query string, typed at the group's edge: <c>backward</c> must be true or false.</summary>
public sealed class ImpactQueryString : IBoundRequest
{
    private Result<ImpactRequest>? bound;

    [FromQuery(Name = "originType")] public string? OriginType { get; init; }
    [FromQuery(Name = "origin")] public string? Origin { get; init; }
    [FromQuery(Name = "backward")] public string? Backward { get; init; }

    public ImpactRequest Value => Bound.Value;

    public Error? Failure(ApiStyle style) => Bound.Error;

    private Result<ImpactRequest> Bound => bound ??= Bind();

    private Result<ImpactRequest> Bind()
    {
        bool? backward = Backward?.Trim().ToLowerInvariant() switch
        {
            null or "" => false,
            "true" or "1" => true,
            "false" or "0" => false,
            _ => null,
        };
        if (backward is null) return Error.Validation("backward", "backward must be true or false");
        return new ImpactRequest(OriginType, Origin, backward.Value);
    }
}

public static class ImpactFeature
{
    public static IServiceCollection AddImpactFeature(this IServiceCollection services) => services.AddScoped<ImpactService>();
}
