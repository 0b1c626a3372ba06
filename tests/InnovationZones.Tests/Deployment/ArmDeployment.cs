using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// What a compiled ARM template would deploy for given parameter values, worked out offline: conditions,
/// copy loops, variables, parameter defaults and nested module deployments are evaluated; what only Azure
/// knows (a resource's runtime properties through <c>reference()</c>) stays a placeholder that names the
/// resource and the property, written <c>&lt;reference(/subscriptions/.../id).property&gt;</c>, so a test
/// can still check which resource a value comes from.
/// </summary>
internal sealed class ArmDeployment
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000000a";
    public const string TenantId = "00000000-0000-0000-0000-00000000000b";

    private readonly JsonObject template;
    private readonly Dictionary<string, object?> parameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, object?> variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Lazy<ArmDeployment>> modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> copyIndexes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ArmResource> resources = [];

    private ArmDeployment(string name, JsonObject template, string scopeId, IReadOnlyDictionary<string, object?> values)
    {
        Name = name;
        this.template = template;
        ScopeId = scopeId;
        foreach (var (key, definition) in template["parameters"]?.AsObject() ?? [])
        {
            parameters[key] = values.TryGetValue(key, out var value)
                ? value
                : definition!["defaultValue"] is { } defaultValue
                    ? Evaluate(defaultValue)
                    : throw new InvalidOperationException($"Parameter {key} of {name} has no value");
        }

        foreach (var key in values.Keys.Where(k => !parameters.ContainsKey(k)))
        {
            throw new InvalidOperationException($"{name} has no parameter {key}");
        }

        var declared = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
            _ => [],
        };
        foreach (var resource in declared)
        {
            Declare(resource);
        }

        var outputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, output) in template["outputs"]?.AsObject() ?? [])
        {
            outputs[key] = Evaluate(output!["value"]);
        }

        Outputs = outputs;
    }

    public string Name { get; }

    /// <summary>The id of the subscription or resource group this template deploys into.</summary>
    public string ScopeId { get; }

    public IReadOnlyDictionary<string, object?> Outputs { get; }

    /// <summary>An output's value as JSON, placeholders as strings.</summary>
    public JsonNode? Output(string name) => ToJson(Outputs[name]);

    /// <summary>Every resource deployed, in nested deployments too, with conditions and loops applied.</summary>
    public IEnumerable<ArmResource> AllResources =>
        resources.SelectMany(r => r.Type == "Microsoft.Resources/deployments" && modules.TryGetValue(r.Name, out var module)
            ? module.Value.AllResources.Prepend(r)
            : [r]);

    public static ArmDeployment Expand(JsonObject template, IReadOnlyDictionary<string, object?> parameterValues) =>
        new("main", template, $"/subscriptions/{SubscriptionId}", parameterValues);

    /// <summary>A nested deployment by name, expanded with the parameter values its parent passes.</summary>
    public ArmDeployment Module(string name) =>
        modules.TryGetValue(name, out var module) ? module.Value
            : modules.Values.Select(m => m.Value.TryModule(name)).FirstOrDefault(m => m is not null)
              ?? throw new InvalidOperationException($"No deployed module {name}");

    private ArmDeployment? TryModule(string name) =>
        modules.TryGetValue(name, out var module) ? module.Value : modules.Values.Select(m => m.Value.TryModule(name)).FirstOrDefault(m => m is not null);

    private void Declare(JsonObject resource)
    {
        if (resource["copy"] is JsonObject copy)
        {
            var loop = copy["name"]!.GetValue<string>();
            var count = Convert.ToInt64(Evaluate(copy["count"]), CultureInfo.InvariantCulture);
            for (long i = 0; i < count; i++)
            {
                copyIndexes[loop] = i;
                copyIndexes[""] = i;
                DeclareOne(resource);
            }

            copyIndexes.Remove(loop);
            copyIndexes.Remove("");
        }
        else
        {
            DeclareOne(resource);
        }
    }

    private void DeclareOne(JsonObject resource)
    {
        if (resource["condition"] is { } condition && Evaluate(condition) is not true)
        {
            return;
        }

        if (resource["existing"] is JsonValue existing && existing.GetValue<bool>())
        {
            return;
        }

        var type = (string)Evaluate(resource["type"])!;
        var name = (string)Evaluate(resource["name"])!;
        var evaluated = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in resource)
        {
            if (key is "copy" or "condition" or "dependsOn")
            {
                continue;
            }

            evaluated[key] = type == "Microsoft.Resources/deployments" && key == "properties"
                ? new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["mode"] = Evaluate(value!["mode"]) }
                : Evaluate(value);
        }

        var scope = evaluated.TryGetValue("scope", out var explicitScope) && explicitScope is string relative
            ? relative.StartsWith('/') ? relative : $"{ScopeId}/providers/{relative}"
            : ScopeId;
        var id = type == "Microsoft.Resources/resourceGroups"
            ? $"/subscriptions/{SubscriptionId}/resourceGroups/{name}"
            : scope + ProviderPath(type, name.Split('/'));
        resources.Add(new ArmResource(type, name, id, (JsonObject)ToJson(evaluated)!));

        if (type == "Microsoft.Resources/deployments")
        {
            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in resource["properties"]!["parameters"]?.AsObject() ?? [])
            {
                // { "value": ... }, { "copy": [...] } for a loop, or an expression that yields either.
                values[key] = value is JsonObject { } declared && declared["value"] is { } literal
                    ? Evaluate(literal)
                    : Evaluate(value).AsDictionary()["value"];
            }

            var childScope = evaluated.TryGetValue("resourceGroup", out var group) && group is string groupName
                ? $"/subscriptions/{SubscriptionId}/resourceGroups/{groupName}"
                : ScopeId;
            var inner = resource["properties"]!["template"]!.AsObject();
            modules[name] = new Lazy<ArmDeployment>(() => new ArmDeployment(name, inner, childScope, values));
        }
    }

    private static string ProviderPath(string type, string[] names)
    {
        var parts = type.Split('/');
        var path = new StringBuilder("/providers/").Append(parts[0]);
        for (var i = 1; i < parts.Length; i++)
        {
            path.Append('/').Append(parts[i]).Append('/').Append(names[i - 1]);
        }

        return path.ToString();
    }

    private object? Variable(string name)
    {
        if (variables.TryGetValue(name, out var known))
        {
            return known;
        }

        var declared = template["variables"]?.AsObject();
        object? value;
        if (declared?[name] is { } node)
        {
            value = Evaluate(node);
        }
        else if (declared?["copy"] is JsonArray loops && loops.FirstOrDefault(l => l!["name"]!.GetValue<string>() == name) is { } loop)
        {
            value = EvaluateLoop(loop!.AsObject());
        }
        else
        {
            throw new InvalidOperationException($"No variable {name} in {Name}");
        }

        variables[name] = value;
        return value;
    }

    private List<object?> EvaluateLoop(JsonObject loop)
    {
        var name = loop["name"]!.GetValue<string>();
        var count = Convert.ToInt64(Evaluate(loop["count"]), CultureInfo.InvariantCulture);
        var items = new List<object?>();
        for (long i = 0; i < count; i++)
        {
            copyIndexes[name] = i;
            items.Add(Evaluate(loop["input"]));
        }

        copyIndexes.Remove(name);
        return items;
    }

    /// <summary>Evaluates a template value: every expression string in it, deeply.</summary>
    private object? Evaluate(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var (key, value) in obj)
                {
                    if (key == "copy" && value is JsonArray loops)
                    {
                        foreach (var loop in loops)
                        {
                            result[loop!["name"]!.GetValue<string>()] = EvaluateLoop(loop.AsObject());
                        }
                    }
                    else
                    {
                        result[ArmExpression.IsExpression(key) ? Text(Evaluate(ArmExpression.Parse(key))) : key] = Evaluate(value);
                    }
                }

                return result;
            case JsonArray array:
                return array.Select(Evaluate).ToList();
            default:
                switch (node.GetValueKind())
                {
                    case JsonValueKind.String:
                        var text = node.GetValue<string>();
                        return ArmExpression.IsExpression(text) ? Evaluate(ArmExpression.Parse(text))
                            : text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text;
                    case JsonValueKind.True:
                        return true;
                    case JsonValueKind.False:
                        return false;
                    case JsonValueKind.Null:
                        return null;
                    default:
                        var digits = node.ToJsonString();
                        return long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                            ? number
                            : (object)double.Parse(digits, CultureInfo.InvariantCulture);
                }
        }
    }

    private object? Evaluate(ArmExpression expression) => expression switch
    {
        ArmExpression.Literal literal => literal.Value,
        ArmExpression.Member member => Access(Evaluate(member.Target), member.Name),
        ArmExpression.Index index => Access(Evaluate(index.Target), Evaluate(index.Key)),
        ArmExpression.Call call => Call(call.Name, call.Arguments),
        _ => throw new NotSupportedException(expression.ToString()),
    };

    private static object? Access(object? target, object? key) => target switch
    {
        Opaque opaque => new Opaque($"{opaque.Text}{(key is string s ? "." + s : $"[{key}]")}"),
        Dictionary<string, object?> obj when key is string name =>
            obj.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No property {name}"),
        List<object?> list => list[Convert.ToInt32(key, CultureInfo.InvariantCulture)],
        _ => throw new InvalidOperationException($"Cannot access {key} of {target}"),
    };

    private object? Call(string name, IReadOnlyList<ArmExpression> arguments)
    {
        // if, and, or evaluate only what they need: a branch not taken may reference what is not deployed.
        switch (name.ToLowerInvariant())
        {
            case "if":
                return Evaluate(arguments[0]) is true ? Evaluate(arguments[1]) : Evaluate(arguments[2]);
            case "and":
                return arguments.All(a => Evaluate(a) is true);
            case "or":
                return arguments.Any(a => Evaluate(a) is true);
            default:
                break;
        }

        var args = arguments.Select(Evaluate).ToList();
        return name.ToLowerInvariant() switch
        {
            "parameters" => parameters.TryGetValue((string)args[0]!, out var p) ? p : throw new InvalidOperationException($"No parameter {args[0]} in {Name}"),
            "variables" => Variable((string)args[0]!),
            "copyindex" => copyIndexes[args.Count > 0 && args[0] is string loop ? loop : ""] + (args.LastOrDefault() is long offset ? offset : 0),
            "not" => args[0] is not true,
            "equals" => Equals(args[0], args[1]),
            "empty" => args[0] switch { null => true, string s => s.Length == 0, List<object?> l => l.Count == 0, Dictionary<string, object?> d => d.Count == 0, _ => false },
            "length" => (long)(args[0] switch { string s => s.Length, List<object?> l => l.Count, Dictionary<string, object?> d => d.Count, _ => throw new InvalidOperationException("length") }),
            "coalesce" => args.FirstOrDefault(a => a is not null),
            "contains" => args[0] switch
            {
                string s => s.Contains(Text(args[1]), StringComparison.Ordinal),
                List<object?> l => l.Any(item => Equals(item, args[1])),
                Dictionary<string, object?> d => d.ContainsKey(Text(args[1])),
                _ => throw new InvalidOperationException("contains"),
            },
            "add" => (long)args[0]! + (long)args[1]!,
            "null" => null,
            "true" => true,
            "false" => false,
            "string" => Text(args[0]),
            "json" => FromJson(JsonNode.Parse(Text(args[0]))),
            "int" => Convert.ToInt64(args[0], CultureInfo.InvariantCulture),
            "tolower" => Text(args[0]).ToLowerInvariant(),
            "toupper" => Text(args[0]).ToUpperInvariant(),
            "take" => args[0] is List<object?> l ? l.Take((int)(long)args[1]!).ToList() : new string(Text(args[0]).Take((int)(long)args[1]!).ToArray()),
            "concat" => args.All(a => a is List<object?>) ? args.SelectMany(a => (List<object?>)a!).ToList() : string.Concat(args.Select(Text)),
            "format" => string.Format(CultureInfo.InvariantCulture, Text(args[0]), [.. args.Skip(1).Select(Text)]),
            "createarray" => args,
            "createobject" => Enumerable.Range(0, args.Count / 2).ToDictionary(i => (string)args[2 * i]!, i => args[(2 * i) + 1], StringComparer.OrdinalIgnoreCase),
            "union" => args.Cast<Dictionary<string, object?>>().SelectMany(d => d).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase),
            "uniquestring" => UniqueString(args),
            "guid" => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', args.Select(Text))))[..16]).ToString(),
            "subscription" => Object(("id", $"/subscriptions/{SubscriptionId}"), ("subscriptionId", SubscriptionId), ("tenantId", TenantId)),
            "tenant" => Object(("tenantId", TenantId)),
            "environment" => Object(("name", "AzureCloud"), ("suffixes", Object(("storage", "core.windows.net")))),
            "resourcegroup" => Object(("id", ScopeId), ("name", ScopeId.Split('/').Last()), ("location", "<resourceGroup().location>")),
            "deployment" => Object(("name", Name)),
            "resourceid" => ResourceId(args),
            "subscriptionresourceid" => SubscriptionResourceId(args),
            "extensionresourceid" => $"{Text(args[0])}{ProviderPath(Text(args[1]), [.. args.Skip(2).Select(Text)])}",
            "reference" => Reference(Text(args[0])),
            // What Azure would refuse the deployment with, before creating anything.
            "fail" => throw new ArmTemplateFailure(Text(args[0])),
            _ => throw new NotSupportedException($"ARM function {name} is not evaluated here"),
        };
    }

    private static Dictionary<string, object?> Object(params (string Key, object? Value)[] properties) =>
        properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    private static string SubscriptionResourceId(List<object?> args)
    {
        var typeAt = args.FindIndex(a => a is string s && s.Contains('/', StringComparison.Ordinal));
        var subscription = typeAt == 1 ? Text(args[0]) : SubscriptionId;
        return $"/subscriptions/{subscription}{ProviderPath(Text(args[typeAt]), [.. args.Skip(typeAt + 1).Select(Text)])}";
    }

    private string ResourceId(List<object?> args)
    {
        var typeAt = args.FindIndex(a => a is string s && s.Contains('/', StringComparison.Ordinal));
        var scope = typeAt switch
        {
            0 => ScopeId,
            1 => $"/subscriptions/{SubscriptionId}/resourceGroups/{Text(args[0])}",
            _ => $"/subscriptions/{Text(args[0])}/resourceGroups/{Text(args[1])}",
        };
        return scope + ProviderPath(Text(args[typeAt]), [.. args.Skip(typeAt + 1).Select(Text)]);
    }

    /// <summary>A module's outputs when the id is a nested deployment's; otherwise a placeholder for the resource's runtime state.</summary>
    private object Reference(string id)
    {
        const string deployments = "/providers/Microsoft.Resources/deployments/";
        var at = id.IndexOf(deployments, StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            var name = id[(at + deployments.Length)..];
            var module = modules.TryGetValue(name, out var m) ? m.Value : throw new InvalidOperationException($"Reference to module {name}, which is not deployed");
            return Object(("outputs", module.Outputs.ToDictionary(o => o.Key, o => (object?)Object(("value", o.Value)), StringComparer.OrdinalIgnoreCase)));
        }

        return new Opaque($"reference({id})");
    }

    private static string UniqueString(List<object?> args)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', args.Select(Text))));
        return new string([.. hash.Take(13).Select(b => alphabet[b % 32])]);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "True" : "False",
        long n => n.ToString(CultureInfo.InvariantCulture),
        Opaque opaque => $"<{opaque.Text}>",
        _ => ToJson(value)!.ToJsonString(),
    };

    private static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => FromJson(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray array => array.Select(FromJson).ToList(),
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => node.GetValue<long>(),
            _ => null,
        },
    };

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long n => JsonValue.Create(n),
        double d => JsonValue.Create(d),
        Opaque opaque => JsonValue.Create($"<{opaque.Text}>"),
        List<object?> list => new JsonArray([.. list.Select(ToJson)]),
        Dictionary<string, object?> obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        _ => throw new InvalidOperationException($"Unexpected value {value}"),
    };

    /// <summary>What only Azure knows at deployment time, named by where it comes from.</summary>
    private sealed record Opaque(string Text);
}

/// <summary>A template's own <c>fail()</c>: the deployment it describes would be refused with this message.</summary>
internal sealed class ArmTemplateFailure(string message) : Exception(message);

/// <summary>One deployed resource: its type, full name, id and evaluated declaration (properties, sku, identity...).</summary>
internal sealed record ArmResource(string Type, string Name, string Id, JsonObject Declaration)
{
    public JsonNode Properties => Declaration["properties"] ?? new JsonObject();
}

internal static class ArmValueExtensions
{
    public static Dictionary<string, object?> AsDictionary(this object? value) =>
        value as Dictionary<string, object?> ?? throw new InvalidOperationException($"{value} is not an object");
}
