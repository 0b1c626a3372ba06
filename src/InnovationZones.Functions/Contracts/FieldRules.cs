using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace InnovationZones.Contracts;

/// <summary>
/// A rule that one field of the API's representations obeys, declared once, on the property: the
/// validator checks it (<see cref="FieldRules.Check"/>) and the OpenAPI document states it
/// (<see cref="Describe"/>), so what the server enforces and what the contract says cannot drift. A
/// rule on a list of values applies to each item.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public abstract class FieldRuleAttribute : Attribute
{
    /// <summary>What is wrong with <paramref name="value"/>, or null when it obeys the rule.</summary>
    public abstract string? Check(object? value);

    /// <summary>Adds the rule's keywords to the JSON schema of one value.</summary>
    public abstract void Describe(JsonObject schema);

    /// <summary>Whether the rule is about the list or map itself rather than each of its items.</summary>
    public virtual bool OnCollection => false;
}

/// <summary>The lengths of free text.</summary>
public static class Limits
{
    /// <summary>Names, titles, places and locators.</summary>
    public const int ShortText = 200;

    /// <summary>Descriptions, notes and quotes.</summary>
    public const int LongText = 2_000;
}

/// <summary>Free text: at most <paramref name="maxLength"/> characters, no control characters but tab and newline; when required, not blank.</summary>
public sealed class TextAttribute(int maxLength) : FieldRuleAttribute
{
    /// <summary>No control characters but tab and newline.</summary>
    public const string Pattern = "^" + Allowed + "*$";

    /// <summary>The same, and at least one character that is not white space.</summary>
    public const string NonBlankPattern = "^" + Allowed + "*[^\\u0000-\\u0020\\u007F-\\u009F\\s]" + Allowed + "*$";

    private const string Allowed = "[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]";

    public int MaxLength => maxLength;

    /// <summary>The value must be given and not blank.</summary>
    public bool Required { get; init; }

    public override string? Check(object? value) => value switch
    {
        null or string when Required && string.IsNullOrWhiteSpace((string?)value) => "Required, and not blank.",
        string text when text.Length > maxLength => $"At most {maxLength} characters.",
        string text when text.Any(c => char.IsControl(c) && c is not ('\n' or '\t')) => "Control characters are not allowed.",
        _ => null,
    };

    public override void Describe(JsonObject schema)
    {
        if (Required)
        {
            schema["minLength"] = 1;
        }

        schema["maxLength"] = maxLength;
        schema["pattern"] = Required ? NonBlankPattern : Pattern;
    }
}

/// <summary>An id (<see cref="Slugs"/>): the entity's own, or a reference to another.</summary>
public sealed class IdAttribute : FieldRuleAttribute
{
    public override string? Check(object? value) =>
        value is string id && !Slugs.IsSlug(id) ? $"Expected an id: {Slugs.Rule}." : null;

    public override void Describe(JsonObject schema)
    {
        schema["maxLength"] = Slugs.MaxLength;
        schema["pattern"] = Slugs.Pattern;
    }
}

/// <summary>A unit of measure, written as a slug: <c>percent</c>, <c>km2</c>, <c>billion-cny</c>.</summary>
public sealed class UnitAttribute : FieldRuleAttribute
{
    public const int MaxLength = 50;

    public override string? Check(object? value) =>
        value is string unit && (!Slugs.IsSlug(unit) || unit.Length > MaxLength)
            ? "Expected a unit such as 'percent', 'km2' or 'billion-cny': lowercase letters, digits and hyphens."
            : null;

    public override void Describe(JsonObject schema)
    {
        schema["maxLength"] = MaxLength;
        schema["pattern"] = Slugs.Pattern;
    }
}

/// <summary>A period (<see cref="Periods"/>): <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, a real date.</summary>
public sealed class PeriodAttribute : FieldRuleAttribute
{
    public override string? Check(object? value) =>
        value is string period && !Periods.IsValid(period) ? "Expected a period: YYYY, YYYY-MM or YYYY-MM-DD." : null;

    public override void Describe(JsonObject schema)
    {
        schema["maxLength"] = 10;
        schema["pattern"] = Periods.Pattern;
    }
}

/// <summary>A whole number of at least one.</summary>
public sealed class PositiveAttribute : FieldRuleAttribute
{
    public override string? Check(object? value) => value is int number && number < 1 ? "Expected a positive whole number." : null;

    public override void Describe(JsonObject schema) => schema["minimum"] = 1;
}

/// <summary>At most <paramref name="max"/> items in a list, or entries in a map.</summary>
public sealed class ItemsAttribute(int max) : FieldRuleAttribute
{
    public int Max => max;

    public override bool OnCollection => true;

    public override string? Check(object? value) => value is ICollection items && items.Count > max ? $"At most {max} items." : null;

    public override void Describe(JsonObject schema) =>
        schema[schema["items"] is null ? "maxProperties" : "maxItems"] = max;
}

/// <summary>The keys of a map are field names of the entity: letters, digits and single hyphens, at most 50 characters.</summary>
public sealed partial class FieldNamesAttribute : FieldRuleAttribute
{
    public const int MaxLength = 50;

    private const string Body = "[A-Za-z0-9]+(-[A-Za-z0-9]+)*";

    public override bool OnCollection => true;

    public override string? Check(object? value) =>
        value is IDictionary map && map.Keys.Cast<string>().FirstOrDefault(k => k.Length > MaxLength || !FieldName().IsMatch(k)) is { } wrong
            ? $"'{wrong}' is not a field name."
            : null;

    public override void Describe(JsonObject schema) =>
        schema["propertyNames"] = new JsonObject { ["maxLength"] = MaxLength, ["pattern"] = "^" + Body + "$" };

    [GeneratedRegex("^" + Body + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();
}

/// <summary>An object that must give at least one of the named fields (a source: a quote or a locator).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AnyOfAttribute(string message, params string[] fields) : Attribute
{
    public string Message => message;

    /// <summary>The fields' JSON names.</summary>
    public IReadOnlyList<string> Fields => fields;
}

/// <summary>
/// A body that a curator sends for an entity: its fields obey the rules declared on the entity's
/// same-named fields, so the rules are declared once, on the entity.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RulesOfAttribute(Type entity) : Attribute
{
    public Type Entity => entity;
}

/// <summary>Reads the declared rules, and checks a value and everything in it against them.</summary>
public static class FieldRules
{
    private static readonly ConcurrentDictionary<(Type, string), IReadOnlyList<FieldRuleAttribute>> ByProperty = new();

    /// <summary>The rules declared for one property of a representation (or, for a body, of its entity).</summary>
    public static IReadOnlyList<FieldRuleAttribute> Of(JsonPropertyInfo property) =>
        ByProperty.GetOrAdd((property.DeclaringType, property.Name), _ => Declared(property));

    /// <summary>The fields of which an object must give at least one.</summary>
    public static AnyOfAttribute? AnyOf(Type type) => type.GetCustomAttribute<AnyOfAttribute>();

    /// <summary>Calls <paramref name="error"/> with a path (<c>zones[0].area.unit</c>) and a message for each broken rule in <paramref name="value"/>.</summary>
    public static void Check(object value, string path, Action<string, string> error)
    {
        var info = ApiJson.Options.GetTypeInfo(value.GetType());
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (AnyOf(info.Type) is { } anyOf
                    && anyOf.Fields.All(f => info.Properties.Single(p => p.Name == f).Get!(value) is null))
                {
                    error(path, anyOf.Message);
                }

                foreach (var property in info.Properties)
                {
                    var member = property.Get?.Invoke(value);
                    var memberPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    foreach (var rule in Of(property))
                    {
                        Apply(rule, member, memberPath, error);
                    }

                    if (member is not null)
                    {
                        Check(member, memberPath, error);
                    }
                }

                break;
            case JsonTypeInfoKind.Enumerable:
                var index = 0;
                foreach (var item in (IEnumerable)value)
                {
                    if (item is not null)
                    {
                        Check(item, $"{path}[{index}]", error);
                    }

                    index++;
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    if (entry.Value is not null)
                    {
                        Check(entry.Value, $"{path}.{Convert.ToString(entry.Key, CultureInfo.InvariantCulture)}", error);
                    }
                }

                break;
        }
    }

    private static void Apply(FieldRuleAttribute rule, object? member, string path, Action<string, string> error)
    {
        if (rule.OnCollection || member is string or null or not IEnumerable)
        {
            if (rule.Check(member) is { } message)
            {
                error(path, message);
            }

            return;
        }

        var index = 0;
        foreach (var item in (IEnumerable)member)
        {
            if (rule.Check(item) is { } message)
            {
                error($"{path}[{index}]", message);
            }

            index++;
        }
    }

    private static IReadOnlyList<FieldRuleAttribute> Declared(JsonPropertyInfo property)
    {
        var declared = property.AttributeProvider?.GetCustomAttributes(typeof(FieldRuleAttribute), inherit: true).Cast<FieldRuleAttribute>().ToList() ?? [];
        if (declared.Count == 0 && property.DeclaringType.GetCustomAttribute<RulesOfAttribute>() is { } rulesOf
            && ApiJson.Options.GetTypeInfo(rulesOf.Entity).Properties.FirstOrDefault(p => p.Name == property.Name) is { } entityProperty)
        {
            return Of(entityProperty);
        }

        return declared;
    }
}
