// The dev host: the function app's own functions on ASP.NET Core, for machines without Azure Functions
// Core Tools and for the end-to-end tests (README.md beside this file). The run command:
//   1. configuration: local.settings.json "Values", environment variables, the command line;
//   2. Azurite's table service, started from package.json unless one listens on 127.0.0.1:10002;
//   3. the tables, and every data/*.json loaded through the app's DatasetImporter;
//   4. every function from functions.metadata served (and printed) until Ctrl-C;
//   5. the Azurite it started, stopped.
// dotnet run --project src/InnovationZones.DevHost -- [--port N] [--enable-auth] [--no-azurite] [--no-data] [--load-only]
using InnovationZones.DevHost;

return await DevHostRunner.RunAsync(args, Console.Out, Console.Error);
