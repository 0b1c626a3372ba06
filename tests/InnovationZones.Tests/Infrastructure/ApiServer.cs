using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InnovationZones.DevHost;
using InnovationZones.Aggregates;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// The function app served over real HTTP by the dev host on 127.0.0.1, against Azurite, with tables
/// of its own (a fresh prefix), optionally loaded with the Beijing dataset.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private ApiServer(WebApplication app, StorageOptions storage, Uri baseAddress)
    {
        this.app = app;
        Storage = storage;
        Tables = AzuriteFixture.NewTables(storage);
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string BeijingDataset => Path.Combine(AppContext.BaseDirectory, "data", "beijing.json");

    public StorageOptions Storage { get; }

    public Tables Tables { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<ApiServer> StartAsync(bool loadBeijing = true, Action<DevHostOptions>? configure = null, StorageOptions? storage = null)
    {
        storage ??= AzuriteFixture.NewStorageOptions();
        var options = new DevHostOptions { Urls = "http://127.0.0.1:0" };
        options.Settings["Storage:ConnectionString"] = storage.ConnectionString;
        options.Settings["Storage:TablePrefix"] = storage.TablePrefix;

        // Tests run the aggregates themselves; the timers wait for a date no test run reaches.
        options.Settings["AggregatesSchedule"] = "0 0 0 1 1 *";
        options.Settings["AggregatesFullSchedule"] = "0 0 0 1 1 *";
        configure?.Invoke(options);
        var app = DevHostApp.Build(options);
        await app.StartAsync();
        var server = new ApiServer(app, storage, new Uri(app.Urls.First().TrimEnd('/') + "/"));
        if (loadBeijing)
        {
            await server.ImportAsync(DatasetImporter.Parse(await File.ReadAllTextAsync(BeijingDataset)));
        }

        return server;
    }

    public Task<ImportReport> ImportAsync(Dataset dataset) =>
        new DatasetImporter(Tables, new DirtyScopes(Tables, TimeProvider.System), NullLogger<DatasetImporter>.Instance).ImportAsync(dataset);

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>The ids of every item of a list, across all its pages.</summary>
    public async Task<List<string>> IdsAsync(string path) =>
        [.. (await GetAllPagesAsync(path)).SelectMany(p => p).Select(e => e!["id"]!.GetValue<string>())];

    /// <summary>Follows nextLink from <paramref name="path"/> to the last page (at most <paramref name="maxPages"/>).</summary>
    public async Task<List<JsonArray>> GetAllPagesAsync(string path, int maxPages = 100)
    {
        var pages = new List<JsonArray>();
        string? next = path;
        while (next is not null)
        {
            Assert.True(pages.Count < maxPages, $"More than {maxPages} pages from {path}");
            var page = await GetJsonAsync(next);
            pages.Add(page["value"]!.AsArray());
            next = page["nextLink"]?.GetValue<string>();
        }

        return pages;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        if (Storage.ConnectionString == AzuriteFixture.ConnectionString)
        {
            await Tables.DeleteAllAsync();
        }
    }
}

public static class HttpAssert
{
    /// <summary>Asserts an RFC 9457 problem response and returns its body.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, int status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.StartsWith("urn:innovation-zones:problem:", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        var actualCode = problem["code"]!.GetValue<string>();
        if (code is not null)
        {
            Assert.Equal(code, actualCode);
        }

        Assert.EndsWith(actualCode, problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }
}
