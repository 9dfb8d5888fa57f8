using Sensen.Edge.Vault;

namespace Sensen.Edge.Recording;

/// <summary>
/// The clock state a manifest states (docs/RECORDING.md): the kernel's view through adjtimex(2). Synchronised
/// means an NTP-style daemon disciplines the clock (chrony, ntpd, systemd-timesyncd; the kernel cannot tell PTP or
/// GNSS apart from NTP, so the source is <c>ntp</c> when synchronised, else <c>none</c>), with the kernel's maximum
/// error estimate.
/// </summary>
internal static class ClockSyncReader
{
    public static ClockSyncState Read()
    {
        var (synchronized, maxError) = KernelClock.Read();
        return new ClockSyncState(synchronized, synchronized ? "ntp" : "none", synchronized ? maxError : null);
    }
}
