using System.Buffers.Binary;
using System.Text;

namespace Sensen.Edge.Telemetry;

/// <summary>
/// Serialises fields in journald's native protocol (systemd.journal-fields(7), "Native Journal
/// Protocol"): <c>KEY=value\n</c>, or for values holding a newline <c>KEY\n</c> + little-endian
/// 64-bit length + bytes + <c>\n</c>.
/// </summary>
internal static class JournalField
{
    /// <summary>
    /// Field names are upper-case letters, digits and underscores, not starting with an underscore
    /// (those are trusted fields that journald sets itself) or a digit, at most 64 characters.
    /// </summary>
    public static string Name(string key)
    {
        var sb = new StringBuilder(key.Length + 8);
        for (var i = 0; i < key.Length && sb.Length < 64; i++)
        {
            var c = key[i];
            if (char.IsUpper(c) && i > 0 && char.IsLower(key[i - 1]))
            {
                sb.Append('_');
            }

            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        var name = sb.ToString().TrimStart('_');
        return name.Length == 0 || char.IsAsciiDigit(name[0]) ? "F_" + name : name;
    }

    public static void Append(Stream buffer, string name, string value)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        buffer.Write(nameBytes);
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            buffer.WriteByte((byte)'\n');
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)valueBytes.Length);
            buffer.Write(length);
        }
        else
        {
            buffer.WriteByte((byte)'=');
        }

        buffer.Write(valueBytes);
        buffer.WriteByte((byte)'\n');
    }
}
