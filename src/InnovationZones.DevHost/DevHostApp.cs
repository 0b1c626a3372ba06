using InnovationZones;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InnovationZones.DevHost;

/// <summary>
/// Builds the dev host: the function app's own service registration, every HTTP trigger in
/// <c>functions.metadata</c> on endpoint routing under <c>host.json</c>'s route prefix, a background service
/// per timer trigger, the admin API, and (with <see cref="DevHostOptions.EnableAuth"/>) key checks; CORS from
/// <c>local.settings.json</c>'s Host section, and the host's hop to the worker (<see cref="HostHop"/>).
/// </summary>
public static class DevHostApp
{
    /// <summary>
    /// Configured, not started: no Azurite, no data. Configuration, lowest first: <c>local.settings.json</c>
    /// "Values" beside host.json (as <c>func start</c> reads them), the ASP.NET Core defaults (appsettings,
    /// environment variables, <paramref name="args"/>), then <see cref="DevHostOptions.Settings"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A file is missing or a function cannot be hosted; the message says which and why.</exception>
    public static WebApplication Build(DevHostOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var metadataPath = Path.GetFullPath(options.MetadataPath ?? Path.Combine(AppContext.BaseDirectory, "functions.metadata"));
        var hostJsonPath = Path.GetFullPath(options.HostJsonPath ?? Path.Combine(AppContext.BaseDirectory, "host.json"));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ApplicationName = typeof(DevHostApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = EnvironmentName(),
        });

        var localSettingsPath = Path.Combine(Path.GetDirectoryName(hostJsonPath)!, "local.settings.json");
        var localSettings = HostFiles.ReadLocalSettingsValues(localSettingsPath);
        foreach (var (key, value) in HostFiles.ReadLocalSettingsHost(localSettingsPath))
        {
            localSettings[key] = value;
        }

        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = localSettings });
        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.WebHost.UseUrls(options.Urls);

        var catalog = FunctionCatalog.Load(metadataPath, hostJsonPath, builder.Configuration);

        builder.Services.AddSingleton<IStartupFilter, HostHop>();
        builder.Services.AddInnovationZones();
        builder.Services.AddInnovationZonesTelemetry(builder.Configuration);
        builder.Services.AddMvcCore();
        var cors = DevHostCors.PolicyFrom(builder.Configuration);
        if (cors is not null)
        {
            builder.Services.AddCors(o => o.AddDefaultPolicy(cors));
        }

        if (options.TimeProvider is { } time)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(time));
        }

        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(FunctionKeys.FromConfiguration(builder.Configuration));
        foreach (var timer in catalog.Timers)
        {
            builder.Services.AddKeyedSingleton(timer.Name, (services, _) => ActivatorUtilities.CreateInstance<TimerTriggerService>(services, timer));
            builder.Services.AddSingleton<IHostedService>(services => services.GetRequiredKeyedService<TimerTriggerService>(timer.Name));
        }

        var app = builder.Build();

        if (cors is not null)
        {
            // Before routing, as the host's CORS is: preflights are answered for every route.
            app.UseCors();
        }

        app.UseRouting();
        if (options.EnableAuth)
        {
            app.UseMiddleware<FunctionKeyMiddleware>();
        }

        app.MapHttpFunctions(catalog.Http);
        app.MapAdmin();

        // As in the host: its home page, or 204 with AzureWebJobsDisableHomepage (as local.settings.json sets it).
        var homepageDisabled = string.Equals(app.Configuration["AzureWebJobsDisableHomepage"], "true", StringComparison.OrdinalIgnoreCase);
        app.MapGet("/", () => homepageDisabled
            ? Results.NoContent()
            : Results.Content("<!DOCTYPE html><html><head><title>Your Functions app is up and running</title></head><body><p>The dev host is running.</p></body></html>", "text/html"));

        // As in the host: a method no function declares for a path is a 404 with no body (not a 405).
        app.MapFallback("{*path}", context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        return app;
    }

    private static readonly string[] EnvironmentVariables = ["AZURE_FUNCTIONS_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    /// <summary><c>func start</c> runs the app as Development unless the environment says otherwise.</summary>
    private static string EnvironmentName() =>
        EnvironmentVariables
            .Select(Environment.GetEnvironmentVariable)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))
        ?? Environments.Development;
}
