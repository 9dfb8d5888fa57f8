namespace Sensen.Edge.Bench;

/// <summary>Where and when a suite ran: what a reader needs to weigh its absolute figures.</summary>
internal sealed record BenchMachine(DateTimeOffset Started, int Cores, string CpuModel, string LoadAtStart, string LoadAtEnd, string Commit, TimeSpan Took)
{
    public string Describe() =>
        $"{Started:yyyy-MM-dd HH:mm} UTC, {Cores} cores ({CpuModel}), load average {LoadAtStart} at the start and {LoadAtEnd} at the end, commit {Commit}, {(int)Took.TotalMinutes} min {Took.Seconds} s";
}
