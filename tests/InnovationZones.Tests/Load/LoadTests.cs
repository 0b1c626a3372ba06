using InnovationZones.Aggregates;
using InnovationZones.Benchmarks;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InnovationZones.Tests.Load;

/// <summary>
/// The benchmark's load loop (bench/.../LoadLoop.cs, the same code), small enough for CI: 5 s at
/// concurrency 8 of mixed reads through the dev host over the Beijing data. Figures are the benchmark's
/// to print; this asserts what must hold at any size.
/// </summary>
[Collection(Serial.Name)]
[Trait("Category", Tier.Host)]
public sealed class LoadTests
{
    [Fact]
    public async Task A_mixed_read_load_has_no_errors_hits_every_endpoint_class_and_answers_conditional_gets_with_304()
    {
        await using var server = await ApiServer.StartAsync();
        var run = await server.Services.GetRequiredService<AggregatesRecompute>().RunFullAsync(CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var plan = await LoadPlan.DiscoverAsync(server.Client);

        var result = await LoadLoop.RunAsync(server.Client, plan, TimeSpan.FromSeconds(5), concurrency: 8, maxRequests: 50_000);

        Assert.True(result.Overall.Errors == 0, "Errors: " + string.Join("; ", result.ErrorSamples));
        Assert.True(result.Overall.Requests >= 50, $"{result.Overall.Requests} requests in {result.Elapsed}");
        foreach (var endpointClass in Enum.GetValues<EndpointClass>())
        {
            Assert.True(result.For(endpointClass).Requests > 0, $"No {endpointClass} request was sent.");
        }

        var conditional = result.For(EndpointClass.Conditional);
        Assert.Equal(conditional.Requests, conditional.Statuses.GetValueOrDefault(304));
        Assert.Equal(result.Overall.Requests - conditional.Requests, result.Overall.Statuses.GetValueOrDefault(200));
        Assert.Contains(plan.Of(EndpointClass.Stats), r => r.Path.StartsWith("api/v1/stats/zones/", StringComparison.Ordinal));
        Assert.Contains(plan.Of(EndpointClass.FilteredList), r => r.Path.StartsWith("api/v1/organizations?zone=", StringComparison.Ordinal));
    }
}
