using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Facts;

namespace InnovationZones.OpenApi;

/// <summary>
/// The route parameters, each described once. The document takes a function's own <c>[ApiPath]</c> where it
/// has one of the name, else the entry here whose route prefix (if any) the function's route starts with.
/// </summary>
public static class RouteParameters
{
    private static readonly (string? RoutePrefix, ApiPathAttribute Parameter)[] Catalog =
    [
        (null, new("zoneId", "The zone's id.") { Example = "zhongguancun-science-city" }),
        (null, new("orgId", "The organization's id.") { Example = "world-internet-conference" }),
        (null, new("cityId", "The city's id.") { Example = "beijing" }),
        (null, new("type", "The relation's type.") { Value = ApiValue.Enum, Values = typeof(RelationType), Example = "initiated-by" }),
        (null, new("toKind", "What the relation leads to.") { Value = ApiValue.Enum, Values = typeof(EntityKind), Example = "organization" }),
        (null, new("toId", "The id of what it leads to.") { Example = "gsma" }),
        ("v1/cities/", new("indicator", "The indicator's id.") { Example = "innovation-platforms-area-share" }),
        (null, new("indicator", "The indicator's id.") { Example = "rd-expenditure" }),
        ("v1/cities/", new("period", "The period: YYYY, YYYY-MM or YYYY-MM-DD.") { Value = ApiValue.Period, Example = "2022" }),
        (null, new("period", "The period: YYYY, YYYY-MM or YYYY-MM-DD.") { Value = ApiValue.Period, Example = "2021" }),
        (null, new("industry", "The industry's id (from GET v1/industries).") { Example = "quantum-information" }),
        (null, new("asset", "The file's name.") { Value = ApiValue.Asset, Example = "scalar.js" }),
        (null, new("code", "A problem code, as a problem's `code` gives it.") { Value = ApiValue.Text, MaxLength = 64, Example = "ZoneNotFound" }),
    ];

    public static ApiPathAttribute? Find(string route, string name) => Catalog
        .FirstOrDefault(e => e.Parameter.Name == name && (e.RoutePrefix is null || route.StartsWith(e.RoutePrefix, StringComparison.Ordinal)))
        .Parameter;
}
