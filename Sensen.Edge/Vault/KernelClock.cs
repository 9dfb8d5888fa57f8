using System.Runtime.InteropServices;

namespace Sensen.Edge.Vault;

/// <summary>
/// Whether the kernel considers the system clock synchronised: adjtimex(2) with no modes returns the clock
/// state, and TIME_ERROR (5) means unsynchronised (STA_UNSYNC set; chrony, ntpd and systemd-timesyncd clear it
/// once they discipline the clock). Read-only; needs no privilege.
/// </summary>
internal static class KernelClock
{
    private const int TimeError = 5;

    /// <summary>struct timex is 208 bytes on 64-bit Linux; a larger zeroed buffer (modes = 0) only reads.</summary>
    private const int TimexBytes = 256;

    /// <summary>struct timex's <c>maxerror</c> (long, microseconds) follows <c>modes</c> (+pad), <c>offset</c> and <c>freq</c> on 64-bit Linux.</summary>
    private const int MaxErrorOffset = 24;

    public static bool IsSynchronized() => Read().Synchronized;

    /// <summary>Whether the clock is synchronised, and the kernel's maximum error estimate (microseconds) as the NTP daemon left it.</summary>
    public static (bool Synchronized, long? MaxErrorMicroseconds) Read()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return (false, null);
        }

        var buffer = Marshal.AllocHGlobal(TimexBytes);
        try
        {
            for (var i = 0; i < TimexBytes; i++)
            {
                Marshal.WriteByte(buffer, i, 0);
            }

            var state = AdjTimex(buffer);
            if (state < 0)
            {
                return (false, null);
            }

            var maxError = Marshal.ReadInt64(buffer, MaxErrorOffset);
            return (state != TimeError, maxError >= 0 ? maxError : null);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    // DllImport rather than LibraryImport: the generated marshallers need AllowUnsafeBlocks, which the project does not enable.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static extern int AdjTimex(IntPtr timex);
#pragma warning restore SYSLIB1054
}
