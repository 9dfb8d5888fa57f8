namespace Sensen.Edge.Telemetry;

/// <summary>
/// Open once the host has started. Until then the Generic Host's own error entries ("Hosting failed to start",
/// with the exception's whole stack) are filtered out: <c>run</c> prints the one line that says what failed and
/// exits with its code, and the stage concerned has logged its reason. After start they pass (a stage that
/// faults while running is logged by the host, and that stack is what a bug report needs).
/// </summary>
internal sealed class StartupGate
{
    /// <summary>The Generic Host's category (Microsoft.Extensions.Hosting.Internal.Host).</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    public bool Started => _started;

    public void Open() => _started = true;
}
