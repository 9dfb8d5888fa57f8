using Polly;
using Polly.Retry;

namespace Sensen.Edge.Ingest;

/// <summary>
/// The reconnect policy of one camera (Polly 8): retry forever, exponential back-off from
/// <see cref="IngestTuning.BackoffBase"/>, capped at <see cref="IngestTuning.BackoffMax"/>, with
/// jitter that also applies at the cap (Polly's own <c>UseJitter</c> is clipped to exactly the cap
/// there, which would put a city's units back in lock-step after a shared outage). The attempt count, and with it the delay,
/// starts over for each call to <c>ExecuteAsync</c>: the supervisor returns from a run that was
/// healthy long enough, which is the reset.
/// </summary>
internal static class IngestBackoff
{
    public static ResiliencePipeline Create(IngestTuning tuning, TimeProvider time, Func<OnRetryArguments<object>, ValueTask> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = tuning.BackoffBase,
                MaxDelay = tuning.BackoffMax,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    Delay(args.AttemptNumber, tuning.BackoffBase, tuning.BackoffMax, Random.Shared.NextDouble())),
                OnRetry = onRetry,
            })
            .Build();

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> (0-based): base·2^attempt, capped, then
    /// scaled into [75%, 100%] by <paramref name="random"/> ∈ [0, 1) ("equal jitter", never shorter
    /// than three quarters of the nominal delay, so the cap keeps its meaning).
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var nominal = baseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(nominal, maxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (0.75 + (0.25 * random)));
    }
}
