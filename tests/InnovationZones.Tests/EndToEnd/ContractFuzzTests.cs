using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using InnovationZones.Aggregates;
using InnovationZones.Tests.Infrastructure;
using InnovationZones.Tests.OpenApi;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// The contract, fuzzed: for every operation of the OpenAPI document the API serves, requests drawn from the
/// document (valid ones from each parameter's and body's schema, edges of every bound included; invalid ones
/// with one part breaking its schema) go to a running host, and every answer is held to the document: never a
/// 5xx, a documented status, a documented media type for it, a JSON body valid against its schema; a valid
/// request is no 400 unless <see cref="FuzzContract.AllowedRejections"/> says why; an invalid one is a 4xx
/// problem; a write answered 4xx changes no table. A fixed seed and a few examples per operation by default;
/// <c>INNOVATIONZONES_FUZZ_EXAMPLES</c> and <c>INNOVATIONZONES_FUZZ_SEED</c> for deeper or other runs. A
/// failure is shrunk by CsCheck and printed as a curl command.
/// </summary>
[Trait("Category", TestHost.EndToEnd)]
[Trait("Category", Tier.Host)]
public sealed class ContractFuzzTests(ContractFuzzTests.Server server, ITestOutputHelper output) : IClassFixture<ContractFuzzTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        public ApiServer Api { get; private set; } = null!;

        public FuzzContract Contract { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Api = await ApiServer.StartAsync(configure: o => o.EnableAuth = true);
            var run = await Api.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Contract = await FuzzContract.LoadAsync(Api);
        }

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    /// <summary>Examples of each kind (valid, invalid) per operation: a bounded few by default, more on request.</summary>
    public static int Examples => int.TryParse(Environment.GetEnvironmentVariable("INNOVATIONZONES_FUZZ_EXAMPLES"), out var n) && n > 0 ? n : 10;

    /// <summary>The run's seed: fixed, so a run is repeatable; another with <c>INNOVATIONZONES_FUZZ_SEED</c>.</summary>
    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("INNOVATIONZONES_FUZZ_SEED"), out var s) ? s : 20261129;

    public static TheoryData<string> Operations() => new(FuzzContract.OperationIds(FuzzContract.CommittedDocument()));

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryAnswerHoldsToTheDocument(string operationId)
    {
        var contract = server.Contract;
        var operation = contract.Operation(operationId);
        var valid = contract.Valid(operation);
        var invalid = contract.Invalid(operation);
        var sent = 0;
        for (var i = 0; i < Examples; i++)
        {
            foreach (var (gen, stream) in new[] { (valid, 1u), (invalid, 2u) })
            {
                if (gen is null)
                {
                    continue;
                }

                var pcg = new PCG(stream, Seed * 7919 + (ulong)StableHash(operationId) * 104729 + (ulong)i);
                var seed = pcg.ToString();
                var request = gen.Generate(pcg, null!, out _);
                sent++;
                if (await contract.CheckAsync(request) is { } failure)
                {
                    // Shrink from the failing seed, and report the smallest failing request as curl.
                    await gen.SampleAsync(
                        async r =>
                        {
                            if (await contract.CheckAsync(r) is { } shrunk)
                            {
                                throw new Xunit.Sdk.XunitException(shrunk);
                            }
                        },
                        seed: seed,
                        iter: 200,
                        threads: 1,
                        print: contract.Curl);
                    Assert.Fail($"{failure}\n{contract.Curl(request)}\n(not reproduced while shrinking: the server's state had changed)");
                }
            }
        }

        FuzzContract.Count(sent);
        output.WriteLine($"{operationId}: {sent} requests, {FuzzContract.Requests} in this run so far (seed {Seed}, {Examples} examples of each kind)");
    }

    [Fact]
    public async Task CreateReadPatchConditionallyDeleteAndReadAgain()
    {
        var api = server.Api;
        var contract = server.Contract;
        // Parents of their own: the fuzzing tests may have deleted or replaced any of Beijing's.
        await contract.SendCheckedAsync(WithKey(WriteRequests.Put("api/v1/zones/fuzz-parent-zone", WriteRequests.Zone(), ifNoneMatchAny: true)), 201);
        await contract.SendCheckedAsync(WithKey(WriteRequests.Put("api/v1/organizations/fuzz-parent-org", WriteRequests.Organization(), ifNoneMatchAny: true)), 201);
        var resources = new (string Path, string Body)[]
        {
            ("api/v1/zones/fuzz-parent-zone/metrics/fuzz-indicator/2024-02-29", WriteRequests.Metric()),
            ("api/v1/cities/beijing/metrics/fuzz-indicator/2021", WriteRequests.Metric()),
            ("api/v1/organizations/fuzz-parent-org/relations/located-in/zone/fuzz-parent-zone", WriteRequests.Relation),
            ("api/v1/zones/fuzz-sequence-zone", WriteRequests.Zone()),
            ("api/v1/organizations/fuzz-sequence-org", WriteRequests.Organization()),
        };
        foreach (var (path, body) in resources)
        {
            await contract.SendCheckedAsync(WithKey(WriteRequests.Put(path, body, ifNoneMatchAny: true)), 201);
            await contract.SendCheckedAsync(WithKey(WriteRequests.Put(path, body, ifNoneMatchAny: true)), 412);
            using var read = await contract.SendCheckedAsync(new HttpRequestMessage(HttpMethod.Get, path), 200);
            var etag = WriteRequests.ETagOf(read);
            await contract.SendCheckedAsync(Header(new HttpRequestMessage(HttpMethod.Get, path), "If-None-Match", etag), 304);
            using var patched = await contract.SendCheckedAsync(WithKey(WriteRequests.Patch(path, "{}", ifMatch: etag)), 200);
            var newTag = WriteRequests.ETagOf(patched);
            await contract.SendCheckedAsync(WithKey(WriteRequests.Delete(path, ifMatch: "W/\"stale\"")), 412);
            await contract.SendCheckedAsync(WithKey(WriteRequests.Delete(path, ifMatch: newTag)), 204);
            await contract.SendCheckedAsync(new HttpRequestMessage(HttpMethod.Get, path), 404);
            await contract.SendCheckedAsync(WithKey(WriteRequests.Delete(path)), 404);
        }

        HttpRequestMessage WithKey(HttpRequestMessage request)
        {
            request.Headers.Add("x-functions-key", api.FunctionKey);
            return request;
        }
    }

    [Theory]
    [InlineData("api/v1/zones", 1)]
    [InlineData("api/v1/organizations", 2)]
    [InlineData("api/v1/organizations?namePrefix=c", 1)]
    [InlineData("api/v1/industries", 3)]
    [InlineData("api/v1/cities/beijing/metrics", 1)]
    [InlineData("api/v1/zones/zhongguancun-science-city/metrics?from=2020", 1)]
    [InlineData("api/v1/organizations/world-internet-conference/relations", 2)]
    [InlineData("api/v1/stats/runs", 1)]
    public async Task FollowingNextLinkReachesTheEndOfEveryList(string path, int pageSize)
    {
        var contract = server.Contract;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? next = $"{path}{separator}maxpagesize={pageSize}";
        var pages = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null)
        {
            Assert.True(++pages <= 200, $"{path}: more than 200 pages");
            using var response = await contract.SendCheckedAsync(new HttpRequestMessage(HttpMethod.Get, next), 200);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            foreach (var item in page["value"]!.AsArray())
            {
                Assert.True(seen.Add(item!.ToJsonString()), $"{path}: an item came twice: {item.ToJsonString()}");
            }

            next = page["nextLink"]?.GetValue<string>();
            var link = response.Headers.TryGetValues("Link", out var links) ? links.Single() : null;
            Assert.Equal(next is null ? null : $"<{next}>; rel=\"next\"", link);
        }
    }

    private static HttpRequestMessage Header(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff;
}

/// <summary>One drawn request: what is sent, and which part (if any) breaks its schema.</summary>
public sealed record FuzzRequest(
    string Operation,
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    string? Body,
    string? Broken)
{
    public string Url => Path + (Query.Count == 0 ? "" : "?" + string.Join("&", Query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value))));

    public bool IsWrite => Method is not ("GET" or "HEAD" or "OPTIONS");
}

/// <summary>The document as the fuzzer reads it: its operations, generators of requests from their schemas, and the checks of each answer.</summary>
public sealed partial class FuzzContract
{
    private static int requests;

    /// <summary>The requests sent in this test run, by every fuzzing test.</summary>
    public static int Requests => Volatile.Read(ref requests);

    public static void Count(int sent) => Interlocked.Add(ref requests, sent);

    /// <summary>One of <paramref name="values"/>, uniformly; shrinks towards the first.</summary>
    public static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    /// <summary>
    /// Where the server rejects a request that the document's schemas admit, and why: each entry is a problem
    /// code and the field (a JSON path or a parameter, indices as [*]) that it names. Reviewed: every entry is a
    /// rule the document states in words (an operation's or a parameter's description) but a schema cannot say.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> AllowedRejections = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["InvalidContinuationToken continuationToken"] = "A continuation token is opaque and signed for its query: one not taken from nextLink is a 400.",
        ["InvalidQueryParameterValue city"] = "A filter naming a city that does not exist is a 400 (city=atlantis), not an empty list.",
        ["InvalidQueryParameterValue zone"] = "A filter naming a zone that does not exist is a 400, not an empty list.",
        ["InvalidQueryParameterValue industry"] = "A filter naming an industry that does not exist is a 400, not an empty list.",
        ["InvalidQueryParameterValue from"] = "`from` after `to` is a 400: a relation between two parameters.",
        ["InvalidQueryParameterValue to"] = "`from` after `to` is a 400: a relation between two parameters.",
        ["InvalidBody $.cityId"] = "A zone's city must exist: a reference to data.",
        ["InvalidBody $.headquarters.cityId"] = "A headquarters' city, when given, must exist: a reference to data.",
        ["InvalidBody $.source.document"] = "A source names a document that exists: a reference to data.",
        ["InvalidBody $.area.source.document"] = "A source names a document that exists: a reference to data.",
        ["InvalidBody orgId"] = "A relation's start must exist: a reference to data.",
        ["InvalidBody toId"] = "A relation's end must exist, and differ from its start: a reference to data.",
        ["InvalidBody toKind"] = "A relation type points at some kinds only (founded-by at an organization, located-in at a zone or a city): a rule between two path parameters, stated in the operation's description.",
        ["InvalidImport *"] = "An import is validated as a whole against the data (references within it and to storage, relation kinds, duplicates, slugs, units, periods): stated in the operation's description, rows listed in the problem.",
        ["InvalidBody zoneId"] = "A metric's zone must exist: a reference to data.",
        ["InvalidBody cityId"] = "A metric's city must exist: a reference to data.",
    };

    private readonly ApiServer api;
    private readonly JsonNode document;
    private readonly Dictionary<string, (string Path, string Method, JsonNode Operation)> operations;
    private readonly Known known;

    private FuzzContract(ApiServer api, JsonNode document, Known known)
    {
        this.api = api;
        this.document = document;
        this.known = known;
        operations = Operations(document).ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    /// <summary>The ids the Beijing data has, so that most drawn ids name something (the rest are 404s).</summary>
    private sealed record Known(
        string[] Cities, string[] Zones, string[] Organizations, string[] Industries, string[] Documents,
        (string Scope, string Id, string Indicator, string Period)[] Metrics,
        (string From, string Type, string ToKind, string To)[] Relations);

    public static JsonNode CommittedDocument() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Find(), "docs", "openapi.json")))!;

    public static IEnumerable<string> OperationIds(JsonNode document) =>
        Operations(document).Select(o => o.Operation["operationId"]!.GetValue<string>()).Order(StringComparer.Ordinal);

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select (path.Key, operation.Key.ToUpperInvariant(), operation.Value!);

    public static async Task<FuzzContract> LoadAsync(ApiServer api)
    {
        var document = JsonNode.Parse(await api.Client.GetStringAsync("api/openapi.json"))!;
        var cities = await api.IdsAsync("api/v1/cities");
        var zones = await api.IdsAsync("api/v1/zones");
        var organizations = await api.IdsAsync("api/v1/organizations");
        var industries = await api.IdsAsync("api/v1/industries");
        var metrics = new List<(string, string, string, string)>();
        foreach (var (scope, ids) in new[] { ("zones", zones), ("cities", cities) })
        {
            foreach (var id in ids)
            {
                foreach (var item in (await api.GetAllPagesAsync($"api/v1/{scope}/{id}/metrics")).SelectMany(p => p))
                {
                    metrics.Add((scope, id, item!["indicator"]!.GetValue<string>(), item["period"]!["value"]!.GetValue<string>()));
                }
            }
        }

        var relations = new List<(string, string, string, string)>();
        foreach (var id in organizations)
        {
            foreach (var item in (await api.GetAllPagesAsync($"api/v1/organizations/{id}/relations?direction=outgoing")).SelectMany(p => p))
            {
                relations.Add((id, item!["type"]!.GetValue<string>(), item["to"]!["kind"]!.GetValue<string>(), item["to"]!["id"]!.GetValue<string>()));
            }
        }

        return new FuzzContract(api, document, new Known([.. cities], [.. zones], [.. organizations], [.. industries],
            ["beijing-innovation-platforms-2022"], [.. metrics], [.. relations]));
    }

    public (string Path, string Method, JsonNode Operation) Operation(string id) => operations[id];

    // ---------------------------------------------------------------- generation

    /// <summary>Valid requests: every parameter and the body drawn from their schemas.</summary>
    public Gen<FuzzRequest> Valid((string Path, string Method, JsonNode Operation) op)
    {
        var parameters = Parameters(op.Operation);
        var parts = parameters.Select(p => Optional(p, ValidValue(p.Schema, p.Name, op.Path))).ToArray();
        var body = ValidBody(op.Operation);
        return Combine(parts).Select(body, (values, b) => Build(op, parameters, values, b, broken: null));
    }

    /// <summary>Invalid requests: one parameter, or the body, breaks its schema; the rest stay valid.</summary>
    public Gen<FuzzRequest>? Invalid((string Path, string Method, JsonNode Operation) op)
    {
        var parameters = Parameters(op.Operation);
        var choices = new List<Gen<FuzzRequest>>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var index = i;
            if (InvalidValue(parameters[i]) is not { } broken)
            {
                continue;
            }

            var parts = parameters.Select((p, j) => j == index ? broken.Select(v => (string?)v) : Optional(p, ValidValue(p.Schema, p.Name, op.Path))).ToArray();
            choices.Add(Combine(parts).Select(ValidBody(op.Operation), (values, b) => Build(op, parameters, values, b, broken: parameters[index].Name)));
        }

        // An unknown query parameter.
        var all = parameters.Select(p => Optional(p, ValidValue(p.Schema, p.Name, op.Path))).ToArray();
        choices.Add(Combine(all).Select(ValidBody(op.Operation), Gen.String.AlphaNumeric.Where(s => s.Length > 0 && s != "code" && parameters.All(p => !string.Equals(p.Name, s, StringComparison.OrdinalIgnoreCase))), (values, b, name) =>
        {
            var request = Build(op, parameters, values, b, broken: "query");
            return request with { Query = [.. request.Query, new(name, "1")] };
        }));

        if (InvalidBody(op.Operation) is { } badBody)
        {
            choices.Add(Combine(all).Select(badBody, (values, b) => Build(op, parameters, values, b, broken: "body")));
        }

        return choices.Count == 0 ? null : Gen.OneOf(choices.ToArray());
    }

    private sealed record Parameter(string Name, string In, bool Required, JsonNode Schema);

    private List<Parameter> Parameters(JsonNode operation) =>
        [.. (operation["parameters"]?.AsArray() ?? []).Select(p => Resolve(p!)).Select(p => new Parameter(
            p["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() == true, Resolve(p["schema"]!)))];

    private static Gen<string?> Optional(Parameter parameter, Gen<string> value) =>
        parameter.Required ? value.Select(v => (string?)v) : Gen.Frequency((2, Gen.Const<string?>(default(string))), (1, value.Select(v => (string?)v)));

    private static Gen<string?[]> Combine(Gen<string?>[] parts) =>
        parts.Aggregate(Gen.Const(Array.Empty<string?>()), (acc, part) => acc.Select(part, (a, v) => (string?[])[.. a, v]));

    private FuzzRequest Build((string Path, string Method, JsonNode Operation) op, List<Parameter> parameters, string?[] values, (string ContentType, string Body)? body, string? broken)
    {
        var path = op.Path;
        var query = new List<KeyValuePair<string, string>>();
        var headers = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < parameters.Count; i++)
        {
            if (values[i] is not { } value)
            {
                continue;
            }

            switch (parameters[i].In)
            {
                case "path":
                    path = path.Replace("{" + parameters[i].Name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
                    break;
                case "query":
                    query.Add(new(parameters[i].Name, value));
                    break;
                default:
                    headers.Add(new(parameters[i].Name, value));
                    break;
            }
        }

        // If-Match and If-None-Match: * together are a 400: the parameters' descriptions say "not both", which a schema cannot.
        if (broken is null && headers.Any(h => h.Key == "If-Match"))
        {
            headers.RemoveAll(h => h.Key == "If-None-Match");
        }

        if (op.Operation["security"]?.AsArray().Any(s => s!.AsObject().Count > 0) == true && broken != "key")
        {
            headers.Add(new("x-functions-key", api.FunctionKey!));
        }

        return new FuzzRequest(op.Operation["operationId"]!.GetValue<string>(), op.Method, "api" + path, query, headers, body?.ContentType, body?.Body, broken);
    }

    private static readonly Gen<char> Printable = Gen.Frequency(
        (6, Gen.Char['a', 'z']), (2, Gen.Char['A', 'Z']), (2, Gen.Char['0', '9']), (2, Gen.Char[" -_.,:;!'()&+=@~*$"]),
        (1, Gen.Char['\u00a0', '\u024f']), (1, Gen.Char['\u4e00', '\u4fff']));

    private static readonly Gen<char> Ascii = Gen.Char['!', '~'];

    private static Gen<string> Text(int min, int max) =>
        Gen.Frequency((3, Gen.String[Printable, min, Math.Min(max, 24)]), (1, Gen.String[Printable, Math.Max(min, max), Math.Max(min, max)]));

    private static readonly Gen<string> Slug =
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 8].Array[1, 4].Select(parts => string.Join("-", parts));

    private static readonly Gen<string> EntityTag = Gen.Frequency(
        (3, Gen.String[Gen.Char['#', '~'], 0, 20].Select(s => "\"" + s + "\"")),
        (1, Gen.String[Gen.Char['#', '~'], 0, 20].Select(s => "W/\"" + s + "\"")));

    private static readonly Gen<string> Period = Gen.Int[1, 9999].Select(Gen.Int[0, 2], Gen.Int[0, 3652058], (year, precision, day) =>
    {
        var date = DateOnly.FromDayNumber(day);
        return precision switch
        {
            0 => year.ToString("D4", CultureInfo.InvariantCulture),
            1 => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    });

    private const string ContinuationTokenPattern = "^[A-Za-z0-9_-]+$";

    /// <summary>A generator for each pattern the document uses: a new pattern fails the run until the fuzzer is taught it.</summary>
    private Gen<string> ForPattern(string pattern, string name, string route) => pattern switch
    {
        _ when pattern == InnovationZones.Contracts.Slugs.Pattern => Gen.Frequency((3, KnownIds(name, route)), (1, Slug), (1, Gen.Const(new string('a', 100)))),
        _ when pattern == InnovationZones.Contracts.Periods.Pattern => name == "period" && route.Contains("metrics", StringComparison.Ordinal)
            ? Gen.Frequency((2, Pick(known.Metrics.Select(m => m.Period).Distinct().ToArray())), (1, Period))
            : Period,
        _ when pattern == InnovationZones.Api.EntityTags.SinglePattern => Gen.Frequency((1, Gen.Const("*")), (3, EntityTag)),
        _ when pattern == InnovationZones.Api.EntityTags.ListPattern => Gen.Frequency(
            (1, Gen.Const("*")),
            (3, EntityTag.Array[1, 3].Select(Pick(", ", ",", " , ", ",, "), (tags, separator) => string.Join(separator, tags)))),
        _ when pattern == InnovationZones.Api.RequestQuery.TextPattern => Gen.Const(""),
        _ when pattern == InnovationZones.Contracts.TextAttribute.Pattern => Text(0, 60),
        _ when pattern == InnovationZones.Contracts.TextAttribute.NonBlankPattern => Text(1, 60).Select(t => t.Trim()).Where(t => t.Length > 0),
        "^\\*$" => Gen.Const("*"),
        _ when pattern == InnovationZones.Api.ChangeRequests.ReasonPattern => Gen.String[Gen.Char[' ', '~'], 1, 60].Where(r => r.Trim().Length > 0),
        _ when pattern == InnovationZones.Storage.ChangeFeed.PositionPattern =>
            Gen.String[Gen.Char['0', '9'], 19, 19].Select(Gen.String[Gen.Char["0123456789abcdef"], 32, 32], (ticks, id) => ticks + "-" + id),
        _ when pattern == ContinuationTokenPattern => Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"], 1, 64],
        _ => throw new InvalidOperationException($"The fuzzer has no generator for the pattern {pattern} ({name}): teach it one."),
    };

    private Gen<string> KnownIds(string name, string route)
    {
        string[] ids = name switch
        {
            "cityId" or "city" => known.Cities,
            "zoneId" or "zone" => known.Zones,
            "orgId" => known.Organizations,
            "toId" => [.. known.Organizations, .. known.Zones],
            "industry" => known.Industries,
            "indicator" => [.. known.Metrics.Select(m => m.Indicator).Distinct()],
            _ => [],
        };
        return ids.Length == 0 ? Slug : Pick(ids);
    }

    private Gen<string> ValidValue(JsonNode schema, string name, string route)
    {
        schema = Resolve(schema);
        if (schema["enum"] is JsonArray values)
        {
            return Pick(values.Select(v => v!.GetValue<string>()).ToArray());
        }

        switch (Type(schema))
        {
            case "integer":
                var min = schema["minimum"]?.GetValue<int>() ?? 0;
                var max = schema["maximum"]?.GetValue<int>() ?? 1000;
                return Gen.Frequency((1, Gen.Const(min)), (1, Gen.Const(max)), (3, Gen.Int[min, max])).Select(i => i.ToString(CultureInfo.InvariantCulture));
            case "boolean":
                return Pick("true", "false");
            default:
                var minLength = schema["minLength"]?.GetValue<int>() ?? 0;
                var maxLength = schema["maxLength"]?.GetValue<int>() ?? 40;
                if (schema["pattern"]?.GetValue<string>() is { } pattern)
                {
                    return pattern == InnovationZones.Api.RequestQuery.TextPattern
                        ? Text(Math.Max(1, minLength), maxLength)
                        : ForPattern(pattern, name, route).Where(v => v.Length >= minLength && v.Length <= maxLength);
                }

                return name == "continuationToken"
                    ? Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"], Math.Max(1, minLength), 64]
                    : Text(Math.Max(1, minLength), maxLength);
        }
    }

    /// <summary>A value that breaks the parameter's schema, or null where none can be sent (a path segment cannot be empty).</summary>
    private Gen<string>? InvalidValue(Parameter parameter)
    {
        var schema = parameter.Schema;
        var isHeader = parameter.In == "header";
        var chars = isHeader ? Ascii : Gen.Frequency((4, Printable), (1, Gen.Char['\u0001', '\u001f']), (1, Gen.Char["/?#%\\"]));
        var junk = Gen.String[chars, parameter.In == "path" ? 1 : 0, 30]
            .Select(s => isHeader ? s.Trim() : s)
            .Where(s => parameter.In != "path" || (s != "." && s != ".." && !s.Contains('\0', StringComparison.Ordinal)));
        var candidates = new List<Gen<string>> { junk };
        if (Type(schema) == "integer")
        {
            var min = schema["minimum"]?.GetValue<int>() ?? 0;
            var max = schema["maximum"]?.GetValue<int>() ?? 1000;
            candidates.Add(Pick((min - 1).ToString(CultureInfo.InvariantCulture), (max + 1).ToString(CultureInfo.InvariantCulture), "1.5", "1e3", "-0x1", "" + int.MaxValue + "0"));
        }

        if (schema["maxLength"]?.GetValue<int>() is { } maxLength)
        {
            candidates.Add(Gen.String[Gen.Char['a', 'z'], maxLength + 1, maxLength + 20]);
        }

        if (schema["pattern"] is not null && parameter.In != "header")
        {
            candidates.Add(Pick("2021-13", "2021-02-30", "2023-02-29", "0000-01", "A-B", "a--b", "-a", "a\u0007b", "x\u0085y"));
        }

        var validator = DocumentAssert.SchemaFor(document, schema);
        return Gen.OneOf(candidates.ToArray())
            .Where(v => !validator.Evaluate(ParameterValue(schema, v)).IsValid)
            .Where(v => parameter.In != "path" || v.Length > 0);
    }

    /// <summary>A parameter's text as its schema sees it: an integer or boolean when it reads as one (as the server parses it), else a string.</summary>
    private static JsonValue ParameterValue(JsonNode schema, string text) => Type(schema) switch
    {
        "integer" when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        "boolean" when text is "true" or "false" => JsonValue.Create(text == "true"),
        _ => JsonValue.Create(text),
    };

    private Gen<(string, string)?> ValidBody(JsonNode operation)
    {
        if (operation["requestBody"]?["content"]?.AsObject() is not { } content)
        {
            return Gen.Const<(string, string)?>(default((string, string)?));
        }

        var options = new List<Gen<(string, string)?>>();
        foreach (var (mediaType, media) in content)
        {
            var schema = Resolve(media!["schema"]!);
            switch (mediaType)
            {
                case "application/json":
                    options.Add(Json(schema, "$", 0).Select(b => ((string, string)?)(mediaType, b!.ToJsonString())));
                    break;
                case "application/merge-patch+json":
                    // A merge patch of the body the description names: some of its members, drawn from its schema.
                    var target = MergePatchTarget(schema);
                    options.Add(Patch(target).Select(b => ((string, string)?)(mediaType, b.ToJsonString())));
                    break;
                case "text/csv":
                    options.Add(Gen.Const<(string, string)?>((mediaType, "scopeKind,scopeId,indicator,name,period,value,unit,qualifier,document,quote,locator\n")));
                    break;
                default:
                    throw new InvalidOperationException($"The fuzzer does not draw {mediaType} bodies yet.");
            }
        }

        return Gen.OneOf(options.ToArray());
    }

    private Gen<(string, string)?>? InvalidBody(JsonNode operation)
    {
        if (operation["requestBody"]?["content"]?.AsObject() is not { } content)
        {
            return null;
        }

        var (mediaType, media) = content.First(c => c.Key != "text/csv");
        var schema = Resolve(media!["schema"]!);
        var json = mediaType == "application/merge-patch+json" ? Patch(MergePatchTarget(schema)).Select(p => (JsonNode)p) : Json(schema, "$", 0)!;
        var breakers = new List<Gen<(string, string)?>>
        {
            // Not JSON at all, or JSON of the wrong media type.
            json.Select(Pick("{", "{\"a\":1,}", "[1, 2", "nul", "{\"name\": NaN}"), (_, text) => ((string, string)?)(mediaType, text)),
            json.Select(b => ((string, string)?)("text/plain", b!.ToJsonString())),
            // An unknown member at the top.
            json.Select(Gen.String.AlphaNumeric.Where(s => s.Length > 0), (b, name) =>
            {
                var node = b!.DeepClone().AsObject();
                node["x" + name] = 1;
                return ((string, string)?)(mediaType, node.ToJsonString());
            }),
            // A wrong type at the top.
            Pick("[]", "1", "\"text\"", "true", "null").Select(text => ((string, string)?)(mediaType, text)),
        };
        if (mediaType == "application/json" && schema["required"] is JsonArray { Count: > 0 } required)
        {
            // A required member missing.
            breakers.Add(json.Select(Gen.Int[0, required.Count - 1], (b, i) =>
            {
                var node = b!.DeepClone().AsObject();
                node.Remove(required[i]!.GetValue<string>());
                return ((string, string)?)(mediaType, node.ToJsonString());
            }));
        }

        return Gen.OneOf(breakers.ToArray());
    }

    private JsonNode MergePatchTarget(JsonNode patchSchema)
    {
        var description = patchSchema["description"]?.GetValue<string>() ?? "";
        var name = TargetName().Match(description) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"A merge patch without its target schema: {description}");
        return Resolve(document["components"]!["schemas"]![name]!);
    }

    private Gen<JsonObject> Patch(JsonNode target)
    {
        // In a merge patch, null removes a member: a required one is never null, at any depth (patch: true).
        var properties = target["properties"]!.AsObject().Select(p => (p.Key, Schema: p.Value!)).ToArray();
        var required = target["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        return Gen.Shuffle(properties, 0, Math.Min(3, properties.Length)).SelectMany(chosen =>
            chosen.Aggregate(Gen.Const(new JsonObject()), (acc, p) => acc.Select(Json(p.Schema, "$." + p.Key, 1, patch: true, notNull: required.Contains(p.Key)), (o, v) =>
            {
                var copy = o.DeepClone().AsObject();
                copy[p.Key] = v?.DeepClone();
                return copy;
            })));
    }

    /// <summary>A JSON value valid against <paramref name="schema"/>, strings drawn where data must name data from the Beijing ids.</summary>
    private Gen<JsonNode?> Json(JsonNode schema, string path, int depth, bool patch = false, bool notNull = false)
    {
        schema = Resolve(schema);
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var alternatives = oneOf.Where(s => !notNull || Resolve(s!)["type"]?.ToJsonString() != "\"null\"").ToArray();
            return Gen.OneOf(alternatives.Select(s => Json(s!, path, depth, patch)).ToArray());
        }

        if (schema["enum"] is JsonArray values)
        {
            return Pick(values.Select(v => v?.DeepClone()).ToArray());
        }

        var types = schema["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).ToArray(),
            JsonValue one => [one.GetValue<string>()],
            _ => ["object"],
        };
        if (notNull && types.Length > 1)
        {
            types = [.. types.Where(t => t != "null")];
        }

        var type = types.Length == 1 ? Gen.Const(types[0]) : Gen.Frequency([.. types.Select(t => (t == "null" ? 1 : 3, t))]);
        return type.SelectMany(t => JsonOfType(schema, t, path, depth, patch));
    }

    /// <summary>The members of the object that holds a <c>sources</c> map: its keys name them.</summary>
    private string[] siblings = [];

    private Gen<JsonNode?> JsonOfType(JsonNode schema, string type, string path, int depth, bool patch)
    {
        var name = path[(path.LastIndexOf('.') + 1)..].TrimEnd(']', '*', '[');
        switch (type)
        {
            case "null":
                return Gen.Const<JsonNode?>(default(JsonNode));
            case "boolean":
                return Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b));
            case "integer":
                return Gen.Frequency((1, Gen.Const(1)), (3, Gen.Int[1, 1_000_000])).Select(i => (JsonNode?)JsonValue.Create(i));
            case "number":
                return Gen.Frequency((1, Gen.Const(0m)), (3, Gen.Int[-1_000_000, 1_000_000].Select(i => i / 100m))).Select(d => (JsonNode?)JsonValue.Create(d));
            case "string":
                if (schema["format"]?.GetValue<string>() == "date")
                {
                    return Gen.Int[0, 3652058].Select(d => (JsonNode?)JsonValue.Create(DateOnly.FromDayNumber(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                }

                var maxLength = schema["maxLength"]?.GetValue<int>() ?? 60;
                var minLength = schema["minLength"]?.GetValue<int>() ?? 1;
                return StringFor(name, path, schema, minLength, maxLength).Select(s => (JsonNode?)JsonValue.Create(s));
            case "array":
                if (depth > 4)
                {
                    return Gen.Const<JsonNode?>(new JsonArray());
                }

                var maxItems = Math.Min(schema["maxItems"]?.GetValue<int>() ?? 3, 3);
                var minItems = schema["minItems"]?.GetValue<int>() ?? 0;
                // Items are distinct (by their id where they have one): the server rejects repeats.
                return Json(schema["items"]!, path + "[*]", depth + 1).Array[minItems, Math.Max(minItems, maxItems)]
                    .Select(items => (JsonNode?)new JsonArray([.. items
                        .DistinctBy(i => i is JsonObject o && o["id"] is { } id ? id.ToJsonString() : i?.ToJsonString() ?? "null", StringComparer.Ordinal)
                        .Select(i => i?.DeepClone())]));
            default:
                var properties = schema["properties"]?.AsObject().Select(p => (p.Key, Schema: p.Value!)).ToArray() ?? [];
                var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
                Gen<JsonObject> result = Gen.Const(new JsonObject());
                if (properties.Any(p => p.Key == "sources"))
                {
                    siblings = [.. properties.Select(p => p.Key).Where(k => k != "sources")];
                }

                foreach (var (key, propertySchema) in properties)
                {
                    var value = Json(propertySchema, path + "." + key, depth + 1, patch, notNull: patch && required.Contains(key));
                    var optional = required.Contains(key) ? value.Select(v => (true, v)) : Gen.Frequency((1, Gen.Const<(bool, JsonNode?)>((false, null))), (1, value.Select(v => (true, v))));
                    result = result.Select(optional, (o, pair) =>
                    {
                        if (pair.Item1)
                        {
                            o = o.DeepClone().AsObject();
                            o[key] = pair.Item2?.DeepClone();
                        }

                        return o;
                    });
                }

                if (properties.Any(p => p.Key == "quote") && properties.Any(p => p.Key == "locator"))
                {
                    // A source gives a quote or a locator: the schema says so with `not`, which the generator does not read.
                    result = result.Select(o =>
                    {
                        if (o["quote"] is null && o["locator"] is null)
                        {
                            o = o.DeepClone().AsObject();
                            o["locator"] = "paragraph 1";
                        }

                        return o;
                    });
                }

                if (schema["additionalProperties"] is JsonObject extra && depth <= 4)
                {
                    result = result.Select(Json(extra, path + ".*", depth + 1).Array[0, 2], Pick(siblings.Length > 0 ? siblings : ["name"]), (o, items, key) =>
                    {
                        o = o.DeepClone().AsObject();
                        if (items.Length > 0)
                        {
                            o[key] = items[0]?.DeepClone();
                        }

                        return o;
                    });
                }

                return result.Select(o => (JsonNode?)o);
        }
    }

    /// <summary>
    /// A string for a body member. Where the server takes only data it knows (a city, a document, an industry) or
    /// a syntax the schema does not state, the fuzzer draws from that: each case is in <see cref="BodyRules"/>.
    /// </summary>
    private Gen<string> StringFor(string name, string path, JsonNode schema, int minLength, int maxLength)
    {
        // References name data that exists: the schema gives their syntax, not that.
        switch (name)
        {
            case "cityId":
                return Pick(known.Cities);
            case "document":
                return Pick(known.Documents);
            case "focusIndustries" or "industries" or "industry":
                return Pick(known.Industries);
        }

        if (schema["pattern"]?.GetValue<string>() is { } pattern)
        {
            return ForPattern(pattern, name, path).Where(s => s.Length >= minLength && s.Length <= maxLength);
        }

        return name switch
        {
            "id" or "comparedTo" or "unit" or "value" when !path.StartsWith("$.name", StringComparison.Ordinal) => BodyRule(name),
            _ => Text(minLength, Math.Min(maxLength, 60)).Select(s => s.Trim()).Where(s => s.Length >= minLength),
        };
    }

    /// <summary>Body members whose rule the schema does not state (yet): the syntax the server holds them to.</summary>
    public static readonly IReadOnlyDictionary<string, string> BodyRules = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cityId, headquarters.cityId"] = "names a city that exists",
        ["source.document"] = "names a source document that exists",
        ["focusIndustries, industries"] = "name industries that exist",
        ["arrays"] = "no item twice (an id at most once)",
        ["sources"] = "keys name the entity's members (the schema states their syntax, propertyNames; the fuzzer uses member names)",
        ["entity"] = "stored as at most 30,000 characters of JSON",
        ["If-Match, If-None-Match"] = "not both on one write",
    };

    private static Gen<string> BodyRule(string name) => name switch
    {
        "unit" => Pick("percent", "km2", "billion-cny", "count"),
        "comparedTo" or "value" => Period,
        _ => Slug,
    };

    // ---------------------------------------------------------------- checks

    /// <summary>Sends the request and holds the answer to the document; null when it holds, else what is wrong.</summary>
    public async Task<string?> CheckAsync(FuzzRequest request)
    {
        var before = request.IsWrite ? await TableSnapshot.TakeAsync(api.Tables) : null;
        using var message = ToMessage(request);
        using var response = await api.Client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var (_, _, operation) = operations[request.Operation];
        var problems = new List<string>();
        problems.AddRange(Conformance(operation, response, body));

        if (request.Broken is null && status is 400 && !Allowed(body))
        {
            problems.Add("A request valid against the document's schemas was rejected with 400, and no reviewed rule allows it.");
        }

        if (request.Broken is null && status is 405 or 406 or 413 or 415)
        {
            problems.Add($"A request valid against the document was answered {status}.");
        }

        if (request.Broken is not null)
        {
            if (status is < 400 or >= 500)
            {
                problems.Add($"A request whose {request.Broken} breaks its schema was answered {status}, not a 4xx.");
            }
            else if (status != 401 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                problems.Add($"A request whose {request.Broken} breaks its schema was answered {status} without a problem document.");
            }
        }

        if (before is not null && status is >= 400 and < 500)
        {
            var after = await TableSnapshot.TakeAsync(api.Tables);
            if (!before.SequenceEqual(after))
            {
                problems.Add("A write answered 4xx, and the tables changed.");
            }
        }

        return problems.Count == 0 ? null : $"{request.Method} {request.Url}: {status} {response.Content.Headers.ContentType}\n{Truncate(body)}\n- " + string.Join("\n- ", problems);
    }

    /// <summary>Sends a request of a stateful sequence: the answer holds to the document, and has the status the sequence expects.</summary>
    public async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, int status)
    {
        var path = new Uri(api.Client.BaseAddress!, request.RequestUri!).AbsolutePath;
        var what = $"{request.Method} {request.RequestUri}";
        var operation = operations.Values.FirstOrDefault(o => o.Method == request.Method.Method && RouteRegex(o.Path).IsMatch(path["/api".Length..])).Operation
            ?? throw new InvalidOperationException($"No operation in the document for {what}");
        var response = await api.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{what}: expected {status}, got {(int)response.StatusCode} {body}");
        var problems = Conformance(operation, response, body).ToList();
        Assert.True(problems.Count == 0, $"{what}: {string.Join("; ", problems)}\n{body}");
        Count(1);
        return response;
    }

    private IEnumerable<string> Conformance(JsonNode operation, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            yield return $"A {status}: the server failed.";
        }

        var described = operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)];
        if (described is null)
        {
            yield return $"{status} is not a status the document gives this operation.";
            yield break;
        }

        described = Resolve(described);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (body.Length == 0)
        {
            if (described["content"] is JsonObject { Count: > 0 })
            {
                yield return $"The {status} has no body, and the document gives it one.";
            }

            yield break;
        }

        var content = described["content"]?[mediaType ?? ""];
        if (content is null)
        {
            yield return $"The {status} is {mediaType ?? "of no media type"}, which the document does not give it.";
            yield break;
        }

        if (mediaType is not null && (mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal)))
        {
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException e)
            {
                json = null;
                body = e.Message;
            }

            if (json is null)
            {
                yield return $"The {status} says {mediaType} and is not JSON: {body}";
                yield break;
            }

            var result = DocumentAssert.SchemaFor(document, content["schema"]!).Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                yield return $"The {status} body does not match its schema: " + string.Join("; ",
                    (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(5));
            }
        }
    }

    private static bool Allowed(string body)
    {
        JsonNode? problem;
        try
        {
            problem = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }

        var code = problem?["code"]?.GetValue<string>();
        var fields = problem?["errors"]?.AsObject().Select(e => Index().Replace(e.Key, "[*]")).ToList() ?? [];
        return code is not null && fields.Count > 0
            && (AllowedRejections.ContainsKey(code + " *") || fields.All(f => AllowedRejections.ContainsKey(code + " " + f)));
    }

    public string Curl(FuzzRequest request)
    {
        var text = new StringBuilder("curl -i -X ").Append(request.Method).Append(' ').Append(Quote(new Uri(api.Client.BaseAddress!, request.Url).AbsoluteUri));
        foreach (var (name, value) in request.Headers)
        {
            text.Append(" -H ").Append(Quote($"{name}: {(name == "x-functions-key" ? "$KEY" : value)}"));
        }

        if (request.Body is not null)
        {
            text.Append(" -H ").Append(Quote("Content-Type: " + request.ContentType)).Append(" --data-binary ").Append(Quote(request.Body));
        }

        return text.Append(request.Broken is null ? "   # valid" : $"   # breaks: {request.Broken}").ToString();
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Truncate(string body) => body.Length > 1500 ? body[..1500] + "…" : body;

    private static HttpRequestMessage ToMessage(FuzzRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        return message;
    }

    private JsonNode Resolve(JsonNode node) => DocumentAssert.Resolve(document, node);

    private static string? Type(JsonNode schema) => schema["type"] switch
    {
        JsonValue one => one.GetValue<string>(),
        JsonArray many => many.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => null,
    };

    private static Regex RouteRegex(string route) =>
        new("^" + Regex.Replace(Regex.Escape(route), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex Index();

    [GeneratedRegex("of `([A-Za-z]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex TargetName();
}
