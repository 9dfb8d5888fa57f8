namespace Sensen.Edge.Vault;

/// <summary>How far the device clock could be trusted while the clip was recorded.</summary>
/// <param name="Synchronized">Whether the clock was disciplined (NTP/PTP/GNSS) at the time.</param>
/// <param name="Source">What disciplined it: <c>ntp</c>, <c>ptp</c>, <c>gnss</c> or <c>none</c>.</param>
/// <param name="MaxErrorMicroseconds">The estimated worst-case error, when the source reports one.</param>
internal sealed record ClockSyncState(bool Synchronized, string Source, long? MaxErrorMicroseconds = null);
