using System.Text.Json;
using System.Text.Json.Nodes;
using InnovationZones.Contracts;
using InnovationZones.Domain;
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
        [typeof(CityOrganization)] = (d, _, id) => CityOrganizations(d, id),

        // The export's example: the first of each list (the whole dataset is the same shape, longer).
        [typeof(Dataset)] = (d, _, _) => [new Dataset([.. d.Documents?.Take(1) ?? []], [.. d.Industries?.Take(1) ?? []], [.. d.Cities?.Take(1) ?? []],
            [.. d.Zones?.Take(1) ?? []], [.. d.Organizations?.Take(1) ?? []], [.. d.Relations?.Take(1) ?? []], [.. d.Metrics?.Take(1) ?? []])],
        [typeof(HealthReport)] = (_, _, _) => [new HealthReport("healthy", 12, new Dictionary<string, string> { ["storage"] = "healthy" })],
    };

    /// <summary>The organizations of a city (or of every city), as the dataset places them: headquartered there or located in its zones.</summary>
    private static IEnumerable<CityOrganization> CityOrganizations(Dataset data, string? cityId)
    {
        var zoneCities = (data.Zones ?? []).ToDictionary(z => z.Id, z => z.CityId, StringComparer.Ordinal);
        var located = (data.Relations ?? []).Where(r => r.Type == RelationType.LocatedIn && r.To.Kind == EntityKind.Zone)
            .ToLookup(r => r.From.Id, r => new LocatedZone(r.To.Id, zoneCities.GetValueOrDefault(r.To.Id)), StringComparer.Ordinal);
        return (data.Organizations ?? []).OrderBy(o => o.Id, StringComparer.Ordinal).SelectMany(o => OrganizationPlaces.Cities(o, located[o.Id])
            .Where(c => cityId is null || c.CityId == cityId)
            .Take(1)
            .Select(c => CityOrganization.Of(o, c.Membership)));
    }

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

    /// <summary>
    /// A write's request body, from the Beijing entity its path's examples name, so that sending it as it is
    /// (to a copy of the Beijing data) succeeds: a PUT sends the entity as it is stored, a merge patch one
    /// member with its stored value, an import the city. Null when the data has no such entity.
    /// </summary>
    public JsonNode? Body(Type accepts, bool mergePatch, IReadOnlyDictionary<string, string> path)
    {
        object? body = accepts.Name switch
        {
            nameof(ZoneBody) when Find(data.Zones, z => z.Id == path.GetValueOrDefault("zoneId")) is { } zone => mergePatch
                ? new JsonObject { ["name"] = zone.Name }
                : new ZoneBody(zone.Name, zone.CityId, zone.Kind, zone.District, zone.Area, zone.FocusIndustries, zone.Policies, zone.Goals, zone.Sources),
            nameof(OrganizationBody) when Find(data.Organizations, o => o.Id == path.GetValueOrDefault("orgId")) is { } organization => mergePatch
                ? new JsonObject { ["name"] = organization.Name }
                : new OrganizationBody(organization.Name, organization.ShortName, organization.Type, organization.Headquarters, organization.Established, organization.Industries, organization.Sources),
            nameof(RelationBody) when Find(data.Relations, r => r.From.Id == path.GetValueOrDefault("orgId")
                && EnumNames.Name(r.Type) == path.GetValueOrDefault("type")
                && EnumNames.Name(r.To.Kind) == path.GetValueOrDefault("toKind")
                && r.To.Id == path.GetValueOrDefault("toId")) is { } relation => new RelationBody(relation.Source),
            nameof(MetricBody) when Find(data.Metrics, m => m.Scope.Id == (path.GetValueOrDefault("zoneId") ?? path.GetValueOrDefault("cityId"))
                && m.Indicator == path.GetValueOrDefault("indicator")
                && m.Period.Value == path.GetValueOrDefault("period")) is { } metric => mergePatch
                ? new JsonObject { ["name"] = metric.Name }
                : new MetricBody(metric.Name, new PeriodBody(metric.Period.Kind, metric.Period.Note), metric.Value, metric.Unit, metric.Qualifier, metric.Source,
                    metric.Denominator, metric.Equivalents, metric.Change, metric.Comparison),
            nameof(Dataset) when data.Cities is [var city, ..] => new Dataset(Cities: [city]),
            _ => null,
        };
        return body switch
        {
            null => null,
            JsonNode node => node,
            _ => JsonSerializer.SerializeToNode(body, body.GetType(), ApiJson.Options),
        };
    }

    private static T? Find<T>(IEnumerable<T>? items, Func<T, bool> match) where T : class =>
        items?.FirstOrDefault(match);

    private IEnumerable<JsonNode> Items(Type type, string route, string? id) =>
        Sources.TryGetValue(type, out var source)
            ? source(data, route, id).Select(item => JsonSerializer.SerializeToNode(item, type, ApiJson.Options)!)
            : [];
}
