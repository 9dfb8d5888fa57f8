namespace Sensen.Edge.Detection;

/// <summary>
/// A TensorFlow tensor during conversion: its TensorFlow shape (NHWC for images), element type, constant
/// value if it is one, and the ONNX names that hold it: in TensorFlow's layout (<see cref="Nhwc"/>) and, for
/// rank-4 tensors produced by NCHW operators, channels-first (<see cref="Nchw"/>). Each is emitted only when a
/// consumer needs it, so a chain of convolutions and element-wise ops stays in NCHW without transposes.
/// </summary>
internal sealed class TfjsValue
{
    public TfjsValue(long[] shape, bool isInt, string? nhwc = null, string? nchw = null, TfjsTensor? constant = null)
    {
        Shape = shape;
        IsInt = isInt;
        Nhwc = nhwc;
        Nchw = nchw;
        Constant = constant;
    }

    public long[] Shape { get; }

    public int Rank => Shape.Length;

    public bool IsInt { get; }

    public string? Nhwc { get; set; }

    public string? Nchw { get; set; }

    public TfjsTensor? Constant { get; }

    public override string ToString() => ModelShapes.Format(Shape);
}
