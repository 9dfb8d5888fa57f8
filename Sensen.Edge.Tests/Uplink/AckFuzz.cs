using System.Buffers.Text;

namespace Sensen.Edge.Tests.Uplink;

/// <summary>Mutations of a JWS ack: flipped, dropped, inserted and swapped bytes, truncation, whole segments replaced.</summary>
internal static class AckFuzz
{
    public static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        switch (random.Next(7))
        {
            case 0:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 1:
                var from = random.Next(bytes.Count);
                bytes.RemoveRange(from, Math.Min(1 + random.Next(8), bytes.Count - from));
                break;
            case 2:
                bytes.Insert(random.Next(bytes.Count), (byte)"A-_.=x{\"0"[random.Next(9)]);
                break;
            case 3:
                return [.. bytes.Take(random.Next(bytes.Count))];
            case 4:
                var a = random.Next(bytes.Count);
                var b = random.Next(bytes.Count);
                (bytes[a], bytes[b]) = (bytes[b], bytes[a]);
                break;
            case 5:
                var junk = new byte[random.Next(1, 300)];
                random.NextBytes(junk);
                return junk;
            default:
                // A base64url character of the body replaced by another base64url character: still a JWS, a different body.
                var dots = bytes.Select((c, i) => (c, i)).Where(x => x.c == '.').Select(x => x.i).ToList();
                var at = random.Next(dots[0] + 1, dots[1]);
                bytes[at] = (byte)"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[random.Next(64)];
                break;
        }

        return [.. bytes];
    }

    /// <summary>True when both are three base64url segments that decode to the same bytes (an unchanged ack).</summary>
    public static bool SameMeaning(byte[] candidate, byte[] original)
    {
        var x = Decode(candidate);
        var y = Decode(original);
        return x is not null && y is not null && x.Zip(y).All(p => p.First.AsSpan().SequenceEqual(p.Second));
    }

    private static byte[][]? Decode(byte[] jws)
    {
        var parts = System.Text.Encoding.ASCII.GetString(jws).Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            return [.. parts.Select(p => Base64Url.DecodeFromChars(p))];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
