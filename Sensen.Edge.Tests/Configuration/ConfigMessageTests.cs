using Sensen.Edge.Configuration;

namespace Sensen.Edge.Tests.Configuration;

/// <summary>
/// Every other message the binder and validator can print, pinned word for word, each from a small file
/// that is valid but for the one mistake (CONVENTIONS.md: every message is pinned by a test).
/// </summary>
public sealed class ConfigMessageTests
{
    private const string Camera = "device: {id: a}\ncameras:\n  - id: c\n    url: rtsp://127.0.0.1/x\n";

    private static readonly object[] Cases =
    [
        new object[] { "device: {id: a}\n", "cameras", "no cameras are configured; add at least one under 'cameras:'" },
        new object[] { "device: {id: a}\ncameras:\n  - {id: c, url: 'rtsp//oops'}\n", "cameras[0].url", "'rtsp//oops' is not a URL (write rtsp://host:port/path or file:///path/clip.mp4)" },
        new object[] { "device: {id: a}\ncameras:\n  - {id: c, url: 'file:///nonexistent/clip.mp4'}\n", "cameras[0].url", "replay file '/nonexistent/clip.mp4' does not exist" },
        new object[] { "device: {id: a}\ncameras:\n  - {id: c, url: 'rtsps://127.0.0.1/x', transport: udp}\n", "cameras[0].transport", "rtsps:// streams travel inside the TLS connection; transport: udp is not possible (use tcp)" },
        new object[] { Camera + "    lines: [{id: l, from: [0.5, 0.5], to: [0.5, 0.5]}]\n", "cameras[0].lines[0].to", "a line needs two different points" },
        new object[] { Camera + "    zones: [{id: z, polygon: [[0, 0], [1.5, 0.5], [0, 1]]}]\n", "cameras[0].zones[0].polygon[1]", "point [1.5, 0.5] is outside the image; coordinates are fractions of width and height, from 0 to 1" },
        new object[] { Camera + "    zones: [{id: z, polygon: [[0, 0], [0.5, 0.5], [1, 1]]}]\n", "cameras[0].zones[0].polygon", "the polygon has no area (its points lie on one line)" },
        new object[] { Camera + "    rules: [{id: r, type: bus_lane}]\n", "cameras[0].rules[0].zone", "a bus_lane rule needs 'zone' (the bus lane)" },
        new object[] { Camera + "    rules: [{id: r, type: no_stopping}]\n", "cameras[0].rules[0].zone", "a no_stopping rule needs 'zone' (where stopping is forbidden)" },
        new object[] { Camera + "    rules: [{id: r, type: red_light}]\n", "cameras[0].rules[0].line", "a red_light rule needs 'line' (the stop line)" },
        new object[] { Camera + "    rules: [{id: r, type: red_light}]\n", "cameras[0].rules[0].signal", "a red_light rule needs 'signal' (the red lamp's region or an MQTT signal topic)" },
        new object[] { Camera + "    lines: [{id: l, from: [0, 0.5], to: [1, 0.5]}]\n    rules: [{id: r, type: red_light, line: l, signal: {}}]\n", "cameras[0].rules[0].signal", "give either red_lamp_polygon or topic" },
        new object[] { Camera + "    rules: [{id: r, type: speed, line: nope}]\n", "cameras[0].rules[0].line", "unknown line 'nope'; none are defined on camera 'c'" },
        new object[] { Camera + "    rules: [{id: r, type: wrong_way}, {id: r, type: wrong_way}]\n", "cameras[0].rules[1].id", "duplicate id 'r'" },
        new object[] { Camera + "detectors: [{id: d, model: '../etc/x'}]\n", "detectors[0].model", "'../etc/x' is not a model name (letters, digits, '.', '-', '_')" },
        new object[] { Camera + "detectors: [{id: d, model: face-tiny, cameras: [nope]}]\ninference: {models_directory: " + ModelsDirectory + "}\n", "detectors[0].cameras[0]", "unknown camera 'nope'; defined: c" },
        new object[] { Camera + "privacy: {face_detector: ghost}\n", "privacy.face_detector", "unknown detector 'ghost'; none are defined" },
        new object[] { Camera + "vault: {city_public_key: '-----BEGIN EC PRIVATE KEY-----'}\n", "vault.city_public_key", "a private key is written inline; keys belong in a credential file" },
        new object[] { Camera + "uplink: {broker: 'not a url'}\n", "uplink.broker", "'not a url' is not a broker URL (write mqtts://host:8883)" },
        new object[] { Camera + "uplink: {broker: 'mqtts://u:p@host:8883'}\n", "uplink.broker", "user name or password written in the URL; the device authenticates with its client certificate" },
        new object[] { Camera + "uplink: {broker: 'https://host'}\n", "uplink.broker", "scheme 'https' is not supported (use mqtts://)" },
        new object[] { Camera + "uplink: {client_id: 'bad id'}\n", "uplink.client_id", "'bad id' is not a valid id (1-64 letters, digits, '.', '-', '_')" },
        new object[] { Camera + "    loop: maybe\n", "cameras[0].loop", "expected true or false, got 'maybe'" },
        new object[] { Camera + "    analysis: {fps: }\n", "cameras[0].analysis.fps", "expected a number, got nothing" },
        new object[] { Camera + "    lines: [{id: l, from: [0.1], to: [1, 1]}]\n", "cameras[0].lines[0].from", "expected a point [x, y], got a list" },
        new object[] { Camera + "    hwaccel: nvdec\n", "cameras[0].hwaccel", "'nvdec' is not one of auto, none, cuda, vaapi, jetson" },
        new object[] { "device: {id: ''}\ncameras:\n  - {id: c, url: 'rtsp://127.0.0.1/x'}\n", "device.id", "a value is required here" },
        new object[] { Camera + "? [a, b]\n: x\n", "", "keys must be plain words" },
        new object[] { Camera + "vault: {path: }\n", "vault.path", "a value is required here (leave the key out for the default)" },
        new object[] { "device: {id: a}\ncameras:\n  - id: c\n    url:\n", "cameras[0].url", "a value is required here" },
        new object[] { Camera + "    rules: [{id: r, type: wrong_way, schedule: [~]}]\n", "cameras[0].rules[0].schedule[0]", "an empty list item" },
    ];

    private static string ModelsDirectory => Sensen.Edge.Tests.TestSupport.RepoPaths.Models;

    [TestCaseSource(nameof(Cases))]
    public void Load_OneMistake_HasItsExactMessage(string yaml, string path, string message)
    {
        var errors = Load(yaml);

        Assert.That(errors.Select(e => (e.Path, e.Message)), Does.Contain((path, message)), string.Join("\n", errors));
        Assert.That(errors.Where(e => e.Path == path).All(e => e.Line > 0), Is.True, "every message is located");
    }

    [Test]
    public void Load_TooManyAliases_IsRefused()
    {
        var yaml = "device: &d {id: a}\nx: [" + string.Join(", ", Enumerable.Repeat("*d", 300)) + "]\n";

        Assert.That(Load(yaml).Single().Message, Is.EqualTo("the file uses 300 aliases (more than 256); refusing it"));
    }

    internal static List<ConfigError> Load(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("sensen-msg-");
        try
        {
            var path = Path.Combine(dir.FullName, "edge.yaml");
            File.WriteAllText(path, yaml);
            return ConfigLoader.Load(path).Errors.ToList();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
