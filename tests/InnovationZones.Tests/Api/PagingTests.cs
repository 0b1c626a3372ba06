using InnovationZones.Api;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Tests.Api;

[Trait("Category", Tier.Unit)]
public sealed class ContinuationTokenTests
{
    private readonly Paging paging = NewPaging(new ApiOptions());

    /// <summary>Paging as the app registers it, over a read cache that is off (these tests read no storage).</summary>
    private static Paging NewPaging(ApiOptions api)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new StorageOptions { ReadCacheSeconds = 0 }));
        services.AddReadCache();
        return new Paging(Options.Create(api), services.BuildServiceProvider().GetRequiredService<ReadCache>());
    }

    [Theory]
    [InlineData("1!8!b3JnLTAwMTA- 1!0!")]
    [InlineData("zone|gen-zone name|x")]
    public void AProtectedTokenRoundTripsForItsOwnQuery(string storageToken)
    {
        var token = paging.Protect(storageToken, "Organizations\nRowKey eq ''");
        Assert.Equal(storageToken, paging.Unprotect(token, "Organizations\nRowKey eq ''"));
        Assert.DoesNotContain(storageToken, token, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenForAnotherQueryIsAnInvalidContinuationToken()
    {
        var token = paging.Protect("next", "Zones\nPartitionKey eq 'kind|science-city'");
        var problem = Assert.Throws<ProblemException>(() => paging.Unprotect(token, "Zones\nPartitionKey eq 'kind|high-tech-zone'"));
        Assert.Equal(400, problem.Status);
        Assert.Equal("InvalidContinuationToken", problem.Code);
    }

    [Fact]
    public void EveryAlteredByteIsDetected()
    {
        var token = paging.Protect("1!8!b3JnLTAwMTA- 1!0!", "q");
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        for (var i = 0; i < bytes.Length; i++)
        {
            var altered = (byte[])bytes.Clone();
            altered[i] ^= 0x01;
            var problem = Assert.Throws<ProblemException>(() => paging.Unprotect(System.Buffers.Text.Base64Url.EncodeToString(altered), "q"));
            Assert.Equal("InvalidContinuationToken", problem.Code);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AQ")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void MalformedTokensAreInvalidContinuationTokens(string token)
    {
        var problem = Assert.Throws<ProblemException>(() => paging.Unprotect(token, "q"));
        Assert.Equal(400, problem.Status);
    }

    [Fact]
    public void ATokenSignedWithAnotherKeyIsRejected()
    {
        var other = NewPaging(new ApiOptions { ContinuationTokenKey = Convert.ToBase64String(new byte[32]) });
        var token = other.Protect("next", "q");
        Assert.Throws<ProblemException>(() => paging.Unprotect(token, "q"));
        Assert.Equal("next", other.Unprotect(token, "q"));
    }

    [Fact]
    public void AKeyShorterThan32BytesIsAConfigurationError() =>
        Assert.Throws<OptionsValidationException>(() => NewPaging(new ApiOptions { ContinuationTokenKey = Convert.ToBase64String(new byte[16]) }));
}
