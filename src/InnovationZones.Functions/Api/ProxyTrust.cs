using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Api;

/// <summary>
/// Which proxies are believed when they say, in <c>X-Forwarded-Host</c>, <c>-Proto</c>, <c>-For</c> and
/// <c>-Prefix</c>, where a request really came from, so that nextLink and Link name the address the caller
/// used. In Azure the Functions host forwards each request to the worker from the loopback address with
/// those headers, and the worker's ASP.NET Core integration applies them (UseForwardedHeaders) with these
/// options; the dev host does the same. Without settings only loopback is trusted (ASP.NET Core's default);
/// <c>Api:ForwardedHeaders:KnownProxies</c> (addresses) and <c>Api:ForwardedHeaders:KnownNetworks</c> (CIDR
/// ranges), as lists or comma-separated, replace that. Headers from any other address are ignored.
/// </summary>
public static class ProxyTrust
{
    public const string Section = "Api:ForwardedHeaders";

    public static IServiceCollection AddProxyTrust(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>(Configure);
        return services;
    }

    public static void Configure(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);

        // As the worker's integration sets them: every X-Forwarded-* header, through as many trusted hops as there are.
        options.ForwardedHeaders = ForwardedHeaders.All;
        options.ForwardLimit = null;

        var section = configuration.GetSection(Section);
        var proxies = List(section.GetSection("KnownProxies"));
        var networks = List(section.GetSection("KnownNetworks"));
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return;
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw Invalid($"{Section}:KnownProxies has '{proxy}', which is not an IP address."));
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw Invalid($"{Section}:KnownNetworks has '{network}', which is not a CIDR range such as 10.0.0.0/8."));
        }
    }

    private static List<string> List(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        return [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }

    private static OptionsValidationException Invalid(string message) =>
        new(Section, typeof(ForwardedHeadersOptions), [message]);
}
