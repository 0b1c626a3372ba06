namespace InnovationZones.Api;

/// <summary>What a query or path parameter takes; each is checked as <c>RequestQuery</c> checks it.</summary>
public enum ApiValue
{
    /// <summary>An id: a lowercase slug.</summary>
    Id,

    /// <summary>One of an enum's kebab-case names (<see cref="ApiParameterAttribute.Values"/>).</summary>
    Enum,

    /// <summary>A period: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</summary>
    Period,

    /// <summary>Free text without control characters, at most <see cref="ApiParameterAttribute.MaxLength"/> characters.</summary>
    Text,

    /// <summary>A file name of the reference page's assets.</summary>
    Asset,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A position in the change feed (<see cref="Storage.ChangeFeed"/>): 19 digits, a hyphen, 32 hexadecimal digits.</summary>
    Position,
}

/// <summary>
/// A query parameter (a filter): on a property of a list's filters record (read by <see cref="RequestQuery.ForList{TFilters}"/>
/// and by the OpenAPI document), or on a function to override a filter's description there. Paging parameters come with every list.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = true)]
public sealed class ApiQueryAttribute(string name, string description) : ApiParameterAttribute(name, description);

/// <summary>A parameter in the route template (<c>{zoneId}</c>), on a function: only where it differs from the document's catalog of route parameters.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiPathAttribute(string name, string description) : ApiParameterAttribute(name, description);

public abstract class ApiParameterAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public ApiValue Value { get; set; } = ApiValue.Id;

    /// <summary>The enum whose wire names the parameter takes, for <see cref="ApiValue.Enum"/>.</summary>
    public Type? Values { get; set; }

    public int MaxLength { get; set; }

    /// <summary>A value from the Beijing data.</summary>
    public string? Example { get; set; }
}
