using System.ComponentModel.DataAnnotations;

namespace Sensen.Edge.Detection;

/// <summary>ONNX Runtime settings shared by every detector session.</summary>
internal sealed record InferenceOptions
{
    /// <summary>Execution providers in order of preference; the first that loads and warms up wins.</summary>
    public IReadOnlyList<ExecutionProviderKind> Providers { get; init; } =
        [ExecutionProviderKind.Tensorrt, ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu];

    /// <summary>Refuse to start when no GPU provider loads (no silent CPU fallback).</summary>
    public bool RequireGpu { get; init; }

    [Range(0, 15)]
    public int DeviceId { get; init; }

    /// <summary>Half precision on TensorRT/CUDA where the model allows it.</summary>
    public bool Fp16 { get; init; } = true;

    /// <summary>Threads for the CPU provider's operators; 0 lets ONNX Runtime choose.</summary>
    [Range(0, 64)]
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Frames in a row on which a detector may fault (throw something other than a known inference failure)
    /// before the detection stage stops the daemon, so that systemd restarts it instead of it running "ready"
    /// while analysing nothing. At 10 fps the default is five seconds.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConsecutiveDetectorFaults { get; init; } = 50;

    /// <summary>
    /// The ONNX Runtime native library to load instead of the one published beside the daemon, as an absolute path:
    /// on a Jetson, a CUDA/TensorRT build matching JetPack (docs/MODELS.md, "Jetson"). Null (the default) uses the
    /// bundled one. When the file is missing or unusable the daemon logs why and runs on the bundled library.
    /// </summary>
    public string? OnnxruntimeLibrary { get; init; }

    /// <summary>Directory of model manifests (<c>NAME.yaml</c>); relative paths are resolved from the config file.</summary>
    public string ModelsDirectory { get; init; } = "/usr/lib/sensen-edge/models";
}
