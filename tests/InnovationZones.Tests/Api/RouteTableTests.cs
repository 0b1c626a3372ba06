using InnovationZones.Api;
using InnovationZones.OpenApi;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Tests.Api;

/// <summary>The one catalog of HTTP functions: the budget a path spends, the methods it allows, and what the OpenAPI document describes.</summary>
[Trait("Category", Tier.Unit)]
public sealed class RouteTableTests
{
    [Theory]
    [InlineData("/api/health", RateBudget.None)]
    [InlineData("/API/Health", RateBudget.None)]
    [InlineData("/api/v1/export", RateBudget.Exports)]
    [InlineData("/api/v1/zones", RateBudget.ByMethod)]
    [InlineData("/api/v1/zones/zgc", RateBudget.ByMethod)]
    [InlineData("/api/health/more", RateBudget.ByMethod)]
    [InlineData("/api/v1/export/more", RateBudget.ByMethod)]
    [InlineData("/health", RateBudget.ByMethod)]
    public void APathSpendsTheBudgetItsFunctionDeclares(string path, RateBudget budget) =>
        Assert.Equal(budget, RouteTable.BudgetOf(new PathString(path)));

    [Fact]
    public void OnlyHealthAndExportDeclareABudget() =>
        Assert.Equal(
            ["Export:Exports", "Health:None"],
            RouteTable.All.Where(r => r.Budget != RateBudget.ByMethod).Select(r => $"{r.Name}:{r.Budget}").Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("/api/v1/zones/zgc", "DELETE,GET,PATCH,PUT")]
    [InlineData("/api/v1/import", "POST")]
    [InlineData("/api/v1/nothing-here", "")]
    [InlineData("/elsewhere", "")]
    public void AllowedMethodsComeFromTheTriggers(string path, string methods) =>
        Assert.Equal(methods, string.Join(',', RouteTable.Allowed(new PathString(path))));

    [Fact]
    public void TheDocumentDescribesEveryRouteButTheCatchAll()
    {
        var described = ApiDocument.HttpFunctions(typeof(RouteTable).Assembly).Select(f => f.Name).Order(StringComparer.Ordinal);
        var routes = RouteTable.All.Select(r => r.Name).Where(n => n != nameof(RouteNotFoundApi.RouteNotFound)).Order(StringComparer.Ordinal);
        Assert.Equal(routes, described);
    }
}
