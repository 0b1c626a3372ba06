using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones.Api;

/// <summary><c>Api__RateLimits__*</c>: the budgets each client gets on one instance.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Api:RateLimits";

    /// <summary><c>Api__RateLimits__Reads__PermitsPerMinute</c>: GET, HEAD and OPTIONS.</summary>
    public RateLimitBudget Reads { get; set; } = new() { PermitsPerMinute = 600 };

    /// <summary><c>Api__RateLimits__Writes__PermitsPerMinute</c>: PUT, PATCH, DELETE and POST.</summary>
    public RateLimitBudget Writes { get; set; } = new() { PermitsPerMinute = 60 };

    /// <summary><c>Api__RateLimits__Exports__PermitsPerMinute</c>: GET v1/export, which reads every table; instead of the read budget.</summary>
    public RateLimitBudget Exports { get; set; } = new() { PermitsPerMinute = 6 };
}

public sealed class RateLimitBudget
{
    /// <summary>Requests a client may make per minute, and at once after a quiet minute; 0 turns the budget off.</summary>
    public int PermitsPerMinute { get; set; }
}

/// <summary>The rate-limit budget a function spends (<see cref="RateBudgetAttribute"/>).</summary>
public enum RateBudget
{
    /// <summary>Reads for GET, HEAD and OPTIONS, writes for anything else: every function that declares nothing.</summary>
    ByMethod,

    /// <summary>The export's own, smaller budget: it reads every table at once.</summary>
    Exports,

    /// <summary>Not limited: the health probe, which the platform's probes must never see throttled into "unhealthy".</summary>
    None,
}

/// <summary>Declares on a function that its requests spend <paramref name="budget"/> rather than their method's (<see cref="RouteTable.BudgetOf"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RateBudgetAttribute(RateBudget budget) : Attribute
{
    public RateBudget Budget { get; } = budget;
}

/// <summary>
/// A token bucket per client and budget (reads, writes, exports): a client may spend its whole minute's budget at
/// once, then gets it back continuously (600 a minute is one every 100 ms), so there is no window edge
/// at which a client gets two budgets back to back, as a fixed window allows. The client is
/// <see cref="ConnectionInfo.RemoteIpAddress"/> after <see cref="ProxyTrust"/> has applied the trusted
/// forwarding chain (never the Functions host's loopback hop); IPv6 clients are counted by their /64,
/// which one subscriber usually holds whole. Over budget: 429 <c>RateLimited</c> with <c>Retry-After</c>
/// and the IETF <c>RateLimit-Policy</c> and <c>RateLimit</c> fields, before the function (and storage) runs.
/// A function may declare another budget (<see cref="RateBudgetAttribute"/>): the export spends its own, the
/// health probe none.
/// </summary>
public static class RateLimits
{
    public const string ReadsPolicy = "reads";
    public const string WritesPolicy = "writes";
    public const string ExportsPolicy = "exports";

    private const string InvocationIdHeader = "x-ms-invocation-id";

    private static readonly object OverBudget = new();

    /// <summary>The budget a request spends, kept where the limiter chose its bucket, for the 429's headers.</summary>
    private static readonly object Spent = new();

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.Reads.PermitsPerMinute >= 0 && o.Writes.PermitsPerMinute >= 0 && o.Exports.PermitsPerMinute >= 0, $"{RateLimitOptions.Section}:*:PermitsPerMinute must be 0 (off) or more.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            var budgets = new Budgets(
                new(ReadsPolicy, options.Reads.PermitsPerMinute),
                new(WritesPolicy, options.Writes.PermitsPerMinute),
                new(ExportsPolicy, options.Exports.PermitsPerMinute));
            return PartitionedRateLimiter.Create<HttpContext, Client>(context => Partition(context, budgets));
        });
        return services;
    }

    /// <summary>
    /// The limiter as middleware, after the forwarded headers. Under the Functions host a request carries
    /// the host's invocation id and the host awaits that invocation: a worker that answered here without
    /// running it would leave the host waiting until the worker gave up on it (5 s) and then dropping the
    /// connection. So there the request only records that it is over budget, and
    /// <see cref="ProblemMiddleware"/> answers the 429 before the function runs; anywhere else
    /// (the dev host) the answer is written here.
    /// </summary>
    public static void UseRateLimits(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<PartitionedRateLimiter<HttpContext>>();
        app.Use(async (context, next) =>
        {
            using var lease = limiter.AttemptAcquire(context);
            if (lease.IsAcquired)
            {
                await next(context);
            }
            else if (context.Request.Headers.ContainsKey(InvocationIdHeader))
            {
                context.Items[OverBudget] = true;
                await next(context);
            }
            else
            {
                await RejectAsync(context);
            }
        });
    }

    /// <summary>Answers 429 if the limiter found this request over budget; true when it did.</summary>
    public static async Task<bool> RejectIfOverBudgetAsync(HttpContext context)
    {
        if (context.Items[OverBudget] is not true)
        {
            return false;
        }

        await RejectAsync(context);
        return true;
    }

    /// <summary>Whether a request spends the write budget (anything but GET, HEAD and OPTIONS).</summary>
    public static bool IsWrite(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    /// <summary>Whole seconds until a drained bucket of <paramref name="permitsPerMinute"/> holds one permit again.</summary>
    public static int SecondsPerPermit(int permitsPerMinute) => Math.Max(1, (int)Math.Ceiling(60.0 / permitsPerMinute));

    private static RateLimitPartition<Client> Partition(HttpContext context, Budgets budgets)
    {
        if (Budget(context.Request, budgets) is not { } budget)
        {
            return RateLimitPartition.GetNoLimiter(default(Client));
        }

        context.Items[Spent] = budget;
        var (policy, permits) = budget;
        var client = new Client(policy, ClientOf(context.Connection.RemoteIpAddress));
        return permits == 0
            ? RateLimitPartition.GetNoLimiter(client)
            : RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = permits,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),

                // The partitioned limiter's own timer replenishes every bucket by the time passed: no timer per client.
                AutoReplenishment = false,
                QueueLimit = 0,
            });
    }

    /// <summary>
    /// The budget a request spends: writes for anything but GET, HEAD and OPTIONS, else the one its function
    /// declares (the export's, or none: null), else reads.
    /// </summary>
    private static Spend? Budget(HttpRequest request, Budgets budgets) =>
        IsWrite(request.Method) ? budgets.Writes
        : RouteTable.BudgetOf(request.Path) switch
        {
            RateBudget.Exports => budgets.Exports,
            RateBudget.None => null,
            _ => budgets.Reads,
        };

    private static IPAddress ClientOf(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private static async Task RejectAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        // Only a request that spends a budget can be over it, and the limiter kept which.
        var (policy, permits) = context.Items[Spent] as Spend ?? throw new UnreachableException("A request with no budget was found over budget.");
        var seconds = SecondsPerPermit(permits);
        var headers = context.Response.Headers;
        headers.CacheControl = CachePolicy.NoStore.CacheControl;
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";q={permits};w=60");
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";r=0;t={seconds}");
        await ProblemResponses.ToResult(Problems.RateLimited(policy.TrimEnd('s'), permits, seconds), context.Request.Path).ExecuteAsync(context);
    }

    private readonly record struct Client(string Policy, IPAddress? Address);

    private sealed record Spend(string Policy, int PermitsPerMinute);

    /// <summary>The three budgets as configured, built once: a request keeps a reference to the one it spends.</summary>
    private sealed record Budgets(Spend Reads, Spend Writes, Spend Exports);
}
