using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Api;

/// <summary>
/// One list query: a table and an OData filter built from escaped parts. Its fingerprint binds
/// continuation tokens to it.
/// </summary>
public sealed class TableQuery(TableClient table)
{
    private readonly List<string> clauses = [];

    public TableClient Table { get; } = table;

    public string Filter => string.Join(" and ", clauses);

    public string Fingerprint => Table.Name + "\n" + Filter;

    /// <summary>Adds a clause; its values are escaped by <see cref="TableClient.CreateQueryFilter(FormattableString)"/>.</summary>
    public TableQuery Where(FormattableString clause)
    {
        clauses.Add(TableClient.CreateQueryFilter(clause));
        return this;
    }

    /// <summary>Adds <c>{property} eq {value}</c>, the value escaped; the property is one of the app's own names.</summary>
    public TableQuery WhereEquals(string property, object value) =>
        Where(FormattableStringFactory.Create(property + " eq {0}", value));

    /// <summary>Adds <c>{flag} eq true</c> for a membership flag property (its name derives from a validated slug).</summary>
    public TableQuery WhereFlag(string flagProperty) =>
        WhereEquals(flagProperty, true);

    /// <summary>Adds a row-key (or other string property) range for a prefix.</summary>
    public TableQuery WherePrefix(string property, string prefix) =>
        Where(FormattableStringFactory.Create(property + " ge {0} and " + property + " lt {1}", prefix, Keys.PrefixUpperBound(prefix)));

    /// <summary>
    /// Reads the page the request asks for and answers it as JSON with its nextLink, or as CSV, with its
    /// ETag and Link header; or 304 when the caller's copy is current (the page read is then the only
    /// storage round-trip). <paramref name="firstPageChecks"/> (that the scope or a filter value exists) run
    /// on the first page only, and not when the caller names this page's own ETag: a valid continuation
    /// token, or an ETag bound to this query and these bytes, proves they passed when it was issued.
    /// </summary>
    public async Task<IResult> ReadPageAsync<T>(
        HttpRequest request,
        Paging paging,
        RequestQuery query,
        Func<TableEntity, T> map,
        CancellationToken cancellationToken,
        Func<Task>? firstPageChecks = null)
    {
        var page = paging.Read(query, Fingerprint);
        ContentNegotiation.Choose(request, csv: true);
        var result = await Table.QueryPageAsync(Filter, page.Size, page.StorageToken, cancellationToken);
        var list = paging.Respond(request, [.. result.Entities.Select(map)], result.ContinuationToken, Fingerprint);
        var representation = Representation.ForList(request, list, Fingerprint, CachePolicy.List);
        if (page.StorageToken is null && firstPageChecks is not null && !representation.IsTagKnownTo(request))
        {
            await firstPageChecks();
        }

        return representation;
    }
}
