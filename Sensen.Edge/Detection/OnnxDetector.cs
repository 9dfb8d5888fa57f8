using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Detection;

/// <summary>
/// A detector over one ONNX session: preprocess into a preallocated input tensor, run through an I/O binding
/// onto preallocated outputs, decode with the manifest's format, class-wise NMS, map to frame pixels.
/// The session and buffers are shared by all cameras; calls are serialised on one lock (one accelerator
/// runs one inference at a time anyway).
/// </summary>
internal sealed class OnnxDetector : IDetector, IDisposable
{
    private readonly ModelSession _session;
    private readonly ModelManifest _manifest;
    private readonly ImagePreprocessor _preprocessor;
    private readonly ClassLookup _classes;
    private readonly float[] _input;
    private readonly OrtValue _inputValue;
    private readonly float[] _output;
    private readonly long[] _outputShape;
    private readonly List<OrtValue> _outputValues = [];
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<DetectedObject> _candidates = new(1024);
    private readonly List<float[]> _outputs = [];
    private readonly DbNetDecoder? _dbnet;
    private readonly BlazeFaceDecoder? _blazeface;
    private readonly float[][] _blazeScores = [];
    private readonly float[][] _blazeBoxes = [];
    private readonly double[] _anchors;
    private readonly DetectionMetrics? _metrics;
    private readonly Lock _gate = new();
    private bool _disposed;

    // The transform whose padding _input holds. Only the preprocessor writes _input (ONNX Runtime never writes
    // an input), so the padding (44 % of a square tensor for a 16:9 frame) is written once per frame size, not per frame.
    private LetterboxTransform? _paddedFor;

    public OnnxDetector(string id, ModelSession session, double? confidence = null, double? iouThreshold = null, DetectionMetrics? metrics = null)
    {
        Id = id;
        _session = session;
        _manifest = session.Model.Manifest;
        if (_manifest.Format == ModelFormat.CtcRecognizer)
        {
            throw new ModelException($"model '{session.Model.Name}' is a text recogniser (ctc_recognizer), not a detector");
        }

        Confidence = (float)(confidence ?? _manifest.Confidence);
        IouThreshold = (float)(iouThreshold ?? _manifest.IouThreshold);
        _metrics = metrics;
        _preprocessor = new ImagePreprocessor(_manifest);
        _classes = ClassLookup.For(_manifest);
        Classes = _manifest.Classes.Select(c => c.Class).ToHashSet();
        _anchors = [.. _manifest.Anchors];

        _input = GC.AllocateArray<float>(_preprocessor.TensorLength, pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, session.InputShape);
        _binding = session.Session.CreateIoBinding();
        _binding.BindInput(session.InputName, _inputValue);
        _output = [];
        _outputShape = session.OutputShapes[0];
        for (var i = 0; i < session.OutputNames.Count; i++)
        {
            var shape = session.OutputShapes[i];
            var buffer = GC.AllocateArray<float>((int)shape.Aggregate(1L, (a, b) => a * b), pinned: true);
            var value = OrtValue.CreateTensorValueFromMemory(buffer, shape);
            _outputValues.Add(value);
            _binding.BindOutput(session.OutputNames[i], value);
            _outputs.Add(buffer);
            if (i == 0)
            {
                _output = buffer;
            }
        }

        if (_manifest.Format == ModelFormat.Dbnet)
        {
            _dbnet = new DbNetDecoder((int)_outputShape[3], (int)_outputShape[2]);
        }

        if (_manifest.Format == ModelFormat.Blazeface)
        {
            // One score ([1, N, 1]) and one regressor ([1, N, R]) output per feature map, matched by N.
            _blazeface = new BlazeFaceDecoder(_manifest.InputWidth, _manifest.InputHeight, _manifest.AnchorStrides, _manifest.AnchorsPerLayer);
            var shapes = session.OutputShapes;
            int Find(int n, bool score) => Enumerable.Range(0, shapes.Count).First(i => shapes[i][1] == n && (shapes[i][2] == 1) == score);
            _blazeScores = [.. _blazeface.LayerCounts.Select(n => _outputs[Find(n, true)])];
            _blazeBoxes = [.. _blazeface.LayerCounts.Select(n => _outputs[Find(n, false)])];
        }
    }

    public string Id { get; }

    public IReadOnlySet<ObjectClass> Classes { get; }

    public ModelDescriptor Model => _session.Model;

    public ExecutionProviderKind Provider => _session.Provider;

    public float Confidence { get; }

    public float IouThreshold { get; }

    /// <summary>The model's raw first output after the last call, for diagnostics and tests.</summary>
    public ReadOnlySpan<float> RawOutput => _output;

    public int Detect(Frame frame, List<DetectedObject> results)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(results);
        var started = Stopwatch.GetTimestamp();
        int added;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var transform = _preprocessor.TransformFor(frame.Width, frame.Height);
            _preprocessor.Run(frame, _input, fillPadding: transform != _paddedFor);
            _paddedFor = transform;
            RunPrefilled();
            added = DecodeInto(transform, results);
        }

        _metrics?.FrameDetected(Id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return added;
    }

    /// <summary>
    /// Runs on one region of a frame (a cascade's crop), scaled to the model's input as a whole frame would be;
    /// boxes come back in frame pixels. A region under 2 pixels either way finds nothing.
    /// </summary>
    public int Detect(Frame frame, BoxF region, List<DetectedObject> results)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(results);
        var r = region.Clip(frame.Width, frame.Height);
        int x0 = (int)MathF.Floor(r.X1), y0 = (int)MathF.Floor(r.Y1);
        int width = (int)MathF.Ceiling(r.X2) - x0, height = (int)MathF.Ceiling(r.Y2) - y0;
        if (width < 2 || height < 2)
        {
            return 0;
        }

        var started = Stopwatch.GetTimestamp();
        var first = results.Count;
        int added;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var transform = _preprocessor.TransformFor(width, height);
            var pixels = frame.Pixels[((y0 * frame.Stride) + (x0 * 3))..];
            _preprocessor.Run(pixels, width, height, frame.Stride, transform, _input, fillPadding: transform != _paddedFor);
            _paddedFor = transform;
            RunPrefilled();
            added = DecodeInto(transform, results);
        }

        for (var i = first; i < results.Count; i++)
        {
            var b = results[i].Box;
            results[i] = results[i] with { Box = new BoxF(b.X1 + x0, b.Y1 + y0, b.X2 + x0, b.Y2 + y0) };
        }

        _metrics?.FrameDetected(Id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return added;
    }

    /// <summary>Preprocess, run and decode raw BGR24 pixels (operator tools and benchmarks).</summary>
    public int Detect(ReadOnlySpan<byte> bgr, int width, int height, List<DetectedObject> results)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var transform = _preprocessor.TransformFor(width, height);
            _preprocessor.Run(bgr, width, height, width * 3, transform, _input, fillPadding: transform != _paddedFor);
            _paddedFor = transform;
            RunPrefilled();
            return DecodeInto(transform, results);
        }
    }

    /// <summary>A bare inference on whatever the input tensor holds: the benchmark's baseline.</summary>
    public void RunPrefilled() => _session.Session.RunWithBinding(_runOptions, _binding);

    private int DecodeInto(LetterboxTransform transform, List<DetectedObject> results)
    {
        _candidates.Clear();
        switch (_manifest.Format)
        {
            case ModelFormat.Yolov8:
                YoloDecoders.DecodeYolov8(_output, (int)_outputShape[2], _classes, Confidence, _candidates);
                break;
            case ModelFormat.Yolov5:
                YoloDecoders.DecodeYolov5(_output, (int)_outputShape[1], _classes, Confidence, _candidates);
                break;
            case ModelFormat.TinyYolov2:
                YoloDecoders.DecodeTinyYolov2(_output, (int)_outputShape[2], (int)_outputShape[3], _anchors, _manifest.Stride, _classes, Confidence, _candidates);
                break;
            case ModelFormat.Dbnet:
                _classes.TryGet(0, out var textClass);
                _dbnet!.Decode(_output, (float)_manifest.BinaryThreshold, Confidence, (float)_manifest.UnclipRatio, _manifest.MinSize, textClass, _candidates);
                break;
            case ModelFormat.Centernet:
                var grid = _session.OutputShapes[0];
                CenterNetDecoder.Decode(_output, _outputs[1], (int)grid[1], (int)grid[2], _manifest.InputWidth / (int)grid[2], _classes, Confidence, _manifest.TopK, _candidates);
                break;
            case ModelFormat.Blazeface:
                _classes.TryGet(0, out var faceClass);
                _blazeface!.Decode(_blazeScores, _blazeBoxes, faceClass, Confidence, IouThreshold, _candidates);
                break;
            default:
                throw new InvalidOperationException($"format {_manifest.Format} has no detection decoder");
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_candidates);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = span[i] with { Box = transform.ToFrame(span[i].Box) };
        }

        // DBNet regions do not overlap; BlazeFace's weighted NMS already merged its clusters.
        if (_manifest.Format is not (ModelFormat.Dbnet or ModelFormat.Blazeface))
        {
            NonMaxSuppression.Apply(_candidates, IouThreshold);
        }

        var kept = 0;
        foreach (var candidate in _candidates)
        {
            if (candidate.Box.Width >= 1 && candidate.Box.Height >= 1)
            {
                results.Add(candidate);
                kept++;
            }
        }

        return kept;
    }

    /// <summary>
    /// Frees the session and its native buffers under the same lock as every run, so a run still in flight on
    /// another thread (a clip writer outliving the host's stop timeout) finishes first, and a later one throws
    /// <see cref="ObjectDisposedException"/> instead of touching freed native memory (a SIGSEGV).
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _binding.Dispose();
            _inputValue.Dispose();
            foreach (var value in _outputValues)
            {
                value.Dispose();
            }

            _runOptions.Dispose();
            _session.Dispose();
        }
    }
}
