using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Hosting;

/// <summary>
/// SIGHUP reloads the configuration (<c>systemctl reload</c>: <c>ExecReload=kill -HUP $MAINPID</c>). Without this
/// registration the runtime's default action for SIGHUP would end the process.
/// </summary>
internal sealed class ReloadSignalService : IHostedService, IDisposable
{
    private readonly IRuntimeControl _control;
    private readonly IHostApplicationLifetime _lifetime;
    private PosixSignalRegistration? _registration;

    public ReloadSignalService(IRuntimeControl control, IHostApplicationLifetime lifetime)
    {
        _control = control;
        _lifetime = lifetime;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;

            // Off the signal thread; the outcome is logged by the reload itself, errors included.
            _ = Task.Run(() => _control.ReloadAsync("sighup", _lifetime.ApplicationStopping), CancellationToken.None);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        _registration = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _registration?.Dispose();
}
