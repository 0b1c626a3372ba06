using System.Text.Json;
using System.Text.Json.Serialization;

namespace InnovationZones.DevHost;

/// <summary>One function as the Worker SDK describes it in <c>functions.metadata</c>.</summary>
internal sealed record FunctionDefinition(string Name, string ScriptFile, string EntryPoint, IReadOnlyList<BindingDefinition> Bindings)
{
    /// <summary>The trigger: the one input binding whose type ends in "Trigger".</summary>
    public BindingDefinition? Trigger => Bindings.FirstOrDefault(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    public bool IsHttp => string.Equals(Trigger?.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsTimer => string.Equals(Trigger?.Type, "timerTrigger", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A binding; only the properties the dev host acts on.</summary>
internal sealed record BindingDefinition(
    string Type,
    string? Name,
    string? Direction,
    string? AuthLevel,
    IReadOnlyList<string>? Methods,
    string? Route,
    string? Schedule,
    JsonElement? RunOnStartup)
{
    /// <summary><c>runOnStartup</c> is written as a boolean, but the host also accepts the string "true".</summary>
    public bool RunsOnStartup => RunOnStartup is { } value && (value.ValueKind == JsonValueKind.True
        || (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var parsed) && parsed));
}

/// <summary>Reads <c>functions.metadata</c>, the file the Worker SDK writes into the function app's output folder.</summary>
internal static class FunctionMetadata
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyList<FunctionDefinition> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DevHostException($"No functions.metadata at {path}: build the function app first (dotnet build), or set MetadataPath.");
        }

        List<MetadataEntry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<MetadataEntry>>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new DevHostException($"{path} is not valid functions.metadata: {e.Message}", e);
        }

        var functions = new List<FunctionDefinition>();
        foreach (var entry in entries ?? [])
        {
            if (string.IsNullOrWhiteSpace(entry.Name) || string.IsNullOrWhiteSpace(entry.ScriptFile) || string.IsNullOrWhiteSpace(entry.EntryPoint))
            {
                throw new DevHostException($"{path}: every function needs a name, a scriptFile and an entryPoint.");
            }

            var bindings = (entry.Bindings ?? [])
                .Where(b => !string.IsNullOrWhiteSpace(b.Type))
                .Select(b => new BindingDefinition(b.Type!, b.Name, b.Direction, b.AuthLevel, b.Methods, b.Route, b.Schedule, b.RunOnStartup))
                .ToList();
            functions.Add(new FunctionDefinition(entry.Name, entry.ScriptFile, entry.EntryPoint, bindings));
        }

        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DevHostException($"{path}: more than one function is named '{duplicate.Key}'.");
        }

        return functions;
    }

    private sealed record MetadataEntry(
        string? Name,
        string? ScriptFile,
        string? EntryPoint,
        List<MetadataBinding>? Bindings);

    private sealed record MetadataBinding(
        string? Type,
        string? Name,
        string? Direction,
        string? AuthLevel,
        List<string>? Methods,
        string? Route,
        string? Schedule,
        [property: JsonPropertyName("runOnStartup")] JsonElement? RunOnStartup);
}
