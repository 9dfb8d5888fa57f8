namespace Sensen.Edge.Detection;

/// <summary>Channel order the model expects; frames are BGR24 and are swapped while preprocessing.</summary>
internal enum ColorOrder
{
    Rgb,
    Bgr,
}
