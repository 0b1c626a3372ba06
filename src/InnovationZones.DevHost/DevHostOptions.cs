namespace InnovationZones.DevHost;

/// <summary>How <see cref="DevHostApp.Build"/> sets up the dev host; the run command fills it from its flags.</summary>
public sealed class DevHostOptions
{
    /// <summary>Where Kestrel listens; tests use "http://127.0.0.1:0" and read the port from <c>app.Urls</c>.</summary>
    public string Urls { get; set; } = "http://localhost:7071";

    /// <summary>Check function keys, like <c>func start --enableAuth</c>; without it everything is open.</summary>
    public bool EnableAuth { get; set; }

    /// <summary>The function app's <c>functions.metadata</c>; default: the one beside the dev host binary.</summary>
    public string? MetadataPath { get; set; }

    /// <summary>The function app's <c>host.json</c>; default: the one beside the dev host binary. Its folder's <c>local.settings.json</c> supplies settings too.</summary>
    public string? HostJsonPath { get; set; }

    /// <summary>Extra configuration, above every other source: <c>["Storage:TablePrefix"] = "t1234"</c>.</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>The clock timer triggers wait on, and the app's <see cref="System.TimeProvider"/>; default: the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
