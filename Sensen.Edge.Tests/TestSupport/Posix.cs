using System.Runtime.InteropServices;

namespace Sensen.Edge.Tests.TestSupport;

/// <summary>Signals for child processes: .NET can only SIGKILL, and systemd stops services with SIGTERM.</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigHup = 1;

    public static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
