using InnovationZones.Contracts;
using InnovationZones.Facts;
using InnovationZones.Metrics;
using InnovationZones.Organizations;
using InnovationZones.Storage;
using InnovationZones.Zones;

namespace InnovationZones.Import;

/// <summary>
/// Checks a dataset before anything is written: ids, lengths under Table Storage's limits, units,
/// periods, duplicates, and references within the dataset. References to entities that are only in
/// storage are collected in <see cref="ExternalReferences"/> for the importer to look up.
/// </summary>
public sealed class DatasetValidator
{
    /// <summary>Stored documents stay well under the 64 KiB (32,768 UTF-16 characters) of one string property.</summary>
    public const int MaxDocumentLength = 30_000;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 2_000;
    public const int MaxUnitLength = 50;

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
        Each(dataset.Documents, "documents", (d, p) =>
        {
            Id(d.Id, p);
            Name(d.Title, p + ".title");
            Text(d.Published, p + ".published", MaxNameLength);
            Text(d.Note, p + ".note", MaxTextLength);
        });
        Unique(dataset.Documents?.Select(d => d.Id), "documents");

        Each(dataset.Industries, "industries", (i, p) =>
        {
            Id(i.Id, p);
            Name(i.Name, p + ".name");
        });
        Unique(dataset.Industries?.Select(i => i.Id), "industries");

        Each(dataset.Cities, "cities", (c, p) =>
        {
            Id(c.Id, p);
            Name(c.Name, p + ".name");
            Text(c.Country, p + ".country", MaxNameLength);
            Text(c.Description, p + ".description", MaxTextLength);
            Sources(c.Sources, p);
            DocumentSize(c, p);
        });
        Unique(dataset.Cities?.Select(c => c.Id), "cities");

        Each(dataset.Zones, "zones", (z, p) =>
        {
            Id(z.Id, p);
            Name(z.Name, p + ".name");
            Reference("city", z.CityId, cities, p + ".cityId");
            Text(z.District, p + ".district", MaxNameLength);
            if (z.Area is { } area)
            {
                Quantity(area, p + ".area");
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
            Id(o.Id, p);
            Name(o.Name, p + ".name");
            Text(o.ShortName, p + ".shortName", MaxNameLength);
            if (o.Headquarters is { } hq)
            {
                if (hq.CityId is not null)
                {
                    Reference("city", hq.CityId, cities, p + ".headquarters.cityId");
                }

                Text(hq.City, p + ".headquarters.city", MaxNameLength);
                Text(hq.Country, p + ".headquarters.country", MaxNameLength);
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
            Id(m.Indicator, p + ".indicator");
            Name(m.Name, p + ".name");
            if (!Periods.IsValid(m.Period.Value))
            {
                Error(p + ".period.value", "Expected a period: YYYY, YYYY-MM or YYYY-MM-DD.");
            }

            Text(m.Period.Note, p + ".period.note", MaxTextLength);
            Unit(m.Unit, p + ".unit");
            if (m.Denominator is <= 0)
            {
                Error(p + ".denominator", "A denominator is a positive whole number.");
            }

            Each(m.Equivalents, p + ".equivalents", (e, q) => Unit(e.Unit, q + ".unit"));
            if (m.Change is { } change)
            {
                Unit(change.Unit, p + ".change.unit");
                Name(change.Basis, p + ".change.basis");
                if (change.ComparedTo is { } comparedTo && !Periods.IsValid(comparedTo))
                {
                    Error(p + ".change.comparedTo", "Expected a period: YYYY, YYYY-MM or YYYY-MM-DD.");
                }
            }

            if (m.Comparison is { } comparison)
            {
                if (comparison.Unit is { } unit)
                {
                    Unit(unit, p + ".comparison.unit");
                }

                Name(comparison.Against, p + ".comparison.against");
                Text(comparison.Text, p + ".comparison.text", MaxTextLength);
            }

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

    private void Id(string id, string path)
    {
        if (!Keys.IsSlug(id))
        {
            Error(path.EndsWith(']') ? path + ".id" : path, $"Expected an id: {Keys.SlugRule}.");
        }
    }

    private void Name(string value, string path)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Error(path, "Required, and not blank.");
        }
        else
        {
            Text(value, path, MaxNameLength);
        }
    }

    private void Text(string? value, string path, int maxLength)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            Error(path, $"At most {maxLength} characters.");
        }
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            Error(path, "Control characters are not allowed.");
        }
    }

    private void Unit(string unit, string path)
    {
        if (!Keys.IsSlug(unit) || unit.Length > MaxUnitLength)
        {
            Error(path, "Expected a unit such as 'percent', 'km2' or 'billion-cny': lowercase letters, digits and hyphens.");
        }
    }

    private void Quantity(Quantity quantity, string path)
    {
        Unit(quantity.Unit, path + ".unit");
        Source(quantity.Source, path + ".source");
    }

    private void Industries(IReadOnlyList<string>? ids, string path)
    {
        Each(ids, path, (id, p) => Reference("industry", id, industries, p));
        Unique(ids, path);
    }

    private void Statements(IReadOnlyList<Statement>? statements, string path)
    {
        Each(statements, path, (s, p) =>
        {
            Id(s.Id, p + ".id");
            Text(s.Text, p + ".text", MaxTextLength);
            if (string.IsNullOrWhiteSpace(s.Text))
            {
                Error(p + ".text", "Required, and not blank.");
            }

            Source(s.Source, p + ".source");
        });
        Unique(statements?.Select(s => s.Id), path);
    }

    private void Sources(IReadOnlyDictionary<string, SourceRef>? sources, string path)
    {
        foreach (var (field, source) in sources ?? new Dictionary<string, SourceRef>())
        {
            if (!Keys.IsSlug(field.ToLowerInvariant()) || field.Length > 50)
            {
                Error($"{path}.sources", $"'{field}' is not a field name.");
            }

            Source(source, $"{path}.sources.{field}");
        }
    }

    private void Source(SourceRef source, string path)
    {
        Reference("document", source.Document, documents, path + ".document");
        Text(source.Quote, path + ".quote", MaxTextLength);
        Text(source.Locator, path + ".locator", MaxNameLength);
        if (source.Quote is null && source.Locator is null)
        {
            Error(path, "A source gives a quote or a locator.");
        }
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
        if (!Keys.IsSlug(id))
        {
            Error(path, $"Expected an id: {Keys.SlugRule}.");
        }
        else if (!known.Contains(id))
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
