namespace InnovationZones.Api;

/// <summary>
/// Describes an HTTP function in the OpenAPI document, beside the function itself. The route, the
/// methods and the authorization level come from the function's own <c>[HttpTrigger]</c>; this adds
/// what the trigger cannot say: what the function answers, and with which problems. The shared
/// conventions (ETag and 304, paging, Link, CSV, 406, 503 with Retry-After) follow from these flags.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiOperationAttribute(string tag, string summary) : Attribute
{
    public string Tag { get; } = tag;

    public string Summary { get; } = summary;

    public string? Description { get; set; }

    /// <summary>The JSON body of a success: the entity, or for a list the type of its items.</summary>
    public Type? Returns { get; set; }

    /// <summary>A list: <c>{"value": [...], "nextLink"}</c>, with <c>maxpagesize</c>, <c>continuationToken</c> and a <c>Link</c> header.</summary>
    public bool List { get; set; }

    /// <summary>The list's filters: the record whose <c>[ApiQuery]</c> properties <c>RequestQuery.ForList</c> reads.</summary>
    public Type? Filters { get; set; }

    /// <summary>Also answers <c>Accept: text/csv</c> with the same data, filters and paging.</summary>
    public bool Csv { get; set; }

    /// <summary>The resource that the path's id names: an unknown id is the 404 problem <c>{NotFound}NotFound</c>.</summary>
    public string? NotFound { get; set; }

    /// <summary>Whether it reads storage, and so may answer 503 <c>StorageUnavailable</c> with <c>Retry-After</c>.</summary>
    public bool ReadsStorage { get; set; } = true;

    /// <summary>
    /// The body is written as storage is read (an export): no <c>ETag</c>, <c>Last-Modified</c> or
    /// <c>Content-Length</c>, never cached.
    /// </summary>
    public bool Streamed { get; set; }

    /// <summary>The media type of a success that is not JSON (the document itself, the reference page, its assets).</summary>
    public string? MediaType { get; set; }

    /// <summary>Further media types a success may have besides <see cref="MediaType"/> (an asset that is a script or an icon).</summary>
    public string[] OtherMediaTypes { get; set; } = [];

    /// <summary>The body of a 503 when it is not a problem (health reports itself).</summary>
    public Type? UnavailableReturns { get; set; }

    /// <summary>A second shape the success body may have instead (the response is one of the two).</summary>
    public Type? OrReturns { get; set; }

    /// <summary>The JSON request body, for writes: any body also means 413 <c>PayloadTooLarge</c> and 415 <c>UnsupportedMediaType</c>.</summary>
    public Type? Accepts { get; set; }

    /// <summary>The body is an RFC 7396 merge patch of <see cref="Accepts"/> (<c>application/merge-patch+json</c>): only the members to change.</summary>
    public bool MergePatch { get; set; }

    /// <summary>
    /// A conditional write: takes <c>If-Match</c>, answers 400 <c>InvalidPrecondition</c>, 412 <c>PreconditionFailed</c> and,
    /// when racing writes keep winning, 409 <c>WriteConflict</c>; a success with a body sends the new <c>ETag</c>.
    /// </summary>
    public bool Conditional { get; set; }

    /// <summary>Creates or replaces: 201 Created (with <c>Location</c>) when it creates, <see cref="SuccessStatus"/> when it replaces; takes <c>If-None-Match: *</c> (create only).</summary>
    public bool Creates { get; set; }

    /// <summary>Also takes the request body as <c>text/csv</c> (an import).</summary>
    public bool AcceptsCsv { get; set; }

    /// <summary>The status of a success: 200, or 201 and 204 for writes.</summary>
    public int SuccessStatus { get; set; } = 200;

    /// <summary>
    /// Problem codes this operation can answer beyond those its shape implies (see <see cref="OpenApi.ApiProblems"/>),
    /// such as a write's <c>Conflict</c>.
    /// </summary>
    public string[] Problems { get; set; } = [];
}

/// <summary>A group of operations in the document (a feature), with what it is about; declared once, in the feature's API file.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ApiTagAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}
