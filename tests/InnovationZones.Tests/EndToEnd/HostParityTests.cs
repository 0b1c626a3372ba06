using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using InnovationZones.Aggregates;
using InnovationZones.Tests.Infrastructure;
using InnovationZones.Tests.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// The dev host answers exactly as the real Functions host does. The same requests go to both, each with
/// its own copy of the Beijing data and its own keys: every request of api.http, the bad-input corpus, key
/// failures, methods no function declares, unknown routes and admin calls. Status, content type, the headers
/// a client relies on and the body must match, once host addresses, keys and trace ids are masked. The
/// differences that remain are listed in the dev host's README, each pinned by <see cref="KnownDifferences"/>.
/// </summary>
[Trait("Category", TestHost.RealHost)]
[Trait("Category", Tier.Host)]
public sealed partial class HostParityTests : IAsyncLifetime
{
    private static readonly string[] ComparedHeaders =
        ["ETag", "Cache-Control", "Location", "Link", "Vary", "Allow", "Retry-After", "WWW-Authenticate", "Content-Location", "Last-Modified", "Content-Encoding"];

    private ApiServer dev = null!;
    private ApiServer real = null!;

    public async Task InitializeAsync()
    {
        if (TestHost.Func is null)
        {
            return;
        }

        static void Configure(InnovationZones.DevHost.DevHostOptions o)
        {
            o.EnableAuth = true;
            o.Settings["Api:MaxImportBytes"] = "1048576";
        }

        dev = await ApiServer.StartAsync(HostKind.Dev, configure: Configure);
        real = await ApiServer.StartAsync(HostKind.Real, configure: Configure);
        foreach (var server in new[] { dev, real })
        {
            var run = await server.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
            Assert.Equal(RunStatus.Succeeded, run.Status);
        }
    }

    public async Task DisposeAsync()
    {
        if (dev is not null)
        {
            await dev.DisposeAsync();
        }

        if (real is not null)
        {
            await real.DisposeAsync();
        }
    }

    /// <summary>A request as both hosts get it: the path, and what to send with it for a given host (its key).</summary>
    private sealed record Exchange(string Title, Func<ApiServer, HttpRequestMessage> Create);

    [RealHostFact]
    public async Task EveryRequestOfApiHttpAnswersTheSameOnBothHosts()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "api.http"));
        var count = ApiHttpFileTests.Parse(text).Count;
        var exchanges = Enumerable.Range(0, count).Select(i => new Exchange(
            ApiHttpFileTests.Parse(text)[i].Title,
            server => ApiHttpFileTests.ToMessage(ApiHttpFileTests.Parse(text, new Dictionary<string, string>
            {
                ["host"] = server.Client.BaseAddress!.ToString().TrimEnd('/'),
                ["key"] = server.FunctionKey!,
            })[i])));
        await AssertSameAsync(exchanges);
    }

    [RealHostFact]
    public async Task TheBadInputCorpusAnswersTheSameOnBothHosts()
    {
        var exchanges = BadInputCorpusTests.Cases.Select(spec => new Exchange(
            $"{spec["class"]}: {spec["name"]}",
            server => WithKey(BadInputCorpusTests.Request(spec), server.FunctionKey)));
        await AssertSameAsync(exchanges);
    }

    [RealHostFact]
    public async Task KeysMethodsUnknownRoutesAndAdminCallsAnswerTheSameOnBothHosts()
    {
        const string write = "api/v1/zones/parity-zone";
        var zone = WriteRequests.Zone();
        Exchange Send(string title, string method, string path, string? key = null, string? body = null, string? contentType = null,
            params (string Name, string Value)[] headers) =>
            new(title, server =>
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8);
                    request.Content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
                }

                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                var chosen = key switch { "function" => server.FunctionKey, "master" => server.MasterKey, _ => key };
                return WithKey(request, chosen);
            });

        Exchange[] exchanges =
        [
            Send("a write without a key", "PUT", write, body: zone, contentType: "application/json"),
            Send("a write with a wrong key", "PUT", write, key: "wrong", body: zone, contentType: "application/json"),
            Send("a delete with a wrong key as code", "DELETE", "api/v1/zones/huairou-science-city?code=wrong"),
            Send("a write with the function key", "PUT", write, key: "function", body: zone, contentType: "application/json"),
            Send("a read needs no key", "GET", write),
            Send("the export without a key", "GET", "api/v1/export"),
            Send("the export with the function key, Brotli", "GET", "api/v1/export", key: "function", headers: ("Accept-Encoding", "br")),
            Send("a list, gzip", "GET", "api/v1/organizations?maxpagesize=3", headers: ("Accept-Encoding", "gzip")),
            Send("a list, Brotli", "GET", "api/v1/zones", headers: ("Accept-Encoding", "gzip, deflate, br")),
            Send("CSV, Brotli", "GET", "api/v1/zones", headers: [("Accept", "text/csv"), ("Accept-Encoding", "br")]),
            Send("a problem, gzip", "GET", "api/v1/zones/atlantis", headers: ("Accept-Encoding", "gzip")),
            Send("the document, Brotli", "GET", "api/openapi.json", headers: ("Accept-Encoding", "br")),
            Send("the page, gzip", "GET", "api/docs", headers: ("Accept-Encoding", "gzip")),
            Send("the page's icon, Brotli", "GET", "api/docs/favicon.svg", headers: ("Accept-Encoding", "br")),
            Send("what a problem means", "GET", "api/problems/ZoneNotFound", headers: ("Accept-Encoding", "br")),
            Send("HEAD on a list", "HEAD", "api/v1/zones"),
            Send("HEAD on an entity", "HEAD", "api/v1/zones/huairou-science-city"),
            Send("OPTIONS without CORS headers", "OPTIONS", "api/v1/zones"),
            Send("TRACE", "TRACE", "api/v1/zones"),
            Send("PUT on a read-only path", "PUT", "api/v1/cities/beijing", key: "function", body: "{}", contentType: "application/json"),
            Send("POST on an entity", "POST", "api/v1/zones/huairou-science-city", key: "function", body: "{}", contentType: "application/json"),
            Send("DELETE on a list", "DELETE", "api/v1/zones"),
            Send("GET on the import", "GET", "api/v1/import"),
            Send("TRACE on an entity", "TRACE", "api/v1/zones/huairou-science-city"),
            Send("a malformed If-None-Match", "GET", "api/v1/cities/beijing", headers: ("If-None-Match", "B1AHT*")),
            Send("If-None-Match: * alone", "GET", "api/v1/cities/beijing", headers: ("If-None-Match", "*")),
            Send("a NUL in the query", "GET", "api/v1/organizations?namePrefix=a%00"),
            Send("an unknown route under the prefix", "GET", "api/v1/nothing-here"),
            Send("an unknown route outside the prefix", "GET", "nothing-here"),
            Send("the root", "GET", ""),
            Send("admin without a key", "POST", "admin/functions/RecomputeAggregates", body: """{"input": ""}""", contentType: "application/json"),
            Send("admin with the function key", "POST", "admin/functions/RecomputeAggregates", key: "function", body: """{"input": ""}""", contentType: "application/json"),
            Send("admin without a JSON body", "POST", "admin/functions/RecomputeAggregates", key: "master"),
            Send("admin with a body that is not JSON", "POST", "admin/functions/RecomputeAggregates", key: "master", body: "run", contentType: "application/json"),
            Send("admin with text", "POST", "admin/functions/RecomputeAggregates", key: "master", body: """{"input": ""}""", contentType: "text/plain"),
            Send("admin for an unknown function", "POST", "admin/functions/NoSuchFunction", key: "master", body: """{"input": ""}""", contentType: "application/json"),
            Send("admin runs a timer", "POST", "admin/functions/RecomputeAggregates", key: "master", body: """{"input": ""}""", contentType: "application/json"),
            Send("admin for an HTTP function", "POST", "admin/functions/GetZone", key: "master", body: """{"input": ""}""", contentType: "application/json"),
            Send("host status without a key", "GET", "admin/host/status"),
        ];
        await AssertSameAsync(exchanges);
    }

    [RealHostFact]
    public async Task KnownDifferences()
    {
        // With the home page on, each host sends a landing page of its own: the same status and type, other HTML.
        await using (var devHome = await ApiServer.StartAsync(HostKind.Dev, loadBeijing: false, configure: o => o.Settings["AzureWebJobsDisableHomepage"] = "false"))
        await using (var realHome = await ApiServer.StartAsync(HostKind.Real, loadBeijing: false, configure: o => o.Settings["AzureWebJobsDisableHomepage"] = "false"))
        {
            using var onDev = await devHome.Client.GetAsync("");
            using var onReal = await realHome.Client.GetAsync("");
            Assert.Equal(HttpStatusCode.OK, onDev.StatusCode);
            Assert.Equal(HttpStatusCode.OK, onReal.StatusCode);
            Assert.Equal("text/html", onDev.Content.Headers.ContentType?.MediaType);
            Assert.Equal("text/html", onReal.Content.Headers.ContentType?.MediaType);
            Assert.NotEqual(await onDev.Content.ReadAsStringAsync(), await onReal.Content.ReadAsStringAsync());
        }

        // A NUL in the path: Kestrel refuses it before any host code runs, on both hosts, with a bare 400 (no problem body).
        foreach (var server in new[] { dev, real })
        {
            using var response = await server.Client.GetAsync("api/v1/zones%00");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }
    }

    private async Task AssertSameAsync(IEnumerable<Exchange> exchanges)
    {
        var differences = new List<string>();
        var count = 0;
        foreach (var exchange in exchanges)
        {
            count++;
            var onDev = await DescribeAsync(dev, exchange);
            var onReal = await DescribeAsync(real, exchange);
            if (onDev != onReal)
            {
                differences.Add($"{exchange.Title}:\n  dev host:  {onDev}\n  real host: {onReal}");
            }
        }

        Assert.True(count > 0);
        Assert.True(differences.Count == 0, $"{differences.Count} of {count} requests differ:\n" + string.Join("\n", differences));
    }

    /// <summary>Status, content type, the compared headers and the body, with what differs by nature between two hosts masked.</summary>
    private static async Task<string> DescribeAsync(ApiServer server, Exchange exchange)
    {
        using var request = exchange.Create(server);
        using var response = await server.Client.SendAsync(request);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} {response.Content.Headers.ContentType}");
        foreach (var name in ComparedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                text.Append(CultureInfo.InvariantCulture, $" | {name}: {string.Join(", ", values)}");
            }
        }

        // A compressed body is compared as it decompresses: its bytes carry each host's own address.
        var body = await response.Content.ReadAsStreamAsync();
        Stream decoded = response.Content.Headers.ContentEncoding.LastOrDefault() switch
        {
            "gzip" => new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress),
            "br" => new System.IO.Compression.BrotliStream(body, System.IO.Compression.CompressionMode.Decompress),
            _ => body,
        };
        using (var reader = new StreamReader(decoded))
        {
            text.Append(" | ").Append(await reader.ReadToEndAsync());
        }

        return Mask(text.ToString(), server);
    }

    private static string Mask(string text, ApiServer server)
    {
        var masked = text.Replace(server.Client.BaseAddress!.ToString().TrimEnd('/'), "{host}", StringComparison.Ordinal);
        foreach (var key in new[] { server.FunctionKey, server.MasterKey })
        {
            if (!string.IsNullOrEmpty(key))
            {
                masked = masked.Replace(Uri.EscapeDataString(key), "{key}", StringComparison.Ordinal).Replace(key, "{key}", StringComparison.Ordinal);
            }
        }

        // Values that are right on each host and differ between two copies of the data by nature: storage
        // timestamps (entity ETags, Last-Modified, times), the run ids and durations of recomputes, list ETags
        // and continuation tokens (bound to each host's own token key).
        masked = TraceId().Replace(masked, "\"traceId\":\"{traceId}\"");
        masked = ETag().Replace(masked, "ETag: ${weak}\"{etag}\"");
        masked = LastModified().Replace(masked, "Last-Modified: {date}");
        masked = ContinuationToken().Replace(masked, "continuationToken={token}");
        masked = Timestamp().Replace(masked, "{time}");
        masked = RunId().Replace(masked, "{run}");
        masked = Duration().Replace(masked, "\"${name}\":{ms}");

        // A change's id and change set are new on each host, and its feed position is the time it was published.
        masked = ChangeIds().Replace(masked, "\"${name}\":\"{id}\"");
        masked = Position().Replace(masked, "{position}");

        // Stats are cached until the next scheduled recompute: the seconds left count down between the two requests.
        masked = UntilNextRun().Replace(masked, "max-age={until the next run}");
        return masked;
    }

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string? key)
    {
        if (key is not null && !request.Headers.Contains("x-functions-key"))
        {
            request.Headers.Add("x-functions-key", key);
        }

        return request;
    }

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    [GeneratedRegex("ETag: (?<weak>W/)?\"[^\"]*\"")]
    private static partial Regex ETag();

    [GeneratedRegex("Last-Modified: [^|]*GMT")]
    private static partial Regex LastModified();

    [GeneratedRegex("continuationToken=[A-Za-z0-9_%-]+")]
    private static partial Regex ContinuationToken();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\d{8}T\d{9}Z-[0-9a-f]{6}")]
    private static partial Regex RunId();

    [GeneratedRegex("max-age=[0-9]{4,}")]
    private static partial Regex UntilNextRun();

    [GeneratedRegex("\"(?<name>id|changeSet)\":\"[0-9a-f]{32}\"")]
    private static partial Regex ChangeIds();

    [GeneratedRegex("[0-9]{19}-[0-9a-f]{32}")]
    private static partial Regex Position();

    [GeneratedRegex("\"(?<name>durationMs|duration)\":[0-9.]+")]
    private static partial Regex Duration();
}
