using System.Diagnostics;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

public sealed class PipeCapacityTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task TryEnlarge_ChildStdout_OneMebibyte(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("sleep") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("5");
        using var child = Process.Start(start)!;
        try
        {
            Assert.That(PipeCapacity.TryEnlarge(child.StandardOutput.BaseStream, PipeCapacity.Preferred), Is.EqualTo(1 << 20));
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync(cancellationToken);
        }
    }

    [Test]
    public void TryEnlarge_NotAPipe_MinusOne()
    {
        using var memory = new MemoryStream();

        Assert.That(PipeCapacity.TryEnlarge(memory, PipeCapacity.Preferred), Is.EqualTo(-1));
    }
}
