using InnovationZones.Contracts;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.Import;

/// <summary>
/// Checks a dataset before anything is written: each field's declared rules (<see cref="FieldRules"/>:
/// ids, lengths, units, periods), sizes under Table Storage's limits, duplicates, and references within the dataset. References to entities that are only in
/// storage are collected in <see cref="ExternalReferences"/> for the importer to look up.
/// </summary>
public sealed class DatasetValidator
{
    /// <summary>Stored documents stay well under the 64 KiB (32,768 UTF-16 characters) of one string property.</summary>
    public const int MaxDocumentLength = 30_000;

    private readonly List<ImportError> errors = [];
    private readonly Dataset dataset;
    private readonly HashSet<string> documents;
    private readonly HashSet<string> industries;
    private readonly HashSet<string> cities;
    private readonly HashSet<string> zones;
    private readonly HashSet<string> organizations;

    private DatasetValidator(Dataset dataset)
    {
        this.dataset = dataset;
        documents = Ids(dataset.Documents?.Select(d => d.Id));
        industries = Ids(dataset.Industries?.Select(i => i.Id));
        cities = Ids(dataset.Cities?.Select(c => c.Id));
        zones = Ids(dataset.Zones?.Select(z => z.Id));
        organizations = Ids(dataset.Organizations?.Select(o => o.Id));
    }

    /// <summary>References to ids that the dataset does not hold; each must exist in storage.</summary>
    public HashSet<(string Kind, string Id, string Path)> ExternalReferences { get; } = [];

    public IReadOnlyList<ImportError> Errors => errors;

    public static DatasetValidator Validate(Dataset dataset)
    {
        var validator = new DatasetValidator(dataset);
        validator.Run();
        return validator;
    }

    private void Run()
    {
        // Every field's own rules (ids, lengths, units, periods, item counts), as the types declare them.
        FieldRules.Check(dataset, "", Error);

        Unique(dataset.Documents?.Select(d => d.Id), "documents");
        Unique(dataset.Industries?.Select(i => i.Id), "industries");

        Each(dataset.Cities, "cities", (c, p) =>
        {
            Sources(c.Sources, p);
            DocumentSize(c, p);
        });
        Unique(dataset.Cities?.Select(c => c.Id), "cities");

        Each(dataset.Zones, "zones", (z, p) =>
        {
            Reference("city", z.CityId, cities, p + ".cityId");
            if (z.Area is { } area)
            {
                Source(area.Source, p + ".area.source");
            }

            Industries(z.FocusIndustries, p + ".focusIndustries");
            Statements(z.Policies, p + ".policies");
            Statements(z.Goals, p + ".goals");
            Sources(z.Sources, p);
            DocumentSize(z, p);
        });
        Unique(dataset.Zones?.Select(z => z.Id), "zones");

        Each(dataset.Organizations, "organizations", (o, p) =>
        {
            if (o.Headquarters?.CityId is { } cityId)
            {
                Reference("city", cityId, cities, p + ".headquarters.cityId");
            }

            Industries(o.Industries, p + ".industries");
            Sources(o.Sources, p);
            DocumentSize(o, p);
        });
        Unique(dataset.Organizations?.Select(o => o.Id), "organizations");

        Each(dataset.Relations, "relations", (r, p) =>
        {
            if (r.From.Kind != EntityKind.Organization)
            {
                Error(p + ".from.kind", "A relation starts from an organization.");
            }

            EntityReference(r.From, p + ".from");
            EntityReference(r.To, p + ".to");
            var expected = r.Type is RelationType.LocatedIn or RelationType.HeadquarteredIn
                ? new[] { EntityKind.Zone, EntityKind.City }
                : [EntityKind.Organization];
            if (!expected.Contains(r.To.Kind))
            {
                Error(p + ".to.kind", $"A '{EnumNames.Name(r.Type)}' relation points at: {string.Join(", ", expected.Select(EnumNames.Name))}.");
            }

            if (r.From == r.To)
            {
                Error(p + ".to", "A relation cannot point at its own start.");
            }

            Source(r.Source, p + ".source");
        });
        Unique(dataset.Relations?.Select(r => $"{r.From.Kind}/{r.From.Id}/{r.Type}/{r.To.Kind}/{r.To.Id}"), "relations");

        Each(dataset.Metrics, "metrics", (m, p) =>
        {
            if (m.Scope.Kind is not (EntityKind.Zone or EntityKind.City))
            {
                Error(p + ".scope.kind", "A metric's scope is a zone or a city.");
            }

            EntityReference(m.Scope, p + ".scope");
            Source(m.Source, p + ".source");
            DocumentSize(m, p);
        });
        Unique(dataset.Metrics?.Select(m => $"{m.Scope.Kind}/{m.Scope.Id}/{m.Indicator}/{m.Period.Value}"), "metrics");
    }

    private static HashSet<string> Ids(IEnumerable<string>? ids) => [.. ids ?? []];

    private void Error(string path, string message) => errors.Add(new ImportError(path, message));

    private static void Each<T>(IReadOnlyList<T>? items, string path, Action<T, string> check)
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            check(items![i], $"{path}[{i}]");
        }
    }

    private void Unique(IEnumerable<string>? keys, string path)
    {
        foreach (var duplicate in (keys ?? []).GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Error(path, $"'{duplicate.Key}' appears {duplicate.Count()} times.");
        }
    }

    private void Industries(IReadOnlyList<string>? ids, string path)
    {
        Each(ids, path, (id, p) => Reference("industry", id, industries, p));
        Unique(ids, path);
    }

    private void Statements(IReadOnlyList<Statement>? statements, string path)
    {
        Each(statements, path, (s, p) => Source(s.Source, p + ".source"));
        Unique(statements?.Select(s => s.Id), path);
    }

    private void Sources(IReadOnlyDictionary<string, SourceRef>? sources, string path)
    {
        foreach (var (field, source) in sources ?? new Dictionary<string, SourceRef>())
        {
            Source(source, $"{path}.sources.{field}");
        }
    }

    private void Source(SourceRef source, string path)
    {
        Reference("document", source.Document, documents, path + ".document");
    }

    private void EntityReference(EntityRef entity, string path)
    {
        var (kind, known) = entity.Kind switch
        {
            EntityKind.Organization => ("organization", organizations),
            EntityKind.Zone => ("zone", zones),
            _ => ("city", cities),
        };
        Reference(kind, entity.Id, known, path + ".id");
    }

    private void Reference(string kind, string id, HashSet<string> known, string path)
    {
        // A malformed id is the field rule's error; only a well-formed one is looked up.
        if (Slugs.IsSlug(id) && !known.Contains(id))
        {
            ExternalReferences.Add((kind, id, path));
        }
    }

    private void DocumentSize<T>(T value, string path)
    {
        if (ApiJson.Serialize(value).Length > MaxDocumentLength)
        {
            Error(path, $"The entity is over {MaxDocumentLength} characters of JSON; Table Storage holds at most 64 KiB in one property.");
        }
    }
}
