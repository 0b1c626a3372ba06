using InnovationZones.Api;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Cities;

/// <summary>
/// GET v1/cities                             list
/// GET v1/cities/{cityId}                    one city
/// </summary>
public sealed class CitiesApi(Tables tables, Paging paging)
{
    [Function(nameof(ListCities))]
    public async Task<IResult> ListCities(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/cities")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request);
        var table = new TableQuery(tables.Cities).Where($"RowKey eq {Keys.MainRowKey}");
        return await table.ReadPageAsync(request, paging, query, e => e.ReadDocument<City>(), cancellationToken);
    }

    [Function(nameof(GetCity))]
    public Task<IResult> GetCity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/cities/{cityId}")] HttpRequest request,
        string cityId,
        CancellationToken cancellationToken) =>
        Responses.EntityAsync<City>(request, tables.Cities, "City", nameof(cityId), cityId, cancellationToken);
}
