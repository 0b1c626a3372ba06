using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace InnovationZones.Contracts;

/// <summary>
/// Checks a JSON document against the shape of the type it will be read as, from the serializer's own
/// contract (<see cref="JsonTypeInfo"/>), before it is read: unknown fields (names are exact, camelCase),
/// missing required fields, nulls where a value is required, wrong JSON types, unknown enum values,
/// numbers out of range and malformed dates. Every error is collected with its JSON path, so a caller
/// learns everything wrong at once, and nothing depends on the serializer's message text. Before the shape,
/// the syntax: <see cref="TryParse"/> reads JSON strictly.
/// </summary>
public static partial class JsonShape
{
    public sealed record FieldError(string Path, string Message);

    private static readonly ConcurrentDictionary<Type, IReadOnlySet<string>> EnumNamesByType = new();

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = ApiJson.Options.MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses JSON strictly; on failure, <paramref name="error"/> says where (line and position) and what to check.</summary>
    public static JsonNode? TryParse(ReadOnlySpan<byte> body, out string? error)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            error = "The body is not valid UTF-8.";
            return null;
        }

        try
        {
            error = null;
            return JsonNode.Parse(body, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            error = $"The body is not well-formed JSON{where}: check quotes, commas, brackets, nesting (at most {DocumentOptions.MaxDepth} deep), duplicate names, UTF-8 and literals (NaN and Infinity are not JSON).";
            return null;
        }
    }

    public static IReadOnlyList<FieldError> Check(JsonNode? node, Type type, bool patch)
    {
        var errors = new List<FieldError>();
        if (node is null)
        {
            errors.Add(new FieldError("$", "Expected a value, not null."));
        }
        else
        {
            Value(node, type, "$", patch, errors);
        }

        return errors;
    }

    private static void Value(JsonNode node, Type type, string path, bool patch, List<FieldError> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var kind = node.GetValueKind();
        if (type.IsEnum)
        {
            var names = EnumNamesByType.GetOrAdd(type, NamesOf);
            if (kind != JsonValueKind.String || !names.Contains(node.GetValue<string>()))
            {
                errors.Add(new FieldError(path, $"Expected one of: {string.Join(", ", names.Order(StringComparer.Ordinal))}."));
            }

            return;
        }

        if (type == typeof(string))
        {
            Expect(kind == JsonValueKind.String, path, "Expected a string.", errors);
            return;
        }

        if (type == typeof(decimal) || type == typeof(int))
        {
            var fits = kind == JsonValueKind.Number && (type == typeof(int)
                ? node.AsValue().TryGetValue<int>(out _)
                : node.AsValue().TryGetValue<decimal>(out _));
            Expect(fits, path, type == typeof(int) ? "Expected a whole number (32-bit)." : "Expected a finite number within ±7.9e28.", errors);
            return;
        }

        if (type == typeof(bool))
        {
            Expect(kind is JsonValueKind.True or JsonValueKind.False, path, "Expected true or false.", errors);
            return;
        }

        if (type == typeof(DateOnly))
        {
            Expect(kind == JsonValueKind.String && DateOnly.TryParseExact(node.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                path, "Expected a date: YYYY-MM-DD.", errors);
            return;
        }

        var info = ApiJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when node is JsonObject obj:
                Object(obj, info, path, patch, errors);
                break;
            case JsonTypeInfoKind.Enumerable when node is JsonArray array:
                // A merge patch replaces arrays whole: their items are complete values.
                for (var i = 0; i < array.Count; i++)
                {
                    Item(array[i], info.ElementType!, $"{path}[{i}]", patch: false, errors);
                }

                break;
            case JsonTypeInfoKind.Dictionary when node is JsonObject map:
                foreach (var (key, item) in map)
                {
                    Item(item, info.ElementType!, Member(path, key), patch, errors);
                }

                break;
            case JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary:
                errors.Add(new FieldError(path, "Expected an object."));
                break;
            case JsonTypeInfoKind.Enumerable:
                errors.Add(new FieldError(path, "Expected an array."));
                break;
            default:
                errors.Add(new FieldError(path, "This value cannot be set."));
                break;
        }
    }

    private static void Item(JsonNode? item, Type type, string path, bool patch, List<FieldError> errors)
    {
        if (item is not null)
        {
            Value(item, type, path, patch, errors);
        }
        else if (!patch)
        {
            errors.Add(new FieldError(path, "Expected a value, not null."));
        }
    }

    private static void Object(JsonObject obj, JsonTypeInfo info, string path, bool patch, List<FieldError> errors)
    {
        var properties = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, value) in obj)
        {
            var memberPath = Member(path, name);
            if (!properties.TryGetValue(name, out var property))
            {
                errors.Add(new FieldError(memberPath, properties.Count == 0
                    ? "Unknown field."
                    : $"Unknown field. Expected: {string.Join(", ", properties.Keys)}."));
            }
            else if (value is not null)
            {
                Value(value, property.PropertyType, memberPath, patch, errors);
            }
            else if (!patch && !IsNullable(property))
            {
                errors.Add(new FieldError(memberPath, "Required: null is not allowed."));
            }
        }

        if (!patch)
        {
            foreach (var property in info.Properties.Where(p => IsRequired(p) && !obj.ContainsKey(p.Name)))
            {
                errors.Add(new FieldError(Member(path, property.Name), "Required."));
            }
        }
    }

    private static bool IsRequired(JsonPropertyInfo property) =>
        property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false, IsMemberInitializer: false };

    private static bool IsNullable(JsonPropertyInfo property) =>
        property.AssociatedParameter?.IsNullable ?? property.IsSetNullable;

    private static void Expect(bool condition, string path, string message, List<FieldError> errors)
    {
        if (!condition)
        {
            errors.Add(new FieldError(path, message));
        }
    }

    /// <summary>A member's JSON path: <c>$.name</c>, or <c>$['odd key']</c> for a key that is not a plain name.</summary>
    public static string Member(string path, string name) =>
        PlainName().IsMatch(name) ? $"{path}.{name}" : $"{path}['{JsonEncodedText.Encode(name).Value.Replace("'", "\\u0027", StringComparison.Ordinal)}']";

    private static IReadOnlySet<string> NamesOf(Type type) => EnumNames.All(type).ToHashSet(StringComparer.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PlainName();
}
