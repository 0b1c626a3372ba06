using InnovationZones.Contracts;
using InnovationZones.Storage;
using Microsoft.AspNetCore.Http;

namespace InnovationZones.Api;

/// <summary>
/// What a write request says of its changes (<see cref="ChangeOrigin"/>): its trace id, an optional reason
/// (<c>X-Change-Reason</c>), and who made it, as the platform vouches for it. App Service Authentication
/// (<c>WEBSITE_AUTH_ENABLED=True</c>) removes any <c>X-MS-CLIENT-PRINCIPAL-*</c> header a caller sends and
/// sets its own, so only then are they believed; otherwise the caller is known only to hold a function key.
/// </summary>
public static class ChangeRequests
{
    public const string ReasonHeader = "X-Change-Reason";

    public const int MaxReasonLength = 500;

    /// <summary>What a reason may hold: printable ASCII, as HTTP header values travel safely.</summary>
    public const string ReasonPattern = "^[ -~]*[!-~][ -~]*$";

    public static readonly string ReasonRule = $"'{ReasonHeader}' must be sent once, 1 to {MaxReasonLength} printable ASCII characters on one line, not only spaces.";

    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string PrincipalProviderHeader = "X-MS-CLIENT-PRINCIPAL-IDP";

    /// <summary>Whether App Service Authentication fronts this app, as App Service says in the app's environment.</summary>
    public static bool PlatformAuthentication =>
        string.Equals(Environment.GetEnvironmentVariable("WEBSITE_AUTH_ENABLED"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The request's change origin; a 400 <c>InvalidHeader</c> for a reason that is not one short line.</summary>
    public static ChangeOrigin Read(HttpRequest request) =>
        ChangeOrigin.New(Author(request.Headers, PlatformAuthentication), Reason(request.Headers), request.HttpContext.TraceIdentifier);

    public static string? Reason(IHeaderDictionary headers)
    {
        var values = headers[ReasonHeader];
        if (values.Count == 0)
        {
            return null;
        }

        var reason = values.Count == 1 ? values[0] : null;
        if (reason is null || string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength || reason.Any(c => c is < ' ' or > '~'))
        {
            throw Problems.InvalidHeader(ReasonHeader, ReasonRule);
        }

        return reason.Trim();
    }

    /// <summary>The principal App Service Authentication set, when it fronts the app and set one; else a function-key caller.</summary>
    public static ChangeAuthor Author(IHeaderDictionary headers, bool platformAuthentication)
    {
        if (platformAuthentication && (One(headers, PrincipalIdHeader) ?? One(headers, PrincipalNameHeader)) is not null)
        {
            return new ChangeAuthor("principal", One(headers, PrincipalNameHeader), One(headers, PrincipalIdHeader), One(headers, PrincipalProviderHeader));
        }

        return ChangeAuthor.FunctionKey;
    }

    private static string? One(IHeaderDictionary headers, string name) =>
        headers[name] is { Count: 1 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;
}
