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

    /// <summary>Seconds one storage request may take before it is retried or fails.</summary>
    [Range(1, 60)]
    public int NetworkTimeoutSeconds { get; set; } = 5;

    /// <summary>Retries of a failed storage request; kept low so a caller gets an answer within the HTTP budget.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

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
