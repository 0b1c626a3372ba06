using InnovationZones.Aggregates;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using InnovationZones.DevHost;
using InnovationZones.Domain;
using InnovationZones.Import;
using InnovationZones.Tests.DevHost;
using InnovationZones.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace InnovationZones.Tests.Telemetry;

/// <summary>OpenTelemetry: exported only with a connection string; a span and metrics for each import; logs scoped by invocation.</summary>
[Collection(Serial.Name)]
[Trait("Category", Tier.Storage)]
public sealed class TelemetryTests
{
    [Fact]
    public void WithoutAConnectionStringNoExporterIsRegistered()
    {
        var services = new ServiceCollection();
        services.AddInnovationZonesTelemetry(new ConfigurationBuilder().Build());
        Assert.Empty(AzureMonitorServices(services));
        Assert.NotEmpty(services);
    }

    [Fact]
    public void WithAConnectionStringTheAzureMonitorExporterIsRegistered()
    {
        var services = new ServiceCollection();
        services.AddInnovationZonesTelemetry(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        }).Build());
        Assert.NotEmpty(AzureMonitorServices(services));
    }

    [Fact]
    public void TheWorkersRegistrationBuildsAndListensToTheAppsSourceAndMeter()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInnovationZonesTelemetry(new ConfigurationBuilder().Build()).UseFunctionsWorkerDefaults();
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<TracerProvider>());
        Assert.NotNull(provider.GetRequiredService<MeterProvider>());
        Assert.True(InnovationZones.Telemetry.Source.HasListeners());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("Authorization=Key", false)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555", true)]
    public void AnAadAuthenticationStringSignsInWithAManagedIdentity(string? authenticationString, bool expected) =>
        Assert.Equal(expected, InnovationZones.Telemetry.CredentialFrom(authenticationString) is not null);

    [Fact]
    public async Task EachImportHasASpanAndRecordsItsCountsAndDuration()
    {
        using var capture = new Capture();
        var tables = AzuriteFixture.NewTables();
        try
        {
            var importer = new DatasetImporter(tables, new DirtyScopes(tables, TimeProvider.System), NullLogger<DatasetImporter>.Instance);
            var report = await importer.ImportFileAsync(ApiServer.BeijingDataset);

            var span = Assert.Single(capture.Spans);
            Assert.Equal("import", span.OperationName);
            Assert.Equal(InnovationZones.Telemetry.Name, span.Source.Name);
            Assert.Equal(report.Created, span.GetTagItem("innovationzones.import.created"));
            Assert.Equal("succeeded", span.GetTagItem("innovationzones.import.outcome"));
            Assert.True(report.Created > 20, $"{report.Created} created");

            Assert.Equal(report.Created, capture.Sum(DatasetImporter.EntitiesMetric, "outcome", "created"));
            Assert.Equal(report.Counts["zones"].Created, capture.Sum(DatasetImporter.EntitiesMetric, "kind", "zones"));
            Assert.Equal(0, capture.Sum(DatasetImporter.EntitiesMetric, "outcome", "unchanged"));
            Assert.Single(capture.Measurements, m => m.Instrument == DatasetImporter.DurationMetric && m.Tags["outcome"] == "succeeded" && m.Value > 0);

            var again = await importer.ImportFileAsync(ApiServer.BeijingDataset);
            Assert.Equal(again.Unchanged, capture.Sum(DatasetImporter.EntitiesMetric, "outcome", "unchanged"));
            Assert.Equal(2, capture.Spans.Count);
        }
        finally
        {
            await tables.DeleteAllAsync();
        }
    }

    [Fact]
    public async Task AnInvalidImportEndsItsSpanInError()
    {
        using var capture = new Capture();
        var tables = AzuriteFixture.NewTables();
        var importer = new DatasetImporter(tables, new DirtyScopes(tables, TimeProvider.System), NullLogger<DatasetImporter>.Instance);
        var invalid = new Dataset(Zones: [GeneratedData.CityWithOrganizations("c", "z", 0).Zones![0] with { CityId = "nowhere" }]);

        await Assert.ThrowsAsync<DatasetInvalidException>(() => importer.ImportAsync(invalid));

        var span = Assert.Single(capture.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("invalid", span.GetTagItem("innovationzones.import.outcome"));
        Assert.Single(capture.Measurements, m => m.Instrument == DatasetImporter.DurationMetric && m.Tags["outcome"] == "invalid");
        Assert.Equal(0, capture.Sum(DatasetImporter.EntitiesMetric, "outcome", "created"));
    }

    [Fact]
    public async Task TheDevHostScopesAFunctionsLogsWithItsInvocationIdAsTheWorkerDoes()
    {
        using var metadata = new TestMetadata(TestMetadata.Http("Crash", "TestHttpFunctions.Crash", "test/crash"));
        await using var server = await ApiServer.StartAsync(loadBeijing: false, configure: o => o.MetadataPath = metadata.Path);
        using var logs = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        using (await server.Client.GetAsync("api/test/crash"))
        {
        }

        using (await server.Client.GetAsync("api/test/crash"))
        {
        }

        var first = await logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Scopes.ContainsKey("AzureFunctions_InvocationId"));
        var second = await logs.WaitForAsync(e => e.Level == LogLevel.Error && e.Scopes.ContainsKey("AzureFunctions_InvocationId"));
        Assert.Equal("Crash", first.Scopes["AzureFunctions_FunctionName"]);
        Assert.True(Guid.TryParse(first.Scopes["AzureFunctions_InvocationId"]?.ToString(), out _));
        Assert.NotEqual(first.Scopes["AzureFunctions_InvocationId"], second.Scopes["AzureFunctions_InvocationId"]);
    }

    private static List<ServiceDescriptor> AzureMonitorServices(ServiceCollection services) =>
        [.. services.Where(d => Types(d).Any(t => t.Namespace?.StartsWith("Azure.Monitor", StringComparison.Ordinal) == true))];

    private static List<Type> Types(ServiceDescriptor descriptor)
    {
        var types = new List<Type> { descriptor.ServiceType };
        types.AddRange(descriptor.ServiceType.GenericTypeArguments);
        if (descriptor.ImplementationType is { } implementation)
        {
            types.Add(implementation);
        }

        if (descriptor.ImplementationFactory?.Method.DeclaringType is { } factory)
        {
            types.Add(factory);
        }

        if (descriptor.ImplementationInstance is { } instance)
        {
            types.Add(instance.GetType());
            types.AddRange(instance.GetType().GenericTypeArguments);
        }

        return types;
    }

    /// <summary>The app's spans and measurements made within one trace (this test's), whatever other tests do meanwhile.</summary>
    private sealed class Capture : IDisposable
    {
        private static readonly ActivitySource TestSource = new("InnovationZones.Tests.Telemetry");

        private readonly Activity parent;
        private readonly ActivityTraceId traceId;
        private readonly ActivityListener activities;
        private readonly MeterListener meters = new();
        private readonly List<Activity> spans = [];
        private readonly List<Measurement> measurements = [];

        public Capture()
        {
            activities = new ActivityListener
            {
                ShouldListenTo = s => s.Name is InnovationZones.Telemetry.Name or "InnovationZones.Tests.Telemetry",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if (a.Source.Name == InnovationZones.Telemetry.Name && a.TraceId == traceId)
                    {
                        lock (spans)
                        {
                            spans.Add(a);
                        }
                    }
                },
            };
            ActivitySource.AddActivityListener(activities);
            meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == InnovationZones.Telemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
            meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
            meters.Start();

            // A trace of this test's own: what the code under test does within it is this test's.
            parent = TestSource.StartActivity("test") ?? throw new InvalidOperationException("The test's activity was not sampled.");
            traceId = parent.TraceId;
        }

        public sealed record Measurement(string Instrument, double Value, Dictionary<string, string?> Tags);

        public List<Activity> Spans
        {
            get
            {
                lock (spans)
                {
                    return [.. spans];
                }
            }
        }

        public List<Measurement> Measurements
        {
            get
            {
                lock (measurements)
                {
                    return [.. measurements];
                }
            }
        }

        public long Sum(string instrument, string tag, string value) =>
            (long)Measurements.Where(m => m.Instrument == instrument && m.Tags.GetValueOrDefault(tag) == value).Sum(m => m.Value);

        public void Dispose()
        {
            parent.Dispose();
            meters.Dispose();
            activities.Dispose();
        }

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            // Measurements are recorded on the importer's own flow, inside its span: keep this test's only.
            if (Activity.Current?.TraceId != traceId)
            {
                return;
            }

            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            lock (measurements)
            {
                measurements.Add(new Measurement(instrument.Name, value, copy));
            }
        }
    }
}
