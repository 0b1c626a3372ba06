using Azure.Data.Tables;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

[assembly: ApiTag("Stats", "Aggregates computed by the recompute runs: per city, zone, organization, industry and organization type. Each response's ETag is the id of the run that computed it; it may be cached until the next scheduled recompute.")]

namespace InnovationZones.Stats;

/// <summary>
/// GET v1/stats/cities/{cityId}              a city's aggregates
/// GET v1/stats/zones/{zoneId}               a zone's aggregates
/// GET v1/stats/organizations/{orgId}        an organization's relation counts
/// GET v1/stats/industries                   every industry's aggregates
/// GET v1/stats/industries/{industry}        one industry's aggregates
/// GET v1/stats/organization-types           every organization type's aggregates
/// GET v1/stats/runs                         recompute runs, newest first
/// GET v1/stats/runs/latest                  the newest run
/// Each is one point read or one partition of the Aggregates or AggregateRuns table: never a recompute.
/// A stats response sends ETag = the id of the run that computed it, answers If-None-Match with 304, is
/// JSON or CSV, and may be cached until the next scheduled recompute (the AggregatesSchedule setting).
/// </summary>
public sealed class StatsApi(Tables tables, ReadCache reads, Paging paging, IConfiguration configuration, TimeProvider time)
{
    /// <summary>The next scheduled recompute can change a stats response; without a valid schedule, the usual short life.</summary>
    private CachePolicy StatsCache => CachePolicy.UntilNextOccurrence(configuration[AggregatesFunctions.ScheduleSetting], time);

    [Function(nameof(GetCityStats))]
    [ApiOperation("Stats", "Get a city's aggregates", Returns = typeof(CityStats), Csv = true, NotFound = "City", Problems = ["AggregatesNotComputed"],
        Description = "Zones by kind, total area and the zones it covers, organizations by type, and the city's facts. A 404 `AggregatesNotComputed` when no recompute has covered the city yet.")]
    public Task<IResult> GetCityStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/cities/{cityId}")] HttpRequest request,
        string cityId,
        CancellationToken cancellationToken) =>
        OneAsync<CityStats>(request, new AggregateScope(ScopeKind.City, cityId), nameof(cityId), "City",
            () => tables.Cities.FindMainAsync(cityId, cancellationToken), cancellationToken);

    [Function(nameof(GetZoneStats))]
    [ApiOperation("Stats", "Get a zone's aggregates", Returns = typeof(ZoneStats), Csv = true, NotFound = "Zone", Problems = ["AggregatesNotComputed"],
        Description = "Organizations by type and industry, the latest value of each indicator with its change, and ratios per km². A 404 `AggregatesNotComputed` when no recompute has covered the zone yet.")]
    public Task<IResult> GetZoneStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/zones/{zoneId}")] HttpRequest request,
        string zoneId,
        CancellationToken cancellationToken) =>
        OneAsync<ZoneStats>(request, new AggregateScope(ScopeKind.Zone, zoneId), nameof(zoneId), "Zone",
            () => tables.Zones.FindMainAsync(zoneId, cancellationToken), cancellationToken);

    [Function(nameof(GetOrganizationStats))]
    [ApiOperation("Stats", "Get an organization's relation counts", Returns = typeof(OrganizationStats), Csv = true, NotFound = "Organization", Problems = ["AggregatesNotComputed"],
        Description = "Its relations counted by direction and type. A 404 `AggregatesNotComputed` when no recompute has covered the organization yet.")]
    public Task<IResult> GetOrganizationStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/organizations/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        OneAsync<OrganizationStats>(request, new AggregateScope(ScopeKind.Organization, orgId), nameof(orgId), "Organization",
            () => tables.Organizations.FindMainAsync(orgId, cancellationToken), cancellationToken);

    [Function(nameof(GetIndustryStats))]
    [ApiOperation("Stats", "Get an industry's aggregates", Returns = typeof(IndustryStats), Csv = true, NotFound = "Industry", Problems = ["AggregatesNotComputed"],
        Description = "The zones that focus on the industry and the organizations in it. A 404 `AggregatesNotComputed` when no recompute has covered the industry yet.")]
    public Task<IResult> GetIndustryStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/industries/{industry}")] HttpRequest request,
        string industry,
        CancellationToken cancellationToken) =>
        OneAsync<IndustryStats>(request, new AggregateScope(ScopeKind.Industry, industry), nameof(industry), "Industry",
            () => tables.Vocabulary.FindAsync(Tables.IndustryPartition, industry, cancellationToken), cancellationToken);

    [Function(nameof(ListIndustryStats))]
    [ApiOperation("Stats", "List every industry's aggregates", Returns = typeof(ListResponse<IndustryStats>), Csv = true, Problems = ["AggregatesNotComputed"],
        Description = "All industries in one response, in id order (there are few: no paging). A 404 `AggregatesNotComputed` before the first recompute.")]
    public Task<IResult> ListIndustryStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/industries")] HttpRequest request,
        CancellationToken cancellationToken) =>
        PartitionAsync<IndustryStats>(request, ScopeKind.Industry, cancellationToken);

    [Function(nameof(ListOrganizationTypeStats))]
    [ApiOperation("Stats", "List each organization type's aggregates", Returns = typeof(ListResponse<OrganizationTypeStats>), Csv = true, Problems = ["AggregatesNotComputed"],
        Description = "Each organization type's organizations, zones and industries, in one response (no paging). A 404 `AggregatesNotComputed` before the first recompute.")]
    public Task<IResult> ListOrganizationTypeStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/organization-types")] HttpRequest request,
        CancellationToken cancellationToken) =>
        PartitionAsync<OrganizationTypeStats>(request, ScopeKind.OrganizationType, cancellationToken);

    [Function(nameof(ListAggregateRuns))]
    [ApiOperation("Stats", "List recompute runs", Returns = typeof(RunRecord), List = true, Csv = true,
        Description = "The recompute runs, newest first: when each ran, what it covered and how it ended.")]
    public async Task<IResult> ListAggregateRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/runs")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request);
        var plan = new TableQuery(nameof(Tables.AggregateRuns)).Where($"PartitionKey eq {AggregateRecords.RunsPartition}");
        return await paging.ReadPageAsync(request, query, tables.Get(plan.Table), plan.Filter, e => e.ReadDocument<RunRecord>(), null, cancellationToken);
    }

    [Function(nameof(GetLatestAggregateRun))]
    [ApiOperation("Stats", "Get the newest recompute run", Returns = typeof(RunRecord), Csv = true, Problems = ["AggregatesNotComputed"],
        Description = "The newest run, whatever its status; its ETag changes with the status. A 404 `AggregatesNotComputed` before the first run.")]
    public async Task<IResult> GetLatestAggregateRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats/runs/latest")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        RequestQuery.For(request);
        var mediaType = ContentNegotiation.Choose(request, csv: true);
        var page = await tables.AggregateRuns.QueryPageAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {AggregateRecords.RunsPartition}"), 1, null, cancellationToken);
        var run = (page.Entities.Count > 0 ? page.Entities[0].ReadDocument<RunRecord>() : null)
            ?? throw Problems.AggregatesNotComputed("No recompute has run yet. The RecomputeAggregates timer runs it; POST /admin/functions/RecomputeAggregates on the host runs it now.");
        return Representation.ForTable(request, mediaType, run, [run], StatsCache, version: run.RunId + "-" + EnumNames.Name(run.Status));
    }

    /// <summary>
    /// One point read of the scope's aggregate. When there is none: the scope itself is unknown (its usual
    /// 404), or it is known and no recompute has covered it yet.
    /// </summary>
    private async Task<IResult> OneAsync<T>(
        HttpRequest request, AggregateScope scope, string parameter, string resource, Func<Task<TableEntity?>> findScope, CancellationToken cancellationToken)
        where T : class
    {
        RequestQuery.For(request);
        Responses.RequireId(parameter, scope.Id);
        var mediaType = ContentNegotiation.Choose(request, csv: true);
        var entity = await reads.FindAsync(tables.Aggregates, AggregateRecords.Partition(scope.Kind), scope.Id, CachePolicy.RequiresFresh(request), cancellationToken);
        if (entity is null)
        {
            await Responses.RequireFoundAsync(resource, scope.Id, findScope);
            throw await NotComputedAsync($"the {resource.ToLowerInvariant()} '{scope.Id}'", cancellationToken);
        }

        var stats = entity.ReadDocument<T>();
        return Representation.ForTable(request, mediaType, stats, [stats], StatsCache, version: entity.GetString(AggregateRecords.RunIdProperty));
    }

    /// <summary>One partition of the Aggregates table (industries, organization types: a few rows each), in id order.</summary>
    private async Task<IResult> PartitionAsync<T>(HttpRequest request, ScopeKind kind, CancellationToken cancellationToken)
        where T : class
    {
        RequestQuery.For(request);
        var mediaType = ContentNegotiation.Choose(request, csv: true);
        var items = new List<T>();
        var newestRun = "";
        string? token = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AggregateRecords.Partition(kind)}");
        do
        {
            var page = await tables.Aggregates.QueryPageAsync(filter, TableReads.MaxPageSize, token, cancellationToken);
            foreach (var entity in page.Entities)
            {
                items.Add(entity.ReadDocument<T>());
                var runId = entity.GetString(AggregateRecords.RunIdProperty) ?? "";
                newestRun = string.CompareOrdinal(runId, newestRun) > 0 ? runId : newestRun;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        if (items.Count == 0 && await AggregateRecords.LatestSucceededAsync(tables, cancellationToken) is null)
        {
            throw await NotComputedAsync(EnumNames.Name(kind) + " scopes", cancellationToken);
        }

        return Representation.ForTable(request, mediaType, new ListResponse<T>(items, null), items, StatsCache, version: newestRun);
    }

    private async Task<ProblemException> NotComputedAsync(string what, CancellationToken cancellationToken) =>
        Problems.AggregatesNotComputed(await AggregateRecords.LatestSucceededAsync(tables, cancellationToken) is null
            ? $"There are no aggregates for {what}: no recompute has run yet. The RecomputeAggregates timer runs it; POST /admin/functions/RecomputeAggregates on the host runs it now."
            : $"There are no aggregates for {what} yet: it was written after the last recompute, and the next RecomputeAggregates run computes them.");
}
