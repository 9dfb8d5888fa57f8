using System.Collections.Concurrent;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// One line per stage of what is running, for systemd's STATUS= and for the summary printed at exit.
/// Stages register a callback that describes them; the callbacks are read, never the stages' internals.
/// </summary>
internal sealed class PipelineStatus
{
    private readonly ConcurrentDictionary<string, Func<string>> _parts = new(StringComparer.Ordinal);

    public void Register(string name, Func<string> describe) => _parts[name] = describe;

    public IReadOnlyList<string> Lines() =>
        _parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value()}").ToList();

    public string Describe() => _parts.IsEmpty ? "running" : string.Join("; ", Lines());
}
