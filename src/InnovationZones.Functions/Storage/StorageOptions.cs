using System.ComponentModel.DataAnnotations;

namespace InnovationZones.Storage;

/// <summary>
/// Where the data lives. Configuration alone chooses: a connection string (Azurite locally), or a
/// table service endpoint reached with a managed identity in Azure.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary><c>Storage__ConnectionString</c>: a connection string, such as <c>UseDevelopmentStorage=true</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>Storage__TableServiceUri</c>: the table endpoint, used with <c>DefaultAzureCredential</c>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary><c>Storage__ClientId</c>: the client id of the user-assigned managed identity, if any.</summary>
    public string? ClientId { get; set; }

    /// <summary><c>Storage__TablePrefix</c>: prepended to every table name, so environments and tests can share an account.</summary>
    [RegularExpression("^([A-Za-z][A-Za-z0-9]{0,29})?$", ErrorMessage = "TablePrefix must be empty or start with a letter and hold at most 30 letters and digits.")]
    public string TablePrefix { get; set; } = "";

    /// <summary><c>Storage__RecordHistory</c>: whether writes keep each entity's history and the change feed (on unless turned off).</summary>
    public bool RecordHistory { get; set; } = true;

    /// <summary><c>Storage__ChangeFeedSettleMilliseconds</c>: how old a change must be before the feed shows it; more than twice the clock skew between instances.</summary>
    [Range(0, 60_000)]
    public int ChangeFeedSettleMilliseconds { get; set; } = 2_000;

    /// <summary>
    /// <c>Storage__ReadCacheSeconds</c>: how long a GET's point read may be served from this instance's
    /// memory (<see cref="ReadCache"/>). At most the 60 s that entities advertise as <c>max-age</c>; 0 turns the cache off.
    /// </summary>
    [Range(0, 60)]
    public int ReadCacheSeconds { get; set; } = 5;

    /// <summary><c>Storage__ReadCacheMegabytes</c>: the most memory the read cache's entries may hold, counted by their serialized size.</summary>
    [Range(1, 4096)]
    public int ReadCacheMegabytes { get; set; } = 64;

    /// <summary>Seconds one storage request may take before it is retried or fails.</summary>
    [Range(1, 60)]
    public int NetworkTimeoutSeconds { get; set; } = 5;

    /// <summary>Retries of a failed storage request; kept low so a caller gets an answer within the HTTP budget.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>The back-off before the first retry; each next one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest one storage call can take when storage does not answer: every try runs out its network
    /// timeout, with the back-offs between (the Azure SDK stretches each by up to 20 percent). The
    /// defaults give 3 × 5 s + 0.24 s + 0.48 s, under 16 s: a request that storage fails is answered with a
    /// 503 well within the 230 s that Azure's front end gives an HTTP request (see docs/reliability.md).
    /// A service's own Retry-After (throttling) can lengthen a back-off beyond this.
    /// </summary>
    public TimeSpan StorageCallLimit
    {
        get
        {
            var limit = TimeSpan.FromSeconds(NetworkTimeoutSeconds) * (MaxRetries + 1);
            for (var retry = 0; retry < MaxRetries; retry++)
            {
                var delay = RetryDelay * Math.Pow(2, retry);
                limit += (delay < MaxRetryDelay ? delay : MaxRetryDelay) * 1.2;
            }

            return limit;
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (TableServiceUri is null))
        {
            yield return new ValidationResult(
                "Set exactly one of Storage__ConnectionString (Azurite, local) or Storage__TableServiceUri (Azure, managed identity).",
                [nameof(ConnectionString), nameof(TableServiceUri)]);
        }
    }
}
