using Sensen.Edge.Tracking;

namespace Sensen.Edge.Rules;

/// <summary>What rules know about the frame they evaluate: its times and its size (tracks are in its pixels).</summary>
internal readonly record struct RuleFrame(string CameraId, FrameTime Time, int Width, int Height);
