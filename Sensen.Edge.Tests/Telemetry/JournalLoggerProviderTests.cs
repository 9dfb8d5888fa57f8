using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Sensen.Edge.Telemetry;

namespace Sensen.Edge.Tests.Telemetry;

/// <summary>Native journal protocol on a real unix datagram socket, parsed back as journald would.</summary>
public sealed partial class JournalLoggerProviderTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task Log_TemplatePlaceholders_BecomeJournalFields(CancellationToken cancellationToken)
    {
        using var journal = new FakeJournal();
        using (var provider = new JournalLoggerProvider(journal.Path, "sensen-edge"))
        {
            var logger = provider.CreateLogger("Sensen.Edge.Ingest.CameraSupervisor");
            LogReconnect(logger, "cam-north", 3);
        }

        var fields = await journal.ReceiveAsync(cancellationToken);

        Assert.That(fields["MESSAGE"], Is.EqualTo("Camera cam-north reconnecting (attempt 3)"));
        Assert.That(fields["PRIORITY"], Is.EqualTo("4"));
        Assert.That(fields["SYSLOG_IDENTIFIER"], Is.EqualTo("sensen-edge"));
        Assert.That(fields["LOGGER"], Is.EqualTo("Sensen.Edge.Ingest.CameraSupervisor"));
        Assert.That(fields["CAMERA"], Is.EqualTo("cam-north"));
        Assert.That(fields["ATTEMPT"], Is.EqualTo("3"));
        Assert.That(fields["EVENT_ID"], Is.EqualTo("42"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Log_MultiLineException_UsesLengthPrefixedField(CancellationToken cancellationToken)
    {
        using var journal = new FakeJournal();
        using (var provider = new JournalLoggerProvider(journal.Path, "sensen-edge"))
        {
            provider.CreateLogger("x").LogError(new InvalidOperationException("line one\nline two"), "stage failed");
        }

        var fields = await journal.ReceiveAsync(cancellationToken);

        Assert.That(fields["PRIORITY"], Is.EqualTo("3"));
        Assert.That(fields["EXCEPTION_TYPE"], Is.EqualTo("System.InvalidOperationException"));
        Assert.That(fields["EXCEPTION"], Does.StartWith("System.InvalidOperationException: line one\nline two"));
    }

    [TestCase("Camera", "CAMERA")]
    [TestCase("frameCount", "FRAME_COUNT")]
    [TestCase("_private", "PRIVATE")]
    [TestCase("1st", "F_1ST")]
    [TestCase("a-b", "A_B")]
    public void Name_TemplateKey_IsValidJournalFieldName(string key, string expected) =>
        Assert.That(JournalField.Name(key), Is.EqualTo(expected));

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Camera {Camera} reconnecting (attempt {Attempt})")]
    private static partial void LogReconnect(ILogger logger, string camera, int attempt);

    /// <summary>A datagram socket parsed with the native protocol's rules.</summary>
    private sealed class FakeJournal : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sensen-journal-");

        public FakeJournal()
        {
            Path = System.IO.Path.Combine(_dir.FullName, "socket");
            _socket.Bind(new UnixDomainSocketEndPoint(Path));
        }

        public string Path { get; }

        public async Task<Dictionary<string, string>> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[65536];
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            var fields = new Dictionary<string, string>();
            var i = 0;
            while (i < n)
            {
                var end = Array.IndexOf(buffer, (byte)'\n', i, n - i);
                var eq = Array.IndexOf(buffer, (byte)'=', i, end - i);
                if (eq >= 0)
                {
                    fields[Encoding.ASCII.GetString(buffer, i, eq - i)] = Encoding.UTF8.GetString(buffer, eq + 1, end - eq - 1);
                    i = end + 1;
                }
                else
                {
                    var name = Encoding.ASCII.GetString(buffer, i, end - i);
                    var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(end + 1, 8));
                    fields[name] = Encoding.UTF8.GetString(buffer, end + 9, length);
                    i = end + 9 + length + 1;
                }
            }

            return fields;
        }

        public void Dispose()
        {
            _socket.Dispose();
            _dir.Delete(recursive: true);
        }
    }
}
