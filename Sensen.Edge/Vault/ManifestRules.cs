namespace Sensen.Edge.Vault;

/// <summary>
/// Field rules of a <c>sensen-evidence/4</c> (or 3) manifest beyond its shape (docs/PROTOCOL.md, Manifest): lower-case
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
        if ((m.Format == EvidenceManifest.PreviousFormat) != health.FramesLostToClipMemory is null)
        {
            // Format 4 added the member: a 4 without it, or a 3 with it, is not what any sealer wrote.
            return health.FramesLostToClipMemory is null
                ? "field 'stream_health.frames_lost_to_clip_memory' is missing"
                : $"field 'stream_health.frames_lost_to_clip_memory' is not defined in {EvidenceManifest.PreviousFormat}";
        }

        if (health.FramesAnalysed < 0 || health.FramesDropped < 0 || health.Reconnects < 0 || health.StalledMilliseconds < 0 || health.FramesLostToClipMemory < 0
            || m.Clip.PlaintextBytes < 0 || m.Clip.SealedBytes < 0 || m.Clip.ChunkCount < 0 || m.ClockSync.MaxErrorMicroseconds < 0)
        {
            return "has a negative counter";
        }

        if (m.DeviceId.Length == 0 || m.CameraId.Length == 0 || m.RuleId.Length == 0 || m.RuleType.Length == 0 || m.SoftwareVersion.Length == 0)
        {
            return "has an empty id";
        }

        return Recording(m);
    }

    /// <summary>The recording's members (format 3): events, offenders, plate, anonymisation, video.</summary>
    private static string? Recording(EvidenceManifest m)
    {
        for (var i = 0; i < m.Events.Count; i++)
        {
            var e = m.Events[i];
            if (e is null || e.RuleId.Length == 0 || e.RuleType.Length == 0 || e.Class.Length == 0 || e.TrackId < 0)
            {
                return $"field 'events[{i}]' has an empty id or a negative track id";
            }

            if (!AckFormat.TryParseTimestamp(e.WindowStart, out _) || !AckFormat.TryParseTimestamp(e.WindowEnd, out _))
            {
                return $"field 'events[{i}]' has a window that is not a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffffffZ";
            }

            if (e.ConfidencePermille is < 0 or > 1000 || e.DwellMilliseconds < 0 || e.SpeedMetresPerHour < 0 || e.SpeedUncertaintyMetresPerHour < 0 || e.RedMilliseconds < 0 || e.WrongWayTravelPpm < 0 || e.Signal?.Length == 0)
            {
                return $"field 'events[{i}]' has a measured value out of range";
            }
        }

        for (var i = 0; i < m.Offenders.Count; i++)
        {
            var o = m.Offenders[i];
            if (o is null || o.FirstBox is null || o.LastBox is null || o.Class.Length == 0 || o.TrackId < 0 || o.Frames < 0
                || !AckFormat.TryParseTimestamp(o.FirstSeen, out _) || !AckFormat.TryParseTimestamp(o.LastSeen, out _))
            {
                return $"field 'offenders[{i}]' is incomplete or out of range";
            }
        }

        if (m.Plate is { } plate && (plate.Text.Length == 0 || plate.ConfidencePermille is < 0 or > 1000 || plate.TrackId < 0 || plate.FrameSequence < 0))
        {
            return "field 'plate' is empty or out of range";
        }

        var a = m.Anonymisation;
        if (a.Frames < 0 || a.FramesMaskedWhole < 0 || a.FramesMaskedWhole > a.Frames || a.FacesObscured < 0 || a.PlatesObscured < 0 || a.Method.Length == 0
            || a.MaskedWholeReasons.Any(r => r.Key.Length == 0 || r.Value < 0))
        {
            return "field 'anonymisation' has a negative or inconsistent counter, or an empty method or reason";
        }

        if (a.Models.Any(p => p.Key.Length == 0 || !AckFormat.IsSha256Hex(p.Value)))
        {
            return "field 'anonymisation.models' has an empty name or a value that is not 64 lower-case hex digits";
        }

        var v = m.Video;
        if (v.Encoder.Length == 0 || v.Width < 0 || v.Height < 0 || v.Frames < 0 || v.FrameRateMillihertz < 0)
        {
            return "field 'video' has an empty encoder or a negative counter";
        }

        return null;
    }
}
