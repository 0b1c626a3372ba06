using InnovationZones.Contracts;
using InnovationZones.Storage;

namespace InnovationZones.Tests.Storage;

[Trait("Category", Tier.Unit)]
public sealed class KeysTests
{
    [Theory]
    [InlineData("beijing", true)]
    [InlineData("zhongguancun-science-city", true)]
    [InlineData("a1-2b", true)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("a--b", false)]
    [InlineData("A", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a#b", false)]
    [InlineData("a?b", false)]
    [InlineData("a\u0001b", false)]
    [InlineData("a'b", false)]
    [InlineData("a b", false)]
    [InlineData("é", false)]
    [InlineData("a\n", false)]
    public void IdsAreLowercaseSlugs(string id, bool valid) => Assert.Equal(valid, Slugs.IsSlug(id));

    [Fact]
    public void IdsAreAtMostAHundredCharacters()
    {
        Assert.True(Slugs.IsSlug(new string('a', 100)));
        Assert.False(Slugs.IsSlug(new string('a', 101)));
    }

    [Theory]
    [InlineData("Team/Coordination", "team%2Fcoordination")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("100% | sure", "100%25 %7C sure")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("Ünïcode", "ünïcode")]
    public void EscapedTextHoldsNoCharacterThatKeysForbid(string text, string expected)
    {
        var escaped = Keys.EscapeText(text);
        Assert.Equal(expected, escaped);
        Assert.DoesNotContain(escaped, c => c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c));
    }

    [Theory]
    [InlineData("National Computer Network Emergency Response Technical Team/Coordination Center of China", 62)]
    [InlineData("a/b|c", 2)]
    public void TheEscapeOfAPrefixIsAPrefixOfTheEscape(string text, int prefixLength) =>
        Assert.StartsWith(Keys.EscapeText(text[..prefixLength]), Keys.EscapeText(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("abc", "abd")]
    [InlineData("zone|", "zone}")]
    public void ThePrefixUpperBoundIsAboveEveryStringWithThePrefix(string prefix, string bound)
    {
        Assert.Equal(bound, Keys.PrefixUpperBound(prefix));
        Assert.True(string.CompareOrdinal(prefix + "\uffff\uffff", bound) < 0);
        Assert.True(string.CompareOrdinal(prefix, bound) < 0);
    }

    [Fact]
    public void FlagPropertiesAreValidPropertyNames() =>
        Assert.Equal("i_quantum_information", Keys.FlagProperty("i", "quantum-information"));
}
