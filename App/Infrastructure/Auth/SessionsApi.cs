using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Operator.Infrastructure.Api;
using Operator.Infrastructure.Data;
using Operator.Infrastructure.Tenancy;

namespace Operator.Infrastructure.Auth;

public sealed record OrganizationRef(Guid Id, string Code, string Name);
public sealed record MeResponse(Guid Id, string Email, string Name, string Role, OrganizationRef Organization);

public static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/sessions", PlainStyle.Instance).WithTags("Sessions");

        group.MapPost("", (JsonRecord<SignInRequest> request, TokenService tokens) => tokens.SignInAsync(request.Value))
            .AllowAnonymous()
            .WithName("CreateSession")
            .WithSummary("Sign in with email and password; answers an access and a refresh token.")
            .AddEndpointFilter(NoStore)
            .Produces<TokenResponse>();

        group.MapPost("/refresh", (JsonRecord<RefreshRequest> request, TokenService tokens) => tokens.RefreshAsync(request.Value))
            .AllowAnonymous()
            .WithName("RefreshSession")
            .WithSummary("Trade a refresh token for a new access and refresh token.")
            .AddEndpointFilter(NoStore)
            .Produces<TokenResponse>();

        group.MapGet("/me", async (ICurrentUser user, IDbContextFactory<OperatorDb> factory) =>
            {
                await using var db = factory.CreateDbContext();
                var me = await db.Users.Where(u => u.Id == user.UserId)
                    .Select(u => new MeResponse(u.Id, u.Email!, u.DisplayName, u.Role, new OrganizationRef(u.Organization!.Id, u.Organization.Code, u.Organization.Name)))
                    .SingleOrDefaultAsync();
                return me is null ? Result<MeResponse>.Fail(Error.Unauthorized("Unauthorized")) : me;
            })
            .WithName("GetCurrentUser")
            .WithSummary("The signed-in caller: id, email, name, role and organization.")
            .Produces<MeResponse>();

        return app;
    }

    /// <summary>Answers that carry tokens are kept by no cache, shared or private (RFC 6749 5.1).</summary>
    private static ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        return next(context);
    }
}
