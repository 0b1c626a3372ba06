using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Api;

/// <summary>
/// Any other request under api/ that reaches the app: a 405 problem with <c>Allow</c> when a function
/// answers the path with other methods, else a 404 problem, rather than an empty 404. Literal routes take
/// precedence over this catch-all in the Functions host and in the dev host alike, so it only sees a method
/// that no function declares for the path, or a path no function has. Methods it does not declare either
/// (HEAD, OPTIONS, TRACE) are the host's: a 404 with no body, before the app runs.
/// </summary>
public sealed class RouteNotFoundApi
{
    [Function(nameof(RouteNotFound))]
    public IResult RouteNotFound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "{*path}")] HttpRequest request) =>
        RouteTable.Allowed(request.Path) is { Count: > 0 } allowed
            ? throw Problems.MethodNotAllowed(request.Method, allowed)
            : throw Problems.RouteNotFound(request.Method);
}

/// <summary>
/// The app's HTTP routes as its functions declare them (<c>[HttpTrigger]</c>: route template and methods),
/// under the host's route prefix: which methods answer a path.
/// </summary>
public static class RouteTable
{
    /// <summary>host.json's <c>extensions.http.routePrefix</c>.</summary>
    public const string RoutePrefix = "api";

    private static readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, string[] Methods)>> Routes = new(Load);

    /// <summary>The methods the functions declare for routes matching <paramref name="path"/>, upper case and sorted; empty when none matches.</summary>
    public static IReadOnlyList<string> Allowed(PathString path)
    {
        if (!path.StartsWithSegments("/" + RoutePrefix, StringComparison.OrdinalIgnoreCase, out var rest))
        {
            return [];
        }

        var relative = rest.HasValue ? rest.Value! : "/";
        return [.. Routes.Value
            .Where(r => r.Matcher.TryMatch(relative, []))
            .SelectMany(r => r.Methods)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    private static List<(TemplateMatcher, string[])> Load() =>
    [
        .. from type in typeof(RouteTable).Assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
           where method.GetCustomAttribute<FunctionAttribute>() is { Name: not nameof(RouteNotFoundApi.RouteNotFound) }
           let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
           where trigger is not null
           select (new TemplateMatcher(TemplateParser.Parse(trigger.Route ?? method.GetCustomAttribute<FunctionAttribute>()!.Name), []),
                   (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray()),
    ];
}
