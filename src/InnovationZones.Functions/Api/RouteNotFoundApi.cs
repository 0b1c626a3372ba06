using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.Api;

/// <summary>
/// Any other path under api/: a 404 problem response rather than an empty 404. Literal routes take
/// precedence over this catch-all in the Functions host and in the dev host alike.
/// </summary>
public sealed class RouteNotFoundApi
{
    [Function(nameof(RouteNotFound))]
    public IResult RouteNotFound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "{*path}")] HttpRequest request) =>
        throw Problems.RouteNotFound(request.Method);
}
