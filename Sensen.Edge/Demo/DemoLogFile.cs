using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Demo;

/// <summary>
/// The demo's log: the daemon's and the receiver's entries go to one file (<c>DIR/daemon.log</c>), one line each,
/// so the terminal shows the demo's progress and summary and nothing else. Entries carry no secrets by the same rule
/// as the daemon's journal (the stages log what they log there).
/// </summary>
internal sealed class DemoLogFile : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly LogLevel _minimum;
    private bool _closed;

    public DemoLogFile(string path, LogLevel minimum = LogLevel.Information)
    {
        _writer = new StreamWriter(path, append: false) { AutoFlush = true };
        _minimum = minimum;
        Path = path;
    }

    public string Path { get; }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <summary>A line of the demo's own (the daemon's status lines at the end, as <c>run</c> prints them).</summary>
    public void Note(string message) => Write(LogLevel.Information, "Sensen.Edge.Demo", message, null);

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {Short(level)} {category}: {message}");
        lock (_gate)
        {
            // A stage that logs while the host is disposed, after the demo closed the file, has nowhere to write.
            if (_closed)
            {
                return;
            }

            _writer.WriteLine(line);
            if (exception is not null)
            {
                _writer.WriteLine(exception.ToString());
            }
        }
    }

    private static string Short(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _writer.Dispose();
        }
    }

    private sealed class FileLogger(DemoLogFile file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= file._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                file.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
