using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InnovationZones.DevHost;
using InnovationZones.Aggregates;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace InnovationZones.Tests.Infrastructure;

/// <summary>
/// The function app served over real HTTP on 127.0.0.1, against Azurite, with tables of its own (a fresh
/// prefix), optionally loaded with the Beijing dataset. The host is the test run's choice
/// (<see cref="TestHost"/>): the dev host, in-process, or the real Azure Functions host through
/// <c>func start</c>, with the same settings.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication? app;
    private readonly FunctionsHostProcess? realHost;
    private readonly Lazy<ServiceProvider>? localServices;

    private ApiServer(WebApplication? app, FunctionsHostProcess? realHost, IReadOnlyDictionary<string, string?> settings, StorageOptions storage, Uri baseAddress)
    {
        this.app = app;
        this.realHost = realHost;
        Settings = settings;
        Storage = storage;
        Tables = AzuriteFixture.NewTables(storage);
        // Generous: on a loaded 2-core machine the largest bad-input bodies take tens of seconds; no test times a request.
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        if (app is null)
        {
            localServices = new(() => AppServices(settings));
        }
    }

    public static string BeijingDataset => Path.Combine(AppContext.BaseDirectory, "data", "beijing.json");

    public StorageOptions Storage { get; }

    public Tables Tables { get; }

    public HttpClient Client { get; }

    /// <summary>Which host serves this server's requests.</summary>
    public HostKind Host => realHost is null ? HostKind.Dev : HostKind.Real;

    /// <summary>
    /// The app's services: the dev host's own, or, under the real host, the same registration built here
    /// against the same storage (to run the aggregates or read what the app would, as the tests do).
    /// </summary>
    public IServiceProvider Services => app?.Services ?? localServices!.Value;

    private bool Reusable { get; init; }

    private bool AuthEnabled { get; init; }

    private IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The function key that opens Function-level routes, when keys are checked.</summary>
    public string? FunctionKey { get; private init; }

    /// <summary>The master key, which opens everything (admin routes too), when keys are checked.</summary>
    public string? MasterKey { get; private init; }

    public static Task<ApiServer> StartAsync(bool loadBeijing = true, Action<DevHostOptions>? configure = null, StorageOptions? storage = null) =>
        StartAsync(TestHost.Current, loadBeijing, configure, storage);

    /// <summary>Starts the app on the given host; a test that compares the hosts names each.</summary>
    public static async Task<ApiServer> StartAsync(HostKind host, bool loadBeijing = true, Action<DevHostOptions>? configure = null, StorageOptions? storage = null)
    {
        // A real host started for other tests can serve this one only on the shared Azurite, where its tables are deleted after each test.
        var reusable = storage is null;
        storage ??= AzuriteFixture.NewStorageOptions();
        var options = new DevHostOptions { Urls = "http://127.0.0.1:0" };
        options.Settings["Storage:ConnectionString"] = storage.ConnectionString;
        options.Settings["Storage:TablePrefix"] = storage.TablePrefix;

        // Tests run the aggregates themselves; the timers wait for a date no test run reaches.
        options.Settings["AggregatesSchedule"] = "0 0 0 1 1 *";
        options.Settings["AggregatesFullSchedule"] = "0 0 0 1 1 *";

        // The limiter stays on, with budgets no test reaches by accident (a real host serves many tests); RateLimitTests set their own.
        options.Settings["Api:RateLimits:Reads:PermitsPerMinute"] = "1000000";
        options.Settings["Api:RateLimits:Writes:PermitsPerMinute"] = "1000000";
        options.Settings["Api:RateLimits:Exports:PermitsPerMinute"] = "1000000";
        configure?.Invoke(options);

        var settings = new Dictionary<string, string?>(options.Settings);

        // A pooled real host serves one test after another over tables deleted in between: its read cache
        // would answer the last test's rows for a few seconds. Off there, unless a test sets it (and so gets a pool of its own).
        if (host == HostKind.Real && reusable)
        {
            settings.TryAdd("Storage:ReadCacheSeconds", "0");
        }

        ApiServer server;
        if (host == HostKind.Real)
        {
            if (options.MetadataPath is not null || options.HostJsonPath is not null || options.TimeProvider is not null)
            {
                throw new InvalidOperationException("Another functions.metadata, host.json or clock is for the dev host only: mark the test [DevHostOnly].");
            }

            FunctionsHostProcess process;
            if (reusable)
            {
                (process, storage.TablePrefix) = await TestHost.LeaseRealHostAsync(settings, options.EnableAuth, storage.TablePrefix);
                settings["Storage:TablePrefix"] = storage.TablePrefix;
            }
            else
            {
                process = await TestHost.StartRealHostAsync(settings, options.EnableAuth);
            }

            server = new ApiServer(null, process, settings, storage, process.BaseAddress)
            {
                Reusable = reusable,
                AuthEnabled = options.EnableAuth,
                FunctionKey = process.FunctionKey,
                MasterKey = process.MasterKey,
            };
        }
        else
        {
            // Classes run in parallel, each with hosts of its own: a host that watched appsettings.json would take
            // one of the user's inotify instances (128 on Linux) for its lifetime, and tests change no file.
            var app = DevHostApp.Build(options, ["--hostBuilder:reloadConfigOnChange=false"]);
            await app.StartAsync();
            server = new ApiServer(app, null, settings, storage, new Uri(app.Urls.First().TrimEnd('/') + "/"))
            {
                FunctionKey = options.EnableAuth ? app.Services.GetRequiredService<FunctionKeys>().FunctionKey : null,
                MasterKey = options.EnableAuth ? app.Services.GetRequiredService<FunctionKeys>().MasterKey : null,
            };
        }

        if (loadBeijing)
        {
            await server.ImportAsync(DatasetImporter.Parse(await File.ReadAllTextAsync(BeijingDataset)));
        }

        return server;
    }

    /// <summary>Runs a timer function once through the host's admin API, as a person would (<c>{"input": ""}</c>, JSON).</summary>
    public async Task<HttpResponseMessage> InvokeAdminAsync(string function)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/functions/" + function)
        {
            Content = new StringContent("""{"input": ""}""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (MasterKey is not null)
        {
            request.Headers.Add("x-functions-key", MasterKey);
        }

        return await Client.SendAsync(request);
    }

    private static ServiceProvider AppServices(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddInnovationZones();
        return services.BuildServiceProvider();
    }

    public Task<ImportReport> ImportAsync(Dataset dataset) =>
        new DatasetImporter(Tables, new DirtyScopes(Tables, TimeProvider.System), NullLogger<DatasetImporter>.Instance).ImportAsync(dataset);

    /// <summary>
    /// GET as JSON, asserting a 2xx. <paramref name="fresh"/> sends <c>Cache-Control: no-cache</c>, so the
    /// host reads storage rather than its read cache: for what a write outside the host (this process) changed.
    /// </summary>
    public async Task<JsonNode> GetJsonAsync(string path, bool fresh = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (fresh)
        {
            request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
        }

        using var response = await Client.SendAsync(request);
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
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (localServices is { IsValueCreated: true })
        {
            await localServices.Value.DisposeAsync();
        }

        var deleted = false;
        if (Storage.ConnectionString == AzuriteFixture.ConnectionString)
        {
            await Tables.DeleteAllAsync();
            deleted = true;
        }

        if (realHost is not null)
        {
            if (Reusable && deleted && !realHost.HasExited)
            {
                TestHost.GiveBack(realHost, Settings, AuthEnabled, Storage.TablePrefix);
            }
            else
            {
                await realHost.DisposeAsync();
            }
        }
    }
}

public static class HttpAssert
{
    /// <summary>
    /// A 401 as the Functions host sends it for a missing or wrong function key, before the app runs: no
    /// body, no content type (DESIGN.md: whatever the host sends is what callers get).
    /// </summary>
    public static async Task UnauthorizedByTheHostAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"Expected 401, got {(int)response.StatusCode}: {body}");
        Assert.Equal("", body);
        Assert.Null(response.Content.Headers.ContentType);
    }

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
        Assert.Equal("/api/problems/" + problem["code"]!.GetValue<string>(), problem["type"]!.GetValue<string>());
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
