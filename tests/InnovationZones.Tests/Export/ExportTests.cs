using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;
using InnovationZones.Import;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Export;

/// <summary>GET v1/export over HTTP: the import's shape, complete, deterministic, and what the import takes back.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ExportTests : IAsyncLifetime
{
    private static readonly string[] Years = ["2021", "2022"];

    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task ExportImportedIntoEmptyStorageExportsTheSameBytes()
    {
        var secondCity = SecondCity("hangzhou", organizations: 30);
        await ImportAsync(server, ApiJson.Serialize(secondCity));
        var first = await ExportAsync(server);

        await using var empty = await ApiServer.StartAsync(loadBeijing: false);
        Assert.Equal("""{"documents":[],"industries":[],"cities":[],"zones":[],"organizations":[],"relations":[],"metrics":[]}""", Encoding.UTF8.GetString(await ExportAsync(empty)));
        await ImportAsync(empty, Encoding.UTF8.GetString(first));
        var second = await ExportAsync(empty);

        Assert.Equal(Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(second));
        var exported = DatasetImporter.Parse(first);
        Assert.Equal(2, exported.Documents!.Count);
        Assert.Equal(["beijing", "hangzhou"], exported.Cities!.Select(c => c.Id));
        Assert.Equal(4 + 3, exported.Zones!.Count);
        Assert.Equal(7 + 30, exported.Organizations!.Count);
        Assert.Equal(6 + secondCity.Relations!.Count, exported.Relations!.Count);
        Assert.Equal(8 + secondCity.Metrics!.Count, exported.Metrics!.Count);
    }

    [Fact]
    public async Task BeijingsExportImportsIntoEmptyStorageAsTheOriginalDataset()
    {
        var original = DatasetImporter.Parse(await File.ReadAllTextAsync(ApiServer.BeijingDataset));
        var export = await ExportAsync(server);
        Assert.Equal(Canonical(original), Canonical(DatasetImporter.Parse(export)));

        await using var empty = await ApiServer.StartAsync(loadBeijing: false);
        var report = await ImportAsync(empty, Encoding.UTF8.GetString(export));
        Assert.Equal(1 + 5 + 1 + 4 + 7 + 6 + 8, report["created"]!.GetValue<int>());
        Assert.Equal(Canonical(original), Canonical(DatasetImporter.Parse(await ExportAsync(empty))));
        var zone = await empty.GetJsonAsync("api/v1/zones/huairou-science-city");
        Assert.Equal("100.9", zone["area"]!["value"]!.ToJsonString());
        Assert.Equal(["initiated-by"], (await empty.GetJsonAsync("api/v1/organizations/gsma/relations"))["value"]!.AsArray().Select(r => r!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheExportIsCompactJsonInKeyOrderAndNeverCached()
    {
        using var response = await server.Client.GetAsync("api/v1/export");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Null(response.Headers.ETag);
        Assert.DoesNotContain('\n', body);
        var dataset = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(["documents", "industries", "cities", "zones", "organizations", "relations", "metrics"], dataset.Select(p => p.Key));
        var organizations = dataset["organizations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(organizations.Order(StringComparer.Ordinal), organizations);
        Assert.Equal(["alibaba-group", "cncert", "cnnic", "gsma", "tencent", "world-internet-conference", "zhijiang-lab"], organizations);
        var relations = dataset["relations"]!.AsArray().Select(r => r!["from"]!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(relations.Order(StringComparer.Ordinal), relations);
    }

    [Fact]
    public async Task IfNoneMatchStarIsNotModifiedAndATagIsNot()
    {
        using var any = new HttpRequestMessage(HttpMethod.Get, "api/v1/export");
        any.Headers.TryAddWithoutValidation("If-None-Match", "*");
        using var notModified = await server.Client.SendAsync(any);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("", await notModified.Content.ReadAsStringAsync());

        using var tagged = new HttpRequestMessage(HttpMethod.Get, "api/v1/export");
        tagged.Headers.TryAddWithoutValidation("If-None-Match", "\"abc\"");
        using var full = await server.Client.SendAsync(tagged);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(7, JsonNode.Parse(await full.Content.ReadAsStringAsync())!["organizations"]!.AsArray().Count);

        using var malformed = new HttpRequestMessage(HttpMethod.Get, "api/v1/export");
        malformed.Headers.TryAddWithoutValidation("If-None-Match", "abc");
        await HttpAssert.ProblemAsync(await server.Client.SendAsync(malformed), 400, "InvalidPrecondition");
    }

    [Fact]
    public async Task UnknownParametersAndUnservableAcceptAreProblems()
    {
        var unknown = await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/v1/export?city=beijing"), 400, "UnknownQueryParameter");
        Assert.True(unknown["errors"]!.AsObject().ContainsKey("city"));

        using var csv = new HttpRequestMessage(HttpMethod.Get, "api/v1/export");
        csv.Headers.TryAddWithoutValidation("Accept", "text/csv");
        await HttpAssert.ProblemAsync(await server.Client.SendAsync(csv), 406, "NotAcceptable");
    }

    [Fact]
    public async Task ExportsSpendABudgetOfTheirOwn()
    {
        await using var limited = await ApiServer.StartAsync(loadBeijing: false, configure: o => o.Settings["Api:RateLimits:Exports:PermitsPerMinute"] = "1");
        using var first = await limited.Client.GetAsync("api/v1/export");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await limited.Client.GetAsync("api/v1/export");
        await HttpAssert.ProblemAsync(second, 429, "RateLimited");
        Assert.Equal("\"exports\";q=1;w=60", second.Headers.GetValues("RateLimit-Policy").Single());

        // A trailing slash routes to the export too, and spends the same budget.
        await HttpAssert.ProblemAsync(await limited.Client.GetAsync("api/v1/export/"), 429, "RateLimited");

        // Other reads are not held back by it.
        using var read = await limited.Client.GetAsync("api/v1/cities");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    private static async Task<byte[]> ExportAsync(ApiServer on)
    {
        using var response = await on.Client.GetAsync("api/v1/export");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET v1/export: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        return body;
    }

    private static async Task<JsonNode> ImportAsync(ApiServer on, string dataset)
    {
        using var response = await on.Client.SendAsync(WriteRequests.Create(HttpMethod.Post, "api/v1/import", dataset, "application/json"));
        return await WriteRequests.JsonAsync(response, 200);
    }

    /// <summary>A dataset as JSON with each list in id order: equal for the same entities, whatever order a file lists them in.</summary>
    private static string Canonical(Dataset dataset) => ApiJson.Serialize(dataset with
    {
        Documents = [.. (dataset.Documents ?? []).OrderBy(d => d.Id, StringComparer.Ordinal)],
        Industries = [.. (dataset.Industries ?? []).OrderBy(i => i.Id, StringComparer.Ordinal)],
        Cities = [.. (dataset.Cities ?? []).OrderBy(c => c.Id, StringComparer.Ordinal)],
        Zones = [.. (dataset.Zones ?? []).OrderBy(z => z.Id, StringComparer.Ordinal)],
        Organizations = [.. (dataset.Organizations ?? []).OrderBy(o => o.Id, StringComparer.Ordinal)],
        Relations = [.. (dataset.Relations ?? []).OrderBy(r => ApiJson.Serialize(r), StringComparer.Ordinal)],
        Metrics = [.. (dataset.Metrics ?? []).OrderBy(m => ApiJson.Serialize(m), StringComparer.Ordinal)],
    });

    /// <summary>
    /// A second city with all the import takes: its own source document and industry, three zones, organizations
    /// located in them and headquartered in the city, relations between organizations, observations of the city
    /// and of each zone (with changes, equivalents and comparisons), and sources on the attributes.
    /// </summary>
    public static Dataset SecondCity(string cityId, int organizations)
    {
        const string document = "second-city-yearbook";
        SourceRef Source(string locator) => new(document, "as the yearbook states", locator);
        var zones = Enumerable.Range(0, 3).Select(z => new Zone(
            $"{cityId}-zone-{z}", $"Zone {z} of {cityId}", cityId, (ZoneKind)(z % 5), z == 0 ? null : "District " + z,
            z == 1 ? null : new Quantity(10.5m + z, "km2", z == 2 ? Qualifier.About : Qualifier.Exact, Source("table 1")),
            ["robotics", "semiconductor"], [new Statement("talent", "Subsidies for talent.", Source("page 3"))], z == 2 ? null : [new Statement("growth", "Double the output.", Source("page 4"))],
            new Dictionary<string, SourceRef> { ["name"] = Source("page 1"), ["kind"] = Source("page 2") })).ToList();
        var orgs = Enumerable.Range(0, organizations).Select(i => new Organization(
            $"{cityId}-org-{i.ToString("D3", CultureInfo.InvariantCulture)}", $"Organization {i} of {cityId}", i % 4 == 0 ? "O" + i : null,
            i % 5 == 0 ? null : (OrganizationType)(i % 7), new Headquarters(cityId, null, "China"), i % 3 == 0 ? null : new DateOnly(1990 + i, 1 + (i % 12), 1),
            i % 2 == 0 ? ["robotics"] : null, i % 6 == 0 ? new Dictionary<string, SourceRef> { ["name"] = Source("list " + i) } : null)).ToList();
        var relations = new List<Relation>();
        foreach (var (organization, i) in orgs.Select((o, i) => (o, i)))
        {
            var from = new EntityRef(EntityKind.Organization, organization.Id);
            relations.Add(new Relation(from, RelationType.LocatedIn, new EntityRef(EntityKind.Zone, zones[i % zones.Count].Id), Source("map")));
            relations.Add(new Relation(from, RelationType.HeadquarteredIn, new EntityRef(EntityKind.City, cityId), Source("list")));
            if (i > 0 && i % 4 == 0)
            {
                relations.Add(new Relation(from, RelationType.MemberOf, new EntityRef(EntityKind.Organization, orgs[0].Id), Source("members")));
            }
        }

        var metrics = zones.Select(z => new EntityRef(EntityKind.Zone, z.Id)).Prepend(new EntityRef(EntityKind.City, cityId))
            .SelectMany(scope => Years.Select(year => new MetricObservation(
                scope, "rd-expenditure", "R&D expenditure", new Period(year, PeriodKind.Year, null), 12.30m + year[3], null, "billion-cny", Qualifier.MoreThan,
                [new Equivalent(1.9m, "billion-usd", Qualifier.About)], year == "2022" ? new Change(4.5m, "percent", Qualifier.Exact, "year-on-year", "2021") : null,
                scope.Kind == EntityKind.City ? new Comparison(null, null, null, "the national average", "above the national average") : null, Source("table 2"))))
            .Append(new MetricObservation(new EntityRef(EntityKind.City, cityId), "enterprises", "Enterprises", new Period("2022-06", PeriodKind.AsOf, "mid-year"),
                1, 3, "count", Qualifier.About, null, null, null, Source("table 3")))
            .ToList();
        return new Dataset(
            Documents: [new SourceDocument(document, $"{cityId} statistical yearbook", "2023", "Generated for the tests.")],
            Industries: [new Industry("robotics", "Robotics")],
            Cities: [new City(cityId, "Second City", "China", "A generated city.", new Dictionary<string, SourceRef> { ["name"] = Source("cover") })],
            Zones: zones,
            Organizations: orgs,
            Relations: relations,
            Metrics: metrics);
    }
}
