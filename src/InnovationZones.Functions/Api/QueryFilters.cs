using System.Collections.Concurrent;
using System.Reflection;

namespace InnovationZones.Api;

/// <summary>A list's filters that also check each other (<c>from</c> before <c>to</c>, say), after each is read.</summary>
public interface IQueryFilters
{
    void Check(RequestQuery query);
}

/// <summary>The filters of a list that takes none.</summary>
public sealed record NoFilters;

/// <summary>
/// A list's filters, declared once: a record whose constructor takes them in order, each property carrying
/// its <see cref="ApiQueryAttribute"/>. <see cref="RequestQuery"/> reads values with it; the OpenAPI document
/// describes the parameters from it.
/// </summary>
public static class QueryFilters
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ApiQueryAttribute>> ParametersByType = new();

    /// <summary>The filters' descriptions, in the constructor's order; an enum property takes that enum's names.</summary>
    public static IReadOnlyList<ApiQueryAttribute> Of(Type filters) => ParametersByType.GetOrAdd(filters, type =>
        [.. Constructor(type).GetParameters().Select(p =>
        {
            var property = type.GetProperty(p.Name!) ?? throw new InvalidOperationException($"{type.Name}: no property for '{p.Name}'.");
            var attribute = property.GetCustomAttribute<ApiQueryAttribute>()
                ?? throw new InvalidOperationException($"{type.Name}.{property.Name}: describe the filter with [property: ApiQuery(...)].");
            if (Nullable.GetUnderlyingType(property.PropertyType) is { IsEnum: true } enumType)
            {
                attribute.Value = ApiValue.Enum;
                attribute.Values = enumType;
            }

            return attribute;
        })]);

    public static object Create(Type filters, object?[] values) => Constructor(filters).Invoke(values);

    private static ConstructorInfo Constructor(Type type) =>
        type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
}
