using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Vault;

/// <summary>
/// Opens the vault when the daemon starts (a missing credential, a wrong key or a corrupt file stops the
/// host with the vault's own message) and applies retention once an hour.
/// </summary>
internal sealed partial class VaultService : BackgroundService
{
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<VaultService> _logger;
    private readonly LivenessProbe _liveness;

    public VaultService(IServiceProvider services, TimeProvider time, Liveness liveness, ILogger<VaultService> logger)
    {
        _services = services;
        _time = time;
        _logger = logger;

        // A purge beats once per item it deletes, so a long one is progress; one item taking a whole watchdog interval is a wedge.
        _liveness = liveness.Probe("vault");
    }

    private EvidenceVault? _vault;

    /// <summary>
    /// Opens the vault before the host reports readiness: a unit that cannot keep evidence must not
    /// tell systemd it is ready. The exception reaches <c>run</c>, which exits with its code.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _vault = _services.GetRequiredService<EvidenceVault>();
        }
        catch (VaultException e)
        {
            LogCannotOpen(e.Message, e.ExitCode);
            throw;
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var vault = _vault!;
        while (!stoppingToken.IsCancellationRequested)
        {
            _liveness.Busy();
            try
            {
                await _liveness.WedgeIfTestedAsync(stoppingToken).ConfigureAwait(false);
                vault.PurgeExpired(_liveness.Busy);
            }
            catch (VaultException e)
            {
                // A full or failing disk is reported and retried at the next interval; the queue is intact.
                LogPurgeFailed(e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _liveness.Idle();
            }

            try
            {
                await Task.Delay(PurgeInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Critical, Message = "Vault cannot open: {Reason} (exit code {ExitCode})")]
    private partial void LogCannotOpen(string reason, int exitCode);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Retention purge failed: {Reason}")]
    private partial void LogPurgeFailed(string reason);
}
