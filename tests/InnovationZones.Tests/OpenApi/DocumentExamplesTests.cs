using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InnovationZones.OpenApi;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.OpenApi;

/// <summary>
/// The document's examples are true: every write's request body example, sent as it is to the path its
/// parameters' examples name, is accepted by a fresh copy of the Beijing data; every problem's type leads to
/// an explanation the API serves.
/// </summary>
[Trait("Category", Tier.Host)]
[Trait("Category", TestHost.EndToEnd)]
public sealed partial class DocumentExamplesTests : IAsyncLifetime
{
    private ApiServer server = null!;

    public async Task InitializeAsync() => server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task EveryWritesBodyExampleIsAccepted()
    {
        var document = JsonNode.Parse(await server.Client.GetStringAsync("api/openapi.json"))!;
        var sent = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation!["requestBody"] is not { } body)
                {
                    continue;
                }

                var (mediaType, content) = body["content"]!.AsObject().First(c => c.Value!["example"] is not null);
                var parameters = operation["parameters"]!.AsArray()
                    .Where(p => p!["in"]!.GetValue<string>() == "path")
                    .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["example"]!.GetValue<string>());
                var url = "api" + RouteParameter().Replace(path, m => Uri.EscapeDataString(parameters[m.Groups[1].Value]));
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
                {
                    Content = new StringContent(content!["example"]!.ToJsonString(), Encoding.UTF8, mediaType),
                };
                if (server.FunctionKey is { } key)
                {
                    request.Headers.Add("x-functions-key", key);
                }

                using var response = await server.Client.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                sent.Add($"{method} {path}");
            }
        }

        Assert.Equal(11, sent.Count);
    }

    /// <summary>
    /// The example each operation gives for an unknown query parameter (`colour`) is what the operation answers to
    /// one, word for word: title, detail, the parameters it takes. Writes are sent with their body example.
    /// </summary>
    [Fact]
    public async Task EveryUnknownQueryParameterExampleIsWhatItsOperationAnswers()
    {
        var document = JsonNode.Parse(await server.Client.GetStringAsync("api/openapi.json"))!;
        var compared = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation!["responses"]?["400"]?["content"]?["application/problem+json"]?["examples"]?["UnknownQueryParameter"]?["value"] is not JsonObject example)
                {
                    continue;
                }

                var parameters = operation["parameters"]!.AsArray()
                    .Where(p => p!["in"]!.GetValue<string>() == "path")
                    .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["example"]!.GetValue<string>());
                var url = "api" + RouteParameter().Replace(path, m => Uri.EscapeDataString(parameters[m.Groups[1].Value])) + "?colour=red";
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (operation["requestBody"]?["content"]?.AsObject().FirstOrDefault(c => c.Value!["example"] is not null) is { Key: { } mediaType, Value: { } content })
                {
                    request.Content = new StringContent(content["example"]!.ToJsonString(), Encoding.UTF8, mediaType);
                }

                if (server.FunctionKey is { } key && operation["security"]!.AsArray().Any(r => r!.AsObject().Count > 0))
                {
                    request.Headers.Add("x-functions-key", key);
                }

                using var response = await server.Client.SendAsync(request);
                var answer = await HttpAssert.ProblemAsync(response, 400, "UnknownQueryParameter");
                foreach (var member in new[] { "title", "detail", "errors", "code", "type", "status" })
                {
                    Assert.True(JsonNode.DeepEquals(example[member], answer[member]),
                        $"{method.ToUpperInvariant()} {path}: the example's {member} is {example[member]?.ToJsonString()}, the answer's {answer[member]?.ToJsonString()}");
                }

                compared++;
            }
        }

        Assert.True(compared >= 40, $"{compared} operations compared");
    }

    [Fact]
    public async Task EveryProblemsTypeLeadsToWhatItMeansAndWhatToDo()
    {
        using var problem = await server.Client.GetAsync("api/v1/zones/atlantis");
        var type = JsonNode.Parse(await problem.Content.ReadAsStringAsync())!["type"]!.GetValue<string>();
        Assert.Equal("/api/problems/ZoneNotFound", type);

        foreach (var code in ApiProblems.Codes)
        {
            using var response = await server.Client.GetAsync(new Uri(server.Client.BaseAddress!, "/api/problems/" + code));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{code}: {(int)response.StatusCode}");
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"<code>{code}</code>", html, StringComparison.Ordinal);
            Assert.Contains("<h2>What to do</h2>", html, StringComparison.Ordinal);
            Assert.Contains($"<h1>{WebUtility.HtmlEncode(ApiProblems.Get(code).Title)}</h1>", html, StringComparison.Ordinal);
        }

        await HttpAssert.ProblemAsync(await server.Client.GetAsync("api/problems/NoSuchCode"), 404, "RouteNotFound");
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();
}
