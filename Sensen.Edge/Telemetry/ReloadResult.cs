namespace Sensen.Edge.Telemetry;

/// <summary>
/// The outcome of <see cref="IRuntimeControl.ReloadAsync"/>. <paramref name="Applied"/> false: nothing changed and
/// <paramref name="Errors"/> holds the positioned validation messages (file:line:column: …; never secrets).
/// <paramref name="ConfigHash"/> is the hash of the configuration now in force (the new one when applied, else the old).
/// </summary>
internal sealed record ReloadResult(bool Applied, string ConfigHash, IReadOnlyList<string> Errors)
{
    public static ReloadResult Success(string configHash) => new(true, configHash, []);

    public static ReloadResult Refused(string configHash, IReadOnlyList<string> errors) => new(false, configHash, errors);
}
