namespace InnovationZones.DevHost;

/// <summary>
/// The Functions host's hop to the worker: the host forwards every request to the worker's own Kestrel
/// with its own view in <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c> and <c>-Prefix</c> (set, not
/// appended: what a caller sent in those headers never reaches the app) and no <c>Forwarded</c> header.
/// The dev host runs the app in-process, so it rewrites the headers the same way before the app sees them.
/// Registered first, so that it runs before everything the app adds.
/// </summary>
internal sealed class HostHop : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var request = context.Request;
            var headers = request.Headers;
            headers.Remove("Forwarded");
            headers["X-Forwarded-For"] = context.Connection.RemoteIpAddress?.ToString();
            headers["X-Forwarded-Proto"] = request.Scheme;
            headers["X-Forwarded-Host"] = request.Host.Value;
            if (request.PathBase.HasValue)
            {
                headers["X-Forwarded-Prefix"] = request.PathBase.Value;
            }
            else
            {
                headers.Remove("X-Forwarded-Prefix");
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
