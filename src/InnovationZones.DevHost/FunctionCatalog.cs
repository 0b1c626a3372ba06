namespace InnovationZones.DevHost;

/// <summary>
/// The function app as the dev host hosts it: every function in <c>functions.metadata</c>, the HTTP and
/// timer functions bound and ready to invoke, and the route prefix from <c>host.json</c>. Everything that
/// cannot work fails here, at startup, with a message that names the function.
/// </summary>
internal sealed class FunctionCatalog
{
    private FunctionCatalog(string routePrefix, IReadOnlyList<FunctionDefinition> all, IReadOnlyList<HttpFunction> http, IReadOnlyList<TimerFunction> timers)
    {
        RoutePrefix = routePrefix;
        All = all;
        Http = http;
        Timers = timers;
    }

    public string RoutePrefix { get; }

    public IReadOnlyList<FunctionDefinition> All { get; }

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<TimerFunction> Timers { get; }

    /// <summary>Functions with a trigger the dev host does not run (queues, blobs, ...): listed, not run.</summary>
    public IEnumerable<FunctionDefinition> Unsupported => All.Where(f => !f.IsHttp && !f.IsTimer);

    public FunctionDefinition? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static FunctionCatalog Load(string metadataPath, string hostJsonPath, IConfiguration configuration)
    {
        var routePrefix = HostFiles.ReadRoutePrefix(hostJsonPath);
        var all = FunctionMetadata.Read(metadataPath);
        var http = all.Where(f => f.IsHttp).Select(f => HttpFunction.Create(f, routePrefix)).ToList();
        var timers = all.Where(f => f.IsTimer).Select(f => TimerFunction.Create(f, configuration)).ToList();
        ThrowOnDuplicateRoutes(http);
        return new FunctionCatalog(routePrefix, all, http, timers);
    }

    /// <summary>The host refuses two functions on one route and method; routing would only fail per request.</summary>
    private static void ThrowOnDuplicateRoutes(IEnumerable<HttpFunction> functions)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in functions)
        {
            foreach (var method in function.Methods.Count == 0 ? ["*"] : function.Methods)
            {
                var key = method + " " + function.Route;
                if (!seen.TryAdd(key, function.Name))
                {
                    throw new DevHostException($"Functions '{seen[key]}' and '{function.Name}' both answer {method} {function.Route}.");
                }
            }
        }
    }
}
