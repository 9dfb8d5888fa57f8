namespace Sensen.Edge.Detection;

/// <summary>
/// How <see cref="ImagePreprocessor"/> runs its horizontal pass on NCHW tensors. All three give bit-identical
/// results (pinned by tests); the widest the CPU accelerates is the default: <see cref="Vector256"/> on x86-64
/// with AVX2, <see cref="Vector128"/> on arm64 (NEON is 128 bits wide), the scalar loop elsewhere.
/// </summary>
internal enum SamplingPath
{
    Scalar,
    Vector128,
    Vector256,
}
