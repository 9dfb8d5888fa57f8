using Polly;
using Polly.Retry;

namespace Sensen.Edge.Ingest;

/// <summary>
/// The reconnect policy of one camera (Polly 8): retry forever, exponential back-off from
/// <see cref="IngestTuning.BackoffBase"/> with decorrelated jitter (Polly's <c>UseJitter</c>), capped
/// at <see cref="IngestTuning.BackoffMax"/>. Jitter keeps a unit's cameras (and a city's units)
/// from reconnecting in lock-step after a shared outage. The attempt count, and with it the delay,
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
                UseJitter = true,
                Delay = tuning.BackoffBase,
                MaxDelay = tuning.BackoffMax,
                OnRetry = onRetry,
            })
            .Build();
}
