using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;

namespace InnovationZones.DevHost;

/// <summary>
/// The keys <c>--enable-auth</c> checks, like <c>func start --enableAuth</c>: one function key (a host key:
/// it opens every Function-level function) and the master key (it opens everything). From configuration
/// (<c>DevHost:FunctionKey</c>, <c>DevHost:MasterKey</c>) or generated at start; never stored.
/// </summary>
internal sealed class FunctionKeys(string functionKey, string masterKey)
{
    public const string Header = "x-functions-key";
    public const string QueryParameter = "code";

    public string FunctionKey { get; } = functionKey;

    public string MasterKey { get; } = masterKey;

    public static FunctionKeys FromConfiguration(IConfiguration configuration) => new(
        configuration["DevHost:FunctionKey"] is { Length: > 0 } function ? function : NewKey(),
        configuration["DevHost:MasterKey"] is { Length: > 0 } master ? master : NewKey());

    /// <summary>
    /// Anonymous is open; Function takes the function key or the master key; every other level (Admin,
    /// System, User: the dev host has no other identities) takes the master key.
    /// </summary>
    public bool Allows(AuthorizationLevel level, string? key) => level switch
    {
        AuthorizationLevel.Anonymous => true,
        _ when key is null => false,
        AuthorizationLevel.Function => Matches(key, FunctionKey) || Matches(key, MasterKey),
        _ => Matches(key, MasterKey),
    };

    private static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// Checks the key an endpoint's <see cref="HttpFunctionEndpoints.KeyRequirement"/> asks for, answering as the
/// Functions host does, before the app runs and with no body: a function without the key it needs is a 401;
/// the host's admin API is a 401 with <c>WWW-Authenticate: Bearer</c> without a key it knows, and a 403 for a
/// function key.
/// </summary>
internal sealed class FunctionKeyMiddleware(RequestDelegate next, FunctionKeys keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<HttpFunctionEndpoints.KeyRequirement>();
        var key = KeyOf(context.Request);
        if (requirement is null || keys.Allows(requirement.Level, key))
        {
            await next(context);
            return;
        }

        if (!requirement.HostApi)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        else if (key is not null && keys.Allows(AuthorizationLevel.Function, key))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
    }

    private static string? KeyOf(HttpRequest request) =>
        request.Headers.TryGetValue(FunctionKeys.Header, out var header) && !string.IsNullOrEmpty(header)
            ? header.ToString()
            : request.Query.TryGetValue(FunctionKeys.QueryParameter, out var code) && !string.IsNullOrEmpty(code) ? code.ToString() : null;
}
