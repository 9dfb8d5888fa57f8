using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sensen.Edge.Ingest;

/// <summary>Finds the V4L2 memory-to-memory devices (hardware codecs) among <c>/dev/video*</c>, as ffmpeg's v4l2_m2m does.</summary>
internal static class V4l2Devices
{
    /// <summary>"path (card)" of each mem2mem node under <paramref name="devDirectory"/>; nodes that cannot be opened are skipped.</summary>
    public static IReadOnlyList<string> FindM2m(string devDirectory = "/dev")
    {
        if (!Directory.Exists(devDirectory))
        {
            return [];
        }

        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(devDirectory, "video*").Order(StringComparer.Ordinal))
        {
            if (Query(path) is { IsM2m: true } cap)
            {
                found.Add($"{path} ({cap.Card})");
            }
        }

        return found;
    }

    private static V4l2Capability? Query(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not ours to use (permissions, busy): ffmpeg could not open it either.
            return null;
        }

        using (handle)
        {
            var answer = new byte[V4l2Capability.Size];
            return Ioctl(handle, V4l2Capability.QueryCapRequest, answer) == 0 ? V4l2Capability.Parse(answer) : null;
        }
    }

    // DllImport, as PipeCapacity's fcntl: a blittable signature needs no generated marshaller.
    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Ioctl(SafeFileHandle fd, nuint request, byte[] argument);
}
