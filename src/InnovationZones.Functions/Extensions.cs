using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using InnovationZones.Aggregates;
using InnovationZones.Api;
using InnovationZones.Import;
using InnovationZones.OpenApi;
using InnovationZones.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnovationZones;

/// <summary>
/// The app's one service registration, used by the Functions worker, the dev host and the tests alike.
/// </summary>
public static class Extensions
{
    public static IServiceCollection AddInnovationZones(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => CreateTableServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<Tables>();
        services.AddSingleton<Paging>();
        services.AddSingleton<DatasetImporter>();
        services.AddSingleton<DirtyScopes>();
        services.AddSingleton<ApiDescription>();
        services.AddSingleton<IAggregateChanges>(sp => sp.GetRequiredService<DirtyScopes>());

        // IResult bodies use the HTTP JSON options and ObjectResult bodies MVC's: both get the API's contract.
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => Json.Configure(o.JsonSerializerOptions));
        services.AddProblemDetails();
        return services;
    }

    /// <summary>
    /// A connection string (Azurite) or an endpoint with a token credential (Azure): configuration alone
    /// decides. Retries and the network timeout are short so that a request fails within the HTTP budget.
    /// </summary>
    public static TableServiceClient CreateTableServiceClient(StorageOptions options, TokenCredential? credential = null)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(options.NetworkTimeoutSeconds);

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
