using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Verification;

/// <summary>
/// <c>/api/public/serial/verify</c> (shared/specs/public-verification.md): anonymous, CORS <c>*</c>, 60 requests per
/// hour per client address; and <c>/api/labels</c>: label sheets (PDF) for signed-in users.
/// </summary>
public static class VerificationApi
{
    public const string CorsPolicy = "public-verify";

    private static readonly string[] OtherMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Head];

    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder app)
    {
        var verify = app.MapApiGroup("/api/public/serial/verify", PublicVerifyStyle.Instance)
            .WithTags("Public verification")
            .WithoutAuthentication()
            .RequireCors(CorsPolicy)
            .RequireSharedRateLimit(VerificationRateLimit.PolicyName);

        verify.MapGet("/{serial_code}", ([FromRoute(Name = "serial_code")] string serialCode, VerificationService s, CancellationToken ct) =>
                s.VerifyForApiAsync(serialCode, ct))
            .WithName("VerifySerial")
            .WithSummary("Verify a serial code: genuine, registered, and its status. Anonymous.")
            .WithDescription(VerifyDescription)
            .Produces<VerifyResponse>().Produces<PublicVerifyErrorBody>(400).Produces<PublicVerifyErrorBody>(404).Produces<PublicVerifyErrorBody>(429);

        verify.MapGet("", ([FromQuery(Name = "serial")] string? serial, VerificationService s, CancellationToken ct) =>
                s.VerifyForApiAsync(serial, ct))
            .WithName("VerifySerialByQuery")
            .WithSummary("The same verification with the code in the query: ?serial={serial_code}.")
            .WithDescription("Without a code: 400 \"Missing serial code. Usage: /api/public/serial/verify/{serial_code}\". Otherwise exactly as GET /api/public/serial/verify/{serial_code}.")
            .Produces<VerifyResponse>().Produces<PublicVerifyErrorBody>(400).Produces<PublicVerifyErrorBody>(404).Produces<PublicVerifyErrorBody>(429);

        // Anything else under the group would otherwise meet the app's fallback policy (sign-in required) and answer an
        // anonymous caller 401. A path with more segments is a "code" containing a slash, which no code does: the
        // spec's invalid-format 400. Other methods: 405 naming what is allowed. Both still count against the rate limit.
        verify.MapGet("/{first}/{**rest}", () => Result<VerifyResponse>.Fail(Error.Validation(VerificationService.InvalidFormatMessage)))
            .WithName("VerifySerialInvalidPath").ExcludeFromDescription();
        // "{**rest}" is optional, so this also covers the group's own path.
        verify.MapMethods("/{**rest}", OtherMethods, MethodNotAllowed).WithName("VerifySerialMethodNotAllowed").ExcludeFromDescription();

        var labels = app.MapApiGroup("/api/labels", PlainStyle.Instance).WithTags("Labels").RequireAuthorization(Policies.Read);

        labels.MapGet("/serials/{number}.pdf", async Task<object> (string number, LabelService s, CancellationToken ct) => Pdf(await s.ForSerialAsync(number, ct)))
            .WithName("SerialLabel")
            .WithSummary("A label sheet (PDF) with the label of one serial of the caller's organization.")
            .WithDescription(LabelsDescription)
            .Produces(200, contentType: "application/pdf").Produces<PlainErrorBody>(404);

        labels.MapGet("/work-orders/{id}.pdf", async Task<object> (string id, LabelService s, CancellationToken ct) => Pdf(await s.ForWorkOrderAsync(id, ct)))
            .WithName("WorkOrderLabels")
            .WithSummary("A label sheet (PDF) for every serial of a work order, by its id or its number (WO-00001).")
            .WithDescription(LabelsDescription + " 409 when the work order has no serials yet.")
            .Produces(200, contentType: "application/pdf").Produces<PlainErrorBody>(404).Produces<PlainErrorBody>(409);

        labels.MapPost("", async Task<object> (JsonRecord<LabelsRequest> body, LabelService s, CancellationToken ct) => Pdf(await s.ForSerialsAsync(body.Value, ct)))
            .WithName("SerialListLabels")
            .WithSummary("A label sheet (PDF) for a list of serial numbers, e.g. those a batch create returned.")
            .WithDescription(LabelsDescription + """
                 Body {"serialNumbers": ["...", ...]}: 1 to 1000 numbers of 1-100 characters, labelled in the order given
                (a repeated number once). 400 names the first invalid entry; 404 "Serial not found: ..." names unknown numbers.
                """)
            .Produces(200, contentType: "application/pdf").Produces<PlainErrorBody>(400).Produces<PlainErrorBody>(404);

        return app;
    }

    private static object Pdf(Result<LabelSheetFile> sheet) =>
        sheet.IsSuccess ? Results.File(sheet.Value.Content, "application/pdf", sheet.Value.FileName) : sheet;

    private static readonly Delegate MethodNotAllowed = (HttpContext http) =>
    {
        http.Response.Headers.Allow = "GET, OPTIONS";
        return Result<VerifyResponse>.Fail(new Error(ErrorKind.Other, "Method not allowed", []) { Status = StatusCodes.Status405MethodNotAllowed });
    };

    private const string VerifyDescription = """
        Anonymous; CORS Access-Control-Allow-Origin * for GET and OPTIONS; 60 requests per hour per client address (429
        {"ok": false, "error": "Rate limit exceeded. Maximum 60 requests per hour per IP."} with Retry-After).
        The code is normalized (trimmed, upper-cased), then checked in order: format (400 "Invalid serial code format":
        empty after trimming is 400 "Missing serial code...", over 200 characters, non-ASCII, wrong shape), check character
        (404 reason "invalid_checksum": most likely mistyped), signature (404 reason "not_found", deliberately the same
        answer as an unregistered code so the endpoint tells nothing about signature guesses), registry (the serial must
        belong to the code's organization, its part be publicly verifiable and its visibility public; else 404 reason
        "not_found"), status. 200 {"ok", "valid", "verified", "serial", "status", "production_type", "scope", "data"}; a
        status other than active adds "warning": "serial_not_active". data holds tenant, sku, manufactured_at (UTC to the
        second), status, origin and visibility; organizations in standard privacy mode add traceability {path: the
        process path's step names, nodes: [{node_name, completed_at}] for the completed steps}. Never any person, user
        id, email or internal id.
        """;

    private const string LabelsDescription = """
        Every role of the caller's organization (the browser's cookie works for GET). A4 sheets of 3 x 8 labels (70 x 37
        mm). Serials whose number is a signed public code of a publicly verifiable part get a QR code of
        {Verification:PublicBaseUrl}/verify/{code}; other serials get a label with their number, marked as not publicly
        verifiable, without QR code.
        """;
}

/// <summary>OpenAPI shape of the public verification errors.</summary>
public sealed record PublicVerifyErrorBody(bool Ok, string Error, string? Reason);

/// <summary>OpenAPI shape of the plain convention's errors.</summary>
public sealed record PlainErrorBody(string Error);
