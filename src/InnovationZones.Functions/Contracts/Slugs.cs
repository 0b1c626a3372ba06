using System.Text.RegularExpressions;

namespace InnovationZones.Contracts;

/// <summary>
/// Ids are lowercase slugs: letters, digits and single hyphens. They can never hold the characters that
/// Table Storage forbids in keys (<c>/ \ # ?</c> and control characters), so an id is key material as is.
/// </summary>
public static partial class Slugs
{
    public const int MaxLength = 100;

    private const string Body = "[a-z0-9]+(-[a-z0-9]+)*";

    /// <summary>The id rule as an ECMA-262 pattern, as the OpenAPI document states it.</summary>
    public const string Pattern = "^" + Body + "$";

    public const string Rule = "lowercase letters, digits and single hyphens, starting and ending with a letter or digit, at most 100 characters";

    [GeneratedRegex("^" + Body + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();

    public static bool IsSlug(string? value) =>
        value is { Length: > 0 and <= MaxLength } && Slug().IsMatch(value);
}
