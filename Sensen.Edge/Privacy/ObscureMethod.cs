namespace Sensen.Edge.Privacy;

internal enum ObscureMethod
{
    Pixelate,
    Blur,
    Fill,
}
