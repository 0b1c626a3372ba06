using System.Text;
using System.Text.Json.Nodes;
using InnovationZones.Api;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// The bad-input corpus (bad-input-corpus.json): every case is a write that must get its 4xx problem
/// response and leave every table exactly as it was, entity by entity, ETags included.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class BadInputCorpusTests(BadInputCorpusTests.Server server) : IClassFixture<BadInputCorpusTests.Server>
{
    private static readonly JsonObject Corpus =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "bad-input-corpus.json")))!.AsObject();

    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Api = await ApiServer.StartAsync(configure: o => o.Settings["Api:MaxImportBytes"] = "1048576");

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    internal static IEnumerable<JsonObject> Cases => Corpus["cases"]!.AsArray().Select(c => c!.AsObject());

    public static TheoryData<string> Names => new(Cases.Select(c => $"{c["class"]}: {c["name"]}"));

    [Fact]
    public void TheCorpusHasAtLeast100CasesWithUniqueNamesCoveringEveryClass()
    {
        Assert.True(Cases.Count() >= 100, $"{Cases.Count()} cases");
        var names = Cases.Select(c => $"{c["class"]}: {c["name"]}").ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var classes = Cases.Select(c => c["class"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(
            new HashSet<string> { "malformed-json", "wrong-type", "null", "missing-field", "unknown-field", "long-string", "key-characters", "nan-infinity", "injection", "deep-nesting", "huge-array", "content-type" },
            classes);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task BadInputGetsItsProblemAndChangesNothing(string name)
    {
        var spec = Cases.Single(c => $"{c["class"]}: {c["name"]}" == name);
        var before = await TableSnapshot.TakeAsync(server.Api.Tables);

        using var request = Request(spec);
        using var response = await server.Api.Client.SendAsync(request);

        await HttpAssert.ProblemAsync(response, spec["status"]!.GetValue<int>(), spec["code"]!.GetValue<string>());
        Assert.Equal(before, await TableSnapshot.TakeAsync(server.Api.Tables));
    }

    internal static HttpRequestMessage Request(JsonObject spec)
    {
        var request = new HttpRequestMessage(new HttpMethod(spec["method"]!.GetValue<string>()), spec["path"]!.GetValue<string>());
        if (Body(spec) is { } body)
        {
            request.Content = new ByteArrayContent(body);
            if (spec["contentType"]?.GetValue<string>() is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var (header, value) in spec["headers"]?.AsObject() ?? [])
        {
            request.Headers.TryAddWithoutValidation(header, value!.GetValue<string>());
        }

        return request;
    }

    private static byte[]? Body(JsonObject spec)
    {
        if (spec["bodyBase64"]?.GetValue<string>() is { } base64)
        {
            return Convert.FromBase64String(base64);
        }

        if (spec["body"]?.GetValue<string>() is { } text)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var node = spec["json"]?.DeepClone() ?? (spec["template"]?.GetValue<string>() is { } template ? Corpus["templates"]![template]!.DeepClone() : null);
        if (spec["patch"] is JsonObject patch)
        {
            node = spec["keepNulls"]?.GetValue<bool>() == true ? Overlay(node!, patch) : MergePatch.Apply(node, patch);
        }

        if (spec["generate"] is JsonObject generate)
        {
            if (generate["deep"] is JsonObject deep)
            {
                var depth = deep["depth"]!.GetValue<int>();
                return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(deep["open"]!.GetValue<string>(), depth))
                    + (deep["core"]?.GetValue<string>() ?? "")
                    + string.Concat(Enumerable.Repeat(deep["close"]!.GetValue<string>(), depth)));
            }

            if (generate["repeat"] is JsonObject repeat)
            {
                Set(node!, repeat["field"]!.GetValue<string>(), JsonValue.Create(string.Concat(Enumerable.Repeat(repeat["text"]!.GetValue<string>(), repeat["count"]!.GetValue<int>()))));
            }

            if (generate["array"] is JsonObject array)
            {
                var item = array["itemJson"] ?? array["item"];
                Set(node!, array["field"]!.GetValue<string>(), new JsonArray([.. Enumerable.Range(0, array["count"]!.GetValue<int>()).Select(_ => item!.DeepClone())]));
            }
        }

        return node is null ? null : Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>Like a merge patch, but a null is sent as null rather than removing the field.</summary>
    private static JsonNode Overlay(JsonNode target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            target[name] = value is JsonObject inner && target[name] is JsonObject existing ? Overlay(existing.DeepClone(), inner) : value?.DeepClone();
        }

        return target;
    }

    /// <summary>Sets a field by dotted path (<c>area.source.quote</c>, <c>industries.0.name</c>).</summary>
    private static void Set(JsonNode node, string path, JsonNode value)
    {
        var parts = path.Split('.');
        var parent = node;
        foreach (var part in parts[..^1])
        {
            parent = int.TryParse(part, out var index) ? parent[index]! : parent[part] ??= new JsonObject();
        }

        parent[parts[^1]] = value;
    }
}
