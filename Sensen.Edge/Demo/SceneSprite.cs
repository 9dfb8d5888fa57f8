namespace Sensen.Edge.Demo;

/// <summary>An object's picture as BGR24 pixels, and where its plate and face are inside it.</summary>
internal sealed record SceneSprite(byte[] Bgr, int Width, int Height, PixelBox? Plate, PixelBox? Face);
