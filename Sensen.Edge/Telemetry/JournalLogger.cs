using Microsoft.Extensions.Logging;

namespace Sensen.Edge.Telemetry;

/// <summary>One category's logger for <see cref="JournalLoggerProvider"/>.</summary>
internal sealed class JournalLogger : ILogger
{
    private readonly JournalLoggerProvider _provider;
    private readonly string _category;

    public JournalLogger(JournalLoggerProvider provider, string category)
    {
        _provider = provider;
        _category = category;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        _provider.Send(_category, logLevel, eventId, formatter(state, exception), exception, state as IReadOnlyList<KeyValuePair<string, object?>>);
    }
}
