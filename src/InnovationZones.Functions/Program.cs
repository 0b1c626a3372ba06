using InnovationZones;
using InnovationZones.Api;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemMiddleware>();
builder.Services.AddInnovationZones();
builder.Services.AddInnovationZonesTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

builder.Build().Run();
