using System.Net;
using System.Net.Sockets;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.EndToEnd;

/// <summary>
/// The per-client budgets, on either host: under the real one every request reaches the worker from the
/// host's loopback hop, so these pass only if the limiter counts the caller the host forwards for.
/// The tests share budgets (so one real host serves them) and each has client addresses of its own: a
/// bucket is per client. 120 reads a minute is a permit every half second, 2 writes one every 30.
/// </summary>
[Trait("Category", Tier.Host)]
[Trait("Category", TestHost.EndToEnd)]
public sealed class RateLimitTests
{
    private const string Reads = "Api:RateLimits:Reads:PermitsPerMinute";
    private const string Writes = "Api:RateLimits:Writes:PermitsPerMinute";
    private const int ReadBudget = 120;

    [Fact]
    public async Task ReadsOverTheBudgetAre429WithRetryAfterAndTheRateLimitFields()
    {
        await using var server = await StartAsync(reads: ReadBudget, writes: 2);
        using var client = ClientFrom(server, "127.0.0.4");
        var (served, limited) = await SpendAsync(client, "api/v1/zones");
        using (limited)
        {
            // The whole budget at once, plus the permits that came back while it was being spent.
            Assert.InRange(served, ReadBudget, ReadBudget + 20);
            var problem = await HttpAssert.ProblemAsync(limited, 429, "RateLimited");
            Assert.Equal("/api/v1/zones", problem["instance"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
            Assert.Equal("\"reads\";q=120;w=60", string.Join(",", limited.Headers.GetValues("RateLimit-Policy")));
            Assert.Equal("\"reads\";r=0;t=1", string.Join(",", limited.Headers.GetValues("RateLimit")));
            Assert.Equal("no-store", limited.Headers.CacheControl?.ToString());
        }

        // The platform's health probe is never throttled.
        using var health = await client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task WritesHaveABudgetOfTheirOwn()
    {
        await using var server = await StartAsync(reads: ReadBudget, writes: 2);
        using var client = ClientFrom(server, "127.0.0.5");
        var (_, drained) = await SpendAsync(client, "api/v1/zones");
        using (drained)
        {
            await HttpAssert.ProblemAsync(drained, 429, "RateLimited");
        }

        // Reads are spent; writes are not. A DELETE of nothing spends a write all the same.
        for (var i = 0; i < 2; i++)
        {
            using var write = await client.DeleteAsync("api/v1/zones/atlantis");
            await HttpAssert.ProblemAsync(write, 404, "ZoneNotFound");
        }

        using var limited = await client.DeleteAsync("api/v1/zones/atlantis");
        await HttpAssert.ProblemAsync(limited, 429, "RateLimited");
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("\"writes\";q=2;w=60", string.Join(",", limited.Headers.GetValues("RateLimit-Policy")));
    }

    [Fact]
    public async Task ASpentBudgetRefillsAtItsRate()
    {
        await using var server = await StartAsync(reads: ReadBudget, writes: 2);
        using var client = ClientFrom(server, "127.0.0.6");
        var (_, limited) = await SpendAsync(client, "api/v1/cities");
        using (limited)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var refilled = await client.GetAsync("api/v1/cities");
        Assert.Equal(HttpStatusCode.OK, refilled.StatusCode);
    }

    [Fact]
    public async Task AClientFloodingDoesNotSpendAnotherClientsBudget()
    {
        await using var server = await StartAsync(reads: ReadBudget, writes: 2);
        using var flooding = ClientFrom(server, "127.0.0.2");
        using var other = ClientFrom(server, "127.0.0.3");
        var (served, limited) = await SpendAsync(flooding, "api/v1/zones");
        using (limited)
        {
            Assert.InRange(served, ReadBudget, ReadBudget + 60);
            await HttpAssert.ProblemAsync(limited, 429, "RateLimited");
        }

        // A forwarded header of the caller's own does not buy a fresh budget: the host sets its own. A permit
        // comes back every half second, so a slow machine may serve one or two; a fresh budget would serve all.
        var servedSpoofed = 0;
        for (var i = 0; i < 10; i++)
        {
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, "api/v1/zones");
            spoofed.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var response = await flooding.SendAsync(spoofed);
            servedSpoofed += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.InRange(servedSpoofed, 0, 5);

        for (var i = 0; i < ReadBudget; i++)
        {
            using var response = await other.GetAsync("api/v1/zones");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ABudgetOfZeroIsOff()
    {
        await using var server = await StartAsync(reads: 0, writes: 2);
        using var client = ClientFrom(server, "127.0.0.7");
        for (var i = 0; i < 50; i++)
        {
            using var response = await client.GetAsync("api/v1/cities");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>GETs until the first that is not a 200; how many were, and that one.</summary>
    private static async Task<(int Served, HttpResponseMessage First)> SpendAsync(HttpClient client, string path)
    {
        for (var served = 0; served < 1000; served++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (served, response);
            }

            response.Dispose();
        }

        throw new Xunit.Sdk.XunitException($"1000 GETs of {path} and no 429");
    }

    private static Task<ApiServer> StartAsync(int reads, int writes) =>
        ApiServer.StartAsync(configure: o =>
        {
            o.Settings[Reads] = reads.ToString(System.Globalization.CultureInfo.InvariantCulture);
            o.Settings[Writes] = writes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.x.y.z is loopback on Linux).</summary>
    private static HttpClient ClientFrom(ApiServer server, string localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = server.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }
}
