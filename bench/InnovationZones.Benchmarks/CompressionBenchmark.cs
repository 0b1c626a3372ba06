using System.Globalization;

namespace InnovationZones.Benchmarks;

/// <summary>
/// What compression costs and saves on a 1,000-item page: <c>GET v1/organizations?maxpagesize=1000</c> through
/// the dev host, as JSON and as CSV, without <c>Accept-Encoding</c>, with gzip and with Brotli: the bytes on
/// the wire, and the time from request to the last byte on loopback (sequential requests, so the time is one
/// request's, compression included). The time at 10 Mbit/s adds the transfer of those bytes at that rate.
/// </summary>
internal static class CompressionBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var organizations = Bench.Int(args, "--organizations", 1_000);
        var requests = Bench.Int(args, "--requests", 200);
        var root = Bench.RepositoryRoot();
        await using var azurite = await LocalAzurite.StartAsync(root);
        var prefix = Bench.DataPrefix(organizations);
        await Bench.LoadAsync(azurite.Port, prefix, organizations);
        await using var dev = await Bench.StartDevHostAsync(azurite.Port, prefix);
        using var client = Bench.Client(Bench.BaseAddress(dev));

        const string page = "api/v1/organizations?maxpagesize=1000";
        var rows = new List<IReadOnlyList<string>>();
        foreach (var accept in new[] { "application/json", "text/csv" })
        {
            long? identityBytes = null;
            foreach (var encoding in new[] { "", "gzip", "br" })
            {
                async Task<(long Bytes, int Items)> GetAsync()
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, page);
                    request.Headers.TryAddWithoutValidation("Accept", accept);
                    if (encoding.Length > 0)
                    {
                        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
                    }

                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode || string.Join(",", response.Content.Headers.ContentEncoding) != encoding)
                    {
                        throw new InvalidOperationException($"{page} ({accept}, {encoding}): {(int)response.StatusCode}, encoding '{string.Join(",", response.Content.Headers.ContentEncoding)}'");
                    }

                    return (body.LongLength, encoding.Length == 0 ? Items(body, accept) : 0);
                }

                var (bytes, items) = await GetAsync();
                for (var i = 0; i < 20; i++)
                {
                    await GetAsync();
                }

                var ms = new List<double>();
                for (var i = 0; i < requests; i++)
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await GetAsync();
                    ms.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                identityBytes ??= bytes;
                var latency = Latencies.From(ms);
                rows.Add([
                    accept + (items > 0 ? $" ({items:N0} items)" : ""),
                    encoding.Length == 0 ? "none" : encoding,
                    bytes.ToString("N0", CultureInfo.InvariantCulture),
                    Bench.Ratio((double)bytes / identityBytes.Value),
                    Bench.Ms(latency.P50),
                    Bench.Ms(latency.P99),
                    Bench.Ms(latency.P50 + (bytes * 8 / 10_000_000.0 * 1000)),
                ]);
            }
        }

        output.WriteLine($"### Compression: a 1,000-item page ({organizations:N0} organizations, {requests} sequential requests each)");
        output.WriteLine();
        Bench.Table(output, ["Body", "Accept-Encoding", "Bytes on the wire", "Of uncompressed", "p50 (loopback)", "p99 (loopback)", "p50 + transfer at 10 Mbit/s"], rows);
        return 0;
    }

    private static int Items(byte[] body, string accept) =>
        accept == "text/csv"
            ? body.Count(b => b == (byte)'\n') - 1
            : System.Text.Json.Nodes.JsonNode.Parse(body)!["value"]!.AsArray().Count;
}
