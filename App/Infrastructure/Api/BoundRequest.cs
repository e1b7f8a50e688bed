namespace Operator.Infrastructure.Api;

/// <summary>
/// An endpoint parameter that a route group binds from the request (a JSON body, or a query string typed into a query
/// record); the group's <see cref="BoundRequestFilter"/> answers its failure before the handler runs, so services only
/// ever receive typed records.
/// </summary>
public interface IBoundRequest
{
    Error? Failure(ApiStyle style);
}

/// <summary>Answers a refused body or query string in the group's shape before the handler runs. Added to every API group.</summary>
public sealed class BoundRequestFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is IBoundRequest bound)
            {
                var style = ApiGroupExtensions.StyleFor(context.HttpContext) ?? PlainStyle.Instance;
                if (bound.Failure(style) is { } error) return style.Failure(error, context.HttpContext);
            }
        }
        return await next(context);
    }
}
