using System.Reflection;
using System.Text.Json;

namespace Operator.Tests.Infrastructure;

/// <summary>
/// Issue 14: services take typed request and query records. The query string and the body are read and typed once, at
/// the route group's edge, so no service method takes JSON or a page number as text.
/// </summary>
public sealed class ServiceSignatureTests
{
    private static readonly string[] TypedNames = ["limit", "offset", "count", "isactive"];

    private static IEnumerable<(Type Service, MethodInfo Method, ParameterInfo Parameter)> ServiceParameters() =>
        from type in typeof(Program).Assembly.GetTypes()
        where type.IsClass && type.Name.EndsWith("Service", StringComparison.Ordinal)
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        where !method.IsSpecialName
        from parameter in method.GetParameters()
        select (type, method, parameter);

    [Fact]
    public void No_service_method_takes_a_JsonElement()
    {
        var offenders = ServiceParameters()
            .Where(p => Unwrap(p.Parameter.ParameterType) == typeof(JsonElement))
            .Select(p => $"{p.Service.Name}.{p.Method.Name}({p.Parameter.Name})").ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_public_service_method_takes_a_limit_offset_count_or_flag_as_text()
    {
        var offenders = ServiceParameters()
            .Where(p => p.Method.IsPublic && p.Parameter.ParameterType == typeof(string) &&
                        TypedNames.Contains(p.Parameter.Name!.ToLowerInvariant()))
            .Select(p => $"{p.Service.Name}.{p.Method.Name}({p.Parameter.Name})").ToList();
        Assert.Empty(offenders);
    }

    /// <summary>The guard above also looks inside the records services take: a query record holds no page as text.</summary>
    [Fact]
    public void No_record_a_public_service_method_takes_holds_a_limit_or_offset_as_text()
    {
        var offenders = ServiceParameters()
            .Where(p => p.Method.IsPublic)
            .Select(p => Unwrap(p.Parameter.ParameterType))
            .Where(t => t.Namespace?.StartsWith("Operator", StringComparison.Ordinal) == true)
            .Distinct()
            .SelectMany(t => t.GetProperties().Where(prop => prop.PropertyType == typeof(string) &&
                TypedNames.Contains(prop.Name.ToLowerInvariant())).Select(prop => $"{t.Name}.{prop.Name}"))
            .ToList();
        Assert.Empty(offenders);
    }

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? (type.IsByRef ? type.GetElementType()! : type);
}
