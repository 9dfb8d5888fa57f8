using System.Runtime.Intrinsics;

namespace Sensen.Edge.Detection;

/// <summary>The default <see cref="SamplingPath"/> for this CPU.</summary>
internal static class SamplingPaths
{
    public static SamplingPath Best =>
        Vector256.IsHardwareAccelerated ? SamplingPath.Vector256
        : Vector128.IsHardwareAccelerated ? SamplingPath.Vector128
        : SamplingPath.Scalar;

    public static bool IsAccelerated(SamplingPath path) => path switch
    {
        SamplingPath.Vector256 => Vector256.IsHardwareAccelerated,
        SamplingPath.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };
}
