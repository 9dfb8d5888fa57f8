using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Privacy;

/// <summary>
/// Builds the clip path while the host starts (a missing model stops start-up, not the first clip) and says
/// once, as a warning, when the operator opted into a reversible method.
/// </summary>
internal sealed class PrivacyStartup(Lazy<ClipAnonymiser> anonymiser, ILogger logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = anonymiser.Value.Options;
        if (Obscurer.IsReversible(options.Method))
        {
            PrivacyLog.ReversibleMethod(logger, ClipAnonymisation.MethodName(options.Method));
        }

        var models = anonymiser.Value.Models;
        PrivacyLog.Ready(
            logger,
            string.Join(", ", models.Faces.Select(f => f.Id)),
            models.Plates?.Id ?? "none",
            models.Persons?.Id ?? "the live path",
            models.RecognizerModel?.Name ?? "none",
            ClipAnonymisation.MethodName(options.Method),
            options.LookAheadFrames,
            options.PersistenceFrames);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
