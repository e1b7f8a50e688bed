namespace Operator.Infrastructure.Api;

/// <summary>
/// Refuses U+0000 in every query-string value and route value of an API group, before any handler or database sees it:
/// PostgreSQL cannot hold the character in text and refuses the whole statement, SQLite would store or compare it
/// silently, and neither is what the caller meant. The answer is a 400 in the group's shape that names the parameter.
/// Bodies are checked where they are read (the group's JSON reader and <see cref="Checks"/>).
/// </summary>
public sealed class NulTextFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (FirstWithNul(http) is { } name)
        {
            var style = ApiGroupExtensions.StyleFor(http) ?? PlainStyle.Instance;
            var message = $"{name} must not contain the NUL character (U+0000)";
            var error = Error.Validation(style.InvalidParametersMessage(message), new FieldIssue([name], message, "invalid_string"));
            return ValueTask.FromResult<object?>(style.Failure(error, http));
        }
        return next(context);
    }

    private static string? FirstWithNul(HttpContext http)
    {
        // Most requests have no query string: do not parse (or enumerate) an empty one.
        foreach (var (key, values) in http.Request.QueryString.HasValue ? http.Request.Query : QueryCollection.Empty)
        {
            if (key.Contains('\0')) return "query";
            foreach (var value in values)
            {
                if (value?.Contains('\0') == true) return key;
            }
        }
        foreach (var (key, value) in http.Request.RouteValues)
        {
            if (value is string text && text.Contains('\0')) return key;
        }
        return null;
    }
}
