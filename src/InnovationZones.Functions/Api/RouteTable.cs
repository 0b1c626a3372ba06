using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Api;

/// <summary>
/// An HTTP function as its attributes declare it: <c>[Function]</c> names it, <c>[HttpTrigger]</c> gives its
/// route template (under the host's route prefix), methods and authorization level, and
/// <see cref="RateBudgetAttribute"/> the rate-limit budget it spends when not the one its method implies.
/// </summary>
public sealed record HttpRoute(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo Method, RateBudget Budget)
{
    private readonly TemplateMatcher matcher = new(TemplateParser.Parse(Route), []);

    /// <summary>Whether <paramref name="relativePath"/> (the path after the route prefix, with its leading slash) is this route's.</summary>
    public bool Matches(string relativePath) => matcher.TryMatch(relativePath, []);
}

/// <summary>
/// The app's HTTP functions, read once from their attributes: what the OpenAPI document describes, which
/// methods answer a path (<see cref="RouteNotFoundApi"/>), and which budget a request spends
/// (<see cref="RateLimits"/>). The hosts route by the same attributes (through <c>functions.metadata</c>).
/// </summary>
public static class RouteTable
{
    /// <summary>host.json's <c>extensions.http.routePrefix</c>.</summary>
    public const string RoutePrefix = "api";

    private static readonly Lazy<IReadOnlyList<HttpRoute>> App = new(() => In(typeof(RouteTable).Assembly));

    /// <summary>Routes that spend another budget than their method's: few, so a request looks only at these.</summary>
    private static readonly Lazy<IReadOnlyList<HttpRoute>> Budgeted = new(() => [.. App.Value.Where(r => r.Budget != RateBudget.ByMethod)]);

    /// <summary>This app's HTTP functions, the catch-all <see cref="RouteNotFoundApi"/> included.</summary>
    public static IReadOnlyList<HttpRoute> All => App.Value;

    /// <summary>The HTTP functions declared in <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<HttpRoute> In(Assembly assembly) =>
    [
        .. from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
           where function is not null && trigger is not null
           select new HttpRoute(
               function.Name,
               trigger.Route ?? function.Name,
               [.. (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
               trigger.AuthLevel,
               method,
               method.GetCustomAttribute<RateBudgetAttribute>()?.Budget ?? RateBudget.ByMethod),
    ];

    /// <summary>The methods the functions declare for routes matching <paramref name="path"/>, upper case and sorted; empty when none matches.</summary>
    public static IReadOnlyList<string> Allowed(PathString path) =>
        Relative(path) is { } relative
            ? [.. All
                .Where(r => r.Name != nameof(RouteNotFoundApi.RouteNotFound) && r.Matches(relative))
                .SelectMany(r => r.Methods)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The budget the function at <paramref name="path"/> declares, or <see cref="RateBudget.ByMethod"/>.</summary>
    public static RateBudget BudgetOf(PathString path) =>
        Relative(path) is { } relative && Budgeted.Value.FirstOrDefault(r => r.Matches(relative)) is { } route ? route.Budget : RateBudget.ByMethod;

    private static string? Relative(PathString path) =>
        path.StartsWithSegments("/" + RoutePrefix, StringComparison.OrdinalIgnoreCase, out var rest)
            ? rest.HasValue ? rest.Value! : "/"
            : null;
}
