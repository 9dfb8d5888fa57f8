using Sensen.Edge.Configuration;

namespace Sensen.Edge.Detection;

/// <summary>Checks of <c>inference:</c> beyond the binder's ranges.</summary>
internal static class InferenceOptionsValidator
{
    public static void Validate(ValidationContext context, InferenceOptions inference)
    {
        // Absolute, because the daemon's working directory is not the config file's; a library that is absent is
        // not an error here (one file serves units with and without the GPU build): the daemon falls back at start.
        if (inference.OnnxruntimeLibrary is { } library && !Path.IsPathFullyQualified(library))
        {
            context.Error("inference.onnxruntime_library", $"'{library}' is not an absolute path (e.g. /usr/lib/aarch64-linux-gnu/libonnxruntime.so)");
        }
    }
}
