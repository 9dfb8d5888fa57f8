namespace Sensen.Edge.Detection;

/// <summary>Memory order of the model's image input.</summary>
internal enum TensorLayout
{
    Nchw,
    Nhwc,
}
