namespace Sensen.Edge.Pipeline;

/// <summary>
/// An optional per-frame look at what the pipeline did, for a tool that charts it (the demo's report: per frame,
/// what the live path detected and what the clip path obscured). The metrics carry the same counts without the
/// frame they belong to. The daemon registers none; where one is registered, the stages call it on their own
/// threads, once per frame, so it must be cheap, thread-safe and must not throw.
/// </summary>
internal interface IFrameObserver
{
    /// <summary>A frame reached the end of the live path: tracking and rules ran on it.</summary>
    /// <param name="detections">The live path's detections on it (0 when it was not analysed).</param>
    void LiveFrame(string cameraId, long sequence, TimeSpan pts, bool analysed, int detections);

    /// <summary>The clip path released a frame of a clip: obscured, with the faces (and head regions) and plates obscured on it, or masked whole.</summary>
    void ClipFrame(string cameraId, long sequence, int facesObscured, int platesObscured, bool maskedWhole);
}
