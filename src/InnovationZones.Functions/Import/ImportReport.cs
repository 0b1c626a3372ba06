namespace InnovationZones.Import;

/// <summary>One problem found in a dataset: where (a JSON path) and what.</summary>
public sealed record ImportError(string Path, string Message);

/// <summary>How many entities of one kind an import created, updated and left unchanged.</summary>
public sealed record ImportCounts(int Created, int Updated, int Unchanged);

/// <summary>What an import did, per kind of entity.</summary>
public sealed record ImportReport(IReadOnlyDictionary<string, ImportCounts> Counts)
{
    public int Created => Counts.Values.Sum(c => c.Created);

    public int Updated => Counts.Values.Sum(c => c.Updated);

    public int Unchanged => Counts.Values.Sum(c => c.Unchanged);
}

/// <summary>A dataset that failed validation; nothing was written.</summary>
public sealed class DatasetInvalidException(IReadOnlyList<ImportError> errors)
    : Exception($"The dataset has {errors.Count} error(s); nothing was written.")
{
    public IReadOnlyList<ImportError> Errors { get; } = errors;
}
