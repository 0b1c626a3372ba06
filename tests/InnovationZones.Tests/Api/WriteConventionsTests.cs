using System.Text.Json.Nodes;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Zones;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Tests.Api;

/// <summary>The shared conventions of writes: merge patch, preconditions, body shape, content type and size.</summary>
[Trait("Category", Tier.Unit)]
public sealed class WriteConventionsTests
{
    /// <summary>RFC 7396, appendix A.</summary>
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void MergePatchFollowsRfc7396(string target, string patch, string expected) =>
        Assert.Equal(expected, MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch))!.ToJsonString());

    [Fact]
    public void MergePatchLeavesItsInputsAlone()
    {
        var target = JsonNode.Parse("""{"a":{"b":1}}""");
        var patch = JsonNode.Parse("""{"a":{"c":2}}""");
        MergePatch.Apply(target, patch);
        Assert.Equal("""{"a":{"b":1}}""", target!.ToJsonString());
        Assert.Equal("""{"a":{"c":2}}""", patch!.ToJsonString());
    }

    [Fact]
    public void TheShapeCheckReportsEveryErrorByPath()
    {
        var node = JsonNode.Parse("""{"name": 1, "kind": "town", "area": {"value": "1", "unit": "km2", "qualifier": "exact", "source": {"document": "d", "extra": 1}}, "focusIndustries": [null], "district": null}""");
        var errors = JsonShape.Check(node, typeof(ZoneBody), patch: false).ToDictionary(e => e.Path, e => e.Message);
        Assert.Equal(["$.area.source.extra", "$.area.value", "$.cityId", "$.focusIndustries[0]", "$.kind", "$.name"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMergePatchMayLeaveFieldsOutAndNullThemButNotNameUnknownOnes()
    {
        Assert.Empty(JsonShape.Check(JsonNode.Parse("""{"name": null, "area": {"value": 2}}"""), typeof(ZoneBody), patch: true));
        Assert.Equal("$.mayor", Assert.Single(JsonShape.Check(JsonNode.Parse("""{"mayor": null}"""), typeof(ZoneBody), patch: true)).Path);
    }

    [Theory]
    [InlineData("W/\"datetime'2024'\"", null, true)]
    [InlineData("\"strong\"", null, true)]
    [InlineData("*", null, true)]
    [InlineData(null, "*", true)]
    [InlineData("abc", null, false)]
    [InlineData("\"a\", \"b\"", null, false)]
    [InlineData(null, "\"a\"", false)]
    [InlineData("*", "*", false)]
    public void PreconditionHeadersAreOneETagOrAStar(string? ifMatch, string? ifNoneMatch, bool valid)
    {
        var context = new DefaultHttpContext();
        if (ifMatch is not null)
        {
            context.Request.Headers.IfMatch = ifMatch;
        }

        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        if (valid)
        {
            Assert.Equal(ifMatch, Preconditions.Read(context.Request).IfMatch);
        }
        else
        {
            Assert.Equal("InvalidPrecondition", Assert.Throws<ProblemException>(() => Preconditions.Read(context.Request)).Code);
        }
    }

    [Fact]
    public void PreconditionsCompareWithTheStoredETag()
    {
        var etag = new Azure.ETag("W/\"datetime'2024'\"");
        new Preconditions("W/\"datetime'2024'\"", false).Check(etag);
        new Preconditions("*", false).Check(etag);
        new Preconditions(null, true).Check(null);
        Assert.Equal(412, Assert.Throws<ProblemException>(() => new Preconditions("W/\"datetime'2023'\"", false).Check(etag)).Status);
        Assert.Equal(412, Assert.Throws<ProblemException>(() => new Preconditions("*", false).Check(null)).Status);
        Assert.Equal(412, Assert.Throws<ProblemException>(() => new Preconditions(null, true).Check(etag)).Status);
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON", true)]
    [InlineData("application/json; charset=latin1", false)]
    [InlineData("text/json", false)]
    [InlineData(null, false)]
    [InlineData("not a media type", false)]
    public void TheContentTypeMustBeOneTheEndpointTakes(string? contentType, bool accepted)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        if (accepted)
        {
            Assert.Equal(MediaTypes.Json, RequestBody.RequireContentType(context.Request, MediaTypes.Json));
        }
        else
        {
            Assert.Equal(415, Assert.Throws<ProblemException>(() => RequestBody.RequireContentType(context.Request, MediaTypes.Json)).Status);
        }
    }

    [Fact]
    public async Task ABodyPastTheCapIs413EvenWithoutContentLength()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(new byte[5000]);
        var problem = await Assert.ThrowsAsync<ProblemException>(() => RequestBody.ReadAsync(context.Request, 4999, CancellationToken.None));
        Assert.Equal((413, "PayloadTooLarge"), (problem.Status, problem.Code));
        context.Request.Body.Position = 0;
        Assert.Equal(5000, (await RequestBody.ReadAsync(context.Request, 5000, CancellationToken.None)).Length);
    }
}
