using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Detection;

/// <summary>The Detection stage's log messages (source-generated).</summary>
internal static partial class DetectionLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Execution provider {Provider} is not available ({Reason}); trying the next one")]
    public static partial void ProviderUnavailable(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Model {Model} failed to warm up on {Provider} ({Reason}); trying the next provider")]
    public static partial void WarmupFailed(ILogger logger, string model, string provider, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Model {Model} ({Format}, {Width}x{Height}) runs on {Provider}")]
    public static partial void SessionReady(ILogger logger, string model, string format, int width, int height, string provider);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "No GPU execution provider is in use: model {Model} runs on the CPU")]
    public static partial void CpuOnly(ILogger logger, string model);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "ONNX Runtime {Version} loaded from {Path} (inference.onnxruntime_library)")]
    public static partial void OnnxRuntimeLibraryLoaded(ILogger logger, string path, string version);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "inference.onnxruntime_library {Path} is not used: {Reason}; the bundled ONNX Runtime runs instead (CPU only on arm64)")]
    public static partial void OnnxRuntimeLibraryUnused(ILogger logger, string path, string reason);
}
