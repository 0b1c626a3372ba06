using InnovationZones.DevHost;

namespace InnovationZones.Tests.Infrastructure;

public enum HostKind
{
    /// <summary>The dev host: the app's functions in-process on Kestrel, from functions.metadata.</summary>
    Dev,

    /// <summary>The real Azure Functions host, through <c>func start</c>, with the app in its worker process.</summary>
    Real,
}

/// <summary>
/// Which host the end-to-end tests run on, chosen by the test run and not by the tests:
/// <c>INNOVATIONZONES_TEST_HOST=real</c> runs them on the real Functions host (<c>func</c> on PATH, else
/// <c>../shared/functions-host/func</c>), anything else on the dev host. Tests that hold for both hosts carry
/// <c>[Trait("Category", "EndToEnd")]</c>; <c>.ci/run</c> runs those a second time under the real host.
/// </summary>
public static class TestHost
{
    public const string Variable = "INNOVATIONZONES_TEST_HOST";

    /// <summary>The trait of the tests that run under both hosts.</summary>
    public const string EndToEnd = "EndToEnd";

    /// <summary>The trait of the tests that start the real host whatever the run's host is (parity, Core Tools).</summary>
    public const string RealHost = "RealHost";

    private static readonly Lazy<Task<Azurite>> HostStorage = new(StartHostStorageAsync);

    /// <summary>Idle real hosts, by their settings other than the table prefix (each keeps the prefix it started with).</summary>
    private static readonly Dictionary<string, Stack<(FunctionsHostProcess Host, string TablePrefix)>> Idle = [];

    public static HostKind Current =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), "real", StringComparison.OrdinalIgnoreCase) ? HostKind.Real : HostKind.Dev;

    /// <summary>The <c>func</c> to start, or null where there is none.</summary>
    public static string? Func => FunctionsHostProcess.FindFunc(RepoRoot.Find());

    /// <summary>Why real-host tests are skipped here, and how to run them.</summary>
    public static string NoFuncMessage =>
        "No Functions host to run these tests on. " + FunctionsHostProcess.HowToGetFunc(RepoRoot.Find());

    /// <summary>The function app's build output, as <c>func start</c> hosts it: host.json, functions.metadata and the worker.</summary>
    public static string FunctionAppOutput
    {
        get
        {
            // The test binaries sit in bin/<Configuration>/<TargetFramework>; the function app's build uses the same.
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var folder = Path.Combine(RepoRoot.Find(), "src", "InnovationZones.Functions", "bin", output.Parent!.Name, output.Name);
            return File.Exists(Path.Combine(folder, "functions.metadata"))
                ? folder
                : throw new InvalidOperationException($"No functions.metadata in {folder}: build the function app first (dotnet build).");
        }
    }

    /// <summary>
    /// Starts the real host on the function app's build output with <paramref name="settings"/> as its
    /// environment, and a full Azurite (one per test run) as its own storage (<c>AzureWebJobsStorage</c>).
    /// </summary>
    internal static async Task<FunctionsHostProcess> StartRealHostAsync(IReadOnlyDictionary<string, string?> settings, bool enableAuth)
    {
        var func = Func ?? throw new InvalidOperationException(NoFuncMessage);
        var storage = await HostStorage.Value;
        var environment = new Dictionary<string, string?>(settings) { ["AzureWebJobsStorage"] = storage.FullConnectionString };
        return await FunctionsHostProcess.StartAsync(func, FunctionAppOutput, environment, enableAuth, CancellationToken.None);
    }

    /// <summary>
    /// A real host for these settings: an idle one that a finished test gave back (its tables deleted, so it
    /// starts empty), with the table prefix it was started with, or a new one with <paramref name="tablePrefix"/>.
    /// A host starts in seconds, a test in milliseconds: reusing them keeps the real-host run short. The app
    /// keeps nothing between requests that a test could see, but storage.
    /// </summary>
    internal static async Task<(FunctionsHostProcess Host, string TablePrefix)> LeaseRealHostAsync(
        IReadOnlyDictionary<string, string?> settings, bool enableAuth, string tablePrefix)
    {
        var key = PoolKey(settings, enableAuth);
        lock (Idle)
        {
            if (Idle.TryGetValue(key, out var idle) && idle.TryPop(out var reused))
            {
                return reused;
            }
        }

        var withPrefix = new Dictionary<string, string?>(settings) { ["Storage:TablePrefix"] = tablePrefix };
        return (await StartRealHostAsync(withPrefix, enableAuth), tablePrefix);
    }

    /// <summary>Takes back a leased host whose tables are all deleted, for the next test with the same settings.</summary>
    internal static void GiveBack(FunctionsHostProcess host, IReadOnlyDictionary<string, string?> settings, bool enableAuth, string tablePrefix)
    {
        lock (Idle)
        {
            var key = PoolKey(settings, enableAuth);
            if (!Idle.TryGetValue(key, out var idle))
            {
                Idle[key] = idle = new();
                if (Idle.Count == 1)
                {
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => StopIdleHosts();
                }
            }

            idle.Push((host, tablePrefix));
        }
    }

    private static void StopIdleHosts()
    {
        lock (Idle)
        {
            foreach (var (host, _) in Idle.Values.SelectMany(s => s))
            {
                host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            Idle.Clear();
        }
    }

    private static string PoolKey(IReadOnlyDictionary<string, string?> settings, bool enableAuth) =>
        string.Join("\n", settings.Where(s => s.Key != "Storage:TablePrefix").OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + "=" + s.Value))
        + "\nauth=" + enableAuth;

    private static async Task<Azurite> StartHostStorageAsync()
    {
        var azurite = await Azurite.StartFullAsync(RepoRoot.Find(), TextWriter.Null, CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.StopAsync().GetAwaiter().GetResult();
        return azurite;
    }
}

/// <summary>A fact that needs the real Functions host: skipped, saying how to enable it, where there is no <c>func</c>.</summary>
public sealed class RealHostFactAttribute : FactAttribute
{
    public RealHostFactAttribute()
    {
        if (TestHost.Func is null)
        {
            Skip = TestHost.NoFuncMessage;
        }
    }
}

/// <summary>A theory that needs the real Functions host: skipped, saying how to enable it, where there is no <c>func</c>.</summary>
public sealed class RealHostTheoryAttribute : TheoryAttribute
{
    public RealHostTheoryAttribute()
    {
        if (TestHost.Func is null)
        {
            Skip = TestHost.NoFuncMessage;
        }
    }
}

/// <summary>A theory that observes the app from inside the test process, so it holds on the dev host only: skipped under the real host, saying why.</summary>
public sealed class DevHostOnlyTheoryAttribute : TheoryAttribute
{
    public DevHostOnlyTheoryAttribute(string why)
    {
        if (TestHost.Current == HostKind.Real)
        {
            Skip = "Dev host only: " + why;
        }
    }
}
