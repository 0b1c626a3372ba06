using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using InnovationZones.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.DevHost;

/// <summary>An HTTP-triggered function: its route (with the host's prefix), methods, key level and method.</summary>
internal sealed record HttpFunction(FunctionInvoker Invoker, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel)
{
    public string Name => Invoker.Name;

    private const string Bindable = "HttpRequest (the trigger), CancellationToken, and route values by parameter name (string, or a type with a TypeConverter from string)";

    public static HttpFunction Create(FunctionDefinition definition, string routePrefix)
    {
        var trigger = definition.Trigger!;

        // As in the Functions host: no route means the function's name; no methods means every method;
        // no authLevel means Function.
        var template = string.IsNullOrWhiteSpace(trigger.Route) ? definition.Name : trigger.Route.Trim('/');
        var route = routePrefix.Length == 0 ? template : routePrefix + "/" + template;
        RoutePattern pattern;
        try
        {
            pattern = RoutePatternFactory.Parse(route);
        }
        catch (RoutePatternException e)
        {
            throw new DevHostException($"Function '{definition.Name}': route '{template}' is not a valid route template: {e.Message}", e);
        }

        var level = AuthorizationLevel.Function;
        if (trigger.AuthLevel is { } authLevel && !Enum.TryParse(authLevel, ignoreCase: true, out level))
        {
            throw new DevHostException($"Function '{definition.Name}': authLevel '{authLevel}' is not one of {string.Join(", ", Enum.GetNames<AuthorizationLevel>())}.");
        }

        var methods = (trigger.Methods ?? []).Select(m => m.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var invoker = FunctionInvoker.Create(definition, p => Bind(p, pattern), Bindable);
        if (invoker.ResultType != typeof(void)
            && !typeof(IResult).IsAssignableFrom(invoker.ResultType)
            && !typeof(IActionResult).IsAssignableFrom(invoker.ResultType)
            && !typeof(IConvertToActionResult).IsAssignableFrom(invoker.ResultType))
        {
            throw new DevHostException(
                $"Function '{definition.Name}' ({definition.EntryPoint}) returns {invoker.ResultType.Name}; the dev host executes IResult and IActionResult (or nothing).");
        }

        return new HttpFunction(invoker, route, methods, level);
    }

    private static Func<InvocationContext, object?>? Bind(ParameterInfo parameter, RoutePattern pattern)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpRequest))
        {
            return c => c.HttpContext!.Request;
        }

        if (type == typeof(CancellationToken))
        {
            return c => c.CancellationToken;
        }

        if (parameter.Name is not { } name || pattern.GetParameter(name) is null)
        {
            return null;
        }

        if (type == typeof(string))
        {
            return c => c.HttpContext!.GetRouteValue(name)?.ToString();
        }

        var converter = TypeDescriptor.GetConverter(type);
        if (!converter.CanConvertFrom(typeof(string)))
        {
            return null;
        }

        // A value that does not convert throws, and the exception becomes the app's problem response,
        // as a failed input conversion does in the worker.
        return c => c.HttpContext!.GetRouteValue(name)?.ToString() is { } value
            ? converter.ConvertFromString(null, CultureInfo.InvariantCulture, value)
            : parameter.HasDefaultValue ? parameter.DefaultValue : null;
    }
}

/// <summary>Maps every HTTP-triggered function onto endpoint routing, as the Functions host maps them.</summary>
internal static class HttpFunctionEndpoints
{
    /// <summary>The key level an endpoint needs when keys are checked (<c>--enable-auth</c>); <paramref name="HostApi"/> for the host's own admin API.</summary>
    public sealed record KeyRequirement(AuthorizationLevel Level, bool HostApi = false);

    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, IEnumerable<HttpFunction> functions)
    {
        var loggers = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>();
        foreach (var function in functions)
        {
            var handler = CreateHandler(function, loggers.CreateLogger("Function." + function.Name));

            // Route precedence (literal segments before parameters before the catch-all) picks the
            // function, whatever order the functions are mapped in.
            var endpoint = function.Methods.Count == 0
                ? endpoints.Map(function.Route, handler)
                : endpoints.MapMethods(function.Route, function.Methods, handler);
            endpoint.WithDisplayName("Function " + function.Name)
                .WithMetadata(new KeyRequirement(function.AuthLevel));
        }
    }

    private static RequestDelegate CreateHandler(HttpFunction function, ILogger logger) => async context =>
    {
        using var logScope = logger.BeginScope(new InvocationScope(function.Name, Guid.NewGuid()));
        try
        {
            var result = await function.Invoker.InvokeAsync(
                context.RequestServices, new InvocationContext(context, null, context.RequestAborted));
            await ExecuteAsync(result, context);
        }
        catch (Exception exception)
        {
            // The same code the worker's middleware runs, so errors answer the same under either host.
            await ProblemResponses.WriteAsync(context, exception, logger);
        }
    };

    /// <summary>Executes what a function returned, as the worker's ASP.NET Core integration does.</summary>
    private static async Task ExecuteAsync(object? result, HttpContext context)
    {
        if (result is IConvertToActionResult convertible)
        {
            result = convertible.Convert();
        }

        switch (result)
        {
            case IResult httpResult:
                await httpResult.ExecuteAsync(context);
                break;
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            default:
                // Nothing returned (void, Task): the response stays as the function left it.
                break;
        }
    }
}
