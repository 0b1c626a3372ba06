using System.Globalization;
using System.Net;
using System.Text;
using InnovationZones.Tests.Infrastructure;
using static InnovationZones.Tests.Infrastructure.WriteRequests;

namespace InnovationZones.Tests.Import;

/// <summary>POST v1/import over HTTP: validated first, all or nothing, idempotent, size-capped.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ImportApiTests : IAsyncLifetime
{
    private const string Header = "scopeKind,scopeId,indicator,name,period,periodKind,value,unit,qualifier,changeValue,changeUnit,changeQualifier,changeBasis,sourceDocument,sourceLocator";
    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync(configure: o => o.Settings["Api:MaxImportBytes"] = "1048576");

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>1,000 observations of Huairou: 50 indicators over 20 years; row i is on line i + 2.</summary>
    private static string Csv(int badRow = -1)
    {
        var csv = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 1000; i++)
        {
            var unit = i == badRow ? "Billion CNY" : "count";
            var change = i % 3 == 0 ? "2.5,percent,about,year-on-year" : ",,,";
            csv.Append(CultureInfo.InvariantCulture,
                $"zone,huairou-science-city,indicator-{i / 20:D2},\"Indicator {i / 20}, generated\",{2000 + (i % 20)},year,{i}.50,{unit},exact,{change},{Document},row {i}\n");
        }

        return csv.ToString();
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType) =>
        await server.Client.SendAsync(WriteRequests.Create(HttpMethod.Post, "api/v1/import", body, contentType));

    [Fact]
    public async Task OneBadRowAmongAThousandWritesNothingAndIsReportedByLineAndColumn()
    {
        var before = await TableSnapshot.TakeAsync(server.Tables);

        using var response = await PostAsync(Csv(badRow: 500), "text/csv");
        var problem = await HttpAssert.ProblemAsync(response, 400, "InvalidImport");
        var row = Assert.Single(problem["rows"]!.AsArray())!;
        Assert.Equal(502, row["line"]!.GetValue<int>());
        Assert.Equal("unit", row["field"]!.GetValue<string>());
        Assert.True(problem["errors"]!.AsObject().ContainsKey("line 502: unit"));
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task AThousandRowsImportOnceAndTheSecondImportChangesNothing()
    {
        using var first = await PostAsync(Csv(), "text/csv; charset=utf-8");
        var report = await JsonAsync(first, 200);
        Assert.Equal(1000, report["counts"]!["metrics"]!["created"]!.GetValue<int>());
        var page = (await server.GetJsonAsync("api/v1/zones/huairou-science-city/metrics?indicator=indicator-25&from=2013&to=2013"))["value"]!.AsArray();
        var observation = Assert.Single(page)!;
        Assert.Equal("513.50", observation["value"]!.ToJsonString());
        Assert.Equal("Indicator 25, generated", observation["name"]!.GetValue<string>());
        Assert.Equal("2.5", observation["change"]!["value"]!.ToJsonString());
        var after = await TableSnapshot.TakeAsync(server.Tables);

        using var second = await PostAsync(Csv(), "text/csv");
        var again = await JsonAsync(second, 200);
        Assert.Equal(1000, again["unchanged"]!.GetValue<int>());
        Assert.Equal(0, again["created"]!.GetValue<int>() + again["updated"]!.GetValue<int>());
        Assert.Equal(after, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task WithAtomicFalseTheValidRowsAreImportedAndTheBadOneIsRejected()
    {
        using var response = await server.Client.SendAsync(WriteRequests.Create(HttpMethod.Post, "api/v1/import?atomic=false", Csv(badRow: 500), "text/csv"));
        var report = await JsonAsync(response, 200);
        Assert.Equal(999, report["created"]!.GetValue<int>());
        var rejected = Assert.Single(report["rejected"]!.AsArray())!;
        Assert.Equal((502, "unit"), (rejected["line"]!.GetValue<int>(), rejected["field"]!.GetValue<string>()));
        Assert.Empty((await server.GetJsonAsync("api/v1/zones/huairou-science-city/metrics?indicator=indicator-25&from=2000&to=2000"))["value"]!.AsArray());
    }

    [Fact]
    public async Task WithAtomicFalseWhatRefersToARejectedItemIsRejectedToo()
    {
        const string body = """
            {
              "zones": [
                { "id": "zone-a", "name": "A", "cityId": "beijing", "kind": "high-tech-zone", "district": null, "area": null, "focusIndustries": null, "policies": null, "goals": null, "sources": null },
                { "id": "zone-b", "name": "B", "cityId": "atlantis", "kind": "high-tech-zone", "district": null, "area": null, "focusIndustries": null, "policies": null, "goals": null, "sources": null }
              ],
              "relations": [
                { "from": { "kind": "organization", "id": "tencent" }, "type": "located-in", "to": { "kind": "zone", "id": "zone-b" }, "source": { "document": "beijing-innovation-platforms-2022", "quote": null, "locator": "x" } },
                { "from": { "kind": "organization", "id": "gsma" }, "type": "located-in", "to": { "kind": "zone", "id": "zone-a" }, "source": { "document": "beijing-innovation-platforms-2022", "quote": null, "locator": "x" } }
              ]
            }
            """;
        using var response = await server.Client.SendAsync(WriteRequests.Create(HttpMethod.Post, "api/v1/import?atomic=false", body, "application/json"));
        var report = await JsonAsync(response, 200);
        Assert.Equal(
            ["relations[0].to.id", "zones[1].cityId"],
            report["rejected"]!.AsArray().Select(r => r!["field"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["gsma"], await server.IdsAsync("api/v1/zones/zone-a/organizations"));
        using var missing = await server.Client.GetAsync("api/v1/zones/zone-b");
        await HttpAssert.ProblemAsync(missing, 404, "ZoneNotFound");
    }

    [Fact]
    public async Task ReimportingTheSeedDatasetReportsEverythingUnchanged()
    {
        var before = await TableSnapshot.TakeAsync(server.Tables);
        using var response = await PostAsync(await File.ReadAllTextAsync(ApiServer.BeijingDataset), "application/json");
        var report = await JsonAsync(response, 200);
        Assert.Equal(0, report["created"]!.GetValue<int>() + report["updated"]!.GetValue<int>());
        Assert.True(report["unchanged"]!.GetValue<int>() >= 25);
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task JsonErrorsArePlacedAtTheLineOfTheirItem()
    {
        const string body = """
            {
              "zones": [
                { "id": "zone-a", "name": "A", "cityId": "beijing", "kind": "high-tech-zone", "district": null, "area": null, "focusIndustries": null, "policies": null, "goals": null, "sources": null },
                { "id": "zone-b", "name": "B", "cityId": "atlantis", "kind": "high-tech-zone", "district": null, "area": null, "focusIndustries": null, "policies": null, "goals": null, "sources": null }
              ]
            }
            """;
        var before = await TableSnapshot.TakeAsync(server.Tables);
        using var response = await PostAsync(body, "application/json");
        var problem = await HttpAssert.ProblemAsync(response, 400, "InvalidImport");
        var row = Assert.Single(problem["rows"]!.AsArray())!;
        Assert.Equal(4, row["line"]!.GetValue<int>());
        Assert.Equal("zones[1].cityId", row["field"]!.GetValue<string>());
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task ABodyOverTheConfiguredCapIs413AndWritesNothing()
    {
        var before = await TableSnapshot.TakeAsync(server.Tables);
        using var response = await PostAsync(Csv() + Csv()[Header.Length..] + Csv()[Header.Length..] + Csv()[Header.Length..] + Csv()[Header.Length..] + Csv()[Header.Length..] + Csv()[Header.Length..] + Csv()[Header.Length..], "text/csv");
        await HttpAssert.ProblemAsync(response, 413, "PayloadTooLarge");
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Tables));
    }

    [Fact]
    public async Task RefusedWritesOnAFreshAccountDoNotEvenCreateTables()
    {
        await using var empty = await ApiServer.StartAsync(loadBeijing: false);
        using var import = await empty.Client.SendAsync(WriteRequests.Create(HttpMethod.Post, "api/v1/import", """{"zones": [{"id": "x"}]}""", "application/json"));
        await HttpAssert.ProblemAsync(import, 400, "InvalidImport");
        using var put = await empty.Client.SendAsync(Put("api/v1/zones/test-zone", Zone()));
        var problem = await HttpAssert.ProblemAsync(put, 400, "InvalidBody");
        Assert.True(problem["errors"]!.AsObject().ContainsKey("$.cityId"));
        Assert.All(await TableSnapshot.TakeAsync(empty.Tables), row => Assert.EndsWith("(absent)", row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherContentTypeIs415()
    {
        using var response = await PostAsync("a=b", "application/x-www-form-urlencoded");
        await HttpAssert.ProblemAsync(response, 415, "UnsupportedMediaType");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
