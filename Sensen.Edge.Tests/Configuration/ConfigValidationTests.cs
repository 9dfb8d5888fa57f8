using Sensen.Edge.Configuration;
using Sensen.Edge.Tests.TestSupport;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>Every message the validator can print for the canonical "ten mistakes" file, pinned exactly.</summary>
public sealed class ConfigValidationTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", name);

    [Test]
    public void Load_FileWithTenMistakes_ReportsEachPrecisely()
    {
        var path = Fixture("ten-mistakes.yaml");
        var f = path;

        var result = ConfigLoader.Load(path);

        Assert.That(result.IsValid, Is.False);
        var expected = new[]
        {
            $"{f}:3:3 device.siet: unknown key 'siet' (did you mean 'site'?)",
            $"{f}:6:10 cameras[0].url: scheme 'http' is not supported (use rtsp://, rtsps:// or file://)",
            $"{f}:7:16 cameras[0].transport: 'tcpp' is not one of tcp, udp (did you mean 'tcp'?)",
            $"{f}:9:12 cameras[0].analysis.fps: expected a number, got 'fast'",
            $"{f}:10:14 cameras[0].analysis.width: 10 is out of range (allowed 64 to 7680)",
            $"{f}:13:18 cameras[0].zones[0].polygon: a polygon needs at least 3 points, got 2",
            $"{f}:15:18 cameras[0].zones[1].polygon: the polygon crosses itself; list its corners in order around the edge",
            $"{f}:19:15 cameras[0].rules[0].zone: unknown zone 'lanee' (did you mean 'lane'?); defined on camera 'cam-a': lane, box",
            $"{f}:20:9 cameras[1].id: duplicate id 'cam-a'",
            $"{f}:21:10 cameras[1].url: user name or password written in the URL; put 'user:password' in a credential file and name it with 'credential'",
            $"{f}:24:12 detectors[0].model: unknown model 'no-such-model': no manifest no-such-model.yaml in /usr/lib/sensen-edge/models",
            $"{f}:26:3 uplink.password: secrets must not be written in the configuration; put the value in a credential file and name that file with a '*credential' key",
        };
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(expected));
    }

    [Test]
    public void Load_PasswordInUrl_NeverEchoesTheSecret()
    {
        var result = ConfigLoader.Load(Fixture("ten-mistakes.yaml"));

        Assert.That(result.Errors.Select(e => e.ToString()), Has.None.Contains("hunter2"));
    }

    [TestCase("device:\n  id: a\ncameras: {}\n", "3:10 cameras: expected a list, got a mapping")]
    [TestCase("device:\n  id: a\ncameras:\n  - id: c\n", "4:5 cameras[0].url: required key is missing")]
    [TestCase("device:\n  id: 'bad id!'\ncameras: []\n", "2:7 device.id: 'bad id!' is not a valid id (1-64 letters, digits, '.', '-', '_')")]
    [TestCase("device:\n  id: a\n  time_zone: Mars/Olympus\n", "3:14 device.time_zone: unknown time zone 'Mars/Olympus' (use an IANA name such as Australia/Sydney)")]
    [TestCase("device:\n  id: a\n  shutdown_timeout_seconds: 2.5\n", "3:29 device.shutdown_timeout_seconds: expected a whole number, got '2.5'")]
    [TestCase("device: [1, 2]\n", "1:9 device: expected a mapping of keys (device settings), got a list")]
    [TestCase("device:\n  id: a\nuplink:\n  broker: mqtt://10.0.0.1:1883\n", "4:11 uplink.broker: plaintext mqtt:// is refused; use mqtts:// (or set allow_insecure: true on a development bench)")]
    [TestCase("device:\n  id: a\nuplink:\n  topic_prefix: 'city/#'\n", "4:17 uplink.topic_prefix: 'city/#' is not a topic prefix (no wildcards '+' '#', no leading or trailing '/')")]
    [TestCase("device:\n  id: a\nvault:\n  device_key_credential: '-----BEGIN PRIVATE KEY-----'\n", "4:26 vault.device_key_credential: a credential reference must be a file name in the credentials directory (letters, digits, '.', '-', '_'), not the secret itself")]
    [TestCase("device:\n  id: a\ninference:\n  onnxruntime_library: lib/libonnxruntime.so\n", "4:24 inference.onnxruntime_library: 'lib/libonnxruntime.so' is not an absolute path (e.g. /usr/lib/aarch64-linux-gnu/libonnxruntime.so)")]
    [TestCase("device:\n  id: a\n  id: b\n", "3:3: not valid YAML: Duplicate key")]
    [TestCase("device:\n  id: [unclosed\n", "not valid YAML")]
    [TestCase("device:\n  id: a\n---\ndevice:\n  id: b\n", "4:1: only one YAML document is allowed ('---' starts a second one)")]
    public void Parse_SingleMistake_IsReportedWithLocation(string yaml, string expected)
    {
        var result = Parse(yaml);

        Assert.That(result.Errors.Select(e => e.ToString()), Has.Some.Contains(expected), string.Join("\n", result.Errors));
    }

    [Test]
    public void Parse_RuleThatLacksWhatItsTypeNeeds_NamesTheMissingKey()
    {
        const string yaml = """
            device: {id: a}
            cameras:
              - id: c
                url: rtsp://127.0.0.1/x
                lines: [{id: l1, from: [0, 0.5], to: [1, 0.5]}]
                rules:
                  - {id: s, type: speed, line: l1}
                  - {id: w, type: wrong_way, schedule: ["Mon-Fri 7:00-9:00"]}
            """;

        var errors = Parse(yaml).Errors.Select(e => e.Message).ToList();

        Assert.That(errors, Does.Contain("a speed rule needs 'second_line' (where timing ends)"));
        Assert.That(errors, Does.Contain("a speed rule needs 'distance_metres' (the surveyed distance between the lines)"));
        Assert.That(errors, Does.Contain("a speed rule needs 'speed_limit_kmh' (the posted limit)"));
        Assert.That(errors, Does.Contain("a wrong_way rule needs 'line' (the permitted direction of travel)"));
        Assert.That(errors, Does.Contain("'Mon-Fri 7:00-9:00' is not a schedule window; write e.g. 'Mon-Fri 07:00-09:30' or 'Daily 22:00-06:00'"));
    }

    [Test]
    public void Parse_RulesWithoutAnonymiser_FailClosed()
    {
        const string yaml = """
            device: {id: a}
            cameras:
              - id: c
                url: rtsp://127.0.0.1/x
                zones: [{id: z, polygon: [[0, 0], [1, 0], [1, 1]]}]
                rules: [{id: r, type: no_stopping, zone: z}]
            """;

        var messages = Parse(yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(messages, Does.Contain("test.yaml:1:1 privacy.face_detector: cameras have rules, so clips can be recorded: a face detector is required"));
        Assert.That(messages, Does.Contain("test.yaml:1:1 privacy.plate_detector: cameras have rules, so clips can be recorded: a plate detector is required"));
    }

    [Test]
    public void Parse_AliasBomb_IsRefusedQuickly()
    {
        // "Billion laughs": nine levels of ten aliases each would expand to 10^9 values if walked naively.
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"a{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]");
        }

        lines.Add("device: {id: a, site: *a9}");

        var result = Parse(string.Join("\n", lines));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Single().Message, Is.EqualTo("aliases expand the file to 23456790137 values (more than 100000); refusing it"));
    }

    [Test]
    public void Parse_DeepNesting_IsRefusedBeforeRecursiveParsing()
    {
        var result = Parse("device: " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        Assert.That(result.Errors.Single().Message, Is.EqualTo("the file nests deeper than 32 levels; refusing it"));
    }

    [Test]
    public void Parse_FewAliasesExpandingHugely_IsRefused()
    {
        // Under the alias-count limit but still exponential: the binder's node budget must stop it.
        var lines = new List<string> { "x: &l0 [a, b, c, d, e, f, g, h]" };
        for (var i = 1; i < 12; i++)
        {
            lines.Add($"x{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]");
        }

        lines.Add("device:\n  id: a\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n    rules:\n      - id: r\n        type: speed\n        schedule: *l11");

        var result = Parse(string.Join("\n", lines));

        Assert.That(result.Errors.Single().Message, Does.StartWith("aliases expand the file to").And.EndsWith("refusing it"));
    }

    [Test]
    public void Load_OversizedFile_IsRefusedWithoutParsing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sensen-big-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, "device:\n  id: a\n  site: \"" + new string('x', ConfigLoader.MaxFileBytes) + "\"\n");

            var result = ConfigLoader.Load(path);

            Assert.That(result.Errors.Single().Message, Does.StartWith("file is ").And.EndsWith("at most 1048576 bytes are allowed"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Load_MissingFile_IsOneClearError()
    {
        var result = ConfigLoader.Load("/nonexistent/edge.yaml");

        Assert.That(result.FileMissing, Is.True);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "/nonexistent/edge.yaml: no such file" }));
    }

    [Test]
    public void Parse_EmptyOrBinaryFile_IsRefused()
    {
        Assert.That(ConfigLoader.ParseDocument<EdgeOptions>("e.yaml", "/tmp/e.yaml", []).Errors.Single().ToString(), Is.EqualTo("e.yaml: the file is empty"));
        Assert.That(ConfigLoader.ParseDocument<EdgeOptions>("b.yaml", "/tmp/b.yaml", [0xff, 0xfe, 0x00, 0x41]).Errors.Single().ToString(), Is.EqualTo("b.yaml: the file is not UTF-8 text"));
    }

    [Test]
    public void Load_ExampleConfigModelsDirectory_ResolvesRelativeToTheFile()
    {
        var result = ConfigLoader.Load(RepoPaths.ExampleConfig);

        Assert.That(result.Config!.ModelsDirectory, Is.EqualTo(RepoPaths.Models));
    }

    private static ConfigLoadResult Parse(string yaml)
    {
        // A temporary file so that the loader's real path (size check, read, hash) is exercised.
        var path = Path.Combine(Path.GetTempPath(), $"sensen-cfg-{Guid.NewGuid():N}", "test.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.WriteAllText(path, yaml);
            var result = ConfigLoader.Load(path);
            return result with { Errors = result.Errors.Select(e => e with { File = "test.yaml" }).ToList() };
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
