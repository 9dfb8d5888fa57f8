namespace Sensen.Edge.Detection;

internal enum ExecutionProviderKind
{
    Tensorrt,
    Cuda,
    Cpu,
}
