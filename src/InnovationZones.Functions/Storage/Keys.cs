using System.Globalization;
using System.Text;

namespace InnovationZones.Storage;

/// <summary>
/// Key material. Ids are slugs (<see cref="Contracts.Slugs"/>), key material as they are. Free text that becomes part of a
/// key (an organization's name) is escaped by <see cref="EscapeText"/>, which keeps prefixes prefixes.
/// </summary>
public static class Keys
{
    /// <summary>
    /// The row key of a main entity (a city, a zone, an organization): its id, which is its partition key too. A
    /// point read then finds it by both keys, and its history rows (<see cref="ChangeLog"/>) are <c>~h|{id}|...</c>.
    /// </summary>
    public static string MainRowKey(string id) => id;

    public const char Separator = '|';

    /// <summary>Joins key parts with <see cref="Separator"/>; parts are slugs or escaped text, so the separator is unambiguous.</summary>
    public static string Join(params string[] parts) => string.Join(Separator, parts);

    /// <summary>
    /// Case-folds text and escapes what may not appear in a key, plus <c>%</c> and the separator, as
    /// <c>%XX</c> or <c>%uXXXX</c>. Escaping works character by character, so the escape of a prefix
    /// is a prefix of the escape.
    /// </summary>
    public static string EscapeText(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or Separator || char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append(c <= 0xFF
                    ? string.Create(CultureInfo.InvariantCulture, $"%{(int)c:X2}")
                    : string.Create(CultureInfo.InvariantCulture, $"%u{(int)c:X4}"));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>.</summary>
    public static string PrefixUpperBound(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
    }

    /// <summary>A property name that flags membership (industry or zone) on an index entity, for server-side filters.</summary>
    public static string FlagProperty(string kind, string slug) => kind + "_" + slug.Replace('-', '_');
}
