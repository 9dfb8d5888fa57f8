namespace Sensen.Edge.Bench;

/// <summary>
/// One side-by-side benchmark: our stage and its limit (ffmpeg alone, a bare session.Run, mosquitto_pub)
/// measured in the same run, reported as medians and a ratio. Alone it prints them; the suite (SuiteBenchmark)
/// gathers them as BenchFigures and writes them into docs/BENCHMARKS.md.
/// </summary>
internal interface IBenchmark
{
    /// <summary>Name on the command line: <c>dotnet run --project Sensen.Edge.Bench -c Release -- NAME</c>.</summary>
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
