using System.Text.Json;

namespace InnovationZones.DevHost;

/// <summary>
/// The other files the Functions host reads from the function app's folder: <c>host.json</c> (the HTTP
/// route prefix) and <c>local.settings.json</c> (its "Values" become app settings, as with <c>func start</c>).
/// </summary>
internal static class HostFiles
{
    public const string DefaultRoutePrefix = "api";

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary><c>extensions.http.routePrefix</c>, without slashes; "api" when host.json does not set it.</summary>
    public static string ReadRoutePrefix(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
        {
            return DefaultRoutePrefix;
        }

        using var document = Parse(hostJsonPath);
        return Property(document.RootElement, "extensions") is { } extensions
            && Property(extensions, "http") is { } http
            && Property(http, "routePrefix") is { ValueKind: JsonValueKind.String } prefix
                ? prefix.GetString()!.Trim('/')
                : DefaultRoutePrefix;
    }

    /// <summary>
    /// <c>local.settings.json</c> "Values" as configuration keys: the host sets them as environment variables,
    /// where <c>Storage__ConnectionString</c> means <c>Storage:ConnectionString</c>.
    /// </summary>
    public static Dictionary<string, string?> ReadLocalSettingsValues(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        using var document = Parse(path);
        if (Property(document.RootElement, "Values") is { ValueKind: JsonValueKind.Object } settings)
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : setting.Value.GetRawText();
            }
        }

        return values;
    }

    /// <summary>
    /// <c>local.settings.json</c> "Host.CORS" (allowed origins, comma-separated, or <c>*</c>) and
    /// "Host.CORSCredentials", as the configuration keys <c>Host:CORS</c> and <c>Host:CORSCredentials</c>:
    /// the settings <c>func start</c> applies to every HTTP function.
    /// </summary>
    public static Dictionary<string, string?> ReadLocalSettingsHost(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        using var document = Parse(path);
        if (Property(document.RootElement, "Host") is { } host)
        {
            foreach (var name in (string[])[DevHostCors.OriginsSetting, DevHostCors.CredentialsSetting])
            {
                if (Property(host, name) is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array) } value)
                {
                    values[DevHostCors.Section + ":" + name] = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                }
            }
        }

        return values;
    }

    /// <summary><c>local.settings.json</c> "Host.LocalHttpPort", the port <c>func start</c> listens on.</summary>
    public static int? ReadLocalHttpPort(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = Parse(path);
        return Property(document.RootElement, "Host") is { } host
            && Property(host, "LocalHttpPort") is { ValueKind: JsonValueKind.Number } port
            && port.TryGetInt32(out var value)
                ? value
                : null;
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), Lenient);
        }
        catch (JsonException e)
        {
            throw new DevHostException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The host reads its files case-insensitively.</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
