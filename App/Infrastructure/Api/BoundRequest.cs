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
    // Not async: every request of every group passes here, and almost all go straight on.
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            if (context.Arguments[i] is IBoundRequest bound)
            {
                var style = ApiGroupExtensions.StyleFor(context.HttpContext) ?? PlainStyle.Instance;
                if (bound.Failure(style) is { } error) return ValueTask.FromResult<object?>(style.Failure(error, context.HttpContext));
            }
        }
        return next(context);
    }
}
