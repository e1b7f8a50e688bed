using Microsoft.AspNetCore.Mvc;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Auth;

namespace Operator.Features.Find;

/// <summary><c>/api/find</c> in the plain convention: what a number names in the caller's organization. Every role may ask.</summary>
public static class FindApi
{
    public static IEndpointRouteBuilder MapFindApi(this IEndpointRouteBuilder app)
    {
        var find = app.MapApiGroup("/api/find", PlainStyle.Instance).WithTags("Find").RequireAuthorization(Policies.Read);
        find.MapGet("", ([FromQuery(Name = "q")] string? q, FindService s, CancellationToken ct) => s.FindAsync(new FindRequest(q), ct))
            .WithName("Find")
            .WithSummary("What a number names: serials (number or public code), quality holds, license plates, work orders, batches, certificates, vendor serials.")
            .WithDescription($$"""
                q: the number, as typed or scanned (trimmed; at most {{FindService.MaxQueryLength}} characters), or a record's UUID.
                Each kind is looked up by its number as typed and in upper case, in the caller's organization; nothing partial.
                Answers {"query", "matches": [{"kind", "id", "number", "description", "url", "exact"}]}: kind is one of
                {{string.Join(", ", FindKinds.All)}}; url is the page that shows the record; exact is false when the number matched
                only in upper case. Matches spelled as typed come first, then by kind. An accepted vendor serial that its unit still
                carries is listed once, as the serial. No match is an empty list (200). 400 {"error", "details": [{"field": "q", "message"}]}
                for a missing, too long or control-character q.
                """)
            .Produces<FindResultDto>().Produces<FindErrorBody>(400);
        return app;
    }
}

/// <summary>The plain convention's error body, for the OpenAPI document.</summary>
public sealed record FindErrorBody(string Error, IReadOnlyList<FindErrorDetail>? Details);

public sealed record FindErrorDetail(string Field, string Message);

public static class FindFeature
{
    public static IServiceCollection AddFindFeature(this IServiceCollection services) =>
        services.AddScoped<FindService>().AddScoped<RecordDetails>();
}
