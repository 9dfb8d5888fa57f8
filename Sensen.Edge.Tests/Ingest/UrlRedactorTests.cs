using Sensen.Edge.Ingest;

namespace Sensen.Edge.Tests.Ingest;

public sealed class UrlRedactorTests
{
    [TestCase("[error] rtsp://admin:wrong@127.0.0.1:18556/cam: Server returned 401 Unauthorized", "[error] rtsp://***@127.0.0.1:18556/cam: Server returned 401 Unauthorized")]
    [TestCase("Input #0, rtsp, from 'rtsps://u:p%40ss@cam.local/x':", "Input #0, rtsp, from 'rtsps://***@cam.local/x':")]
    [TestCase("no url here, mail me at ops@example.org", "no url here, mail me at ops@example.org")]
    [TestCase("rtsp://cam.local/x", "rtsp://cam.local/x")]
    public void RedactUserInfo_Line_UserInfoMasked(string line, string expected) =>
        Assert.That(UrlRedactor.RedactUserInfo(line), Is.EqualTo(expected));

    [Test]
    public void Redact_SecretElsewhereInText_MaskedRawAndEncoded()
    {
        var redactor = new UrlRedactor("p@ss:w/rd");

        Assert.That(redactor.Redact("tried p@ss:w/rd and p%40ss%3Aw%2Frd"), Is.EqualTo("tried *** and ***"));
    }

    [Test]
    public void CameraCredential_ToString_NoPassword() =>
        Assert.That(new CameraCredential("admin", "hunter2").ToString(), Is.EqualTo("admin:***"));

    [Test]
    public void Display_UrlWithUserInfo_Masked() =>
        Assert.That(CameraUrl.Display(new Uri("rtsp://admin:hunter2@cam.local/x")), Is.EqualTo("rtsp://***@cam.local/x"));

    [TestCase("rtsp://camera.invalid/x", true)]
    [TestCase("rtsp://invalid/x", true)]
    [TestCase("rtsp://camera.invalid.example/x", false)]
    [TestCase("file:///tmp/invalid", false)]
    public void IsReservedInvalidHost_Name_PerRfc6761(string url, bool expected) =>
        Assert.That(CameraUrl.IsReservedInvalidHost(new Uri(url)), Is.EqualTo(expected));
}
