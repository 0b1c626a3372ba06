using Microsoft.AspNetCore.Cors.Infrastructure;

namespace InnovationZones.DevHost;

/// <summary>
/// CORS as <c>func start</c> applies it: the origins in <c>local.settings.json</c> "Host.CORS"
/// (comma-separated, or <c>*</c> for any), every method and header, and credentials when
/// "Host.CORSCredentials" is true. In Azure the platform applies the function app's
/// <c>siteConfig.cors</c> (allowedOrigins, supportCredentials) the same way, before the app sees a request.
/// Without "Host.CORS" there is no CORS at all: browsers on other origins are refused.
/// </summary>
internal static class DevHostCors
{
    public const string Section = "Host";
    public const string OriginsSetting = "CORS";
    public const string CredentialsSetting = "CORSCredentials";

    /// <summary>The policy <c>Host:CORS</c> and <c>Host:CORSCredentials</c> ask for, or null when CORS is off.</summary>
    public static CorsPolicy? PolicyFrom(IConfiguration configuration)
    {
        var origins = (configuration[Section + ":" + OriginsSetting] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (origins.Length == 0)
        {
            return null;
        }

        var credentialsSetting = configuration[Section + ":" + CredentialsSetting];
        var credentials = false;
        if (!string.IsNullOrEmpty(credentialsSetting) && !bool.TryParse(credentialsSetting, out credentials))
        {
            throw new DevHostException($"Host.CORSCredentials in local.settings.json must be true or false, not '{credentialsSetting}'.");
        }

        var builder = new CorsPolicyBuilder().AllowAnyMethod().AllowAnyHeader();
        if (origins.Contains("*"))
        {
            if (credentials)
            {
                throw new DevHostException("Host.CORS is \"*\" and Host.CORSCredentials is true: browsers refuse credentials for any origin. Name the origins instead.");
            }

            builder.AllowAnyOrigin();
        }
        else
        {
            foreach (var origin in origins)
            {
                if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
                {
                    throw new DevHostException($"Host.CORS has '{origin}', which is not an origin such as http://localhost:5173.");
                }
            }

            builder.WithOrigins(origins);
            if (credentials)
            {
                builder.AllowCredentials();
            }
        }

        return builder.Build();
    }
}
