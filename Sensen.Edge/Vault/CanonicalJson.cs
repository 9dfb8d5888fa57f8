using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sensen.Edge.Vault;

/// <summary>
/// The one JSON form the device signs: snake_case names, object keys sorted by ordinal order, no
/// whitespace, nulls left out, integers only. Verifiers check the signature over the bytes they
/// received and never re-serialise, so this form matters for reproducibility, not for verification.
/// </summary>
internal static class CanonicalJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,

        // A duplicate member is how a signed document says two things at once (RFC 8259 §4 leaves it open).
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static byte[] Serialize<T>(T value)
    {
        var node = JsonSerializer.SerializeToNode(value, Options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("null document");

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is null)
                    {
                        continue;
                    }

                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// Strict parse of a signed message's part: System.Text.Json refuses unknown and duplicate members and wrong
    /// types, and the bytes must be exactly what <see cref="Serialize{T}"/> writes (one encoding per message).
    /// </summary>
    public static bool TryDeserializeExact<T>(byte[] json, out T? value)
    {
        value = default;
        try
        {
            value = Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return false;
        }

        return Serialize(value).AsSpan().SequenceEqual(json);
    }
}
