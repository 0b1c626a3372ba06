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
}
