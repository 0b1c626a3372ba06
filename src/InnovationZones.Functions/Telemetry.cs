using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace InnovationZones;

/// <summary>
/// The app's own trace source and meter, both named <see cref="Name"/>: aggregates runs and imports
/// start a span here and record their figures on the meter.
/// </summary>
public static class Telemetry
{
    public const string Name = "InnovationZones";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);
}
