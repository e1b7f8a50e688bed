using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;
using static Operator.Features.Serialization.WorkflowEndpoints;

namespace Operator.Features.Serialization;

/// <summary>
/// Serial formats, the <c>formatConfigId</c> the spec refers to but does not define: designed in the spec's style
/// (envelope, paging, VALIDATION_ERROR naming the field). Reads for every role, writes for ADMIN.
/// </summary>
public static class SerialFormatEndpoints
{
    private const string PatternHelp = """
        kind: PATTERN (default) or PUBLIC_CODE. A PATTERN's pattern is literal text (printable ASCII, no spaces or braces) and
        tokens {YYYY} {YY} {MM} {DD} (UTC date) {ORG} (organization code) {SITE} (context.siteId) {PART} (part number) {SKU}
        and exactly one {SEQ:n}, the sequence zero-padded to n digits (1-12), e.g. TST-{YYYY}-{MM}{DD}-{SEQ:4}. An unknown token,
        a missing or second {SEQ:n} is a VALIDATION_ERROR on "pattern". resetPolicy NEVER (default), DAILY, MONTHLY, YEARLY:
        the sequence restarts at 1 in each period (counter fmt:{formatId}:{period}). A PUBLIC_CODE format issues the signed
        public code of publicly verifiable parts (pattern is its fixed description, resetPolicy DAILY); productionType (HAT,
        OEM) optional, must match the part's when set.
        """;

    public static RouteGroupBuilder MapSerialFormatEndpoints(this RouteGroupBuilder group)
    {
        var formats = group.MapGroup("/formats").WithTags("Serialization: serial formats");

        formats.MapPost("", (JsonBody<CreateSerialFormatRequest> body, SerialFormatService s, CancellationToken ct) => s.CreateAsync(body.Value, ct))
            .RequireAuthorization(Policies.Admin).SucceedsWith(201)
            .WithName("CreateSerialFormat")
            .WithSummary("Create a serial format (a formatConfigId). Names are unique in the organization (409).")
            .WithDescription("ADMIN. name 1-100. " + PatternHelp)
            .DocumentBody<CreateSerialFormatRequest>()
            .Produces<WorkflowEnvelope<SerialFormatDto>>(201).ProducesWorkflowErrors(400, 401, 403, 409);

        formats.MapGet("", ([AsParameters] SerialFormatListQueryString query, SerialFormatService s, CancellationToken ct) => s.ListAsync(query.Value, ct))
            .WithName("ListSerialFormats")
            .WithSummary("Serial formats by name; isActive=true|false filters; paged: data is {data, total, limit, offset}.")
            .Produces<WorkflowEnvelope<WorkflowPage<SerialFormatDto>>>().ProducesWorkflowErrors(400, 401);

        formats.MapPost("/preview", (JsonBody<PreviewPatternRequest> body, SerialFormatService s, CancellationToken ct) => s.PreviewAsync(body.Value, ct))
            .WithName("PreviewSerialPattern")
            .WithSummary("The numbers a pattern being edited would give (from sequence 1, or continuing formatId's counter). Nothing is written.")
            .WithDescription("Body {pattern, kind?, resetPolicy?, partId?, siteId?, formatId?, count? (1-50, default 5)}. Tokens without a value (no part or site given) print as themselves.")
            .DocumentBody<PreviewPatternRequest>()
            .Produces<WorkflowEnvelope<FormatPreviewDto>>().ProducesWorkflowErrors(400, 401, 404);

        formats.MapGet("/{formatId}", (string formatId, SerialFormatService s, CancellationToken ct) => s.GetAsync(formatId, ct))
            .WithName("GetSerialFormat")
            .WithSummary("One serial format.")
            .Produces<WorkflowEnvelope<SerialFormatDto>>().ProducesWorkflowErrors(401, 404);

        formats.MapPatch("/{formatId}", (string formatId, JsonBody<UpdateSerialFormatRequest> body, SerialFormatService s, CancellationToken ct) => s.UpdateAsync(formatId, body.Value, ct))
            .RequireAuthorization(Policies.Admin)
            .WithName("UpdateSerialFormat")
            .WithSummary("Update a serial format: the fields present change (isActive=false retires it). Numbers already issued stay.")
            .WithDescription("ADMIN. " + PatternHelp)
            .DocumentBody<UpdateSerialFormatRequest>()
            .Produces<WorkflowEnvelope<SerialFormatDto>>().ProducesWorkflowErrors(400, 401, 403, 404, 409);

        formats.MapGet("/{formatId}/preview", (string formatId, [AsParameters] FormatPreviewQueryString query, SerialFormatService s, CancellationToken ct) =>
                s.PreviewAsync(formatId, query.Value, ct))
            .WithName("PreviewSerialFormat")
            .WithSummary("The next numbers of a format without drawing them (count 1-50, default 5; partId and siteId fill {PART}, {SKU}, {SITE}).")
            .WithDescription("Nothing is written: the numbers are what the next generation would draw if nobody else draws first. remaining: numbers left in the period. A PUBLIC_CODE preview needs partId.")
            .Produces<WorkflowEnvelope<FormatPreviewDto>>().ProducesWorkflowErrors(400, 401, 404);

        return group;
    }
}
