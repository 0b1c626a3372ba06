using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Cities", "The cities that zones belong to.")]

namespace InnovationZones.Cities;

/// <summary>
/// GET v1/cities                             list
/// GET v1/cities/{cityId}                    one city
/// GET v1/cities/{cityId}/organizations      organizations headquartered in the city or located in its zones
/// </summary>
public sealed class CitiesApi(Tables tables, ReadCache reads, Paging paging)
{
    [Function(nameof(ListCities))]
    [ApiOperation("Cities", "List cities", Returns = typeof(City), List = true, Csv = true)]
    public async Task<IResult> ListCities(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/cities")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request);
        var plan = TableQuery.MainEntities(nameof(Tables.Cities));
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, e => e.ReadDocument<City>(), null, cancellationToken);
    }

    [Function(nameof(GetCity))]
    [ApiOperation("Cities", "Get a city", Returns = typeof(City), NotFound = "City")]
    public Task<IResult> GetCity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/cities/{cityId}")] HttpRequest request,
        string cityId,
        CancellationToken cancellationToken) =>
        Responses.EntityAsync<City>(request, "City", cityId,
            () => reads.FindMainAsync(tables.Cities, Responses.RequireId(nameof(cityId), cityId), CachePolicy.RequiresFresh(request), cancellationToken));

    [Function(nameof(ListCityOrganizations))]
    [ApiOperation("Cities", "List the organizations of a city", Returns = typeof(CityOrganization), List = true, Csv = true, NotFound = "City",
        Description = "Organizations headquartered in the city (`headquarters.cityId`) or located in one of its zones (a `located-in` relation), in id order, "
            + "each once; `membership` says how it belongs: `headquartered`, `located-in-zone`, or both, in that order.")]
    public async Task<IResult> ListCityOrganizations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/cities/{cityId}/organizations")] HttpRequest request,
        string cityId,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request);
        var plan = OrganizationIndex.Plan(city: Responses.RequireId(nameof(cityId), cityId));
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, OrganizationIndex.CityMember,
            () => Responses.RequireFoundAsync("City", cityId, () => reads.FindMainAsync(tables.Cities, cityId, CachePolicy.RequiresFresh(request), cancellationToken)), cancellationToken);
    }
}
