namespace InnovationZones.Api;

/// <summary>
/// A failure the caller caused (or may retry), carrying what its problem response says.
/// Thrown from shared request handling so that every function answers the same way;
/// <see cref="ProblemResponses"/> turns it into RFC 9457 problem details.
/// </summary>
public sealed class ProblemException(
    int status,
    string code,
    string title,
    string detail,
    IReadOnlyDictionary<string, string[]>? errors = null,
    IReadOnlyDictionary<string, object?>? extensions = null,
    IReadOnlyDictionary<string, string>? headers = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    /// <summary>Members the problem adds beside <c>code</c> and <c>errors</c> (an import's per-row report).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; } = extensions;

    /// <summary>Response headers that belong to the problem (<c>Allow</c> on a 405).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; } = headers;
}
