namespace InnovationZones.Api;

/// <summary>The media types that requests and responses carry, named once for negotiation, bodies and the document.</summary>
public static class MediaTypes
{
    public const string Json = "application/json";

    public const string MergePatch = "application/merge-patch+json";

    public const string Csv = "text/csv";
}
