using Microsoft.ML.OnnxRuntime;

namespace Sensen.Edge.Detection;

/// <summary>Checks a loaded model's tensors against its manifest, so a wrong model is refused at start, not mis-read per frame.</summary>
internal static class ModelShapes
{
    public static (string Name, long[] Shape) CheckInput(ModelDescriptor model, InferenceSession session)
    {
        var m = model.Manifest;
        if (session.InputMetadata.Count != 1)
        {
            throw Refuse(model, $"has {session.InputMetadata.Count} inputs; a detector model has exactly one image input");
        }

        var (name, meta) = session.InputMetadata.First();
        if (meta.ElementType != typeof(float))
        {
            throw Refuse(model, $"input '{name}' is {meta.ElementType.Name}; float32 is needed");
        }

        long[] expected = m.Layout == TensorLayout.Nchw ? [1, 3, m.InputHeight, m.InputWidth] : [1, m.InputHeight, m.InputWidth, 3];
        var dims = meta.Dimensions;
        var fits = dims.Length == 4 && dims.Select((d, i) => d < 0 || d == expected[i]).All(ok => ok);
        if (!fits)
        {
            throw Refuse(model, $"input '{name}' has shape {Format(dims.Select(d => (long)d))}, the manifest describes {Format(expected)} (layout {m.Layout.ToString().ToLowerInvariant()}, input_width {m.InputWidth}, input_height {m.InputHeight})");
        }

        return (name, expected);
    }

    public static void CheckOutputs(ModelDescriptor model, InferenceSession session, IReadOnlyList<long[]> shapes)
    {
        var m = model.Manifest;
        if (session.OutputMetadata.Values.First().ElementType != typeof(float))
        {
            throw Refuse(model, "output is not float32");
        }

        var s = shapes[0];
        var c = m.NumClasses;
        string? problem = m.Format switch
        {
            ModelFormat.Yolov8 when s.Length != 3 || s[0] != 1 || s[1] != 4 + c =>
                $"expects [1, 4+num_classes={4 + c}, N]",
            ModelFormat.Yolov5 when s.Length != 3 || s[0] != 1 || s[2] != 5 + c =>
                $"expects [1, N, 5+num_classes={5 + c}]",
            ModelFormat.TinyYolov2 when s.Length != 4 || s[0] != 1
                || s[1] != m.Anchors.Count / 2 * (5 + (c > 1 ? c : 0))
                || s[2] != m.InputHeight / m.Stride || s[3] != m.InputWidth / m.Stride =>
                $"expects [1, anchors*(5{(c > 1 ? "+num_classes" : "")})={m.Anchors.Count / 2 * (5 + (c > 1 ? c : 0))}, {m.InputHeight / m.Stride}, {m.InputWidth / m.Stride}]",
            ModelFormat.Dbnet when s.Length != 4 || s[0] != 1 || s[1] != 1 || s[2] != m.InputHeight || s[3] != m.InputWidth =>
                $"expects a probability map [1, 1, {m.InputHeight}, {m.InputWidth}]",
            ModelFormat.Centernet when shapes.Count != 2 || s.Length != 4 || s[0] != 1 || s[3] != c
                || !shapes[1].SequenceEqual(new[] { 1, s[1], s[2], 4L }) || m.InputWidth % s[2] != 0 =>
                $"expects two outputs, a heatmap [1, H, W, num_classes={c}] and box extents [1, H, W, 4], H and W dividing the input",
            ModelFormat.Blazeface when !BlazeFaceFits(m, shapes) =>
                $"expects per feature map of anchor_strides [{string.Join(", ", m.AnchorStrides)}] a score output [1, N, 1] and a regressor output [1, N, R≥4]",
            ModelFormat.CtcRecognizer when s.Length != 3 || s[0] != 1 =>
                "expects [1, T, classes]",
            _ => null,
        };

        if (problem is not null)
        {
            throw Refuse(model, $"output '{session.OutputNames[0]}' has shape {Format(s)}; format {SnakeFormat(m.Format)} {problem}");
        }
    }

    private static bool BlazeFaceFits(ModelManifest m, IReadOnlyList<long[]> shapes)
    {
        if (m.AnchorStrides.Count == 0 || m.AnchorStrides.Any(s => s <= 0) || shapes.Any(s => s.Length != 3 || s[0] != 1))
        {
            return false;
        }

        var counts = new BlazeFaceDecoder(m.InputWidth, m.InputHeight, m.AnchorStrides, m.AnchorsPerLayer).LayerCounts;
        return shapes.Count == 2 * counts.Count
            && counts.All(n => shapes.Count(s => s[1] == n && s[2] == 1) == 1 && shapes.Count(s => s[1] == n && s[2] >= 4) == 1);
    }

    public static string Format(IEnumerable<long> dims) => "[" + string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    private static string SnakeFormat(ModelFormat f) => Configuration.SnakeCase.From(f.ToString());

    private static ModelException Refuse(ModelDescriptor model, string problem) =>
        new($"model '{model.Name}' refused: {model.ModelPath} {problem} (manifest {model.ManifestPath})");
}
