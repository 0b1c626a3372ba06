using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

[assembly: ApiTag("Changes", "Every change on the record: each entity's history, and the feed of all changes in order, to follow or to mirror.")]

namespace InnovationZones.Changes;

/// <summary>The filter of GET v1/changes: where the reader stopped.</summary>
public sealed record ChangeFilters(
    [property: ApiQuery("since", "Only changes after this position: the `position` of the last change read (or the `since` of the last page's nextLink). Without it, from the first change.", Value = ApiValue.Position, Example = "0639000000000000000-0123456789abcdef0123456789abcdef")] string? Since = null);

/// <summary>
/// GET v1/changes        every change, in the order the feed published it, after a position (since)
/// </summary>
public sealed class ChangesApi(Tables tables, TimeProvider time)
{
    [Function(nameof(ListChanges))]
    [ApiOperation("Changes", "Follow the change feed", Returns = typeof(EntityChange), List = true, Csv = true, Filters = typeof(ChangeFilters),
        Description = "Every change of every entity (writes and imports; an import is one change set), in feed order, each with its `position`. "
            + "A page holds the changes after `since`; when it is full, nextLink continues after its last one. To follow the feed, ask again with `since` = the last position read. "
            + "A change appears once it is a few seconds old, so none can appear behind a position already read. Rarely, after a crash, a change appears twice: "
            + "apply a change only when its `at` is later than what you hold for its entity, and a mirror stays exactly in sync.")]
    public async Task<IResult> ListChanges(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/changes")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = RequestQuery.ForList(request, out ChangeFilters filters);
        if (query.Continuation is not null)
        {
            throw Problems.InvalidContinuationToken("The change feed pages by position: follow nextLink, or send since.");
        }

        var mediaType = ContentNegotiation.Choose(request, csv: true);
        var filter = ChangeFeed.Filter(filters.Since, time.GetUtcNow() - tables.ChangeFeedSettle);
        var changes = await ReadAsync(filter, query.PageSize, cancellationToken);

        // A full page may have more after it; a page short of full is the feed's end for now (poll with since).
        var nextLink = changes.Count == query.PageSize ? Paging.NextLink(request, "since", changes[^1].Position!) : null;
        var list = new ListResponse<EntityChange>(changes, nextLink);
        return Representation.ForList(mediaType, list, "changes\n" + filter, nextLink is null ? CachePolicy.MaxAge(TimeSpan.Zero) : CachePolicy.List);
    }

    /// <summary>Up to <paramref name="pageSize"/> changes of <paramref name="filter"/>, over as many storage pages as it takes.</summary>
    private async Task<List<EntityChange>> ReadAsync(string filter, int pageSize, CancellationToken cancellationToken)
    {
        var changes = new List<EntityChange>(pageSize);
        string? token = null;
        do
        {
            var page = await tables.Changes.QueryPageAsync(filter, pageSize - changes.Count, token, cancellationToken);
            changes.AddRange(page.Entities.Select(row => ChangeLog.Read(row, row.RowKey)));
            token = page.ContinuationToken;
        }
        while (token is not null && changes.Count < pageSize);
        return changes;
    }
}
