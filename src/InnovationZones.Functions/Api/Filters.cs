using InnovationZones.Storage;

namespace InnovationZones.Api;

/// <summary>
/// Filter values that name data (a city, a zone, an industry) must name something that exists: an
/// unknown value is a 400, not an empty list. One point read each, on the first page only.
/// </summary>
public static class Filters
{
    public static async Task RequireKnownAsync(
        RequestQuery query,
        Tables tables,
        string? city = null,
        string? zone = null,
        string? industry = null,
        CancellationToken cancellationToken = default)
    {
        if (city is not null && !await Responses.ExistsAsync(tables.Cities, city, Keys.MainRowKey, cancellationToken))
        {
            query.Fail("city", $"There is no city '{city}'. GET v1/cities lists them.");
        }

        if (zone is not null && !await Responses.ExistsAsync(tables.Zones, zone, Keys.MainRowKey, cancellationToken))
        {
            query.Fail("zone", $"There is no zone '{zone}'. GET v1/zones lists them.");
        }

        if (industry is not null && !await Responses.ExistsAsync(tables.Vocabulary, "industry", industry, cancellationToken))
        {
            query.Fail("industry", $"There is no industry '{industry}'. GET v1/industries lists them.");
        }

        query.ThrowIfInvalid();
    }
}
