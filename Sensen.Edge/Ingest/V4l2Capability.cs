using System.Buffers.Binary;
using System.Text;

namespace Sensen.Edge.Ingest;

/// <summary>
/// The answer to VIDIOC_QUERYCAP (<c>struct v4l2_capability</c>, linux/videodev2.h): driver, card, capability
/// flags. Parsed by a pure function so the probe is tested on recorded answers of real devices.
/// </summary>
internal sealed record V4l2Capability(string Driver, string Card, uint Capabilities, uint DeviceCaps)
{
    /// <summary><c>sizeof(struct v4l2_capability)</c>: driver[16], card[32], bus_info[32], version, capabilities, device_caps, reserved[3].</summary>
    public const int Size = 104;

    /// <summary><c>_IOR('V', 0, struct v4l2_capability)</c>.</summary>
    public const uint QueryCapRequest = (2u << 30) | ((uint)Size << 16) | ('V' << 8) | 0;

    private const uint CapVideoM2mMplane = 0x0000_4000;
    private const uint CapVideoM2m = 0x0000_8000;
    private const uint CapDeviceCaps = 0x8000_0000;

    /// <summary>A memory-to-memory device (a hardware codec or scaler), judged by the node's own caps when given.</summary>
    public bool IsM2m => ((Capabilities & CapDeviceCaps) != 0 ? DeviceCaps : Capabilities) is var caps && (caps & (CapVideoM2m | CapVideoM2mMplane)) != 0;

    public static V4l2Capability Parse(ReadOnlySpan<byte> answer)
    {
        if (answer.Length < Size)
        {
            throw new ArgumentException($"a v4l2_capability is {Size} bytes, got {answer.Length}", nameof(answer));
        }

        return new V4l2Capability(
            CString(answer[..16]),
            CString(answer[16..48]),
            BinaryPrimitives.ReadUInt32LittleEndian(answer[84..]),
            BinaryPrimitives.ReadUInt32LittleEndian(answer[88..]));
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
