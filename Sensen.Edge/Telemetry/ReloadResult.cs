namespace Sensen.Edge.Telemetry;

/// <summary>
/// The outcome of <see cref="IRuntimeControl.ReloadAsync"/>. <paramref name="Applied"/> false: nothing changed and
/// <paramref name="Errors"/> holds the positioned validation messages (file:line:column: …; never secrets).
/// <paramref name="ConfigHash"/> is the hash of the configuration now in force (the new one when applied, else the old).
/// An applied reload says what took effect now (<see cref="Changed"/>) and which sections differ from the started
/// configuration but wait for a restart (<see cref="NeedsRestart"/>), so an operator sending the command knows
/// whether a restart is still due without reading the unit's journal.
/// </summary>
internal sealed record ReloadResult(bool Applied, string ConfigHash, IReadOnlyList<string> Errors)
{
    /// <summary>What the reload applied live, e.g. <c>telemetry.log_level Information -> Debug</c>; empty: nothing changed.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>Sections that differ from the configuration the daemon started with and take effect after a restart.</summary>
    public IReadOnlyList<string> NeedsRestart { get; init; } = [];

    public static ReloadResult Success(string configHash, IReadOnlyList<string>? changed = null, IReadOnlyList<string>? needsRestart = null) =>
        new(true, configHash, []) { Changed = changed ?? [], NeedsRestart = needsRestart ?? [] };

    public static ReloadResult Refused(string configHash, IReadOnlyList<string> errors) => new(false, configHash, errors);
}
