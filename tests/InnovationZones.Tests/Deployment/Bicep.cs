using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using InnovationZones.Tests.Infrastructure;

namespace InnovationZones.Tests.Deployment;

/// <summary>
/// The Bicep CLI restored from the NuGet package Azure.Bicep.CommandLine.linux-x64 (its path is baked into
/// the test assembly at build time), and infra/main.bicep compiled once for all the tests that read it.
/// </summary>
internal static class Bicep
{
    private static readonly Lazy<Compiled> Main = new(() => Build(Path.Combine(RepoRoot.Find(), "infra", "main.bicep")));

    public static string MainTemplatePath => Path.Combine(RepoRoot.Find(), "infra", "main.bicep");

    /// <summary>infra/main.bicep compiled to ARM JSON, with what the compiler said.</summary>
    public static Compiled MainTemplate => Main.Value;

    public static string Executable
    {
        get
        {
            var path = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BicepExecutable").Value!;
            Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}: run dotnet restore");
            // Package extraction does not always keep the executable bit.
            if (OperatingSystem.IsWindows())
            {
                return path;
            }

            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }

            return path;
        }
    }

    public static Compiled Build(string bicepFile)
    {
        var output = Path.Combine(Path.GetTempPath(), "iz-bicep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        try
        {
            var result = Run("build", bicepFile, "--outdir", output);
            var json = Path.Combine(output, Path.ChangeExtension(Path.GetFileName(bicepFile), ".json"));
            return new Compiled(result, File.Exists(json) ? JsonNode.Parse(File.ReadAllText(json))!.AsObject() : null);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    public static CliResult Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    public static CliResult Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot.Find(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, and no check for a newer version: this runs offline.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "bicep did not finish within 3 minutes");
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public sealed record CliResult(int ExitCode, string Output, string Diagnostics);

    public sealed record Compiled(CliResult Result, JsonObject? Template)
    {
        public JsonObject Arm => Template ?? throw new InvalidOperationException("main.bicep did not compile: " + Result.Diagnostics);
    }
}
