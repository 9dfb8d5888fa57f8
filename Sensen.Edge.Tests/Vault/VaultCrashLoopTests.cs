using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Sensen.Edge.Tests.TestSupport;
using Sensen.Edge.Vault;

namespace Sensen.Edge.Tests.Vault;

/// <summary>
/// The real daemon binary runs <c>queue torture</c> (seal, send, ack, requeue in a loop) and is killed with
/// SIGKILL at a random moment, 100 times over the same vault. After every kill the vault must open, hold
/// every item the child reported as sealed and not acked, hold at most the one item whose seal was in
/// flight, and every item must still be what was sealed.
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class VaultCrashLoopTests
{
    private const int Kills = 100;

    [Test]
    [CancelAfter(240_000)]
    public async Task TortureProcess_KilledAtRandom_NothingLostNothingDuplicatedAlwaysOpens(CancellationToken cancellationToken)
    {
        using var env = new VaultTestEnvironment();
        var random = new Random(20261129);
        var alive = new Dictionary<string, (int Sequence, string Sha)>(StringComparer.Ordinal);
        int seals = 0, acks = 0, moves = 0, interruptedSeals = 0, interruptedAcks = 0, killedBeforeReady = 0, tornAuditLines = 0;

        for (var round = 1; round <= Kills; round++)
        {
            // A quarter of the kills count from process start (they can land in open and recovery), the rest from "ready".
            var fromStart = round % 4 == 0;
            var lines = await RunAndKillAsync(env, round, TimeSpan.FromMilliseconds(random.Next(50, 401)), fromStart, cancellationToken);
            if (!lines.Contains("ready"))
            {
                killedBeforeReady++;
            }

            int? sealing = null;
            string? acking = null;
            foreach (var parts in lines.Select(l => l.Split(' ')))
            {
                switch (parts[0])
                {
                    case "sealing":
                        sealing = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "sealed":
                        alive.Add(parts[2], (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[3]));
                        sealing = null;
                        seals++;
                        break;
                    case "moving":
                        moves++;
                        break;
                    case "acking":
                        acking = parts[1];
                        break;
                    case "acked":
                        Assert.That(alive.Remove(parts[1]), Is.True, $"round {round}: acked an unknown item");
                        acking = null;
                        acks++;
                        break;
                }
            }

            using var vault = env.Open();
            var present = vault.List().ToDictionary(r => r.Id, StringComparer.Ordinal);
            if (acking is not null)
            {
                interruptedAcks++;
                if (!present.ContainsKey(acking))
                {
                    alive.Remove(acking);
                }
            }

            var lost = alive.Keys.Where(id => !present.ContainsKey(id)).ToList();
            Assert.That(lost, Is.Empty, $"round {round}: sealed items lost");
            var extra = present.Keys.Where(id => !alive.ContainsKey(id)).ToList();
            Assert.That(extra, Has.Count.LessThanOrEqualTo(sealing is null ? 0 : 1), $"round {round}: items nobody sealed (or sealed twice)");
            if (sealing is { } inFlight)
            {
                interruptedSeals++;
                if (extra.Count == 1)
                {
                    // The kill landed after the commit, before the child could say so: the item is complete and is that clip.
                    Assert.That(await OpenAsync(env, vault, extra[0], cancellationToken), Is.EqualTo(VaultTorture.Clip(inFlight)));
                    alive.Add(extra[0], (inFlight, present[extra[0]].SealedSha256));
                }
            }

            foreach (var (id, (sequence, sha)) in alive)
            {
                Assert.That(present[id].SealedSha256, Is.EqualTo(sha));
                var blob = new MemoryStream();
                vault.CopySealedTo(id, blob);
                Assert.That(Convert.ToHexStringLower(SHA256.HashData(blob.ToArray())), Is.EqualTo(sha), $"round {round}: item {id} altered");
                if (round % 25 == 0)
                {
                    Assert.That(await OpenAsync(env, vault, id, cancellationToken), Is.EqualTo(VaultTorture.Clip(sequence)));
                }
            }

            // A kill between the pages of one write(2) tears a line; opening the vault keeps the fragment,
            // ends it, and says so in the very next line. Every other line parses.
            var auditLines = File.ReadAllLines(env.AuditLogPath);
            tornAuditLines = 0;
            for (var i = 0; i < auditLines.Length; i++)
            {
                if (i + 1 < auditLines.Length && auditLines[i + 1].Contains("\"audit_torn_line\"", StringComparison.Ordinal))
                {
                    Assert.That(auditLines[i + 1], Does.Contain($"bytes={System.Text.Encoding.UTF8.GetByteCount(auditLines[i])}"), $"round {round}: torn line measured");
                    tornAuditLines++;
                    continue;
                }

                Assert.DoesNotThrow(() => JsonDocument.Parse(auditLines[i]), $"round {round}: audit line '{auditLines[i]}'");
            }
        }

        // Nothing readable was left behind by all that killing: not the clips, not the manifests, not the hold reasons.
        foreach (var file in Directory.EnumerateFiles(env.StateDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var needle in new[] { "torture-clip-", "cam-torture", "torture hold", "torture-unit" })
            {
                Assert.That(bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(needle)), Is.EqualTo(-1), $"{Path.GetFileName(file)} contains '{needle}'");
            }
        }

        TestContext.Out.WriteLine($"{Kills} kills: {seals} seals, {moves} moves and {acks} acks done, {interruptedSeals} seals and {interruptedAcks} acks cut by the kill, {killedBeforeReady} kills before ready, {tornAuditLines} audit lines torn, {alive.Count} items at the end");
        Assert.Multiple(() =>
        {
            Assert.That(seals + moves + acks, Is.GreaterThan(Kills), "the children did real work between kills");
            Assert.That(acks, Is.GreaterThan(0));
            Assert.That(interruptedSeals + interruptedAcks, Is.GreaterThan(5), "kills landed in the middle of operations");
        });
    }

    private static async Task<List<string>> RunAndKillAsync(VaultTestEnvironment env, int seed, TimeSpan delay, bool fromStart, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { RepoPaths.TestsDll, VaultTorture.Verb, "--state", env.StateDirectory, "--credentials", env.CredentialsDirectory, "--city-key", env.CityPublicKeyPath, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("CREDENTIALS_DIRECTORY");
        // No diagnostics IPC: a SIGKILLed runtime would leave its clr-debug-pipe files in /tmp.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                if (line == "ready")
                {
                    ready.TrySetResult();
                }
            }

            ready.TrySetResult();
        }, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

        if (!fromStart)
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        await Task.Delay(delay, cancellationToken);
        var exitedEarly = process.HasExited;
        if (!exitedEarly)
        {
            process.Kill(); // SIGKILL on Unix
        }

        await process.WaitForExitAsync(cancellationToken);
        await reader;
        Assert.That(exitedEarly, Is.False, $"the torture child exited by itself ({process.ExitCode}): {await stderr}");
        lock (lines)
        {
            return [.. lines];
        }
    }

    private static async Task<byte[]> OpenAsync(VaultTestEnvironment env, EvidenceVault vault, string id, CancellationToken cancellationToken)
    {
        var (json, signature) = vault.ReadManifest(id);
        var manifest = EvidenceOpener.Verify(json, signature, ReadDeviceKey(env));
        var blob = new MemoryStream();
        vault.CopySealedTo(id, blob);
        blob.Position = 0;
        var plain = new MemoryStream();
        await new EvidenceOpener(env.CityKey).OpenAsync(manifest, blob, plain, cancellationToken);
        return plain.ToArray();
    }

    private static ECDsa ReadDeviceKey(VaultTestEnvironment env) => env.DeviceKey;
}
