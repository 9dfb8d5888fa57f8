namespace Sensen.Edge.Ingest;

internal enum ReplayPace
{
    /// <summary>Read the file at its own frame rate, as a camera would deliver it.</summary>
    Realtime,

    /// <summary>Read as fast as decoding allows (benchmarks, batch checks).</summary>
    Fast,
}
