using System.Globalization;

namespace InnovationZones.DevHost;

/// <summary>The run command's flags; every other argument is configuration (<c>--Storage:TablePrefix=dev</c>).</summary>
internal sealed record RunCommand(int? Port, bool EnableAuth, bool NoAzurite, bool NoData, bool LoadOnly, bool Help, string[] ConfigurationArgs)
{
    public const string Usage = """
        Usage: dotnet run --project src/InnovationZones.DevHost [-- options]

          --port N        listen on http://localhost:N (default: local.settings.json Host.LocalHttpPort, else 7071)
          --enable-auth   check function keys, like func start --enableAuth
          --no-azurite    do not start Azurite (use the storage that configuration names)
          --no-data       do not create the tables, load data/*.json or recompute the aggregates
          --load-only     create the tables, load data/*.json, recompute the aggregates, then exit
          --help          show this

        Any other --Key=value (or --Key value) is configuration, above local.settings.json and the environment.
        """;

    public static RunCommand Parse(IReadOnlyList<string> args)
    {
        int? port = null;
        bool enableAuth = false, noAzurite = false, noData = false, loadOnly = false, help = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg.ToLowerInvariant())
            {
                case "--enable-auth" or "--enableauth":
                    enableAuth = true;
                    break;
                case "--no-azurite":
                    noAzurite = true;
                    break;
                case "--no-data":
                    noData = true;
                    break;
                case "--load-only":
                    loadOnly = true;
                    break;
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                case "--port" or "-p":
                    port = ParsePort(i + 1 < args.Count ? args[++i] : null);
                    break;
                case var other when other.StartsWith("--port=", StringComparison.Ordinal):
                    port = ParsePort(arg["--port=".Length..]);
                    break;
                default:
                    rest.Add(arg);
                    break;
            }
        }

        return new RunCommand(port, enableAuth, noAzurite, noData, loadOnly, help, [.. rest]);
    }

    private static int ParsePort(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new DevHostException($"--port needs a port number from 1 to 65535, not '{value}'.");
}
