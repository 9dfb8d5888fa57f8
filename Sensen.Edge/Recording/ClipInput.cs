using Sensen.Edge.Privacy;
using Sensen.Edge.Rules;

namespace Sensen.Edge.Recording;

/// <summary>
/// What the live path hands an open clip, in order: a raw frame, or an event merged into it (the first is the one
/// that opened it). <paramref name="LookAheadOnly"/> marks the frames after the clip's window that are there only
/// so the anonymiser sees its look-ahead behind the last recorded frame: they pass the clip path, and are never encoded.
/// </summary>
internal readonly record struct ClipInput(ClipFrame? Frame, ViolationEvent? Event, bool LookAheadOnly = false);
