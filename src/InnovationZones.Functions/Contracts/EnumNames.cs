using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace InnovationZones.Contracts;

/// <summary>The wire names of enums (their <see cref="JsonStringEnumMemberNameAttribute"/>s), for query values, keys and schemas.</summary>
public static class EnumNames
{
    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, object>> ValuesByType = new();

    public static IReadOnlyCollection<string> All<T>() where T : struct, Enum => Cache<T>.ValuesByName.Keys;

    /// <summary>The names of <paramref name="enumType"/>, in the order of <see cref="All{T}"/>.</summary>
    public static IReadOnlyCollection<string> All(Type enumType) => ValuesOf(enumType).Keys;

    public static string Name<T>(T value) where T : struct, Enum => Cache<T>.NamesByValue[value];

    public static bool TryParse<T>(string name, out T value) where T : struct, Enum =>
        Cache<T>.ValuesByName.TryGetValue(name, out value);

    /// <summary>The value of <paramref name="enumType"/> named <paramref name="name"/>, or null.</summary>
    public static object? Parse(Type enumType, string name) => ValuesOf(enumType).GetValueOrDefault(name);

    private static FrozenDictionary<string, object> ValuesOf(Type enumType) => ValuesByType.GetOrAdd(enumType, type =>
        Names(type).ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal));

    private static IEnumerable<KeyValuePair<object, string>> Names(Type type) => type
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => KeyValuePair.Create(f.GetValue(null)!, f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name));

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> NamesByValue =
            Names(typeof(T)).ToFrozenDictionary(p => (T)p.Key, p => p.Value);

        public static readonly FrozenDictionary<string, T> ValuesByName =
            NamesByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
