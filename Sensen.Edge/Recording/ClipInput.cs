using Sensen.Edge.Privacy;
using Sensen.Edge.Rules;

namespace Sensen.Edge.Recording;

/// <summary>What the live path hands an open clip, in order: a raw frame, or an event merged into it (the first is the one that opened it).</summary>
internal readonly record struct ClipInput(ClipFrame? Frame, ViolationEvent? Event);
