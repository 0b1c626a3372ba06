using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace InnovationZones.Storage;

/// <summary>
/// One query, planned without touching storage: the table it reads (one of <see cref="Tables.Names"/>) and
/// an OData filter built from escaped parts.
/// </summary>
public sealed class TableQuery(string table)
{
    private readonly List<string> clauses = [];

    public string Table { get; } = table;

    public string Filter => string.Join(" and ", clauses);

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
    /// The main entities of a main table (PartitionKey = RowKey = id): its live rows, one per partition, as
    /// a filter cannot compare the two keys; the history rows beside them sort after (<see cref="ChangeLog"/>).
    /// </summary>
    public static TableQuery MainEntities(string table) =>
        new TableQuery(table).Where($"RowKey lt {ChangeLog.LiveRowsEnd}");
}
