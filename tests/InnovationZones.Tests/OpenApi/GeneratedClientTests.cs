using InnovationZones.Tests.ApiClient;
using InnovationZones.Tests.ApiClient.Models;
using InnovationZones.Tests.EndToEnd;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using OrganizationTypeFilter = InnovationZones.Tests.ApiClient.V1.Organizations.GetTypeQueryParameterType;
using RelationDirectionFilter = InnovationZones.Tests.ApiClient.V1.Organizations.Item.Relations.GetDirectionQueryParameterType;
using RelationTypeFilter = InnovationZones.Tests.ApiClient.V1.Organizations.Item.Relations.GetTypeQueryParameterType;

namespace InnovationZones.Tests.OpenApi;

/// <summary>
/// The typed client that Kiota generates from docs/openapi.json (in ApiClient/), against the dev host
/// serving the Beijing data. If the document lies about a path, a parameter or a shape, these fail.
/// </summary>
[Trait("Category", Tier.Host)]
public sealed partial class GeneratedClientTests(BeijingServer server) : IClassFixture<BeijingServer>, IDisposable
{
    private readonly HttpClientRequestAdapter adapter = new(new AnonymousAuthenticationProvider())
    {
        // The document's server is relative ("/api"): a client puts it after the host it calls.
        BaseUrl = server.Api.Client.BaseAddress + "api",
    };

    private InnovationZonesClient Client => new(adapter);

    public void Dispose() => adapter.Dispose();

    [Fact]
    public async Task ClientIsTheOneKiotaGeneratesFromTheSnapshot()
    {
        var committed = Path.Combine(RepoRoot.Find(), "tests", "InnovationZones.Tests", "ApiClient");
        var generated = Path.Combine(Path.GetTempPath(), $"api-client-{Guid.NewGuid():N}");
        try
        {
            var result = await Tool.RunAsync("bash", [Path.Combine("scripts", "generate-client"), generated]);
            Assert.True(result.ExitCode == 0, $"scripts/generate-client failed:\n{result.Output}\n{result.Error}");

            static Dictionary<string, string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith("kiota-lock.json", StringComparison.Ordinal))
                .ToDictionary(f => Path.GetRelativePath(root, f), f => DescriptionLocation().Replace(File.ReadAllText(f), ""), StringComparer.Ordinal);
            var expected = Files(generated);
            var actual = Files(committed);
            Assert.True(expected.Count > 20, $"{expected.Count} files generated");
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            var stale = expected.Where(f => f.Value != actual[f.Key]).Select(f => f.Key).ToList();
            Assert.True(stale.Count == 0, "The client is not generated from docs/openapi.json: run `bash scripts/refresh-openapi`. Differs: " + string.Join(", ", stale));
        }
        finally
        {
            if (Directory.Exists(generated))
            {
                Directory.Delete(generated, recursive: true);
            }
        }
    }

    [Fact]
    public async Task ListsTheBeijingZones()
    {
        var zones = await Client.V1.Zones.GetAsync();

        Assert.Equal(
            ["future-science-city", "huairou-science-city", "yizhuang-economic-development-zone", "zhongguancun-science-city"],
            zones!.Value!.Select(z => z.Id!).Order(StringComparer.Ordinal));
        Assert.Null(zones.NextLink);
    }

    [Fact]
    public async Task GetsZhongguancunWithItsPoliciesAndSources()
    {
        var zone = await Client.V1.Zones["zhongguancun-science-city"].GetAsync();

        Assert.Equal("Zhongguancun Science City", zone!.Name);
        Assert.Equal(ZoneKind.ScienceCity, zone.Kind);
        Assert.Equal("beijing", zone.CityId);
        Assert.Contains("quantum-information", zone.FocusIndustries!);
        Assert.Contains(zone.Policies!, p => p.Id == "office-rent-subsidies" && p.Source!.Document == BeijingApiTests.Document);
    }

    [Fact]
    public async Task FiltersOrganizationsByType()
    {
        var page = await Client.V1.Organizations.GetAsync(r => r.QueryParameters.Type = OrganizationTypeFilter.InternationalOrganization);

        var organization = Assert.Single(page!.Value!);
        Assert.Equal("world-internet-conference", organization.Id);
        Assert.Equal(OrganizationType.InternationalOrganization, organization.Type);
    }

    [Fact]
    public async Task PagesThroughAFilteredListByNextLink()
    {
        var relations = Client.V1.Organizations["world-internet-conference"].Relations;
        var page = await relations.GetAsync(r =>
        {
            r.QueryParameters.Direction = RelationDirectionFilter.Outgoing;
            r.QueryParameters.Type = RelationTypeFilter.InitiatedBy;
            r.QueryParameters.Maxpagesize = 2;
        });
        var initiators = new List<string>();
        for (var pages = 1; ; pages++)
        {
            Assert.InRange(page!.Value!.Count, 1, 2);
            Assert.All(page.Value!, r => Assert.Equal(RelationType.InitiatedBy, r.Type));
            initiators.AddRange(page.Value!.Select(r => r.To!.Id!));
            if (page.NextLink is null || pages == 10)
            {
                break;
            }

            page = await relations.WithUrl(page.NextLink).GetAsync();
        }

        Assert.Null(page.NextLink);
        Assert.Equal(["alibaba-group", "cncert", "cnnic", "gsma", "tencent", "zhijiang-lab"], initiators.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadsZhongguancunRdExpenditureByIndicator()
    {
        var metrics = await Client.V1.Zones["zhongguancun-science-city"].Metrics.GetAsync(r => r.QueryParameters.Indicator = "rd-expenditure");

        var observation = Assert.Single(metrics!.Value!);
        Assert.Equal(239.30, observation.Value);
        Assert.Equal("billion-cny", observation.Unit);
        Assert.Equal(Qualifier.Exact, observation.Qualifier);
        Assert.Equal("2021", observation.Period!.Value);
        Assert.Equal(20.4, observation.Change!.Value);
    }

    [Fact]
    public async Task UnknownZoneIsAProblemWithItsCode()
    {
        var problem = await Assert.ThrowsAsync<Problem>(() => Client.V1.Zones["atlantis"].GetAsync());

        Assert.Equal(404, problem.ResponseStatusCode);
        Assert.Equal(404, problem.Status);
        Assert.Equal("ZoneNotFound", problem.Code);
        Assert.Equal("/api/problems/ZoneNotFound", problem.Type);
    }

    [Fact]
    public async Task BadPageSizeIsAValidationProblemNamingTheParameter()
    {
        var problem = await Assert.ThrowsAsync<Problem>(() => Client.V1.Zones.GetAsync(r => r.QueryParameters.Maxpagesize = 0));

        Assert.Equal(400, problem.ResponseStatusCode);
        Assert.Equal("InvalidQueryParameterValue", problem.Code);
        Assert.True(problem.Errors!.AdditionalData.ContainsKey("maxpagesize"));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*""descriptionLocation"": ""[^""]*"",")]
    private static partial System.Text.RegularExpressions.Regex DescriptionLocation();
}
