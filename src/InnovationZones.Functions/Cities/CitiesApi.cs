using InnovationZones.Api;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Cities", "The cities that zones belong to.")]

namespace InnovationZones.Cities;

/// <summary>
/// GET v1/cities                             list
/// GET v1/cities/{cityId}                    one city
/// </summary>
public sealed class CitiesApi(Tables tables, Paging paging)
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
        Responses.EntityAsync<City>(request, "City", cityId, () => tables.Cities.FindMainAsync(Responses.RequireId(nameof(cityId), cityId), cancellationToken));
}
