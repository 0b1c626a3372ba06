using Azure;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Api;

/// <summary>
/// A write's preconditions (RFC 9110): <c>If-Match</c> with one ETag as the API sent it (or <c>*</c>),
/// and <c>If-None-Match: *</c>, which makes a PUT create-only. A write without them is last-writer-wins.
/// </summary>
public sealed record Preconditions(string? IfMatch, bool IfNoneMatchAny)
{
    public bool Any => IfMatch is not null || IfNoneMatchAny;

    public static Preconditions Read(HttpRequest request)
    {
        var ifMatch = Single(request, "If-Match");
        if (ifMatch is not null && ifMatch != "*" && !EntityTags.IsSingle(ifMatch))
        {
            throw Problems.InvalidPrecondition("If-Match", "If-Match takes one ETag, as the API sent it in the ETag header (W/\"...\"), or *.");
        }

        var ifNoneMatch = Single(request, "If-None-Match");
        if (ifNoneMatch is not null && ifNoneMatch != "*")
        {
            throw Problems.InvalidPrecondition("If-None-Match", "Writes take If-None-Match: * only (create, never replace).");
        }

        if (ifMatch is not null && ifNoneMatch is not null)
        {
            throw Problems.InvalidPrecondition("If-None-Match", "Send If-Match or If-None-Match, not both.");
        }

        return new Preconditions(ifMatch, ifNoneMatch is not null);
    }

    /// <summary>412 unless the stored entity (null when there is none) satisfies the preconditions.</summary>
    public void Check(ETag? current)
    {
        if (IfNoneMatchAny && current is not null)
        {
            throw Problems.PreconditionFailed("If-None-Match: * asks to create, and the entity exists. GET it, then send If-Match with its ETag to replace it.");
        }

        if (IfMatch is null)
        {
            return;
        }

        if (current is not { } etag)
        {
            throw Problems.PreconditionFailed("If-Match names a version, and the entity does not exist.");
        }

        if (IfMatch != "*" && !string.Equals(IfMatch, etag.ToString("H"), StringComparison.Ordinal))
        {
            throw Problems.PreconditionFailed("The entity has changed since the ETag in If-Match was issued. GET it again and retry with its current ETag.");
        }
    }

    private static string? Single(HttpRequest request, string header)
    {
        if (!request.Headers.TryGetValue(header, out var values))
        {
            return null;
        }

        var value = values.Count == 1 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(value) || value.Contains(',', StringComparison.Ordinal) && !EntityTags.IsSingle(value)
            ? throw Problems.InvalidPrecondition(header, $"{header} takes one value.")
            : value;
    }
}
