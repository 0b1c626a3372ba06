using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using InnovationZones.Api;
using InnovationZones.Contracts;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace InnovationZones.OpenApi;

/// <summary>
/// Component schemas made from the C# types with the API's own JSON options (<see cref="ApiJson.Options"/>),
/// through <see cref="JsonSchemaExporter"/>, so a schema cannot drift from what the serializer writes.
/// Every type of the app nested in another becomes a component of its own and a <c>$ref</c> to it.
/// </summary>
internal sealed class ApiSchemas(OpenApiDocument document)
{
    public const string ProblemName = "Problem";

    private readonly Queue<Type> pending = new();

    private IDictionary<string, IOpenApiSchema> Components => document.Components!.Schemas!;

    /// <summary>A reference to the component for <paramref name="type"/>, adding it (and what it uses) when new.</summary>
    public OpenApiSchemaReference Reference(Type type)
    {
        var name = Name(type);
        if (!Components.ContainsKey(name))
        {
            Components[name] = new OpenApiSchema();
            pending.Enqueue(type);
            while (pending.TryDequeue(out var next))
            {
                Components[Name(next)] = Parse(Export(next));
            }
        }

        return new OpenApiSchemaReference(name, document);
    }

    public IOpenApiSchema Parse(JsonNode schema) =>
        OpenApiModelFactory.Parse<OpenApiSchema>(schema.ToJsonString(), OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic, OpenApiConstants.Json) is { } parsed
        && diagnostic?.Errors is not { Count: > 0 }
            ? parsed
            : throw new InvalidOperationException($"Schema not readable: {string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? [])}");

    public static string Name(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ListResponse<>)
            ? Name(type.GetGenericArguments()[0]) + "List"
            : type.Name;

    private static bool IsComponent(Type type) =>
        type.Assembly == typeof(ApiSchemas).Assembly && (type.IsEnum || type.IsClass) && !type.IsAbstract;

    private JsonNode Export(Type type) => ApiJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (context, schema) =>
        {
            var target = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
            if (schema is not JsonObject node)
            {
                return schema;
            }

            if (target.IsEnum && node["type"] is null)
            {
                // Enums are written as their names: say so, beside the names themselves.
                var nullable = node["enum"] is JsonArray values && values.Any(v => v is null);
                node.Insert(0, "type", nullable ? new JsonArray("string", "null") : "string");
            }

            Constrain(node, context.PropertyInfo, target);

            // A member written only when it has a value (nextLink) is not required.
            if (context.PropertyInfo is null && node["required"] is JsonArray required)
            {
                foreach (var optional in context.TypeInfo.Properties.Where(p => p.ShouldSerialize is not null))
                {
                    required.Remove(required.FirstOrDefault(r => r?.GetValue<string>() == optional.Name));
                }
            }

            if (context.Path.IsEmpty || !IsComponent(target))
            {
                return node;
            }

            if (!Components.ContainsKey(Name(target)))
            {
                Components[Name(target)] = new OpenApiSchema();
                pending.Enqueue(target);
            }

            var reference = new JsonObject { ["$ref"] = "#/components/schemas/" + Name(target) };
            var isNullable = node["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
            return isNullable ? new JsonObject { ["oneOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
        },
    });

    /// <summary>
    /// States what the server enforces: the rules declared on the property (<see cref="FieldRules"/>), a
    /// type's "at least one of", and the ranges numbers are read into (decimal, 32-bit whole numbers).
    /// </summary>
    private static void Constrain(JsonObject node, System.Text.Json.Serialization.Metadata.JsonPropertyInfo? property, Type target)
    {
        foreach (var rule in property is null ? [] : FieldRules.Of(property))
        {
            rule.Describe(!rule.OnCollection && node["items"] is JsonObject items ? items : node);
        }

        if (property is null && FieldRules.AnyOf(target) is { } anyOf)
        {
            // Not all of them null or missing: a plain keyword that generated clients read as the object it is.
            node["not"] = new JsonObject
            {
                ["properties"] = new JsonObject(anyOf.Fields.Select(f => KeyValuePair.Create(f, (JsonNode?)new JsonObject { ["type"] = "null" }))),
            };
            node["description"] = anyOf.Message;
        }

        if (target == typeof(decimal))
        {
            node["minimum"] = decimal.MinValue;
            node["maximum"] = decimal.MaxValue;
        }
        else if (target == typeof(int) || target == typeof(long))
        {
            var (format, min, max) = target == typeof(int) ? ("int32", (decimal)int.MinValue, (decimal)int.MaxValue) : ("int64", long.MinValue, long.MaxValue);
            node["format"] = format;
            node["minimum"] ??= min;
            node["maximum"] ??= max;
        }
        else if (target == typeof(DateOnly))
        {
            node["maxLength"] = 10;
        }
    }
}
