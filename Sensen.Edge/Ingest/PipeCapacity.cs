using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Sensen.Edge.Ingest;

/// <summary>
/// Enlarges the kernel buffer of ffmpeg's stdout pipe (Linux <c>fcntl(F_SETPIPE_SZ)</c>, pipe(7)).
/// The default 64 KiB makes a 1080p bgr24 frame (6 MiB) cross in ~95 reads and as many wake-ups of
/// both processes; 1 MiB (the unprivileged maximum, /proc/sys/fs/pipe-max-size) cuts that sixteenfold.
/// Best effort: a kernel that refuses leaves the default, which is only slower.
/// </summary>
internal static class PipeCapacity
{
    public const int Preferred = 1 << 20;

    private const int SetPipeSize = 1031; // F_SETPIPE_SZ = F_LINUX_SPECIFIC_BASE (1024) + 7

    /// <summary>Returns the new capacity in bytes, or -1 when it could not be changed.</summary>
    public static int TryEnlarge(Stream stream, int bytes)
    {
        if (stream is not PipeStream pipe)
        {
            return -1;
        }

        var fd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        return Fcntl(fd, SetPipeSize, bytes);
    }

    // DllImport rather than LibraryImport: the signature is blittable (no marshalling stub needed),
    // and LibraryImport would require unsafe code in the whole daemon assembly.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int fd, int command, int argument);
}
