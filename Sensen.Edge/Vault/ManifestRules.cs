namespace Sensen.Edge.Vault;

/// <summary>
/// Field rules of a <c>sensen-evidence/2</c> manifest beyond its shape (docs/PROTOCOL.md, Manifest): lower-case
/// ids and hex, real 28-character UTC timestamps, non-negative counters. Messages name the field, never its value.
/// </summary>
internal static class ManifestRules
{
    public static string? Invalid(EvidenceManifest m)
    {
        if (!AckFormat.IsEvidenceId(m.EvidenceId) || !Guid.TryParse(m.EvidenceId, out var id) || id.Version != 7)
        {
            return "field 'evidence_id' is not a lower-case UUIDv7";
        }

        foreach (var (name, value) in new[] { ("device_key_id", m.DeviceKeyId), ("config_sha256", m.ConfigSha256), ("clip.plaintext_sha256", m.Clip.PlaintextSha256), ("clip.sealed_sha256", m.Clip.SealedSha256), ("envelope.recipient_key_id", m.Envelope.RecipientKeyId) })
        {
            if (!AckFormat.IsSha256Hex(value))
            {
                return $"field '{name}' is not 64 lower-case hex digits";
            }
        }

        foreach (var (model, hash) in m.ModelSha256)
        {
            if (model.Length == 0 || !AckFormat.IsSha256Hex(hash))
            {
                return "field 'model_sha256' has an empty name or a value that is not 64 lower-case hex digits";
            }
        }

        foreach (var (name, value) in new[] { ("event_start", m.EventStart), ("event_end", m.EventEnd), ("clip_start", m.ClipStart), ("clip_end", m.ClipEnd), ("sealed_at", m.SealedAt) })
        {
            if (!AckFormat.TryParseTimestamp(value, out _))
            {
                return $"field '{name}' is not a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffffffZ";
            }
        }

        var health = m.StreamHealth;
        if (health.FramesAnalysed < 0 || health.FramesDropped < 0 || health.Reconnects < 0 || health.StalledMilliseconds < 0
            || m.Clip.PlaintextBytes < 0 || m.Clip.SealedBytes < 0 || m.Clip.ChunkCount < 0 || m.ClockSync.MaxErrorMicroseconds < 0)
        {
            return "has a negative counter";
        }

        if (m.DeviceId.Length == 0 || m.CameraId.Length == 0 || m.RuleId.Length == 0 || m.RuleType.Length == 0)
        {
            return "has an empty id";
        }

        return null;
    }
}
