using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Api;

/// <summary>
/// The address a request is answered for, which absolute URLs (nextLink, Link, Location) name:
/// <list type="number">
/// <item><c>Api:PublicBaseUrl</c>, when set (an edge such as Front Door or API Management, or a custom
/// domain the platform does not pass on): its scheme, host and path, whatever the request says.</item>
/// <item>Otherwise the Functions host's view, which it sends to the worker in <c>X-Forwarded-Host</c>,
/// <c>-Proto</c> and <c>-For</c> from the loopback address: the Host the caller used (in Azure the app's
/// host name or custom domain, with https, as the platform's front end passes them to the host). The host
/// sets those headers itself, so a caller's own <c>X-Forwarded-*</c> never reach the app.</item>
/// </list>
/// Forwarded headers are believed from loopback (the host) and from <c>Api:ForwardedHeaders:KnownProxies</c>
/// (addresses) and <c>Api:ForwardedHeaders:KnownNetworks</c> (CIDR ranges), as lists or comma-separated;
/// from any other address they are ignored. The worker's ASP.NET Core integration applies them with these
/// options too; the startup filter applies them first, then the public base URL, on every host.
/// </summary>
public static class ProxyTrust
{
    public const string Section = "Api:ForwardedHeaders";
    public const string PublicBaseUrlSetting = "Api:PublicBaseUrl";

    public static IServiceCollection AddProxyTrust(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>(Configure);
        services.AddSingleton<IStartupFilter, PublicAddressStartupFilter>();
        return services;
    }

    public static void Configure(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);

        // As the worker's integration sets them: every X-Forwarded-* header, through as many trusted hops as there are.
        options.ForwardedHeaders = ForwardedHeaders.All;
        options.ForwardLimit = null;

        // Loopback stays trusted (ASP.NET Core's default): the Functions host forwards every request from there.
        var section = configuration.GetSection(Section);
        foreach (var proxy in List(section.GetSection("KnownProxies")))
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw Invalid($"{Section}:KnownProxies has '{proxy}', which is not an IP address."));
        }

        foreach (var network in List(section.GetSection("KnownNetworks")))
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw Invalid($"{Section}:KnownNetworks has '{network}', which is not a CIDR range such as 10.0.0.0/8."));
        }
    }

    /// <summary><c>Api:PublicBaseUrl</c>: an absolute http or https URL with no query or fragment, or null when unset.</summary>
    public static Uri? PublicBaseUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[PublicBaseUrlSetting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? uri
            : throw new OptionsValidationException(PublicBaseUrlSetting, typeof(Uri),
                [$"{PublicBaseUrlSetting} is '{value}', which is not an absolute http(s) URL such as https://api.example.org (a path is allowed; a query is not)."]);
    }

    private static List<string> List(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        return [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }

    private static OptionsValidationException Invalid(string message) =>
        new(Section, typeof(ForwardedHeadersOptions), [message]);

    /// <summary>
    /// Forwarded headers from trusted proxies, then the configured public base URL, then the rate limits
    /// (<see cref="RateLimits"/>) and response compression (<see cref="Compression"/>), before anything else the app runs.
    /// </summary>
    private sealed class PublicAddressStartupFilter(IConfiguration configuration) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        {
            var publicBaseUrl = PublicBaseUrl(configuration);
            return app =>
            {
                app.UseForwardedHeaders();
                if (publicBaseUrl is not null)
                {
                    var host = HostString.FromUriComponent(publicBaseUrl.Authority);
                    var pathBase = PathString.FromUriComponent(publicBaseUrl.AbsolutePath.TrimEnd('/'));
                    app.Use((context, nextMiddleware) =>
                    {
                        context.Request.Scheme = publicBaseUrl.Scheme;
                        context.Request.Host = host;
                        context.Request.PathBase = pathBase;
                        return nextMiddleware(context);
                    });
                }

                // After the forwarded headers, so that each client, not the host's loopback hop, has its own budget.
                app.UseRateLimits();
                // Around everything the app answers, problems included.
                app.UseCompression();
                next(app);
            };
        }
    }
}
