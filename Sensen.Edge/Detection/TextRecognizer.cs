using System.Text;
using Microsoft.ML.OnnxRuntime;
using Sensen.Edge.Frames;

namespace Sensen.Edge.Detection;

/// <summary>
/// Reads the text in a box of a frame with a CTC recogniser (PP-OCR rec): the box is cut out (by stride, no
/// copy), fitted into the model's input, run, and decoded greedily. Buffers are preallocated as in
/// <see cref="OnnxDetector"/>; calls are serialised.
/// </summary>
internal sealed class TextRecognizer : IDisposable
{
    private readonly ModelSession _session;
    private readonly ImagePreprocessor _preprocessor;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly IReadOnlyList<string> _keys;
    private readonly StringBuilder _text = new(64);
    private readonly Lock _gate = new();
    private bool _disposed;

    public TextRecognizer(ModelSession session)
    {
        _session = session;
        var manifest = session.Model.Manifest;
        if (manifest.Format != ModelFormat.CtcRecognizer || manifest.Keys is null)
        {
            throw new ModelException($"model '{session.Model.Name}' is not a ctc_recognizer with keys");
        }

        var keysPath = Path.GetFullPath(manifest.Keys, Path.GetDirectoryName(session.Model.ManifestPath)!);
        if (!File.Exists(keysPath))
        {
            throw new ModelException($"model '{session.Model.Name}': keys file {keysPath} does not exist");
        }

        _keys = File.ReadAllLines(keysPath);
        var shape = session.OutputShapes[0];
        if (shape[2] != _keys.Count + 2)
        {
            throw new ModelException($"model '{session.Model.Name}' outputs {shape[2]} classes; {keysPath} has {_keys.Count} keys (+ blank + space = {_keys.Count + 2})");
        }

        _preprocessor = new ImagePreprocessor(manifest);
        _input = GC.AllocateArray<float>(_preprocessor.TensorLength, pinned: true);
        _output = GC.AllocateArray<float>((int)(shape[1] * shape[2]), pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, session.InputShape);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, shape);
        _binding = session.Session.CreateIoBinding();
        _binding.BindInput(session.InputName, _inputValue);
        _binding.BindOutput(session.OutputNames[0], _outputValue);
    }

    /// <summary>Reads the text inside <paramref name="box"/> (frame pixels) of a BGR24 frame.</summary>
    public (string Text, float Score) Read(Frame frame, BoxF box)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Read(frame.Pixels, frame.Width, frame.Height, frame.Stride, box);
    }

    public (string Text, float Score) Read(ReadOnlySpan<byte> bgr, int width, int height, int stride, BoxF box)
    {
        var clipped = box.Clip(width, height);
        var x = (int)clipped.X1;
        var y = (int)clipped.Y1;
        var w = Math.Max(1, (int)MathF.Ceiling(clipped.X2) - x);
        var h = Math.Max(1, (int)MathF.Ceiling(clipped.Y2) - y);
        w = Math.Min(w, width - x);
        h = Math.Min(h, height - y);
        var crop = bgr.Slice((y * stride) + (x * 3));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _preprocessor.Run(crop, w, h, stride, _preprocessor.TransformFor(w, h), _input);
            _session.Session.RunWithBinding(_runOptions, _binding);
            var shape = _session.OutputShapes[0];
            return CtcDecoder.Decode(_output, (int)shape[1], (int)shape[2], _keys, _text);
        }
    }

    /// <summary>Frees the session under the lock every run takes (see <see cref="OnnxDetector.Dispose"/>): a later run throws <see cref="ObjectDisposedException"/>.</summary>
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
            _outputValue.Dispose();
            _runOptions.Dispose();
            _session.Dispose();
        }
    }
}
