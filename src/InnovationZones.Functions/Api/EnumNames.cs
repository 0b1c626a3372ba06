using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace InnovationZones.Api;

/// <summary>The wire names of enums (their <see cref="JsonStringEnumMemberNameAttribute"/>s), for query values and keys.</summary>
public static class EnumNames
{
    public static IReadOnlyCollection<string> All<T>() where T : struct, Enum => Cache<T>.ValuesByName.Keys;

    public static string Name<T>(T value) where T : struct, Enum => Cache<T>.NamesByValue[value];

    public static bool TryParse<T>(string name, out T value) where T : struct, Enum =>
        Cache<T>.ValuesByName.TryGetValue(name, out value);

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> NamesByValue = typeof(T)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToFrozenDictionary(
                f => (T)f.GetValue(null)!,
                f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

        public static readonly FrozenDictionary<string, T> ValuesByName =
            NamesByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
