namespace Sensen.Edge.Tests.TestSupport;

/// <summary>Waits for a condition with a deadline, checking every few milliseconds (no Thread.Sleep).</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
        }

        return true;
    }

    public static async Task AssertAsync(Func<bool> condition, TimeSpan timeout, Func<string> because, CancellationToken cancellationToken)
    {
        if (!await TrueAsync(condition, timeout, cancellationToken))
        {
            Assert.Fail($"not within {timeout.TotalSeconds:0.#} s: {because()}");
        }
    }
}
