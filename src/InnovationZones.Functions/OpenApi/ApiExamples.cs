using System.Text.Json;
using System.Text.Json.Nodes;
using InnovationZones.Api;
using InnovationZones.Cities;
using InnovationZones.Contracts;
using InnovationZones.Facts;
using InnovationZones.Health;
using InnovationZones.Import;
using InnovationZones.Metrics;
using InnovationZones.Organizations;
using InnovationZones.Zones;

namespace InnovationZones.OpenApi;

/// <summary>Examples for the document, taken from the Beijing dataset (<c>data/beijing.json</c>) as the API serves it.</summary>
public sealed class ApiExamples(Dataset data)
{
    public const string ExampleHost = "http://localhost:7071";

    private const int ListLength = 2;

    /// <summary>The items of each type the API returns, for an operation's route and the id its path example names; a type without a source has no example.</summary>
    private static readonly Dictionary<Type, Func<Dataset, string, string?, IEnumerable<object>>> Sources = new()
    {
        [typeof(City)] = (d, _, _) => d.Cities ?? [],
        [typeof(Zone)] = (d, _, _) => d.Zones ?? [],
        [typeof(Organization)] = (d, _, _) => d.Organizations ?? [],
        [typeof(Industry)] = (d, _, _) => d.Industries ?? [],
        [typeof(MetricObservation)] = (d, route, id) => (d.Metrics ?? [])
            .Where(m => route.StartsWith(m.Scope.Kind == EntityKind.City ? "v1/cities/" : "v1/zones/", StringComparison.Ordinal) && (id is null || m.Scope.Id == id)),
        [typeof(RelationView)] = (d, _, id) => (d.Relations ?? [])
            .Where(r => id is null || r.From.Id == id)
            .Select(r => new RelationView(RelationDirection.Outgoing, r.From, r.Type, r.To, r.Source)),
        [typeof(Relation)] = (d, _, id) => (d.Relations ?? []).Where(r => id is null || r.From.Id == id),
        [typeof(HealthReport)] = (_, _, _) => [new HealthReport("healthy", 12, new Dictionary<string, string> { ["storage"] = "healthy" })],
    };

    public static ApiExamples Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "beijing.json");
        return new ApiExamples(File.Exists(path) ? DatasetImporter.Parse(File.ReadAllText(path)) : new Dataset());
    }

    /// <summary>One entity: the one the path's example id names, else the first.</summary>
    public JsonNode? Entity(Type type, string route, string? id)
    {
        var items = Items(type, route, null).ToList();
        return items.FirstOrDefault(i => id is not null && i["id"]?.GetValue<string>() == id) ?? items.FirstOrDefault();
    }

    /// <summary>A first page of <see cref="ListLength"/> items, with the nextLink a longer list has.</summary>
    public JsonNode? List(Type type, string route, string path, string? id)
    {
        var items = Items(type, route, id).ToList();
        if (items.Count == 0)
        {
            return null;
        }

        var page = new JsonObject { ["value"] = new JsonArray([.. items.Take(ListLength)]) };
        if (items.Count > ListLength)
        {
            page["nextLink"] = $"{ExampleHost}{path}?maxpagesize={ListLength}&continuationToken=AZr6bTmwfT0nQ3kqRu-SKaIxfDEhMjAhem9uZXw";
        }

        return page;
    }

    private IEnumerable<JsonNode> Items(Type type, string route, string? id) =>
        Sources.TryGetValue(type, out var source)
            ? source(data, route, id).Select(item => JsonSerializer.SerializeToNode(item, type, ApiJson.Options)!)
            : [];
}
