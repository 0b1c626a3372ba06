using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace InnovationZones.Contracts;

/// <summary>What a change did to its entity.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))]
public enum ChangeKind
{
    [JsonStringEnumMemberName("created")] Created,
    [JsonStringEnumMemberName("replaced")] Replaced,
    [JsonStringEnumMemberName("patched")] Patched,
    [JsonStringEnumMemberName("deleted")] Deleted,
}

/// <summary>
/// Who made a change, as the platform vouches for it: <c>principal</c> (the caller App Service
/// Authentication signed in, with its name, id and identity provider), <c>function-key</c> (a caller holding
/// a function key; never the key itself), or <c>app</c> (the app itself: the local run's load of its data).
/// </summary>
public sealed record ChangeAuthor(string Kind, string? Name = null, string? Id = null, string? IdentityProvider = null)
{
    public static ChangeAuthor FunctionKey { get; } = new("function-key");

    public static ChangeAuthor App { get; } = new("app");
}

/// <summary>
/// The entity a change is about: its type (<c>city</c>, <c>zone</c>, <c>organization</c>, <c>relation</c>,
/// <c>metric</c>, <c>industry</c>, <c>document</c>) and its id; a relation's is
/// <c>{orgId}/{type}/{toKind}/{toId}</c> and an observation's <c>{zone|city}/{id}/{indicator}/{period}</c>, as in their routes.
/// </summary>
public sealed record EntityAddress(string Type, string Id);

/// <summary>A change as stored, without the representations before and after (each stored in a property of its own).</summary>
public sealed record ChangeEntry(
    string Id, string ChangeSet, EntityAddress Entity, ChangeKind Change, DateTimeOffset At, string? TraceId, ChangeAuthor By, string? Reason);

/// <summary>
/// One change of one entity, as the history endpoints and the change feed serve it: which entity, what
/// happened and when, under which request (<c>traceId</c>) and change set (one request, or one import), by
/// whom and why, and the entity's representation before and after (null when it did not exist).
/// </summary>
public sealed record EntityChange(
    string Id,
    string ChangeSet,
    EntityAddress Entity,
    ChangeKind Change,
    DateTimeOffset At,
    string? TraceId,
    ChangeAuthor By,
    string? Reason,
    JsonObject? Before,
    JsonObject? After,
    string? Position);
