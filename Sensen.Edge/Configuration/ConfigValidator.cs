using Sensen.Edge.Detection;
using Sensen.Edge.Ingest;
using Sensen.Edge.Privacy;
using Sensen.Edge.Rules;
using Sensen.Edge.Tracking;
using Sensen.Edge.Uplink;
using Sensen.Edge.Vault;
using YamlDotNet.Core;

namespace Sensen.Edge.Configuration;

/// <summary>
/// The checks that need more than one value at a time, run after binding succeeded. Each stage's
/// validator sits beside its options record and knows its rules; this class only hands each one its
/// section and what it may refer to (camera ids, detector ids), through one shared
/// <see cref="ValidationContext"/>.
/// </summary>
internal sealed class ConfigValidator
{
    private readonly ValidationContext _context;

    /// <param name="errors">Errors so far (from binding); semantic errors are appended.</param>
    public ConfigValidator(string file, LoadedConfig config, IReadOnlyDictionary<string, Mark> marks, List<ConfigError> errors)
    {
        _context = new ValidationContext(file, config, marks, errors);
    }

    /// <param name="credentials">
    /// When given (check-config), every credential the file names must be present, readable and owner-only
    /// there (<see cref="CredentialStore.Verify"/>), so that a file called valid really starts.
    /// </param>
    public void Validate(CredentialStore? credentials = null)
    {
        var options = _context.Config.Options;
        DeviceOptionsValidator.Validate(_context, options.Device);

        if (options.Cameras.Count == 0)
        {
            _context.Error("cameras", "no cameras are configured; add at least one under 'cameras:'");
        }

        _context.CheckUnique("cameras", options.Cameras.Select(c => c.Id));
        for (var i = 0; i < options.Cameras.Count; i++)
        {
            var camera = options.Cameras[i];
            CameraOptionsValidator.Validate(_context, $"cameras[{i}]", camera.Ingest);
            CameraRulesOptionsValidator.Validate(_context, $"cameras[{i}]", camera.Id, camera.Rules);
            TrackingOptionsValidator.Validate(_context, $"cameras[{i}]", camera.Tracking);
        }

        var cameraIds = options.Cameras.Select(c => c.Id).ToList();
        InferenceOptionsValidator.Validate(_context, options.Inference);
        DetectorOptionsValidator.Validate(_context, options.Detectors, cameraIds);
        var detectorIds = options.Detectors.Select(d => d.Id).ToList();
        PrivacyOptionsValidator.Validate(_context, options.Privacy, detectorIds, options.Cameras.Any(c => c.Rules.Rules.Count > 0));
        VaultOptionsValidator.Validate(_context, options.Vault);
        UplinkOptionsValidator.Validate(_context, options.Uplink);
        Telemetry.TelemetryOptionsValidator.Validate(_context, options.Telemetry);
        if (credentials is not null)
        {
            CheckCredentials(credentials);
        }
    }

    private void CheckCredentials(CredentialStore credentials)
    {
        foreach (var (path, name) in CredentialReferences.In(_context.Config.Options))
        {
            if (!ValidationContext.IsIdentifier(name))
            {
                continue; // reported by the stage's own check, without echoing the value
            }

            try
            {
                credentials.Verify(name);
            }
            catch (CredentialException e)
            {
                _context.Error(path, e.Message);
            }
        }
    }
}
