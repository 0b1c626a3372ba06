using Microsoft.AspNetCore.Http;
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
