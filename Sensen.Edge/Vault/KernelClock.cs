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

    public static bool IsSynchronized()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var buffer = Marshal.AllocHGlobal(TimexBytes);
        try
        {
            for (var i = 0; i < TimexBytes; i++)
            {
                Marshal.WriteByte(buffer, i, 0);
            }

            var state = AdjTimex(buffer);
            return state >= 0 && state != TimeError;
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
