using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Contracts;
using InnovationZones.Export;
using InnovationZones.Import;
using InnovationZones.Metrics;
using InnovationZones.OpenApi;
using InnovationZones.Organizations;
using InnovationZones.Storage;
using InnovationZones.Writes;
using InnovationZones.Zones;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace InnovationZones;

/// <summary>
/// The app's one service registration, used by the Functions worker, the dev host and the tests alike.
/// </summary>
public static class Extensions
{
    public static IServiceCollection AddInnovationZones(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => CreateTableServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<Tables>();
        services.AddReadCache();
        services.AddSingleton<Paging>();
        services.AddSingleton<DatasetImporter>();
        services.AddSingleton<DatasetExport>();
        services.AddSingleton<DirtyScopes>();
        services.AddSingleton<ApiDescription>();
        services.AddSingleton<IAggregateChanges>(sp => sp.GetRequiredService<DirtyScopes>());
        services.AddSingleton<AggregatesRecompute>();
        services.AddSingleton<CuratedWrites>();
        services.AddSingleton<ZoneResource>();
        services.AddSingleton<OrganizationResource>();
        services.AddSingleton<RelationResource>();
        services.AddSingleton<MetricResource>();

        // IResult bodies use the HTTP JSON options and ObjectResult bodies MVC's: both get the API's contract.
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ApiJson.Configure(o.JsonSerializerOptions));
        services.AddProblemDetails();
        services.AddProxyTrust();
        services.AddRateLimits();
        services.AddCompression();
        return services;
    }

    /// <summary>
    /// The read cache (<see cref="ReadCache"/>): HybridCache over a memory cache of its own, bounded by
    /// <see cref="StorageOptions.ReadCacheMegabytes"/>, with no distributed level (each instance keeps its own).
    /// </summary>
    public static IServiceCollection AddReadCache(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<StorageOptions>>((memory, storage) =>
        {
            memory.SizeLimit = storage.Value.ReadCacheMegabytes * 1024L * 1024L;
            memory.TrackStatistics = true;
        });
        // A page of 1,000 organizations is about 1 MB; the size limit bounds what all entries hold together.
        services.AddHybridCache(options => options.MaximumPayloadBytes = 4 * 1024 * 1024)
            .AddSerializer<CachedRow, CachedRowSerializer>()
            .AddSerializer<CachedPage, CachedPageSerializer>();
        services.AddSingleton<ReadCache>();
        return services;
    }

    /// <summary>
    /// OpenTelemetry for the app's own spans and metrics (<see cref="Telemetry.Name"/>), exported to Azure
    /// Monitor only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set: without it nothing is exported
    /// and nothing is sent. With <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> of
    /// <c>Authorization=AAD[;ClientId=...]</c> (the Functions host's own setting), the exporter signs in with
    /// that managed identity, as Application Insights with local authentication off requires.
    /// </summary>
    public static IOpenTelemetryBuilder AddInnovationZonesTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(Telemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(Telemetry.Name));
        if (configuration[Telemetry.ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            var credential = Telemetry.CredentialFrom(configuration[Telemetry.AuthenticationStringSetting]);
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = credential;
            });
        }

        return builder;
    }

    /// <summary>
    /// A connection string (Azurite) or an endpoint with a token credential (Azure): configuration alone
    /// decides. Retries and the network timeout are short so that a request fails within the HTTP budget
    /// (<see cref="StorageOptions.StorageCallLimit"/>).
    /// A transport, when given, replaces the network (tests).
    /// </summary>
    public static TableServiceClient CreateTableServiceClient(StorageOptions options, TokenCredential? credential = null, HttpPipelineTransport? transport = null)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = StorageOptions.RetryDelay;
        clientOptions.Retry.MaxDelay = StorageOptions.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(options.NetworkTimeoutSeconds);
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new TableServiceClient(options.ConnectionString, clientOptions);
        }

        if (options.TableServiceUri is { } endpoint)
        {
            credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ClientId });
            return new TableServiceClient(endpoint, credential, clientOptions);
        }

        throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
            ["Set Storage__ConnectionString (Azurite, local) or Storage__TableServiceUri (Azure, managed identity)."]);
    }
}
