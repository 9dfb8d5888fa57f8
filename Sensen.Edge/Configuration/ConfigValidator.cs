using System.Text.RegularExpressions;
using Sensen.Edge.Ingest;
using Sensen.Edge.Rules;
using YamlDotNet.Core;

namespace Sensen.Edge.Configuration;

/// <summary>
/// The checks that need more than one value at a time: identifiers, URLs, geometry, cross-references,
/// and secrets written where only references belong. Runs after binding succeeded.
/// </summary>
internal sealed partial class ConfigValidator
{
    private readonly string _file;
    private readonly LoadedConfig _config;
    private readonly IReadOnlyDictionary<string, Mark> _marks;
    private readonly List<ConfigError> _errors;
    private readonly List<string> _boundPathsWithErrors;

    /// <param name="errors">Errors so far (from binding); semantic errors are appended.</param>
    public ConfigValidator(string file, LoadedConfig config, IReadOnlyDictionary<string, Mark> marks, List<ConfigError> errors)
    {
        _file = file;
        _config = config;
        _marks = marks;
        _errors = errors;
        _boundPathsWithErrors = errors.Select(e => e.Path).ToList();
    }

    private EdgeOptions Options => _config.Options;

    public void Validate()
    {
        CheckIdentifier("device.id", Options.Device.Id);
        CheckTimeZone();

        if (Options.Cameras.Count == 0)
        {
            Error("cameras", "no cameras are configured; add at least one under 'cameras:'");
        }

        CheckUnique("cameras", Options.Cameras.Select(c => c.Id));
        for (var i = 0; i < Options.Cameras.Count; i++)
        {
            CheckCamera($"cameras[{i}]", Options.Cameras[i]);
        }

        CheckDetectors();
        CheckPrivacy();
        CheckVault();
        CheckUplink();
    }

    private void CheckTimeZone()
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(Options.Device.TimeZone);
        }
        // A name that is a zoneinfo directory ("Australia/") makes .NET throw SecurityException (found by ConfigFuzzTests).
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException)
        {
            Error("device.time_zone", $"unknown time zone '{Options.Device.TimeZone}' (use an IANA name such as Australia/Sydney)");
        }
    }

    private void CheckCamera(string path, CameraOptions camera)
    {
        CheckIdentifier($"{path}.id", camera.Id);
        CheckCameraUrl($"{path}.url", camera);
        CheckCredentialName($"{path}.credential", camera.Credential);

        CheckUnique($"{path}.zones", camera.Zones.Select(z => z.Id));
        for (var i = 0; i < camera.Zones.Count; i++)
        {
            var zone = camera.Zones[i];
            CheckIdentifier($"{path}.zones[{i}].id", zone.Id);
            CheckPolygon($"{path}.zones[{i}].polygon", zone.Polygon);
        }

        CheckUnique($"{path}.lines", camera.Lines.Select(l => l.Id));
        for (var i = 0; i < camera.Lines.Count; i++)
        {
            var line = camera.Lines[i];
            CheckIdentifier($"{path}.lines[{i}].id", line.Id);
            CheckPoint($"{path}.lines[{i}].from", line.From);
            CheckPoint($"{path}.lines[{i}].to", line.To);
            if (line.From == line.To)
            {
                Error($"{path}.lines[{i}].to", "a line needs two different points");
            }
        }

        CheckUnique($"{path}.rules", camera.Rules.Select(r => r.Id));
        for (var i = 0; i < camera.Rules.Count; i++)
        {
            CheckRule($"{path}.rules[{i}]", camera, camera.Rules[i]);
        }
    }

    private void CheckCameraUrl(string path, CameraOptions camera)
    {
        if (!Uri.TryCreate(camera.Url, UriKind.Absolute, out var uri))
        {
            Error(path, $"'{camera.Url}' is not a URL (write rtsp://host:port/path or file:///path/clip.mp4)");
            return;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Never echo the value: it may hold the password.
            Error(path, "user name or password written in the URL; put 'user:password' in a credential file and name it with 'credential'");
            return;
        }

        switch (uri.Scheme)
        {
            case "rtsp" or "rtsps":
                if (string.IsNullOrEmpty(uri.Host))
                {
                    Error(path, $"'{camera.Url}' names no host");
                }
                else if (uri.Scheme == "rtsps" && camera.Transport == RtspTransport.Udp)
                {
                    // ffmpeg carries rtsps:// media interleaved in the TLS connection only.
                    Error(path.Replace(".url", ".transport", StringComparison.Ordinal), "rtsps:// streams travel inside the TLS connection; transport: udp is not possible (use tcp)");
                }

                break;
            case "file":
                if (!File.Exists(uri.LocalPath))
                {
                    Error(path, $"replay file '{uri.LocalPath}' does not exist");
                }

                break;
            default:
                Error(path, $"scheme '{uri.Scheme}' is not supported (use rtsp://, rtsps:// or file://)");
                break;
        }
    }

    private void CheckPolygon(string path, IReadOnlyList<NormalizedPoint> polygon)
    {
        if (polygon.Count < 3)
        {
            Error(path, $"a polygon needs at least 3 points, got {polygon.Count}");
            return;
        }

        var inRange = true;
        for (var i = 0; i < polygon.Count; i++)
        {
            inRange &= CheckPoint($"{path}[{i}]", polygon[i]);
        }

        if (!inRange)
        {
            return;
        }

        if (!PolygonGeometry.IsSimple(polygon))
        {
            Error(path, "the polygon crosses itself; list its corners in order around the edge");
        }
        else if (Math.Abs(PolygonGeometry.SignedArea2(polygon)) < 1e-9)
        {
            Error(path, "the polygon has no area (its points lie on one line)");
        }
    }

    private bool CheckPoint(string path, NormalizedPoint point)
    {
        if (point.X is >= 0 and <= 1 && point.Y is >= 0 and <= 1)
        {
            return true;
        }

        Error(path, $"point [{point.X}, {point.Y}] is outside the image; coordinates are fractions of width and height, from 0 to 1");
        return false;
    }

    private void CheckRule(string path, CameraOptions camera, RuleOptions rule)
    {
        CheckIdentifier($"{path}.id", rule.Id);
        var zones = camera.Zones.Select(z => z.Id).ToList();
        var lines = camera.Lines.Select(l => l.Id).ToList();
        CheckReference($"{path}.zone", rule.Zone, zones, "zone", camera.Id);
        CheckReference($"{path}.line", rule.Line, lines, "line", camera.Id);
        CheckReference($"{path}.second_line", rule.SecondLine, lines, "line", camera.Id);

        if (rule.Type is null)
        {
            return; // reported as missing; nothing type-specific to check
        }

        var type = SnakeCase.From(rule.Type.Value.ToString());
        void Need(bool present, string key, string why)
        {
            if (!present)
            {
                Error($"{path}.{key}", $"a {type} rule needs '{key}' ({why})");
            }
        }

        switch (rule.Type)
        {
            case RuleKind.BusLane:
                Need(rule.Zone is not null, "zone", "the bus lane");
                break;
            case RuleKind.NoStopping:
                Need(rule.Zone is not null, "zone", "where stopping is forbidden");
                break;
            case RuleKind.RedLight:
                Need(rule.Line is not null, "line", "the stop line");
                Need(rule.Signal is not null, "signal", "the red lamp's region or an MQTT signal topic");
                if (rule.Signal is { } signal)
                {
                    if (signal.RedLampPolygon.Count == 0 && string.IsNullOrWhiteSpace(signal.Topic))
                    {
                        Error($"{path}.signal", "give either red_lamp_polygon or topic");
                    }
                    else if (signal.RedLampPolygon.Count > 0)
                    {
                        CheckPolygon($"{path}.signal.red_lamp_polygon", signal.RedLampPolygon);
                    }
                }

                break;
            case RuleKind.WrongWay:
                Need(rule.Line is not null, "line", "the permitted direction of travel");
                break;
            case RuleKind.Speed:
                Need(rule.Line is not null, "line", "where timing starts");
                Need(rule.SecondLine is not null, "second_line", "where timing ends");
                Need(rule.DistanceMetres is not null, "distance_metres", "the surveyed distance between the lines");
                Need(rule.SpeedLimitKmh is not null, "speed_limit_kmh", "the posted limit");
                break;
        }

        for (var i = 0; i < rule.Schedule.Count; i++)
        {
            if (!ScheduleWindow.TryParse(rule.Schedule[i], out _, out var error))
            {
                Error($"{path}.schedule[{i}]", error);
            }
        }
    }

    private void CheckDetectors()
    {
        var cameraIds = Options.Cameras.Select(c => c.Id).ToList();
        CheckUnique("detectors", Options.Detectors.Select(d => d.Id));
        for (var i = 0; i < Options.Detectors.Count; i++)
        {
            var detector = Options.Detectors[i];
            var path = $"detectors[{i}]";
            CheckIdentifier($"{path}.id", detector.Id);
            if (!IdentifierPattern().IsMatch(detector.Model))
            {
                Error($"{path}.model", $"'{detector.Model}' is not a model name (letters, digits, '.', '-', '_')");
            }
            else if (!File.Exists(Path.Combine(_config.ModelsDirectory, detector.Model + ".yaml")))
            {
                var known = Directory.Exists(_config.ModelsDirectory)
                    ? Directory.EnumerateFiles(_config.ModelsDirectory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).ToList()
                    : [];
                Error($"{path}.model", $"unknown model '{detector.Model}': no manifest {detector.Model}.yaml in {_config.ModelsDirectory}{DidYouMean.Suffix(detector.Model, known)}");
            }
            else
            {
                // The manifest's own keys and the model file's hash; tensor shapes are checked when the session starts.
                try
                {
                    Detection.ModelManifestReader.Read(_config.ModelsDirectory, detector.Model);
                }
                catch (Detection.ModelException e)
                {
                    Error($"{path}.model", e.Message);
                }
            }

            for (var j = 0; j < detector.Cameras.Count; j++)
            {
                CheckReference($"{path}.cameras[{j}]", detector.Cameras[j], cameraIds, "camera", null);
            }
        }
    }

    private void CheckPrivacy()
    {
        var detectors = Options.Detectors.Select(d => d.Id).ToList();
        CheckReference("privacy.face_detector", Options.Privacy.FaceDetector, detectors, "detector", null);
        CheckReference("privacy.plate_detector", Options.Privacy.PlateDetector, detectors, "detector", null);
        CheckReference("privacy.person_detector", Options.Privacy.PersonDetector, detectors, "detector", null);

        // Fail closed: a camera that can record evidence must have something to anonymise it with.
        if (Options.Cameras.Any(c => c.Rules.Count > 0))
        {
            if (Options.Privacy.FaceDetector is null)
            {
                Error("privacy.face_detector", "cameras have rules, so clips can be recorded: a face detector is required");
            }

            if (Options.Privacy.PlateDetector is null)
            {
                Error("privacy.plate_detector", "cameras have rules, so clips can be recorded: a plate detector is required");
            }
        }
    }

    private void CheckVault()
    {
        var vault = Options.Vault;
        CheckCredentialName("vault.device_key_credential", vault.DeviceKeyCredential);
        CheckCredentialName("vault.database_key_credential", vault.DatabaseKeyCredential);
        CheckCredentialName("vault.storage_key_credential", vault.StorageKeyCredential);
        CheckNotSecretValue("vault.city_public_key", vault.CityPublicKey);

        // The layers must be independent: one leaked file must not open two of them.
        if (vault.StorageKeyCredential == vault.DatabaseKeyCredential || vault.StorageKeyCredential == vault.DeviceKeyCredential)
        {
            Error("vault.storage_key_credential", $"'{vault.StorageKeyCredential}' is also used for another vault key; the database, storage and device keys need three different credentials");
        }
        else if (vault.DatabaseKeyCredential == vault.DeviceKeyCredential)
        {
            Error("vault.database_key_credential", $"'{vault.DatabaseKeyCredential}' is also the device key credential; the database, storage and device keys need three different credentials");
        }

        if (System.IO.Path.GetFullPath(vault.Path, "/state") == System.IO.Path.GetFullPath(vault.AuditLog, "/state"))
        {
            Error("vault.audit_log", "the audit log cannot be the vault database file");
        }

        CheckVaultAckKey();
    }

    /// <summary>The ack key is its own file: one key for sealing and acks would let a clip's reader forge its deletion.</summary>
    private void CheckVaultAckKey()
    {
        var vault = Options.Vault;
        CheckNotSecretValue("vault.city_ack_public_key", vault.CityAckPublicKey);
        if (System.IO.Path.GetFullPath(vault.CityAckPublicKey, "/config") == System.IO.Path.GetFullPath(vault.CityPublicKey, "/config"))
        {
            Error("vault.city_ack_public_key", "this is the city_public_key file; acks are signed with a separate key (city-ack-public.pem from sensen-edge keys city)");
        }
    }

    // The uplink's checks live beside its options record (Uplink/UplinkOptionsValidator.cs).
    private void CheckUplink() => Sensen.Edge.Uplink.UplinkOptionsValidator.Validate(Options.Uplink, Error);

    private void CheckNotSecretValue(string path, string? value)
    {
        if (value is not null && value.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            Error(path, "a private key is written inline; keys belong in a credential file");
        }
    }

    private void CheckIdentifier(string path, string value)
    {
        if (value.Length > 0 && !IdentifierPattern().IsMatch(value))
        {
            Error(path, $"'{value}' is not a valid id (1-64 letters, digits, '.', '-', '_')");
        }
    }

    private void CheckCredentialName(string path, string? name)
    {
        if (name is not null && !IdentifierPattern().IsMatch(name))
        {
            // A credential reference is a file name in the credentials directory, never the secret itself.
            Error(path, "a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself");
        }
    }

    private void CheckReference(string path, string? value, IReadOnlyList<string> known, string what, string? camera)
    {
        if (value is null || known.Contains(value))
        {
            return;
        }

        var scope = camera is null ? "" : $" on camera '{camera}'";
        var choices = known.Count == 0 ? $"none are defined{scope}" : $"defined{scope}: {string.Join(", ", known)}";
        Error(path, $"unknown {what} '{value}'{DidYouMean.Suffix(value, known)}; {choices}");
    }

    private void CheckUnique(string path, IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var id in ids)
        {
            if (id.Length > 0 && !seen.Add(id))
            {
                Error($"{path}[{index}].id", $"duplicate id '{id}'");
            }

            index++;
        }
    }

    private void Error(string path, string message)
    {
        // A value that failed to bind kept its default; judging that default would only repeat the first error.
        if (_boundPathsWithErrors.Any(p => Related(p, path)))
        {
            return;
        }

        var mark = Locate(path);
        _errors.Add(new ConfigError(_file, (int)mark.Line, (int)mark.Column, path, message));
    }

    /// <summary>The position of the key path, or of its nearest ancestor written in the file.</summary>
    private Mark Locate(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_marks.TryGetValue(p, out var mark))
            {
                return mark;
            }
        }

        return _marks.TryGetValue("", out var root) ? root : Mark.Empty;
    }

    private static bool Related(string a, string b) =>
        a == b || IsBelow(a, b) || IsBelow(b, a);

    private static bool IsBelow(string child, string ancestor) =>
        ancestor.Length > 0 && (child.StartsWith(ancestor, StringComparison.Ordinal) && child.Length > ancestor.Length && child[ancestor.Length] is '.' or '[');

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdentifierPattern();
}
