using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InnovationZones.Api;
using InnovationZones.Contracts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;

namespace InnovationZones.OpenApi;

/// <summary>
/// The API's OpenAPI 3.1 document, built from the function app itself: each HTTP function's route,
/// methods and authorization level from its <c>[HttpTrigger]</c>, what it answers from its
/// <see cref="ApiOperationAttribute"/>, component schemas from the C# types (<see cref="ApiSchemas"/>),
/// examples from the Beijing data. A function without <see cref="ApiOperationAttribute"/> is not in it:
/// that is only the catch-all RouteNotFound, which is no endpoint but the answer where there is none.
/// </summary>
public sealed partial class ApiDocument
{
    /// <summary>The route prefix of host.json: the server's URL, relative to wherever the API is served.</summary>
    public const string RoutePrefix = RouteTable.RoutePrefix;

    public const string Title = "Innovation Zones API";

    public const string Version = "1.0.0";

    /// <summary>The order of the tags in the document, and so on the reference page.</summary>
    public static readonly IReadOnlyList<string> TagOrder = ["Zones", "Organizations", "Cities", "Metrics", "Industries", "Stats", "Changes", "Import", "Export", "Health", "Reference"];

    private const string FunctionKeyScheme = "functionKey";


    private readonly OpenApiDocument document;
    private readonly ApiSchemas schemas;
    private readonly ApiExamples examples;

    private ApiDocument(ApiExamples examples)
    {
        this.examples = examples;
        document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = Title,
                Version = Version,
                Summary = "Innovation zones, the organizations in and around them, and figures about both, each with its source.",
                Description = Description,
                License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
            },
            Servers =
            [
                new OpenApiServer
                {
                    Url = "/" + RoutePrefix,
                    Description = "This API, where this document is served: the production deployment in Azure, or a local run on a developer's machine.",
                    Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal) { ["x-internal"] = new JsonNodeExtension(false) },
                },
            ],
            Paths = [],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal),
                Responses = new Dictionary<string, IOpenApiResponse>(StringComparer.Ordinal),
            },
            Tags = new HashSet<OpenApiTag>(),
        };
        schemas = new ApiSchemas(document);
        AddSharedComponents();
    }

    private const string Description = """
        A data API over Azure Table Storage. Every figure is served exactly as its source states it, with its
        unit, period, qualifier (`exact`, `more-than`, `less-than`, `about`) and a link to its source; what a
        source does not say is `null`, never guessed.

        Conventions: JSON in camelCase, enum values kebab-case, ids lowercase slugs. Lists are
        `{"value": [...], "nextLink": "<absolute url>"}` with `nextLink` absent on the last page, also sent as
        `Link: <...>; rel="next"`. Every GET answers with an `ETag` and honours `If-None-Match` with 304.
        Unknown query parameters, repeated or empty ones, and unknown filter values are 400s. Every error is an
        RFC 9457 `application/problem+json` with a stable `code`, with two exceptions that come from the server
        before the app runs: a 401 for a missing or wrong function key (empty body), and a 400 with no body for a
        NUL (`%00`) in the path, which the web server refuses as malformed. A method that a path does not take is
        a 405 `MethodNotAllowed` with `Allow`.

        Writes (PUT, PATCH, DELETE and `POST v1/import`) take a function key. A PUT or PATCH answers the entity
        with its new `ETag`; send it back in `If-Match` to write only over that version (412 otherwise), or
        `If-None-Match: *` to create only. Bodies are validated as a whole before anything is written.
        """;

    /// <summary>Builds the document for the HTTP functions of <paramref name="assembly"/>.</summary>
    public static OpenApiDocument Build(Assembly assembly, ApiExamples? examples = null)
    {
        var builder = new ApiDocument(examples ?? ApiExamples.Load());
        // The resources first, then health and the reference itself.
        foreach (var function in HttpFunctions(assembly).OrderBy(f => !f.Route.StartsWith("v1/", StringComparison.Ordinal)).ThenBy(f => f.Route, StringComparer.Ordinal))
        {
            builder.Add(function);
        }

        // Tags in the order a newcomer reads them: the resources, then the import and export, health and this reference.
        var tags = builder.document.Tags!.ToList();
        builder.document.Tags = new HashSet<OpenApiTag>(tags.OrderBy(t => TagOrder.Contains(t.Name!) ? TagOrder.ToList().IndexOf(t.Name!) : TagOrder.Count).ThenBy(t => t.Name, StringComparer.Ordinal));
        builder.document.Components!.Schemas = new SortedDictionary<string, IOpenApiSchema>(builder.document.Components.Schemas!, StringComparer.Ordinal);
        return builder.document;
    }

    public static string ToJson(OpenApiDocument document) => Write(document, w => new OpenApiJsonWriter(w));

    public static string ToYaml(OpenApiDocument document) => Write(document, w => new OpenApiYamlWriter(w));

    private static string Write(OpenApiDocument document, Func<TextWriter, IOpenApiWriter> writer)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(writer(text));
        return text.ToString().ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>A described HTTP function: its route as the trigger declares it (<see cref="RouteTable"/>), and its operation.</summary>
    public sealed record HttpFunction(HttpRoute Declared, ApiOperationAttribute Operation)
    {
        public string Name => Declared.Name;

        public string Route => Declared.Route;

        public IReadOnlyList<string> Methods => Declared.Methods;

        public AuthorizationLevel AuthLevel => Declared.AuthLevel;

        public MethodInfo Method => Declared.Method;
    }

    public static IEnumerable<HttpFunction> HttpFunctions(Assembly assembly) =>
        from route in RouteTable.In(assembly)
        let operation = route.Method.GetCustomAttribute<ApiOperationAttribute>()
        where operation is not null
        select new HttpFunction(route, operation);

    private void Add(HttpFunction function)
    {
        var path = "/" + RouteParameter().Replace(function.Route, "{${name}}");
        var item = document.Paths.TryGetValue(path, out var existing) ? (OpenApiPathItem)existing : new OpenApiPathItem();
        document.Paths[path] = item;
        item.Operations ??= [];
        foreach (var method in function.Methods)
        {
            item.Operations[new HttpMethod(method)] = Operation(function, method);
        }
    }

    /// <summary>Every operation but those that declare none (the health probe) spends a rate-limit budget (<see cref="RateLimits"/>).</summary>
    private static bool RateLimited(HttpFunction function) => function.Declared.Budget != RateBudget.None;

    private OpenApiOperation Operation(HttpFunction function, string method)
    {
        var described = function.Operation;
        if (!document.Tags!.Any(t => t.Name == described.Tag))
        {
            var tag = function.Method.DeclaringType!.Assembly.GetCustomAttributes<ApiTagAttribute>().FirstOrDefault(t => t.Name == described.Tag)
                ?? throw new InvalidOperationException($"{function.Name}: declare its tag with [assembly: ApiTag(\"{described.Tag}\", ...)] in its feature's API file.");
            document.Tags!.Add(new OpenApiTag { Name = tag.Name, Description = tag.Description });
        }

        var instance = "/" + RoutePrefix + "/" + RouteParameter().Replace(function.Route, m => PathParameter(function, m.Groups["name"].Value).Example ?? "x");
        var pathParameters = RouteParameter().Matches(function.Route).Select(m => PathParameter(function, m.Groups["name"].Value)).ToList();
        var queryParameters = QueryParameters(function);
        var isGet = method == "GET";

        var operation = new OpenApiOperation
        {
            OperationId = function.Name,
            Summary = described.Summary,
            Description = described.Description,
            Tags = new HashSet<OpenApiTagReference> { new(described.Tag, document) },
            Parameters = [],
            Responses = [],
            // Anonymous: the empty requirement. Otherwise a function key, in its header only: the host also takes a
            // `code` query parameter, but a key in a URL ends up in logs, histories and Referer headers.
            Security = function.AuthLevel == AuthorizationLevel.Anonymous
                ? [new OpenApiSecurityRequirement()]
                : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(FunctionKeyScheme, document)] = [] }],
        };
        if (function.AuthLevel != AuthorizationLevel.Anonymous)
        {
            AddFunctionKeyScheme();
        }

        foreach (var parameter in pathParameters)
        {
            operation.Parameters.Add(Parameter(parameter, ParameterLocation.Path));
        }

        foreach (var parameter in queryParameters)
        {
            operation.Parameters.Add(Parameter(parameter, ParameterLocation.Query));
        }

        if (described.List)
        {
            operation.Parameters.Add(MaxPageSizeParameter());
            operation.Parameters.Add(ContinuationTokenParameter());
        }

        if (isGet)
        {
            var ifNoneMatch = IfNoneMatchParameter();
            if (described.Streamed)
            {
                ifNoneMatch.Description = "`*` alone: the answer is 304 with no body (a representation always exists). A list of entity tags never matches: this response has none. Anything else is a 400 `InvalidPrecondition`.";
            }

            operation.Parameters.Add(ifNoneMatch);
        }

        if (described.Conditional)
        {
            operation.Parameters.Add(IfMatchParameter());
        }

        if (described.Creates)
        {
            operation.Parameters.Add(IfNoneMatchCreateParameter());
        }

        if (IsWrite(function))
        {
            operation.Parameters.Add(ChangeReasonParameter());
        }

        if (described.Accepts is { } accepts)
        {
            var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            if (described.MergePatch)
            {
                content[MediaTypes.MergePatch] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = $"An RFC 7396 merge patch of `{ApiSchemas.Name(accepts)}` (see that schema): only the members to change; `null` removes an optional member. The result is validated as a whole.",
                    },
                    Example = examples.Body(accepts, mergePatch: true, PathExamples(pathParameters)),
                };
                _ = schemas.Reference(accepts);
            }
            else
            {
                content[MediaTypes.Json] = new OpenApiMediaType { Schema = schemas.Reference(accepts), Example = examples.Body(accepts, mergePatch: false, PathExamples(pathParameters)) };
            }

            if (described.AcceptsCsv)
            {
                content[MediaTypes.Csv] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }

            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        }

        operation.Responses[described.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
            Success(function, isGet, instance, pathParameters.FirstOrDefault()?.Example);
        if (described.Creates)
        {
            var created = Success(function, isGet, instance, pathParameters.FirstOrDefault()?.Example);
            created.Description = "Created: the entity did not exist.";
            created.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            created.Headers["Location"] = new OpenApiHeaderReference("Location", document);
            operation.Responses["201"] = created;
        }
        if (isGet)
        {
            operation.Responses["304"] = new OpenApiResponseReference("NotModified", document);
        }

        var problems = new List<string> { "UnknownQueryParameter" };
        if (isGet)
        {
            problems.Add("InvalidPrecondition");
        }

        if (queryParameters.Count > 0 || described.List)
        {
            problems.Add("InvalidQueryParameterValue");
        }

        if (described.List)
        {
            problems.Add("InvalidContinuationToken");
        }

        if (pathParameters.Any(p => p.Value == ApiValue.Id))
        {
            problems.Add("InvalidId");
        }

        if (described.NotFound is { } resource)
        {
            problems.Add(resource + "NotFound");
        }

        if (described.Accepts is not null)
        {
            problems.AddRange(["PayloadTooLarge", "UnsupportedMediaType"]);
        }

        if (described.Conditional)
        {
            problems.AddRange(["InvalidPrecondition", "PreconditionFailed", "WriteConflict"]);
        }

        if (IsWrite(function))
        {
            problems.Add("InvalidHeader");
        }

        problems.AddRange(described.Problems);
        var context = new ApiProblems.Context(
            [.. queryParameters.Select(p => p.Name), .. described.List ? new[] { RequestQuery.MaxPageSize, RequestQuery.ContinuationToken } : []],
            described.List,
            pathParameters.FirstOrDefault(p => p.Value == ApiValue.Id)?.Name);
        foreach (var status in problems.Distinct().GroupBy(code => ApiProblems.Get(code).Status).OrderBy(g => g.Key))
        {
            operation.Responses[status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponse(status, instance, context);
        }

        if (function.AuthLevel != AuthorizationLevel.Anonymous)
        {
            operation.Responses["401"] = new OpenApiResponseReference("Unauthorized", document);
        }

        if (isGet)
        {
            operation.Responses["406"] = new OpenApiResponseReference("NotAcceptable", document);
        }

        if (RateLimited(function))
        {
            operation.Responses["429"] = new OpenApiResponseReference("RateLimited", document);
        }

        operation.Responses["500"] = new OpenApiResponseReference("InternalError", document);
        if (described.UnavailableReturns is { } unavailable)
        {
            operation.Responses["503"] = new OpenApiResponse
            {
                Description = "Storage did not answer: the report says so. Retry after `Retry-After` seconds.",
                Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = new OpenApiHeaderReference("Retry-After", document) },
                Content = new Dictionary<string, OpenApiMediaType> { [MediaTypes.Json] = new() { Schema = schemas.Reference(unavailable) } },
            };
        }
        else if (described.ReadsStorage)
        {
            operation.Responses["503"] = new OpenApiResponseReference("StorageUnavailable", document);
        }

        return operation;
    }

    private OpenApiResponse Success(HttpFunction function, bool isGet, string instance, string? pathExample)
    {
        var described = function.Operation;
        var response = new OpenApiResponse
        {
            Description = described.List
                ? "A page of the list; `nextLink` (and `Link`) lead to the next one."
                : described.SuccessStatus switch { 201 => "Created", 204 => "No content", _ => described.Creates ? "OK: the entity was replaced." : "OK" },
            Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal),
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal),
        };
        if (isGet && described.Streamed)
        {
            response.Headers["Cache-Control"] = new OpenApiHeaderReference("Cache-Control", document);
        }
        else if (isGet)
        {
            response.Headers["ETag"] = new OpenApiHeaderReference("ETag", document);
            response.Headers["Cache-Control"] = new OpenApiHeaderReference("Cache-Control", document);
            if (!described.List && described.Returns is not null)
            {
                response.Headers["Last-Modified"] = new OpenApiHeaderReference("Last-Modified", document);
            }
        }
        else if (described.Conditional && described.Returns is not null)
        {
            response.Headers["ETag"] = new OpenApiHeaderReference("ETag", document);
        }

        if (described.List)
        {
            response.Headers["Link"] = new OpenApiHeaderReference("Link", document);
        }

        if (described.Returns is { } returns)
        {
            var body = described.List ? typeof(ListResponse<>).MakeGenericType(returns) : returns;
            response.Content[MediaTypes.Json] = new OpenApiMediaType
            {
                Schema = described.OrReturns is { } other
                    ? new OpenApiSchema { OneOf = [schemas.Reference(body), schemas.Reference(other)] }
                    : schemas.Reference(body),
                Example = described.List
                    ? examples.List(returns, function.Route, instance, pathExample)
                    : examples.Entity(returns, function.Route, pathExample),
            };
        }
        else if (described.MediaType is { } mediaType)
        {
            foreach (var type in described.OtherMediaTypes.Prepend(mediaType))
            {
                response.Content[type] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = type == MediaTypes.Json ? JsonSchemaType.Object : JsonSchemaType.String },
                };
            }
        }

        if (described.Csv)
        {
            response.Content[MediaTypes.Csv] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "With `Accept: text/csv`: the same items, filters and paging as CSV, one row per item after a header row.",
                },
            };
        }

        if (response.Headers.Count == 0)
        {
            response.Headers = null;
        }

        return response;
    }

    /// <summary>
    /// The problems of one status an operation answers: the description names each code with its own title, and
    /// each example is what that operation answers (its own parameters, its own path), headed by its title.
    /// </summary>
    private OpenApiResponse ProblemResponse(IGrouping<int, string> codes, string instance, ApiProblems.Context? context = null) => new()
    {
        Description = string.Join("; ", codes.Distinct().Select(c => $"{ApiProblems.Get(c).Title}: `{c}`")) + ".",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemResponses.ContentType] = new()
            {
                Schema = new OpenApiSchemaReference(ApiSchemas.ProblemName, document),
                Examples = codes.Distinct().ToDictionary(
                    code => code,
                    code => (IOpenApiExample)new OpenApiExample { Summary = ApiProblems.Get(code).Title, Value = ApiProblems.Body(code, instance, context) }),
            },
        },
    };

    private static Dictionary<string, string> PathExamples(IEnumerable<ApiPathAttribute> parameters) =>
        parameters.Where(p => p.Example is not null).ToDictionary(p => p.Name, p => p.Example!, StringComparer.Ordinal);

    private static ApiPathAttribute PathParameter(HttpFunction function, string name) =>
        function.Method.GetCustomAttributes<ApiPathAttribute>().FirstOrDefault(p => p.Name == name)
        ?? RouteParameters.Find(function.Route, name)
        ?? throw new InvalidOperationException($"{function.Name}: describe the route parameter '{name}' in {nameof(RouteParameters)} or with [ApiPath].");

    /// <summary>The list's declared filters (<see cref="ApiOperationAttribute.Filters"/>), each replaced by the function's own <c>[ApiQuery]</c> of its name; then the function's other ones.</summary>
    private static List<ApiQueryAttribute> QueryParameters(HttpFunction function)
    {
        var own = function.Method.GetCustomAttributes<ApiQueryAttribute>().ToList();
        var declared = function.Operation.Filters is { } filters ? QueryFilters.Of(filters) : [];
        return [.. declared.Select(d => own.FirstOrDefault(o => o.Name == d.Name) ?? d), .. own.Where(o => declared.All(d => d.Name != o.Name))];
    }

    /// <summary>
    /// A path parameter is required, and its example (from the Beijing data) fills it in on the reference page. An
    /// optional one has its example in its description only: the page switches on, and sends, every optional
    /// parameter that has an example or a default.
    /// </summary>
    private static OpenApiParameter Parameter(ApiParameterAttribute parameter, ParameterLocation location) => new()
    {
        Name = parameter.Name,
        In = location,
        Required = location == ParameterLocation.Path,
        Description = location != ParameterLocation.Path && parameter.Example is { } example
            ? $"{parameter.Description} For example `{example}`."
            : parameter.Description,
        Schema = ValueSchema(parameter),
        Example = location == ParameterLocation.Path && parameter.Example is { } value ? JsonValue.Create(value) : null,
    };

    private static OpenApiSchema ValueSchema(ApiParameterAttribute parameter) => parameter.Value switch
    {
        ApiValue.Id => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Slugs.Pattern, MaxLength = Slugs.MaxLength },
        ApiValue.Period => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Periods.Pattern, MaxLength = 10 },
        ApiValue.Text => new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = parameter.MaxLength, MinLength = 1, Pattern = RequestQuery.TextPattern },
        ApiValue.Enum => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. EnumNames.All(parameter.Values ?? throw new InvalidOperationException($"Parameter {parameter.Name}: set Values to the enum type.")).Select(n => (JsonNode)JsonValue.Create(n))],
        },
        ApiValue.Asset => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. ReferencePage.Assets.Select(a => (JsonNode)JsonValue.Create(a))] },
        ApiValue.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        ApiValue.Position => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Storage.ChangeFeed.PositionPattern, MaxLength = Storage.ChangeFeed.PositionLength, MinLength = Storage.ChangeFeed.PositionLength },
        _ => throw new InvalidOperationException($"Unknown parameter value kind {parameter.Value}."),
    };



    private void AddFunctionKeyScheme()
    {
        document.Components!.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[FunctionKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "x-functions-key",
            Description = "A function key of the function app, in a header.",
        };
    }

    // The parameters every operation of a kind takes are written into each operation, not shared as components:
    // the reference page keeps what is typed into a shared parameter, and would send it with every operation.
    private static OpenApiParameter MaxPageSizeParameter() => new()
    {
        Name = RequestQuery.MaxPageSize,
        In = ParameterLocation.Query,
        Description = $"The most items a page holds: 1 to {ApiOptions.MaxPageSize}, {ApiOptions.DefaultPageSize} when absent. A page may hold fewer; follow `nextLink` until it is absent.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = ApiOptions.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static OpenApiParameter ContinuationTokenParameter() => new()
    {
        Name = RequestQuery.ContinuationToken,
        In = ParameterLocation.Query,
        Description = "Where the next page starts: opaque, and signed for its query. Take it from `nextLink` as it is; a tampered token, or one from another query, is a 400.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 4096, Pattern = "^[A-Za-z0-9_-]+$" },
    };

    private static OpenApiParameter IfNoneMatchParameter() => new()
    {
        Name = "If-None-Match",
        In = ParameterLocation.Header,
        Description = "An `ETag` from an earlier response, a comma-separated list of them, or `*` alone: when the representation has not changed, the answer is 304 with no body. Anything else is a 400 `InvalidPrecondition`.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = EntityTags.MaxLength, Pattern = EntityTags.ListPattern },
    };

    private static OpenApiParameter IfMatchParameter() => new()
    {
        Name = "If-Match",
        In = ParameterLocation.Header,
        Description = "Write only if the entity is at this version: its `ETag` as the API sent it (`W/\"...\"`), or `*` for any existing version. Otherwise 412, and nothing is written. Without it, the last write wins.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = EntityTags.MaxLength, Pattern = EntityTags.SinglePattern },
    };

    /// <summary>A keyed operation that is not a read: it records what it changes, and takes a reason.</summary>
    private static bool IsWrite(HttpFunction function) =>
        function.AuthLevel != AuthorizationLevel.Anonymous && !function.Methods.Contains("get", StringComparer.OrdinalIgnoreCase);

    private static OpenApiParameter ChangeReasonParameter() => new()
    {
        Name = ChangeRequests.ReasonHeader,
        In = ParameterLocation.Header,
        Description = "Why: kept with every change this request makes, in each entity's history and in the change feed. Printable ASCII on one line, not only spaces; anything else is a 400 `InvalidHeader`.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = ChangeRequests.MaxReasonLength, Pattern = ChangeRequests.ReasonPattern },
    };

    private static OpenApiParameter IfNoneMatchCreateParameter() => new()
    {
        Name = "If-None-Match",
        In = ParameterLocation.Header,
        Description = "`*`: create only; when the entity exists the answer is 412, and nothing is written. Not together with `If-Match`.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1, Pattern = "^\\*$" },
    };

    private void AddSharedComponents()
    {
        var components = document.Components!;
        components.Schemas![ApiSchemas.ProblemName] = schemas.Parse(ProblemSchema());

        components.Headers!["ETag"] = Header("The representation's entity tag: the entity's own for one entity, a hash of the representation for a list, the aggregate run's id for statistics. Send it back in `If-None-Match`.", JsonSchemaType.String);
        components.Headers["Cache-Control"] = Header("How long the response may be reused: short for lists, until the next scheduled recompute for statistics, never (`no-store`) for the export.", JsonSchemaType.String);
        components.Headers["Last-Modified"] = Header("When the entity last changed (an HTTP-date), where known.", JsonSchemaType.String);
        components.Headers["Link"] = Header("RFC 8288: `<nextLink>; rel=\"next\"`, the same URL as `nextLink`; absent on the last page.", JsonSchemaType.String);
        components.Headers["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "86400" },
        };
        components.Headers["RateLimit-Policy"] = Header("IETF draft-ietf-httpapi-ratelimit-headers: the budget this request spent, `\"reads\";q=600;w=60` (600 a minute for reads) , `\"writes\";q=60;w=60` or `\"exports\";q=6;w=60`, per client and instance.", JsonSchemaType.String);
        components.Headers["RateLimit"] = Header("IETF draft-ietf-httpapi-ratelimit-headers: what is left of the budget and when a permit is back, `\"reads\";r=0;t=1` (none left, one in 1 second).", JsonSchemaType.String);
        components.Headers["Location"] = Header("The URL of the entity created.", JsonSchemaType.String);

        components.Responses!["NotModified"] = new OpenApiResponse
        {
            Description = "Not modified: the `ETag` sent in `If-None-Match` is still current. No body.",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["ETag"] = new OpenApiHeaderReference("ETag", document),
                ["Cache-Control"] = new OpenApiHeaderReference("Cache-Control", document),
            },
        };
        components.Responses["Unauthorized"] = new OpenApiResponse
        {
            Description = "No function key, or a wrong one, in `x-functions-key`: the Functions host answers before the app runs, " +
                "with an empty body and no content type (not a problem document: the host, not the app, sends it).",
        };
        components.Responses["NotAcceptable"] = ProblemResponse(Codes("NotAcceptable"), "/api/v1/zones/zhongguancun-science-city");
        var rateLimited = ProblemResponse(Codes("RateLimited"), "/api/v1/zones");
        rateLimited.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeaderReference("Retry-After", document),
            ["RateLimit-Policy"] = new OpenApiHeaderReference("RateLimit-Policy", document),
            ["RateLimit"] = new OpenApiHeaderReference("RateLimit", document),
        };
        components.Responses["RateLimited"] = rateLimited;
        components.Responses["InternalError"] = ProblemResponse(Codes("InternalError"), "/api/v1/zones");
        var unavailable = ProblemResponse(Codes("StorageUnavailable"), "/api/v1/zones");
        unavailable.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = new OpenApiHeaderReference("Retry-After", document) };
        components.Responses["StorageUnavailable"] = unavailable;
    }

    private static IGrouping<int, string> Codes(string code) => new[] { code }.GroupBy(c => ApiProblems.Get(c).Status).Single();

    private static OpenApiHeader Header(string description, JsonSchemaType type) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    /// <summary>RFC 9457 problem details as <see cref="ProblemResponses"/> writes them.</summary>
    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details. `code` is stable and machine-readable; `type` is `/api/problems/{code}`, relative to the API's address, where the API serves what the code means and what to do about it.",
        ["required"] = new JsonArray("type", "title", "status", "detail", "code"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["format"] = "uri-reference", ["pattern"] = "^" + Problems.TypePrefix + "[A-Za-z]+$", ["description"] = "Where the API explains the problem: `GET` it for what the code means and what to do." },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer", ["minimum"] = 400, ["maximum"] = 599 },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string", ["description"] = "The path of the request." },
            ["code"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Z][A-Za-z]+$", ["examples"] = new JsonArray([.. ApiProblems.Codes.Order(StringComparer.Ordinal).Select(c => (JsonNode)JsonValue.Create(c))]) },
            ["errors"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "For a validation problem: what is wrong with each parameter.",
                ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            },
            ["traceId"] = new JsonObject { ["type"] = "string", ["description"] = "The request's trace id, to quote when reporting a fault." },
            ["rows"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "For `InvalidImport`: each error, with its line (CSV; `null` for JSON) and field.",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("line", "field", "error"),
                    ["properties"] = new JsonObject
                    {
                        ["line"] = new JsonObject { ["type"] = new JsonArray("integer", "null") },
                        ["field"] = new JsonObject { ["type"] = "string" },
                        ["error"] = new JsonObject { ["type"] = "string" },
                    },
                },
            },
            ["referencedBy"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "For `{Resource}InUse`: what still refers to the entity (the first few).",
                ["items"] = new JsonObject { ["type"] = "string" },
            },
        },
    };

    [GeneratedRegex(@"\{\*?(?<name>\w+)(:[^}]*)?\??\}", RegexOptions.CultureInvariant)]
    private static partial Regex RouteParameter();
}
