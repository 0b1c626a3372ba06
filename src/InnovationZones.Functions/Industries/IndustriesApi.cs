using InnovationZones.Api;
using InnovationZones.Domain;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Industries", "The industries that zones focus on and organizations work in.")]

namespace InnovationZones.Industries;

/// <summary>
/// GET v1/industries                         the industries that the industry filters take
/// </summary>
public sealed class IndustriesApi(Tables tables, Paging paging)
{
    [Function(nameof(ListIndustries))]
    [ApiOperation("Industries", "List industries", Returns = typeof(Industry), List = true, Csv = true,
        Description = "The values that the `industry` filters take.")]
    public async Task<IResult> ListIndustries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/industries")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request);
        var plan = new TableQuery(nameof(Tables.Vocabulary)).Where($"PartitionKey eq {Tables.IndustryPartition}").Where($"RowKey lt {ChangeLog.LiveRowsEnd}");
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, e => e.ReadDocument<Industry>(), null, cancellationToken);
    }
}
