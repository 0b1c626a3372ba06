namespace InnovationZones.DevHost;

/// <summary>
/// Something the dev host cannot start with (a missing file, a function it cannot bind, a bad schedule).
/// The message is written for the person running it: the run command prints it on one line.
/// </summary>
internal sealed class DevHostException : InvalidOperationException
{
    public DevHostException(string message)
        : base(message)
    {
    }

    public DevHostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
