using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiteDB;

namespace Sensen.Edge.Vault;

/// <summary>
/// The vault's record mapping: the clear fields LiteDB stores for an item, the HMAC-SHA256 that binds them
/// (under a key derived from the storage-key credential, docs/VAULT.md "Integrity"), and the AADs and ids of
/// the encrypted byte strings. Editing the file can therefore not lift a hold, move an expiry or change the
/// hash an ack is compared with: the record stops verifying and is treated as corrupt.
/// </summary>
internal sealed class EvidenceRecordMapper
{
    public const string EvidenceCollection = "evidence";
    public const string ManifestCollection = "manifests";
    public const string ChunkCollection = "chunks";
    public const string MetaCollection = "meta";

    private const string MacField = "mac";

    /// <summary>The fields the MAC covers, in this order; every field of an evidence document but the MAC itself.</summary>
    private static readonly string[] MacFields =
        ["_id", "state", "created_ms", "updated_ms", "expires_ms", "sealed_bytes", "sealed_sha256", "chunks", "epoch", "hold", "seq", "sealed_elapsed_ms", "hold_reason"];

    private readonly StorageKeyRing _keys;

    public EvidenceRecordMapper(StorageKeyRing keys)
    {
        _keys = keys;
    }

    public static string ChunkId(string evidenceId, int index) => evidenceId + "/" + index.ToString("D6", CultureInfo.InvariantCulture);

    public static byte[] Aad(string evidenceId, string kind, int index = 0) =>
        Encoding.ASCII.GetBytes($"sensen-vault/1|{evidenceId}|{kind}|{index.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Sets (or refreshes, after a change) the record's MAC. Call after every edit of a clear field.</summary>
    public BsonDocument Seal(BsonDocument doc)
    {
        doc[MacField] = _keys.RecordMac(MacInput(doc));
        return doc;
    }

    /// <summary>Throws <see cref="RecordIntegrityException"/> when a field is missing, mistyped or the MAC does not verify.</summary>
    public void Verify(BsonDocument doc)
    {
        var id = doc["_id"].IsString ? doc["_id"].AsString : "(no id)";
        if (!doc[MacField].IsBinary)
        {
            throw new RecordIntegrityException($"evidence record {id} has no integrity tag");
        }

        if (!CryptographicOperations.FixedTimeEquals(_keys.RecordMac(MacInput(doc)), doc[MacField].AsBinary))
        {
            throw new RecordIntegrityException($"evidence record {id} fails its integrity check (altered or damaged)");
        }
    }

    /// <summary>Verifies, then maps. Every read of a record goes through here.</summary>
    public EvidenceRecord ToRecord(BsonDocument doc)
    {
        Verify(doc);
        try
        {
            return new EvidenceRecord
            {
                Id = doc["_id"].AsString,
                State = EvidenceTransitions.Parse(doc["state"].AsString),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["created_ms"].AsInt64),
                UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["updated_ms"].AsInt64),
                ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["expires_ms"].AsInt64),
                SealedBytes = doc["sealed_bytes"].AsInt64,
                SealedSha256 = doc["sealed_sha256"].AsString,
                ChunkCount = doc["chunks"].AsInt32,
                Epoch = doc["epoch"].AsInt64,
                LegalHold = doc["hold"].AsBoolean,
                SealedElapsed = TimeSpan.FromMilliseconds(doc["sealed_elapsed_ms"].AsInt64),
            };
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or NullReferenceException or FormatException or OverflowException)
        {
            throw new RecordIntegrityException($"evidence record {doc["_id"]} has a malformed field", e);
        }
    }

    /// <summary>The MAC input: a versioned label, then each field as <c>name=type:value</c>, so no two records share one.</summary>
    private static byte[] MacInput(BsonDocument doc)
    {
        var text = new StringBuilder("sensen-vault/2 record");
        foreach (var field in MacFields)
        {
            var value = doc[field];
            text.Append('|').Append(field).Append('=').Append(value.Type.ToString()).Append(':');
            text.Append(value.Type switch
            {
                BsonType.Binary => Convert.ToHexStringLower(value.AsBinary),
                BsonType.Null => "",
                _ => Convert.ToString(value.RawValue, CultureInfo.InvariantCulture),
            });
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
