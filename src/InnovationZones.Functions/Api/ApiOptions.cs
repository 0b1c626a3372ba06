namespace InnovationZones.Api;

/// <summary>Settings of the HTTP API (<c>Api__*</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 1000;

    /// <summary>
    /// <c>Api__ContinuationTokenKey</c>: the key that signs continuation tokens (base64, at least 32 bytes).
    /// Without it a built-in key still detects tampered and foreign tokens; set it to make tokens unforgeable.
    /// </summary>
    public string? ContinuationTokenKey { get; set; }

    /// <summary><c>Api__MaxWriteBytes</c>: the largest body a PUT or PATCH of one entity takes (413 past it).</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 16 * 1024 * 1024)]
    public long MaxWriteBytes { get; set; } = 256 * 1024;

    /// <summary><c>Api__MaxImportBytes</c>: the largest body POST v1/import takes (413 past it).</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 100 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 8 * 1024 * 1024;
}
