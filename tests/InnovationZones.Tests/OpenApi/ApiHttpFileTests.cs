using System.Text.RegularExpressions;
using InnovationZones.Aggregates;
using InnovationZones.Tests.EndToEnd;
using InnovationZones.Tests.Functions;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.OpenApi;

/// <summary>api.http at the repository root: a request for every function's route, and each one runs.</summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed partial class ApiHttpFileTests(ApiHttpFileTests.Server server) : IClassFixture<ApiHttpFileTests.Server>
{
    /// <summary>Beijing's data on a host of this class's own: api.http writes, and its stats requests need a recompute.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        public async Task InitializeAsync() => Api = await ApiServer.StartAsync();

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    public sealed record HttpFileRequest(string Title, string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? Body = null);

    /// <summary>
    /// The requests of an .http file: <c>###</c> separates them, <c>@name = value</c> defines a variable used as <c>{{name}}</c>;
    /// after the headers, a blank line and the body, if any.
    /// </summary>
    public static List<HttpFileRequest> Parse(string text, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var variables = VariableLine().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim(), StringComparer.Ordinal);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        string Expand(string s) => Variable().Replace(s, m => variables.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

        var requests = new List<HttpFileRequest>();
        foreach (var block in text.Split("###").Skip(1))
        {
            var lines = block.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            var requestLine = lines.FindIndex(l => RequestLine().IsMatch(l));
            if (requestLine < 0)
            {
                continue;
            }

            var match = RequestLine().Match(lines[requestLine]);
            var headerLines = lines.Skip(requestLine + 1).TakeWhile(l => l.Contains(':', StringComparison.Ordinal) && !l.StartsWith('#')).ToList();
            var headers = headerLines.Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => Expand(p[1].Trim()), StringComparer.OrdinalIgnoreCase);
            var body = string.Join('\n', lines.Skip(requestLine + 1 + headerLines.Count).Where(l => !l.StartsWith('#'))).Trim();
            requests.Add(new HttpFileRequest(lines[0].Trim(), match.Groups["method"].Value, Expand(match.Groups["url"].Value), headers, body.Length > 0 ? Expand(body) + "\n" : null));
        }

        return requests;
    }

    private static string ApiHttp => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "api.http"));

    [Fact]
    public void DefinesHostAndKeyAndHasARequestForEveryFunctionRoute()
    {
        var text = ApiHttp;
        Assert.Matches(@"(?m)^@host\s*=", text);
        Assert.Matches(@"(?m)^@key\s*=", text);
        var requests = Parse(text, new Dictionary<string, string> { ["host"] = "http://host" });
        Assert.All(requests, r => Assert.StartsWith("http://host/api/", r.Url, StringComparison.Ordinal));

        var missing = FunctionMetadataTests.BuiltHttpFunctions()
            .Where(f => !requests.Any(r => f.Methods.Split(", ").Contains(r.Method) && RoutePattern(f.Route).IsMatch(new Uri(r.Url).AbsolutePath)))
            .Select(f => $"{f.Name}: {f.Methods} {f.Route}")
            .ToList();
        Assert.True(missing.Count == 0, "api.http has no request for:\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task EveryRequestRunsAgainstTheDevHost()
    {
        // The stats requests read what a recompute wrote.
        var run = await server.Api.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var requests = Parse(ApiHttp, new Dictionary<string, string> { ["host"] = server.Api.Client.BaseAddress!.ToString().TrimEnd('/') });
        Assert.True(requests.Count >= 45, $"{requests.Count} requests");
        foreach (var request in requests)
        {
            using var message = ToMessage(request);
            using var response = await server.Api.Client.SendAsync(message);
            var status = (int)response.StatusCode;
            var expectsError = request.Title.Contains("An error", StringComparison.Ordinal);
            Assert.True(expectsError ? status is >= 400 and < 500 : status is >= 200 and < 300,
                $"{request.Title}: {request.Method} {request.Url} answered {status}");
        }
    }

    /// <summary>The request as HttpClient sends it: its body with exactly the headers the file gives.</summary>
    public static HttpRequestMessage ToMessage(HttpFileRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is { } body)
        {
            message.Content = new StringContent(body);
            message.Content.Headers.Remove("Content-Type");
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                Assert.True(message.Content?.Headers.TryAddWithoutValidation(name, value), $"{request.Title}: header {name} without a body");
            }
        }

        return message;
    }

    /// <summary>A route template as a pattern for paths: <c>{zoneId}</c> is one segment, <c>{*path}</c> the rest.</summary>
    private static Regex RoutePattern(string route) => new(
        "^" + string.Join('/', route.Split('/').Select(segment => segment switch
        {
            ['{', '*', ..] => ".+",
            ['{', ..] => "[^/]+",
            _ => Regex.Escape(segment),
        })) + "$",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"(?m)^@(?<name>\w+)\s*=(?<value>.*)$")]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(?<url>\S+)")]
    private static partial Regex RequestLine();
}
