using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Zones;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Tests.Api;

[Trait("Category", Tier.Unit)]
public sealed class RequestQueryTests
{
    private static HttpRequest Request(string queryString)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(queryString);
        return context.Request;
    }

    [Fact]
    public void UnknownParametersAreRejectedBeforeAnyValueIsRead()
    {
        var problem = Assert.Throws<ProblemException>(() => RequestQuery.ForList(Request("?city=beijing&colour=red&size=2"), out ZoneFilters _));
        Assert.Equal("UnknownQueryParameter", problem.Code);
        Assert.Equal(["colour", "size"], problem.Errors!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheHostsFunctionKeyParameterIsNotAnUnknownParameter()
    {
        var reader = RequestQuery.ForList(Request("?code=secret&city=beijing"), out ZoneFilters filters);
        Assert.Equal("beijing", filters.City);
        Assert.Empty(reader.Errors);
    }

    [Fact]
    public void AnEndpointWithoutParametersSaysSo()
    {
        var problem = Assert.Throws<ProblemException>(() => RequestQuery.For(Request("?x=1")));
        Assert.Contains("takes no query parameters", problem.Errors!["x"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?maxpagesize=1", 1)]
    [InlineData("?maxpagesize=1000", 1000)]
    [InlineData("", 100)]
    public void PageSizesFromOneToAThousandAreAccepted(string query, int expected) =>
        Assert.Equal(expected, RequestQuery.ForList(Request(query)).PageSize);

    [Theory]
    [InlineData("?maxpagesize=0")]
    [InlineData("?maxpagesize=1001")]
    [InlineData("?maxpagesize=abc")]
    [InlineData("?maxpagesize=+5")]
    [InlineData("?maxpagesize=%20")]
    [InlineData("?maxpagesize=1&maxpagesize=2")]
    public void OtherPageSizesAreInvalid(string query)
    {
        Assert.Equal("InvalidQueryParameterValue", Assert.Throws<ProblemException>(() => RequestQuery.ForList(Request(query))).Code);
    }

    [Theory]
    [InlineData("science-city", ZoneKind.ScienceCity)]
    [InlineData("economic-development-zone", ZoneKind.EconomicDevelopmentZone)]
    public void EnumValuesAreTheirWireNames(string value, ZoneKind expected) =>
        Assert.Equal(expected, RequestQuery.For(Request("?kind=" + value), "kind").Enum<ZoneKind>("kind"));

    [Theory]
    [InlineData("ScienceCity")]
    [InlineData("0")]
    [InlineData("SCIENCE-CITY")]
    public void EnumValuesAreExact(string value)
    {
        var reader = RequestQuery.For(Request("?kind=" + value), "kind");
        Assert.Null(reader.Enum<ZoneKind>("kind"));
        Assert.Contains("science-city", reader.Errors["kind"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2021", true)]
    [InlineData("2021-07", true)]
    [InlineData("2021-07-12", true)]
    [InlineData("2021-13", false)]
    [InlineData("2021-02-29", false)]
    [InlineData("2020-02-29", true)]
    [InlineData("21", false)]
    [InlineData("２０２１", false)]
    [InlineData("2021-Q1", false)]
    public void PeriodsAreYearsMonthsOrRealDates(string value, bool valid) =>
        Assert.Equal(valid, Periods.IsValid(value));
}
