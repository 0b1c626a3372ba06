using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using InnovationZones.Api;
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

/// <summary>Checks the key an endpoint's <see cref="HttpFunctionEndpoints.KeyRequirement"/> asks for; 401 problem+json otherwise.</summary>
internal sealed class FunctionKeyMiddleware(RequestDelegate next, FunctionKeys keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<HttpFunctionEndpoints.KeyRequirement>();
        if (requirement is null || keys.Allows(requirement.Level, KeyOf(context.Request)))
        {
            await next(context);
            return;
        }

        var which = requirement.Level == AuthorizationLevel.Function ? "a function key (or the master key)" : "the master key";
        var problem = new ProblemException(StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized",
            $"This endpoint needs {which} in the {FunctionKeys.Header} header or the {FunctionKeys.QueryParameter} query parameter.");
        await ProblemResponses.ToResult(problem, context.Request.Path).ExecuteAsync(context);
    }

    private static string? KeyOf(HttpRequest request) =>
        request.Headers.TryGetValue(FunctionKeys.Header, out var header) && !string.IsNullOrEmpty(header)
            ? header.ToString()
            : request.Query.TryGetValue(FunctionKeys.QueryParameter, out var code) && !string.IsNullOrEmpty(code) ? code.ToString() : null;
}
