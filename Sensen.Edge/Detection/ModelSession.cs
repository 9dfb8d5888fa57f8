using Microsoft.ML.OnnxRuntime;

namespace Sensen.Edge.Detection;

/// <summary>An ONNX Runtime session that loaded, matched its manifest and warmed up on <see cref="Provider"/>.</summary>
internal sealed class ModelSession : IDisposable
{
    public ModelSession(ModelDescriptor model, InferenceSession session, ExecutionProviderKind provider, string inputName, long[] inputShape, IReadOnlyList<string> outputNames, IReadOnlyList<long[]> outputShapes)
    {
        Model = model;
        Session = session;
        Provider = provider;
        InputName = inputName;
        InputShape = inputShape;
        OutputNames = outputNames;
        OutputShapes = outputShapes;
    }

    public ModelDescriptor Model { get; }

    public InferenceSession Session { get; }

    public ExecutionProviderKind Provider { get; }

    public string InputName { get; }

    /// <summary>The concrete input shape used (batch 1, the manifest's size).</summary>
    public long[] InputShape { get; }

    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Output shapes observed in the warm-up run.</summary>
    public IReadOnlyList<long[]> OutputShapes { get; }

    public void Dispose() => Session.Dispose();
}
