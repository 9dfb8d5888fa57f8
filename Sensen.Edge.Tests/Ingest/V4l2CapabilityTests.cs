using System.Buffers.Binary;
using System.Text;
using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

/// <summary>
/// VIDIOC_QUERYCAP answers as real devices give them (the fields `v4l2-ctl --info` prints for a Raspberry Pi 4's
/// decoder and a UVC webcam), laid out as struct v4l2_capability.
/// </summary>
internal sealed class V4l2CapabilityTests
{
    private static byte[] Answer(string driver, string card, string bus, uint capabilities, uint deviceCaps)
    {
        var bytes = new byte[V4l2Capability.Size];
        Encoding.ASCII.GetBytes(driver).CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(card).CopyTo(bytes, 16);
        Encoding.ASCII.GetBytes(bus).CopyTo(bytes, 48);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(80), 0x0005_0F00);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(84), capabilities);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(88), deviceCaps);
        return bytes;
    }

    [Test]
    public void Parse_RaspberryPiDecoder_M2m()
    {
        var cap = V4l2Capability.Parse(Answer("bcm2835-codec", "bcm2835-codec-decode", "platform:bcm2835-codec", 0x8420_4000, 0x0420_4000));

        Assert.That(cap, Is.EqualTo(new V4l2Capability("bcm2835-codec", "bcm2835-codec-decode", 0x8420_4000, 0x0420_4000)));
        Assert.That(cap.IsM2m, Is.True);
    }

    [Test]
    public void Parse_UvcWebcam_NotM2m() =>
        Assert.That(V4l2Capability.Parse(Answer("uvcvideo", "HD Webcam", "usb-0000:00:14.0-1", 0x84A0_0001, 0x0420_0001)).IsM2m, Is.False);

    [Test]
    public void Parse_NodeCapsWithoutDeviceCapsFlag_UsesCapabilities() =>
        Assert.That(V4l2Capability.Parse(Answer("old", "old-m2m", "platform:old", 0x0000_8000, 0)).IsM2m, Is.True);

    [Test]
    public void Parse_ShortAnswer_Throws() =>
        Assert.Throws<ArgumentException>(() => V4l2Capability.Parse(new byte[50]));

    [Test]
    public void QueryCapRequest_IsVideodev2Value() =>
        Assert.That(V4l2Capability.QueryCapRequest, Is.EqualTo(0x8068_5600u));

    [Test]
    public void FindM2m_NodeThatIsNotAV4l2Device_Skipped()
    {
        // A plain file named like a device node: it opens, VIDIOC_QUERYCAP fails (ENOTTY), so it is not listed.
        var dev = Directory.CreateTempSubdirectory("sensen-dev-");
        try
        {
            File.WriteAllText(Path.Combine(dev.FullName, "video0"), "");
            File.WriteAllText(Path.Combine(dev.FullName, "null"), "");

            Assert.That(V4l2Devices.FindM2m(dev.FullName), Is.Empty);
            Assert.That(V4l2Devices.FindM2m(Path.Combine(dev.FullName, "missing")), Is.Empty);
        }
        finally
        {
            dev.Delete(recursive: true);
        }
    }
}
