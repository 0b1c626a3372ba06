using InnovationZones.Storage;

namespace InnovationZones.Aggregates;

/// <summary>
/// The state of one recompute run: its stamp, its reads and what it wrote. Scopes run in parallel, so the
/// counts change only through its methods, each one atomic.
/// </summary>
internal sealed class RecomputeRun
{
    private readonly RunKind kind;
    private int scopes;
    private int written;
    private int deleted;
    private int marksCleared;

    public RecomputeRun(string runId, RunKind kind, DateTimeOffset started, Tables tables)
    {
        this.kind = kind;
        Stamp = new RunStamp(runId, started);
        Calculator = new ScopeStatsCalculator(tables, Scan);
    }

    public RunStamp Stamp { get; }

    public TableScan Scan { get; } = new();

    public ScopeStatsCalculator Calculator { get; }

    public IndexRepairs Repairs { get; set; } = IndexRepairs.None;

    public void ScopeComputed() => Interlocked.Increment(ref scopes);

    public void Written(int count) => Interlocked.Add(ref written, count);

    public void Deleted() => Interlocked.Increment(ref deleted);

    public void MarkCleared() => Interlocked.Increment(ref marksCleared);

    public RunRecord Record(RunStatus status, bool isPastDue, string? error, TimeSpan? duration) =>
        new(Stamp.RunId, kind, status, Stamp.ComputedAt, null, duration?.TotalMilliseconds, Scan.EntitiesRead,
            Volatile.Read(ref scopes), Volatile.Read(ref written), Volatile.Read(ref deleted), Repairs, Volatile.Read(ref marksCleared), isPastDue, error);
}
