using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Configuration;
using Sensen.Edge.Rules;
using Sensen.Edge.Telemetry;
using Sensen.Edge.Tracking;

namespace Sensen.Edge.Hosting;

/// <summary>
/// Reload (SIGHUP or the remote command) and the run-time log level. A reload re-reads and validates the file the
/// daemon started with; an invalid file is refused with every positioned error logged, and nothing changes.
/// A valid one applies what can change live: <c>telemetry.log_level</c>, the operator keys and
/// <c>telemetry.command_max_age_seconds</c> of the remote commands (the verifier keeps its nonces), and each
/// camera's rules, zones and lines (replaced between two frames). Everything else (cameras added, removed or with new stream settings, the vault,
/// the uplink, models, privacy, recording, device, telemetry format and interval) is compared with the
/// configuration the daemon started with and named as needing a restart. A reload touches neither the vault nor
/// the frames in flight, so no queued evidence and no clip in progress is lost (docs/OPERATIONS.md, "Reload").
/// </summary>
internal sealed partial class RuntimeControl : IRuntimeControl
{
    private static readonly JsonSerializerOptions Comparable = new() { WriteIndented = false };

    private readonly LoadedConfig _started;
    private readonly LogLevelSwitch _level;
    private readonly IServiceProvider _services;
    private readonly ILogger<RuntimeControl> _logger;
    private readonly Lock _gate = new();
    private LoadedConfig _current;

    public RuntimeControl(LoadedConfig started, LogLevelSwitch level, IServiceProvider services, ILogger<RuntimeControl> logger)
    {
        _started = started;
        _current = started;
        _level = level;
        _services = services;
        _logger = logger;
    }

    /// <summary>The configuration last applied (the started one until a reload succeeds).</summary>
    public LoadedConfig Current => Volatile.Read(ref _current);

    public string ConfigSha256 => Current.Sha256;

    /// <summary>Reading and validating a file is quick and synchronous; two reloads at once run one after the other.</summary>
    public Task<ReloadResult> ReloadAsync(string origin, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Reload(origin));
        }
    }

    private ReloadResult Reload(string origin)
    {
        var loaded = ConfigLoader.Load(_started.FilePath);
        if (!loaded.IsValid)
        {
            var errors = loaded.Errors.Select(e => e.ToString()).ToList();
            foreach (var error in errors)
            {
                LogInvalid(origin, error);
            }

            LogRefused(origin, _started.FilePath, errors.Count);
            return ReloadResult.Refused(Current.Sha256, errors);
        }

        var next = loaded.Config!;

        // Operator keys are files the configuration names: read them all before anything changes, so a missing or
        // wrong key refuses the whole reload as an invalid file does.
        var verifier = _services.GetService<CommandVerifier>();
        IReadOnlyList<OperatorKey>? operators = null;
        if (verifier is not null)
        {
            try
            {
                operators = OperatorKeys.Load(next.Options.Telemetry, next.Directory);
            }
            catch (CredentialException e)
            {
                LogInvalid(origin, e.Message);
                LogRefused(origin, _started.FilePath, 1);
                return ReloadResult.Refused(Current.Sha256, [e.Message]);
            }
        }

        var live = ApplyLive(next);
        if (verifier is not null)
        {
            live.AddRange(ApplyCommandTrust(verifier, operators!, TimeSpan.FromSeconds(next.Options.Telemetry.CommandMaxAgeSeconds)));
        }

        var restart = NeedsRestart(_started.Options, next.Options);
        Volatile.Write(ref _current, next);
        LogReloaded(origin, next.Sha256, live.Count == 0 ? "nothing" : string.Join(", ", live), restart.Count == 0 ? "nothing" : string.Join(", ", restart));
        return ReloadResult.Success(next.Sha256, live, restart);
    }

    /// <summary>New operator keys (ids, roles or key bytes differ) and window go to the verifier; its nonces stay.</summary>
    private static List<string> ApplyCommandTrust(CommandVerifier verifier, IReadOnlyList<OperatorKey> operators, TimeSpan maxAge)
    {
        var applied = new List<string>();
        static string Fingerprint(IEnumerable<OperatorKey> keys) => string.Join(
            "\n", keys.OrderBy(k => k.Id, StringComparer.Ordinal).Select(k => $"{k.Id} {k.Role} {Convert.ToHexString(k.PublicKey.ExportSubjectPublicKeyInfo())}"));
        if (Fingerprint(verifier.Operators.Values) != Fingerprint(operators))
        {
            applied.Add($"telemetry.operators ({operators.Count} key(s))");
        }

        if (verifier.MaxAge != maxAge)
        {
            applied.Add($"telemetry.command_max_age_seconds {verifier.MaxAge.TotalSeconds:0} -> {maxAge.TotalSeconds:0}");
        }

        if (applied.Count > 0)
        {
            // The old keys are left to the collector: a command being verified right now may still hold one.
            verifier.Reconfigure(operators, maxAge);
        }
        else
        {
            foreach (var unused in operators)
            {
                unused.PublicKey.Dispose();
            }
        }

        return applied;
    }

    public void SetLogLevel(LogLevel level)
    {
        var was = _level.Level;
        _level.Level = level;
        LogLevelChanged(was, level);
    }

    /// <summary>The keys that differ from the started configuration and only take effect after a restart.</summary>
    internal static List<string> NeedsRestart(EdgeOptions started, EdgeOptions next)
    {
        var changed = new List<string>();
        Compare(changed, "device", started.Device, next.Device);
        var before = started.Cameras.Select(c => c.Id).ToList();
        var after = next.Cameras.Select(c => c.Id).ToList();
        if (!before.SequenceEqual(after, StringComparer.Ordinal))
        {
            changed.Add("cameras (added, removed or reordered)");
        }
        else
        {
            for (var i = 0; i < before.Count; i++)
            {
                Compare(changed, $"cameras[{i}] stream settings", started.Cameras[i].Ingest, next.Cameras[i].Ingest);
            }
        }

        Compare(changed, "inference", started.Inference, next.Inference);
        Compare(changed, "detectors", started.Detectors, next.Detectors);
        Compare(changed, "privacy", started.Privacy, next.Privacy);
        Compare(changed, "recording", started.Recording, next.Recording);
        Compare(changed, "vault", started.Vault, next.Vault);
        Compare(changed, "uplink", started.Uplink, next.Uplink);
        // log_level, operators and command_max_age_seconds apply live; interval and log format need a restart.
        static TelemetryOptions RestartOnly(TelemetryOptions t) => t with { LogLevel = default, Operators = [], CommandMaxAgeSeconds = default };
        Compare(changed, "telemetry.interval_seconds or log_format", RestartOnly(started.Telemetry), RestartOnly(next.Telemetry));
        return changed;
    }

    private List<string> ApplyLive(LoadedConfig next)
    {
        var applied = new List<string>();
        var level = LogLevelSwitch.From(next.Options.Telemetry.LogLevel);
        if (level != _level.Level)
        {
            applied.Add($"telemetry.log_level {_level.Level} -> {level}");
            _level.Level = level;
        }

        var tracking = _services.GetServices<IHostedService>().OfType<TrackingStage>().SingleOrDefault();
        if (tracking is null)
        {
            return applied;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(_started.Options.Device.TimeZone);
        var feeds = _services.GetRequiredService<SignalFeeds>();
        var running = Current.Options.Cameras;
        foreach (var camera in next.Options.Cameras)
        {
            // Only cameras that are running; a new camera needs a restart (its pipeline does not exist).
            var old = running.FirstOrDefault(c => c.Id == camera.Id);
            if (old is null || !_started.Options.Cameras.Any(c => c.Id == camera.Id) || Same(old.Rules, camera.Rules))
            {
                continue;
            }

            tracking.Camera(camera.Id).ReplaceRules(new CameraRules(camera.Id, camera.Rules, zone, feeds));
            applied.Add($"cameras '{camera.Id}' rules, zones and lines");
        }

        return applied;
    }

    private static void Compare<T>(List<string> changed, string name, T before, T after)
    {
        if (!Same(before, after))
        {
            changed.Add(name);
        }
    }

    /// <summary>By value: the options records hold lists, which records compare by reference.</summary>
    private static bool Same<T>(T before, T after) =>
        JsonSerializer.Serialize(before, Comparable) == JsonSerializer.Serialize(after, Comparable);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Error, Message = "Reload ({Origin}): {Error}")]
    private partial void LogInvalid(string origin, string error);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "Reload ({Origin}) refused: {File} has {Count} error(s); the running configuration stays")]
    private partial void LogRefused(string origin, string file, int count);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Reloaded ({Origin}), config {Hash}: applied {Applied}; needs a restart to take effect: {Restart}")]
    private partial void LogReloaded(string origin, string hash, string applied, string restart);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Log level {Was} -> {Level} (until the next restart or reload)")]
    private partial void LogLevelChanged(LogLevel was, LogLevel level);
}
