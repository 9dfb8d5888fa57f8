using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Sensen.Edge.Detection;

/// <summary>
/// Points ONNX Runtime's managed assembly at another native library than the one published beside the daemon:
/// on a Jetson, the CUDA/TensorRT build that matches JetPack (the NuGet GPU packages carry no arm64 natives, so
/// the arm64 build ships the CPU library). A configured library that is missing, does not load, is not ONNX
/// Runtime or is older than the managed API is reported once and the bundled library is used instead, so
/// <c>inference.providers</c> then falls back to the CPU as on any machine without a GPU build.
/// </summary>
/// <remarks>
/// <see cref="NativeLibrary.SetDllImportResolver"/> can be set once per assembly and process, and ONNX Runtime binds
/// its library on first use; so this is process-wide state by nature, set once before the first session.
/// </remarks>
internal static class OnnxRuntimeLibrary
{
    /// <summary>The name the managed assembly imports (<c>[DllImport("onnxruntime")]</c>).</summary>
    public const string ImportName = "onnxruntime";

    private static readonly Lock Gate = new();
    private static string? _registered;

    /// <summary>The managed API version (major.minor) a native library must at least have.</summary>
    public static Version ManagedVersion { get; } = ManagedApiVersion();

    /// <summary>
    /// Uses <paramref name="path"/> for every later ONNX Runtime call in this process, or logs why not and leaves the
    /// bundled library in place. Null does nothing. A second, different path is refused (logged): the first wins.
    /// </summary>
    /// <returns>The native library's version when <paramref name="path"/> is now the one in use, else null.</returns>
    public static string? Use(string? path, ILogger logger)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        lock (Gate)
        {
            if (_registered is not null)
            {
                if (_registered != path)
                {
                    DetectionLog.OnnxRuntimeLibraryUnused(logger, path, $"this process already uses {_registered}");
                }

                return null;
            }

            var (handle, version, reason) = Open(path);
            if (handle == IntPtr.Zero)
            {
                DetectionLog.OnnxRuntimeLibraryUnused(logger, path, reason!);
                return null;
            }

            NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, (name, _, _) => name == ImportName ? handle : IntPtr.Zero);
            _registered = path;
            DetectionLog.OnnxRuntimeLibraryLoaded(logger, path, version!);
            return version;
        }
    }

    /// <summary>
    /// Loads <paramref name="path"/> and checks that it is ONNX Runtime at least as new as the managed API. Returns
    /// the handle and version, or a zero handle and the reason in words (the library is freed again).
    /// </summary>
    internal static unsafe (IntPtr Handle, string? Version, string? Reason) Open(string path)
    {
        if (!File.Exists(path))
        {
            return (IntPtr.Zero, null, "no such file");
        }

        if (!NativeLibrary.TryLoad(path, out var handle))
        {
            return (IntPtr.Zero, null, "the dynamic loader refused it (a missing dependency such as CUDA or TensorRT, or another CPU architecture; check with ldd)");
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
        {
            NativeLibrary.Free(handle);
            return (IntPtr.Zero, null, "not an ONNX Runtime library (no OrtGetApiBase)");
        }

        // onnxruntime_c_api.h: struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }.
        var apiBase = (IntPtr*)((delegate* unmanaged<IntPtr>)getApiBase)();
        var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)apiBase[1])()) ?? "";
        if (!TryParse(version, out var parsed) || parsed < ManagedVersion)
        {
            NativeLibrary.Free(handle);
            return (IntPtr.Zero, null, $"ONNX Runtime {version} is older than the {ManagedVersion.ToString(2)} this build's managed API needs");
        }

        return (handle, version, null);
    }

    private static bool TryParse(string version, out Version parsed)
    {
        var parts = version.Split('.');
        parsed = new Version(0, 0);
        if (parts.Length < 2 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor))
        {
            return false;
        }

        parsed = new Version(major, minor);
        return true;
    }

    private static Version ManagedApiVersion()
    {
        // The package version (1.31.0), from the informational version "1.31.0+<commit>".
        var informational = typeof(InferenceSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        return TryParse(informational.Split('+')[0], out var v) ? v : new Version(typeof(InferenceSession).Assembly.GetName().Version!.Major, typeof(InferenceSession).Assembly.GetName().Version!.Minor);
    }
}
